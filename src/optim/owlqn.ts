/**
 * OWL-QN (Andrew & Gao 2007) for f(x) + Σ λᵢ|xᵢ|, as Spark runs it
 * (`new breeze.optimize.OWLQN(maxIter, m = 10, l1 = i => λᵢ, tol)`): L-BFGS on the
 * pseudo-gradient with the history built from the smooth gradient, the direction zeroed where it
 * disagrees in sign with the pseudo-gradient, trial points projected onto the orthant of the
 * current point, and Breeze's backtracking line search (0.5/‖g‖ and shrink 0.1 on the first
 * iteration, then 1 and 0.5). Convergence uses the penalised objective and the pseudo-gradient.
 *
 * One deliberate difference from Breeze: sign correction and orthant projection apply only to
 * coordinates with λᵢ > 0. Breeze applies them to every coordinate, which makes an unpenalised
 * intercept stop at zero whenever a step would change its sign; the objective is smooth there,
 * so nothing requires it, and the optimum reached is the same.
 */
import { nrm2 } from '../linalg/blas.js';
import { runFirstOrder, resolveOptions, validateStart, type Evaluator, type Method, type Point } from './firstOrder.js';
import { SearchFailure } from './failure.js';
import { InverseHessianApprox } from './inverseHessian.js';
import { lineAlong, lineStart } from './lineAlong.js';
import { backtracking } from './lineSearch.js';
import type { DiffFunction, FirstOrderOptions, OptimResult } from './types.js';

/** Per-coordinate L1 strengths: an array, or Spark's `regParamL1Fun` (index → strength). */
export type L1Strength = Float64Array | ((i: number) => number);

export type OWLQNOptions = FirstOrderOptions;

function resolveL1(name: string, l1: L1Strength, n: number): Float64Array {
  let out: Float64Array;
  if (typeof l1 === 'function') {
    out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = l1(i);
  } else if (l1 instanceof Float64Array) {
    if (l1.length !== n) throw new Error(`${name}: l1 has length ${l1.length}, x0 has length ${n}`);
    out = l1;
  } else {
    throw new Error(`${name}: l1 must be a Float64Array or a function of the coordinate index`);
  }
  for (let i = 0; i < n; i++) {
    const v = out[i];
    if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`${name}: l1 strength for coordinate ${i} is ${v}; it must be finite and ≥ 0`);
  }
  return out;
}

class OWLQNMethod implements Method {
  private readonly hessian: InverseHessianApprox;

  constructor(
    private readonly l1: Float64Array,
    m: number,
  ) {
    this.hessian = new InverseHessianApprox(l1.length, m);
  }

  /** Adds Σ λᵢ|xᵢ| and replaces the gradient by the pseudo-gradient (the minimum-norm subgradient). */
  adjust(x: Float64Array, loss: number, grad: Float64Array) {
    const n = x.length;
    const adjGrad = new Float64Array(n);
    let value = loss;
    for (let i = 0; i < n; i++) {
      const lambda = this.l1[i];
      const g = grad[i];
      const xi = x[i];
      if (lambda === 0) {
        adjGrad[i] = g;
        continue;
      }
      value += Math.abs(lambda * xi);
      if (xi !== 0) adjGrad[i] = g + Math.sign(xi) * lambda;
      else if (g - lambda > 0) adjGrad[i] = g - lambda;
      else if (g + lambda < 0) adjGrad[i] = g + lambda;
      else adjGrad[i] = 0;
    }
    return { value, adjGrad };
  }

  direction(state: Point): Float64Array {
    const dir = this.hessian.descentDirection(state.adjGrad);
    for (let i = 0; i < dir.length; i++) {
      if (this.l1[i] > 0 && dir[i] * state.adjGrad[i] >= 0) dir[i] = 0;
    }
    return dir;
  }

  async search(state: Point, dir: Float64Array, iter: number, evaluate: Evaluator) {
    // The orthant each penalised coordinate must stay in during this step.
    const n = dir.length;
    const orthant = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const xi = state.x[i];
      orthant[i] = xi !== 0 ? Math.sign(xi) : Math.sign(-state.adjGrad[i]);
    }
    const project = (x: Float64Array) => {
      for (let i = 0; i < n; i++) {
        if (this.l1[i] > 0 && Math.sign(x[i]) !== orthant[i]) x[i] = 0;
      }
    };
    // Breeze scales the first step by the smooth gradient; fall back to the pseudo-gradient
    // when the smooth part is flat at x0.
    const gNorm = nrm2(state.grad) || nrm2(state.adjGrad);
    if (!(gNorm > 0)) throw new SearchFailure('zero gradient: no direction to search');
    const first = iter < 1;
    const found = await backtracking(lineAlong(state, dir, evaluate, project), lineStart(state, dir), first ? 0.5 / gNorm : 1, {
      shrink: first ? 0.1 : 0.5,
    });
    return { point: found.payload, step: found.t };
  }

  update(prev: Point, next: Point): void {
    this.hessian.push(next.x, prev.x, next.grad, prev.grad);
  }

  reset(): void {
    this.hessian.reset();
  }
}

/**
 * Minimises f(x) + Σ l1ᵢ·|xᵢ| from `x0` (not modified). `loss` and `objectiveHistory` include
 * the penalty, as Spark's objective history does.
 */
export async function minimizeOWLQN(
  f: DiffFunction,
  x0: Float64Array,
  l1: L1Strength,
  opts: OWLQNOptions = {},
): Promise<OptimResult> {
  const name = 'minimizeOWLQN';
  const options = resolveOptions(name, opts);
  validateStart(name, x0);
  const strengths = resolveL1(name, l1, x0.length);
  return runFirstOrder(name, f, x0, new OWLQNMethod(strengths, options.m), options);
}
