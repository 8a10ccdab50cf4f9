/**
 * The row loops of the margin-based loss aggregators (least squares, Huber, binary logistic):
 * margins x·coef and gradients Σ mult·x over one partition's rows, which are either a dense
 * row-major block or sparse rows. Narrow dense rows are fused four at a time by the aggregators
 * themselves; wider or sparse rows go by chunks that stay in cache between the two sweeps.
 */
import { gemv, gemvT, INTERLEAVE_MAX_D } from './blas.js';

/** Sparse rows in CSR form: row r's entries are offsets[r] up to offsets[r + 1]. */
export interface SparseRows {
  offsets: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** n rows of width d: a dense block (row i at X[xOff + i·d]), or sparse rows when X is null. */
export interface RowBlock {
  n: number;
  X: Float64Array | null;
  xOff: number;
  sv: SparseRows | null;
}

/** Widest rows for the fused four-row loops: beyond it, four interleaved row streams slow down (blas.ts). */
export const FUSED_MAX_D = INTERLEAVE_MAX_D;

/** Rows per chunk: ~24 KB of features, so gemvT finds the block gemv just read still in cache. */
export function chunkRowsFor(d: number): number {
  return Math.max(32, Math.min(2048, Math.floor(3072 / Math.max(1, d))));
}

let rowScratch = new Float64Array(0);
/** A per-thread scratch array of at least `size` doubles (one kernel runs at a time per thread). */
export function scratch(size: number): Float64Array {
  if (rowScratch.length < size) rowScratch = new Float64Array(size);
  return rowScratch;
}

/** out[i] = x_{r0+i}·coef for i < m. */
export function marginsOf(rows: RowBlock, d: number, coef: Float64Array, r0: number, m: number, out: Float64Array): void {
  if (rows.X) {
    gemv(m, d, rows.X, coef, out, rows.xOff + r0 * d);
    return;
  }
  const sv = rows.sv!;
  for (let i = 0; i < m; i++) {
    const r = r0 + i;
    let s = 0;
    for (let e = sv.offsets[r]; e < sv.offsets[r + 1]; e++) s += sv.values[e] * coef[sv.indices[e]];
    out[i] = s;
  }
}

/** grad += Σ_i mult[i]·x_{r0+i}. */
export function accumulateGradient(rows: RowBlock, d: number, mult: Float64Array, r0: number, m: number, grad: Float64Array): void {
  if (rows.X) {
    gemvT(m, d, rows.X, mult, grad, rows.xOff + r0 * d);
    return;
  }
  const sv = rows.sv!;
  for (let i = 0; i < m; i++) {
    const r = r0 + i, a = mult[i];
    if (a === 0) continue;
    for (let e = sv.offsets[r]; e < sv.offsets[r + 1]; e++) grad[sv.indices[e]] += a * sv.values[e];
  }
}

/**
 * The chunked pass of a loss whose gradient is Σ mult·x: per chunk, the margins x·coef go into a
 * scratch array, `toMultipliers(buf, r0, m)` replaces them in place by the per-row multipliers of
 * rows r0..r0+m (accumulating the loss as it goes), and grad += Σ mult·x while the chunk is in cache.
 */
export function chunkedMarginPass(
  rows: RowBlock, d: number, coef: Float64Array, grad: Float64Array,
  toMultipliers: (buf: Float64Array, r0: number, m: number) => void,
): void {
  const size = chunkRowsFor(d);
  const buf = scratch(size);
  for (let r0 = 0; r0 < rows.n; r0 += size) {
    const m = Math.min(size, rows.n - r0);
    marginsOf(rows, d, coef, r0, m, buf);
    toMultipliers(buf, r0, m);
    accumulateGradient(rows, d, buf, r0, m, grad);
  }
}

/** start + Σ_j X[p+j]·coef[j], summed in order from `start` (the fused loops' single-row remainder). */
export function rowMargin(X: Float64Array, p: number, d: number, coef: Float64Array, start: number): number {
  let z = start;
  for (let j = 0; j < d; j++) z += X[p + j] * coef[j];
  return z;
}

/** grad[j] += m·X[p+j]: one row's gradient contribution. */
export function addRow(grad: Float64Array, X: Float64Array, d: number, p: number, m: number): void {
  for (let j = 0; j < d; j++) grad[j] += m * X[p + j];
}

/**
 * grad[j] += m0·X[p0+j] + m1·X[p1+j] + m2·X[p2+j] + m3·X[p3+j] for the four consecutive rows from
 * p0 (width d). Unrolled by four over j: 16% faster than the plain loop (measured, d = 20).
 */
export function addRows4(grad: Float64Array, X: Float64Array, d: number, p0: number, m0: number, m1: number, m2: number, m3: number): void {
  const p1 = p0 + d, p2 = p1 + d, p3 = p2 + d;
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    grad[j] += m0 * X[p0 + j] + m1 * X[p1 + j] + m2 * X[p2 + j] + m3 * X[p3 + j];
    grad[j + 1] += m0 * X[p0 + j + 1] + m1 * X[p1 + j + 1] + m2 * X[p2 + j + 1] + m3 * X[p3 + j + 1];
    grad[j + 2] += m0 * X[p0 + j + 2] + m1 * X[p1 + j + 2] + m2 * X[p2 + j + 2] + m3 * X[p3 + j + 2];
    grad[j + 3] += m0 * X[p0 + j + 3] + m1 * X[p1 + j + 3] + m2 * X[p2 + j + 3] + m3 * X[p3 + j + 3];
  }
  for (; j < d; j++) grad[j] += m0 * X[p0 + j] + m1 * X[p1 + j] + m2 * X[p2 + j] + m3 * X[p3 + j];
}
