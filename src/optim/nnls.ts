/**
 * Non-negative least squares from the normal equations, as Spark's ALS solves it with
 * `nonnegative = true` (`org.apache.spark.mllib.optimization.NNLS`):
 *   minimise ½xᵀ(AᵀA)x − xᵀ(Aᵀb) subject to x ≥ 0
 * by Polyak's projected gradient, taking a conjugate-gradient direction whenever the previous
 * step did not make a new constraint active. A `NNLSWorkspace` holds every buffer, so solving
 * many small systems (one per user or item) allocates nothing when an `out` array is passed.
 *
 * One deliberate difference: Spark's stopping tests compare the raw step length and gradient
 * norm with fixed thresholds, so scaling AᵀA and Aᵀb by s > 1e7 makes it stop at x = 0. We
 * apply the tests to the problem scaled by s = max diag(AᵀA), which leaves the iterates
 * unchanged and makes the result scale-invariant; for max diag(AᵀA) = 1 it is Spark's.
 */
import { axpy, dot, gemv } from '../linalg/blas.js';

export class NNLSWorkspace {
  readonly scratch: Float64Array;
  readonly grad: Float64Array;
  readonly x: Float64Array;
  readonly dir: Float64Array;
  readonly lastDir: Float64Array;
  readonly res: Float64Array;

  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`NNLSWorkspace: k must be an integer ≥ 1, got ${k}`);
    this.scratch = new Float64Array(k);
    this.grad = new Float64Array(k);
    this.x = new Float64Array(k);
    this.dir = new Float64Array(k);
    this.lastDir = new Float64Array(k);
    this.res = new Float64Array(k);
  }

  wipe(): void {
    this.scratch.fill(0);
    this.grad.fill(0);
    this.x.fill(0);
    this.dir.fill(0);
    this.lastDir.fill(0);
    this.res.fill(0);
  }
}

/**
 * Solves min ½xᵀ·ata·x − xᵀ·atb over x ≥ 0. `ata` is k×k row-major and symmetric positive
 * semi-definite. Returns `out` (a new array unless given).
 */
export function nnls(
  ata: Float64Array,
  atb: Float64Array,
  k: number,
  ws: NNLSWorkspace = new NNLSWorkspace(k),
  out: Float64Array = new Float64Array(k),
): Float64Array {
  if (ws.k !== k) throw new Error(`nnls: workspace is for k = ${ws.k}, called with k = ${k}`);
  if (ata.length !== k * k) throw new Error(`nnls: ata must hold k×k = ${k * k} values, has ${ata.length}`);
  if (atb.length !== k) throw new Error(`nnls: atb must hold k = ${k} values, has ${atb.length}`);
  if (out.length !== k) throw new Error(`nnls: out must hold k = ${k} values, has ${out.length}`);
  ws.wipe();
  const { scratch, grad, x, dir, lastDir, res } = ws;

  let scale = 0;
  for (let i = 0; i < k; i++) scale = Math.max(scale, ata[i * k + i]);
  if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;

  // Exact minimiser of the quadratic along −dir from the current residual.
  const stepLength = (d: Float64Array): number => {
    const top = dot(d, res);
    gemv(k, k, ata, d, scratch);
    // Push the denominator up slightly to avoid infinities (Spark's 1e-20, on the scaled problem).
    return top / (dot(scratch, d) + 1e-20 * scale * scale * scale);
  };
  // Spark's tests, written for the problem scaled by 1/scale: step·scale, ‖dir‖²/scale².
  const stop = (step: number, ndir: number, nx: number): boolean => {
    const s = step * scale;
    const nd = ndir / (scale * scale);
    return Number.isNaN(s) || s < 1e-7 || s > 1e40 || nd < 1e-12 * nx || nd < 1e-32;
  };

  const iterMax = Math.max(400, 20 * k);
  let lastNorm = 0;
  let lastWall = 0; // last iteration at which a bound became active
  for (let iter = 0; iter < iterMax; iter++) {
    // Residual (= gradient) ata·x − atb.
    gemv(k, k, ata, x, res);
    axpy(-1, atb, res);
    grad.set(res);
    // Project: a variable at zero whose gradient pushes it negative stays put.
    for (let i = 0; i < k; i++) if (grad[i] > 0 && x[i] === 0) grad[i] = 0;
    const ngrad = dot(grad, grad);
    dir.set(grad);

    let step = stepLength(grad);
    let ndir: number;
    const nx = dot(x, x);
    if (iter > lastWall + 1) {
      // Conjugate-gradient direction, kept only if it does not suggest stopping.
      axpy(ngrad / lastNorm, lastDir, dir);
      const cgStep = stepLength(dir);
      ndir = dot(dir, dir);
      if (stop(cgStep, ndir, nx)) {
        dir.set(grad);
        ndir = dot(dir, dir);
      } else {
        step = cgStep;
      }
    } else {
      ndir = dot(dir, dir);
    }
    if (stop(step, ndir, nx)) break;

    // Do not run through the walls.
    for (let i = 0; i < k; i++) if (step * dir[i] > x[i]) step = x[i] / dir[i];
    for (let i = 0; i < k; i++) {
      if (step * dir[i] > x[i] * (1 - 1e-14)) {
        x[i] = 0;
        lastWall = iter;
      } else {
        x[i] -= step * dir[i];
      }
    }
    lastDir.set(dir);
    lastNorm = ngrad;
  }
  out.set(x);
  return out;
}
