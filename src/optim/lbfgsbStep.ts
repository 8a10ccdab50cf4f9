/**
 * The two halves of an L-BFGS-B step (Byrd, Lu, Nocedal & Zhu 1995), on the quadratic model
 * m(z) = gᵀ(z − x) + ½(z − x)ᵀB(z − x) with B in compact form:
 *  - the generalized Cauchy point: the first local minimiser of m along the projected
 *    steepest-descent path P(x − t·g), found by walking its breakpoints (Algorithm CP, §4);
 *  - subspace minimisation: minimise m over the variables still free at the Cauchy point
 *    (direct primal method, §5.1), then project that step onto the box, falling back to
 *    truncating it when the projection is not a descent direction (Morales & Nocedal 2011).
 */
import { Matrix, solve } from 'ml-matrix';
import { dot } from '../linalg/blas.js';
import type { CompactBFGS } from './compactBFGS.js';

const EPS = 2.220446049250313e-16;

export interface CauchyPoint {
  xcp: Float64Array;
  /** c = Wᵀ(xcp − x), needed by the subspace step. */
  c: Float64Array;
}

export function generalizedCauchyPoint(
  x: Float64Array,
  g: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  B: CompactBFGS,
): CauchyPoint {
  const n = x.length;
  const w = 2 * B.pairs;
  const theta = B.theta;
  const d = new Float64Array(n);
  const t = new Float64Array(n);
  const breakpoints: number[] = [];
  let free = 0;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    if (gi < 0) t[i] = (x[i] - upper[i]) / gi;
    else if (gi > 0) t[i] = (x[i] - lower[i]) / gi;
    else t[i] = Number.POSITIVE_INFINITY;
    // A variable at the bound the gradient pushes it against does not move.
    if (t[i] > 0 && gi !== 0) {
      d[i] = -gi;
      free++;
      if (t[i] < Number.POSITIVE_INFINITY) breakpoints.push(i);
    }
  }
  breakpoints.sort((a, b) => t[a] - t[b]);

  const xcp = Float64Array.from(x);
  const c = new Float64Array(w);
  if (free === 0) return { xcp, c };

  const p = B.wTimes(d, new Float64Array(w));
  const wb = new Float64Array(w);
  const Mv = new Float64Array(w);
  let f1 = -dot(d, d);
  let f2 = -theta * f1 - (w > 0 ? dot(p, B.mTimes(p, Mv)) : 0);
  const f2Start = f2;
  let dtMin = -f1 / f2;
  let tOld = 0;
  let next = 0;
  while (next < breakpoints.length) {
    const b = breakpoints[next];
    const dt = t[b] - tOld;
    if (dtMin < dt) break;
    // The path reaches the bound of b before the model's minimum: fix b there and go on.
    xcp[b] = d[b] > 0 ? upper[b] : lower[b];
    const zb = xcp[b] - x[b];
    const gb = g[b];
    for (let j = 0; j < w; j++) c[j] += dt * p[j];
    f1 += dt * f2 + gb * gb + theta * gb * zb;
    f2 -= theta * gb * gb;
    if (w > 0) {
      B.wRow(b, wb);
      f1 -= gb * dot(wb, B.mTimes(c, Mv));
      f2 -= 2 * gb * dot(wb, B.mTimes(p, Mv)) + gb * gb * dot(wb, B.mTimes(wb, Mv));
      for (let j = 0; j < w; j++) p[j] += gb * wb[j];
    }
    // Rounding can make the curvature along the remaining path vanish (as in L-BFGS-B 3.0).
    f2 = Math.max(EPS * f2Start, f2);
    d[b] = 0;
    free--;
    tOld = t[b];
    next++;
    if (free === 0) {
      dtMin = 0;
      break;
    }
    dtMin = -f1 / f2;
  }
  dtMin = Math.max(dtMin, 0);
  tOld += dtMin;
  for (let i = 0; i < n; i++) {
    if (d[i] !== 0) xcp[i] = Math.min(Math.max(x[i] + tOld * d[i], lower[i]), upper[i]);
  }
  for (let j = 0; j < w; j++) c[j] += dtMin * p[j];
  return { xcp, c };
}

/**
 * Minimises the model over the variables free at the Cauchy point and returns the new trial
 * point x̄ (feasible). With no curvature pairs the model is θ/2·‖z − x‖² + gᵀ(z − x).
 */
export function subspaceMinimum(
  x: Float64Array,
  g: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  B: CompactBFGS,
  { xcp, c }: CauchyPoint,
): Float64Array {
  const n = x.length;
  const w = 2 * B.pairs;
  const theta = B.theta;
  const freeVars: number[] = [];
  for (let i = 0; i < n; i++) if (xcp[i] > lower[i] && xcp[i] < upper[i]) freeVars.push(i);
  if (freeVars.length === 0) return xcp;

  // Reduced gradient of the model at xcp: r = Zᵀ(g + θ(xcp − x) − W·M·c).
  const Mc = w > 0 ? B.mTimes(c, new Float64Array(w)) : new Float64Array(0);
  const wi = new Float64Array(w);
  const r = new Float64Array(freeVars.length);
  for (let f = 0; f < freeVars.length; f++) {
    const i = freeVars[f];
    r[f] = g[i] + theta * (xcp[i] - x[i]) - (w > 0 ? dot(B.wRow(i, wi), Mc) : 0);
  }
  // du = −(ZᵀBZ)⁻¹r by Sherman–Morrison–Woodbury:
  //   du = −r/θ − ZᵀW·N⁻¹·M·WᵀZ·r/θ²,  N = I − M·WᵀZZᵀW/θ.
  const du = new Float64Array(freeVars.length);
  for (let f = 0; f < du.length; f++) du[f] = -r[f] / theta;
  if (w > 0) {
    const wzr = new Float64Array(w);
    const gram = new Float64Array(w * w);
    for (let f = 0; f < freeVars.length; f++) {
      B.wRow(freeVars[f], wi);
      for (let a = 0; a < w; a++) {
        wzr[a] += wi[a] * r[f];
        for (let b = 0; b < w; b++) gram[a * w + b] += wi[a] * wi[b];
      }
    }
    const v = B.mTimes(wzr, new Float64Array(w));
    const N = new Matrix(w, w);
    const col = new Float64Array(w);
    const Mcol = new Float64Array(w);
    for (let b = 0; b < w; b++) {
      for (let a = 0; a < w; a++) col[a] = gram[a * w + b];
      B.mTimes(col, Mcol);
      for (let a = 0; a < w; a++) N.set(a, b, (a === b ? 1 : 0) - Mcol[a] / theta);
    }
    // N singular in floating point: the Cauchy point is still a sound (if slower) step.
    let sol: Matrix;
    try {
      sol = solve(N, Matrix.columnVector(Array.from(v)));
    } catch {
      return xcp;
    }
    for (let a = 0; a < w; a++) v[a] = sol.get(a, 0);
    if (!v.every(Number.isFinite)) return xcp;
    for (let f = 0; f < freeVars.length; f++) du[f] -= dot(B.wRow(freeVars[f], wi), v) / (theta * theta);
  }

  // Projected subspace step, if it is a descent direction from x.
  const projected = Float64Array.from(xcp);
  for (let f = 0; f < freeVars.length; f++) {
    const i = freeVars[f];
    projected[i] = Math.min(Math.max(xcp[i] + du[f], lower[i]), upper[i]);
  }
  let slope = 0;
  for (let i = 0; i < n; i++) slope += g[i] * (projected[i] - x[i]);
  if (slope < 0) return projected;

  // Otherwise truncate: the largest α ≤ 1 keeping xcp + α·du inside the box.
  let alpha = 1;
  for (let f = 0; f < freeVars.length; f++) {
    const i = freeVars[f];
    const dv = du[f];
    if (dv > 0) alpha = Math.min(alpha, (upper[i] - xcp[i]) / dv);
    else if (dv < 0) alpha = Math.min(alpha, (lower[i] - xcp[i]) / dv);
  }
  const truncated = Float64Array.from(xcp);
  for (let f = 0; f < freeVars.length; f++) {
    const i = freeVars[f];
    truncated[i] = Math.min(Math.max(xcp[i] + alpha * du[f], lower[i]), upper[i]);
  }
  return truncated;
}
