/**
 * The iteration loop shared by L-BFGS, OWL-QN and L-BFGS-B, after Breeze's `FirstOrderMinimizer`:
 * choose a direction, line-search along it, record the step in the quasi-Newton history, test
 * convergence. A failed step (SearchFailure) drops the history once; a second failure in a row
 * stops the run. Each method supplies only what differs (direction, search, history, penalty).
 */
import { nrm2 } from '../linalg/blas.js';
import { ConvergenceCheck, isConvergedReason } from './convergence.js';
import { SearchFailure } from './failure.js';
import type { DiffFunction, FirstOrderOptions, OptimResult } from './types.js';

/** One evaluated point. `value`/`adjGrad` include a penalty the method adds (OWL-QN's L1). */
export interface Point {
  x: Float64Array;
  loss: number;
  grad: Float64Array;
  value: number;
  adjGrad: Float64Array;
}

export type Evaluator = (x: Float64Array) => Promise<Point>;

export interface Method {
  /** Adds a non-smooth penalty to the objective; identity when absent. */
  adjust?(x: Float64Array, loss: number, grad: Float64Array): { value: number; adjGrad: Float64Array };
  /** Search direction at `state`; `iter` counts completed iterations. May throw SearchFailure. */
  direction(state: Point, iter: number): Float64Array;
  /** Line search along `dir`; returns the accepted, already evaluated, point. */
  search(state: Point, dir: Float64Array, iter: number, evaluate: Evaluator): Promise<{ point: Point; step: number }>;
  /** Records the step prev → next in the quasi-Newton history. */
  update(prev: Point, next: Point): void;
  /** Forgets the history (after a failed step). */
  reset(): void;
  /** A method-specific convergence test checked before the shared ones (L-BFGS-B's). */
  extraCheck?(state: Point): string | undefined;
}

export interface ResolvedOptions {
  maxIter: number;
  m: number;
  tol: number;
  fvalMemory: number;
  onIteration: FirstOrderOptions['onIteration'];
}

function requireInteger(name: string, key: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`${name}: ${key} must be an integer ≥ ${min}, got ${v}`);
}

export function resolveOptions(name: string, opts: FirstOrderOptions = {}): ResolvedOptions {
  const r: ResolvedOptions = {
    maxIter: opts.maxIter ?? 100,
    m: opts.m ?? 10,
    tol: opts.tol ?? 1e-6,
    fvalMemory: opts.fvalMemory ?? 20,
    onIteration: opts.onIteration,
  };
  requireInteger(name, 'maxIter', r.maxIter, 0);
  requireInteger(name, 'm', r.m, 1);
  requireInteger(name, 'fvalMemory', r.fvalMemory, 2);
  if (!(r.tol >= 0) || !Number.isFinite(r.tol)) throw new Error(`${name}: tol must be a finite number ≥ 0, got ${r.tol}`);
  if (r.onIteration !== undefined && typeof r.onIteration !== 'function') {
    throw new Error(`${name}: onIteration must be a function`);
  }
  return r;
}

export function validateStart(name: string, x0: unknown): Float64Array {
  if (!(x0 instanceof Float64Array)) throw new Error(`${name}: x0 must be a Float64Array`);
  if (x0.length === 0) throw new Error(`${name}: x0 must not be empty`);
  for (let i = 0; i < x0.length; i++) {
    if (!Number.isFinite(x0[i])) throw new Error(`${name}: x0[${i}] is ${x0[i]}; the start must be finite`);
  }
  return x0;
}

/** Wraps the objective: checks the shape of what it returns, applies the penalty, counts calls. */
function makeEvaluator(name: string, f: DiffFunction, n: number, method: Method) {
  let calls = 0;
  const evaluate: Evaluator = async (x) => {
    calls++;
    const out = await f(x);
    if (out === null || typeof out !== 'object') throw new Error(`${name}: the objective must resolve to { loss, grad }`);
    const { loss, grad } = out;
    if (typeof loss !== 'number') throw new Error(`${name}: the objective's loss must be a number, got ${typeof loss}`);
    if (!(grad instanceof Float64Array) || grad.length !== n) {
      throw new Error(`${name}: the objective's grad must be a Float64Array of length ${n} (the length of x0)`);
    }
    const adj = method.adjust ? method.adjust(x, loss, grad) : { value: loss, adjGrad: grad };
    return { x, loss, grad, value: adj.value, adjGrad: adj.adjGrad };
  };
  return { evaluate, calls: () => calls };
}

function assertFiniteStart(name: string, p: Point): void {
  if (!Number.isFinite(p.loss)) throw new Error(`${name}: the objective returned loss ${p.loss} at the initial point x0`);
  for (let i = 0; i < p.grad.length; i++) {
    if (!Number.isFinite(p.grad[i])) {
      throw new Error(`${name}: the objective returned grad[${i}] = ${p.grad[i]} at the initial point x0`);
    }
  }
}

export async function runFirstOrder(
  name: string,
  f: DiffFunction,
  x0: Float64Array,
  method: Method,
  opts: ResolvedOptions,
): Promise<OptimResult> {
  if (typeof f !== 'function') throw new Error(`${name}: f must be a function x => Promise<{ loss, grad }>`);
  const { evaluate, calls } = makeEvaluator(name, f, x0.length, method);
  let state = await evaluate(Float64Array.from(x0));
  assertFiniteStart(name, state);
  const check = new ConvergenceCheck(opts.maxIter, opts.tol, opts.fvalMemory, state.value);
  const history = [state.value];
  let iter = 0;
  let failedOnce = false;
  let searchFailed = false;
  let reason: string | undefined;
  const stopReason = () =>
    method.extraCheck?.(state) ?? check.check(iter, state.value, nrm2(state.adjGrad), searchFailed);

  while ((reason = stopReason()) === undefined) {
    try {
      const dir = method.direction(state, iter);
      const { point, step } = await method.search(state, dir, iter, evaluate);
      method.update(state, point);
      state = point;
      iter++;
      check.record(state.value);
      history.push(state.value);
      failedOnce = false;
      if (opts.onIteration) {
        const gradNorm = nrm2(state.adjGrad);
        await opts.onIteration({ iteration: iter, loss: state.value, gradNorm, stepSize: step, evaluations: calls(), x: state.x });
      }
    } catch (e) {
      if (!(e instanceof SearchFailure)) throw e;
      if (!failedOnce) {
        failedOnce = true;
        method.reset();
      } else if (e.nonFinite) {
        throw new Error(
          `${name}: the objective returned NaN or infinite values at every trial point of the line search ` +
            `after iteration ${iter} (last finite objective ${state.value})`,
        );
      } else {
        searchFailed = true;
      }
    }
  }
  return {
    x: state.x,
    loss: state.value,
    iterations: iter,
    objectiveHistory: history,
    converged: isConvergedReason(reason),
    reason,
    evaluations: calls(),
  };
}

