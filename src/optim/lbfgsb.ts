/**
 * L-BFGS-B for lower ≤ x ≤ upper (bounds may be ±Infinity), as Spark uses it for bounded
 * logistic regression (`new breeze.optimize.LBFGSB(lower, upper, maxIter, m = 10, tol)`).
 *
 * What is implemented (written from Byrd, Lu, Nocedal & Zhu 1995, not ported from Breeze's
 * LBFGSB): each iteration finds the generalized Cauchy point of the compact-L-BFGS quadratic
 * model, minimises the model over the variables left free (direct primal method, the step
 * projected onto the box as in L-BFGS-B 3.0), and runs Breeze's strong-Wolfe search (64 + 64
 * steps) along x̄ − x, capped at the largest feasible step; trial points are clipped to the box
 * against rounding. The first step is min(1/‖d‖, cap) as in L-BFGS-B, later ones min(1, cap).
 * A pair (s, y) joins the memory only if sᵀy > ε·yᵀy. Convergence is Breeze's:
 * ‖P(x − g) − x‖∞ < pgtol (Breeze fixes 1e-5), then the tests of `ConvergenceCheck`.
 */
import { nrm2 } from '../linalg/blas.js';
import { CompactBFGS } from './compactBFGS.js';
import { REASON } from './convergence.js';
import { runFirstOrder, resolveOptions, validateStart, type Evaluator, type Method, type Point } from './firstOrder.js';
import { SearchFailure } from './failure.js';
import { lineAlong, lineStart } from './lineAlong.js';
import { generalizedCauchyPoint, subspaceMinimum } from './lbfgsbStep.js';
import { strongWolfe } from './lineSearch.js';
import type { DiffFunction, FirstOrderOptions, OptimResult } from './types.js';

export interface LBFGSBOptions extends FirstOrderOptions {
  /** Stop when the projected-gradient step ‖P(x − g) − x‖∞ is below this (Breeze: 1e-5). */
  pgtol?: number;
}

class LBFGSBMethod implements Method {
  private readonly model: CompactBFGS;

  constructor(
    private readonly lower: Float64Array,
    private readonly upper: Float64Array,
    m: number,
    private readonly pgtol: number,
  ) {
    this.model = new CompactBFGS(m);
  }

  private clip = (x: Float64Array): void => {
    for (let i = 0; i < x.length; i++) x[i] = Math.min(Math.max(x[i], this.lower[i]), this.upper[i]);
  };

  extraCheck(state: Point): string | undefined {
    let worst = 0;
    for (let i = 0; i < state.x.length; i++) {
      const xi = state.x[i];
      const projected = Math.min(Math.max(xi - state.grad[i], this.lower[i]), this.upper[i]);
      worst = Math.max(worst, Math.abs(projected - xi));
    }
    return worst < this.pgtol ? REASON.projectedStep : undefined;
  }

  direction(state: Point): Float64Array {
    const { x, grad } = state;
    const cauchy = generalizedCauchyPoint(x, grad, this.lower, this.upper, this.model);
    let target = subspaceMinimum(x, grad, this.lower, this.upper, this.model, cauchy);
    if (slope(grad, target, x) >= 0) target = cauchy.xcp;
    if (slope(grad, target, x) >= 0) throw new SearchFailure('no feasible descent direction from the Cauchy point');
    const dir = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) dir[i] = target[i] - x[i];
    return dir;
  }

  async search(state: Point, dir: Float64Array, _iter: number, evaluate: Evaluator) {
    // Largest step keeping x + t·dir in the box; at least ~1 since x + dir is feasible.
    let cap = Number.POSITIVE_INFINITY;
    for (let i = 0; i < dir.length; i++) {
      const di = dir[i];
      if (di > 0) cap = Math.min(cap, (this.upper[i] - state.x[i]) / di);
      else if (di < 0) cap = Math.min(cap, (this.lower[i] - state.x[i]) / di);
    }
    const init = this.model.pairs === 0 ? Math.min(1 / nrm2(dir), cap) : Math.min(1, cap);
    const found = await strongWolfe(lineAlong(state, dir, evaluate, this.clip), lineStart(state, dir), init, {
      maxZoomIter: 64,
      maxLineSearchIter: 64,
      bound: cap,
    });
    return { point: found.payload, step: found.t };
  }

  update(prev: Point, next: Point): void {
    const n = prev.x.length;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next.x[i] - prev.x[i];
      y[i] = next.grad[i] - prev.grad[i];
    }
    this.model.push(s, y);
  }

  reset(): void {
    this.model.reset();
  }
}

/** gᵀ(target − x). */
function slope(g: Float64Array, target: Float64Array, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += g[i] * (target[i] - x[i]);
  return s;
}

function validateBounds(name: string, x0: Float64Array, lower: unknown, upper: unknown): void {
  const n = x0.length;
  if (!(lower instanceof Float64Array) || lower.length !== n) throw new Error(`${name}: lower must be a Float64Array of length ${n}`);
  if (!(upper instanceof Float64Array) || upper.length !== n) throw new Error(`${name}: upper must be a Float64Array of length ${n}`);
  for (let i = 0; i < n; i++) {
    const l = lower[i];
    const u = upper[i];
    if (Number.isNaN(l) || Number.isNaN(u) || l > u || l === Number.POSITIVE_INFINITY || u === Number.NEGATIVE_INFINITY) {
      throw new Error(`${name}: bounds for coordinate ${i} are [${l}, ${u}]; need lower ≤ upper, neither NaN`);
    }
    if (x0[i] < l || x0[i] > u) throw new Error(`${name}: x0[${i}] = ${x0[i]} lies outside its bounds [${l}, ${u}]`);
  }
}

/** Minimises a smooth objective over the box [lower, upper] from the feasible `x0` (not modified). */
export async function minimizeLBFGSB(
  f: DiffFunction,
  x0: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  opts: LBFGSBOptions = {},
): Promise<OptimResult> {
  const name = 'minimizeLBFGSB';
  const options = resolveOptions(name, opts);
  validateStart(name, x0);
  validateBounds(name, x0, lower, upper);
  const pgtol = opts.pgtol ?? 1e-5;
  if (!(pgtol >= 0) || !Number.isFinite(pgtol)) throw new Error(`${name}: pgtol must be a finite number ≥ 0, got ${pgtol}`);
  return runFirstOrder(name, f, x0, new LBFGSBMethod(lower, upper, options.m, pgtol), options);
}
