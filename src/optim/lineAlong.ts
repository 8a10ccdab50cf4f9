/**
 * The one-dimensional view of the objective along a search direction that the line searches
 * work on: phi(t) = objective(x + t·dir), optionally projected (onto the box for L-BFGS-B, the
 * orthant for OWL-QN), with slope adjGrad·dir.
 */
import { dot } from '../linalg/blas.js';
import type { Evaluator, Point } from './firstOrder.js';
import type { LineFunction, LinePoint } from './lineSearch.js';

export function lineAlong(
  state: Point,
  dir: Float64Array,
  evaluate: Evaluator,
  project?: (x: Float64Array) => void,
): LineFunction<Point> {
  const n = dir.length;
  return async (t) => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = state.x[i] + t * dir[i];
    if (project) project(x);
    const p = await evaluate(x);
    return { t, value: p.value, deriv: dot(p.adjGrad, dir), payload: p };
  };
}

/** The value and slope at t = 0, known from the current state, so no evaluation is spent. */
export function lineStart(state: Point, dir: Float64Array): LinePoint<Point> {
  return { t: 0, value: state.value, deriv: dot(state.adjGrad, dir), payload: state };
}
