/**
 * L-BFGS as Spark runs it (`new breeze.optimize.LBFGS(maxIter, m = 10, tol)`): two-loop
 * direction, Breeze's strong-Wolfe line search (10 zoom and 10 bracketing steps) starting at
 * 1/‖d‖ on the first iteration and 1 afterwards, Breeze's default convergence tests.
 */
import { nrm2 } from '../linalg/blas.js';
import { runFirstOrder, resolveOptions, validateStart, type Evaluator, type Method, type Point } from './firstOrder.js';
import { SearchFailure } from './failure.js';
import { InverseHessianApprox } from './inverseHessian.js';
import { lineAlong, lineStart } from './lineAlong.js';
import { strongWolfe } from './lineSearch.js';
import type { DiffFunction, FirstOrderOptions, OptimResult } from './types.js';

export type LBFGSOptions = FirstOrderOptions;

class LBFGSMethod implements Method {
  private readonly hessian: InverseHessianApprox;

  constructor(n: number, m: number) {
    this.hessian = new InverseHessianApprox(n, m);
  }

  direction(state: Point): Float64Array {
    return this.hessian.descentDirection(state.grad);
  }

  async search(state: Point, dir: Float64Array, iter: number, evaluate: Evaluator) {
    const dirNorm = nrm2(dir);
    if (!(dirNorm > 0)) throw new SearchFailure('zero search direction');
    const init = iter === 0 ? 1 / dirNorm : 1;
    const found = await strongWolfe(lineAlong(state, dir, evaluate), lineStart(state, dir), init, {
      maxZoomIter: 10,
      maxLineSearchIter: 10,
    });
    // Breeze's StepSizeUnderflow: a step this small means the search is making no progress.
    if (found.t * nrm2(state.grad) < 1e-10) throw new SearchFailure(`step size underflow (${found.t})`);
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
 * Minimises a smooth objective from `x0` (not modified). Rejects with an error when the objective
 * returns NaN at `x0`, or at every trial point of two line searches in a row.
 */
export async function minimizeLBFGS(f: DiffFunction, x0: Float64Array, opts: LBFGSOptions = {}): Promise<OptimResult> {
  const name = 'minimizeLBFGS';
  const options = resolveOptions(name, opts);
  validateStart(name, x0);
  return runFirstOrder(name, f, x0, new LBFGSMethod(x0.length, options.m), options);
}
