// Centered scatter matrices in one pass over a partition (PCA's covariance, the normal equations of
// linear regression), and PCA's projection mapper.
//
// Numerics: a partition's rows are centered near the partition's own (weighted) mean before their
// outer products are summed, and partials merge with Chan et al.'s update. Unlike XᵀX − n·μμᵀ (what
// Spark's RowMatrix computes), this loses nothing to cancellation when means are large next to the
// spread. Rows go through a small scratch block that stays in cache: copied (densified for sparse
// columns) and shifted, then summed by `syrk`.
import { registerAggregator } from '../engine/kernels.js';
import { columnByName, denseVectorData, sparseView, validityBytes, type AnyData, type SparseView } from '../dataframe/batch.js';
import { registerMapper } from '../dataframe/mappers.js';
import { gemv, syrk } from '../linalg/blas.js';
import { formatDouble } from '../linalg/format.js';

/** Σ w·(z − mean)(z − mean)ᵀ over rows z of width k, with the counts that go with it. */
export interface Scatter {
  k: number;
  count: number;
  weightSum: number;
  weightSqSum: number;
  mean: Float64Array;
  /** k×k row-major, upper triangle filled (lower triangle left 0). */
  s: Float64Array;
}

export function zeroScatter(k: number): Scatter {
  return { k, count: 0, weightSum: 0, weightSqSum: 0, mean: new Float64Array(k), s: new Float64Array(k * k) };
}

/** Chan et al.'s pairwise update, weighted; updates and returns a (or returns b when a is empty). */
export function mergeScatter(a: Scatter, b: Scatter): Scatter {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  if (a.k !== b.k) throw new Error(`Dimensions mismatch when merging partitions: vectors of size ${a.k} and ${b.k}`);
  const k = a.k, wa = a.weightSum, wb = b.weightSum, w = wa + wb;
  if (wb > 0) {
    const delta = new Float64Array(k);
    for (let j = 0; j < k; j++) delta[j] = b.mean[j] - a.mean[j];
    const f = w > 0 ? (wa * wb) / w : 0;
    for (let i = 0; i < k; i++) {
      const fi = f * delta[i];
      for (let j = i; j < k; j++) a.s[i * k + j] += b.s[i * k + j] + fi * delta[j];
    }
    for (let j = 0; j < k; j++) a.mean[j] += (delta[j] * wb) / w;
  }
  a.count += b.count;
  a.weightSum = w;
  a.weightSqSum += b.weightSqSum;
  return a;
}

/** Rows per scratch block: 32 KB of doubles at most, so a block stays in L1/L2 across its two uses. */
function chunkRows(k: number): number {
  return Math.max(16, Math.min(1024, Math.floor(4096 / Math.max(1, k))));
}

let scratch = new Float64Array(0);
function scratchOf(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(size);
  return scratch;
}

/** Writes rows row0 .. row0+m of the input, minus `shift` (length k) when given, into dst (m×k, row-major). */
export type RowFiller = (row0: number, m: number, dst: Float64Array, shift: Float64Array | null) => void;

/** A filler for a dense block, optionally followed by one extra column (a label). */
export function denseFiller(X: Float64Array, xOff: number, d: number, extra: Float64Array | null): RowFiller {
  const k = extra ? d + 1 : d;
  return (row0, m, dst, shift) => {
    if (!extra && !shift) {
      dst.set(X.subarray(xOff + row0 * d, xOff + (row0 + m) * d));
      return;
    }
    for (let i = 0; i < m; i++) {
      const p = xOff + (row0 + i) * d, b = i * k;
      if (shift) for (let j = 0; j < d; j++) dst[b + j] = X[p + j] - shift[j];
      else for (let j = 0; j < d; j++) dst[b + j] = X[p + j];
      if (extra) dst[b + d] = extra[row0 + i] - (shift ? shift[d] : 0);
    }
  };
}

/** A filler densifying a sparse view of vectors of size d, optionally followed by one extra column. */
export function sparseFiller(sv: SparseView, d: number, extra: Float64Array | null): RowFiller {
  const k = extra ? d + 1 : d;
  return (row0, m, dst, shift) => {
    for (let i = 0; i < m; i++) {
      const r = row0 + i, base = i * k;
      if (shift) for (let j = 0; j < k; j++) dst[base + j] = -shift[j];
      else dst.fill(0, base, base + k);
      for (let e = sv.offsets[r]; e < sv.offsets[r + 1]; e++) dst[base + sv.indices[e]] += sv.values[e];
      if (extra) dst[base + d] += extra[r];
    }
  };
}

/**
 * The scatter of n rows of width k produced by `fill`, with optional row weights, in one sweep:
 * rows are shifted by the (weighted) mean c of the first block, a close guess of the mean μ, and the
 * scatter about μ is then S_c − W·δδᵀ with δ = μ − c, which is small, so nothing cancels.
 */
export function scatterOfRows(n: number, k: number, fill: RowFiller, weights: Float64Array | null): Scatter {
  const out = zeroScatter(k);
  if (n === 0) return out;
  const rows = chunkRows(k);
  const buf = scratchOf(rows * k);
  const shift = new Float64Array(k);
  {
    const m = Math.min(rows, n);
    fill(0, m, buf, null);
    let w0 = 0;
    for (let i = 0; i < m; i++) {
      const w = weights ? weights[i] : 1;
      w0 += w;
      for (let j = 0; j < k; j++) shift[j] += w * buf[i * k + j];
    }
    if (w0 > 0) for (let j = 0; j < k; j++) shift[j] /= w0;
  }
  const sum = new Float64Array(k);
  let wSum = 0, wSq = 0;
  for (let r0 = 0; r0 < n; r0 += rows) {
    const m = Math.min(rows, n - r0);
    fill(r0, m, buf, shift);
    for (let i = 0; i < m; i++) {
      const w = weights ? weights[r0 + i] : 1;
      if (w === 0) continue;
      wSum += w;
      wSq += w * w;
      const base = i * k;
      for (let j = 0; j < k; j++) sum[j] += w * buf[base + j];
    }
    syrk(m, k, buf, out.s, 0, weights ? weights.subarray(r0, r0 + m) : undefined);
  }
  out.count = n;
  out.weightSum = wSum;
  out.weightSqSum = wSq;
  if (wSum === 0) {
    out.s.fill(0);
    return out;
  }
  const delta = sum.map((v) => v / wSum);
  for (let a = 0; a < k; a++) {
    const f = wSum * delta[a];
    for (let b = a; b < k; b++) out.s[a * k + b] -= f * delta[b];
  }
  for (let j = 0; j < k; j++) out.mean[j] = shift[j] + delta[j];
  return out;
}

// --- PCA --------------------------------------------------------------------------------------

export interface PcaScatterParams { column: string; sparse: boolean; d: number }

/** PCA's pass: the scatter of the input vectors. Null, NaN and infinite values fail with the row. */
export const PCA_SCATTER = registerAggregator<Scatter, PcaScatterParams>('feature.pcaScatter', (acc, batch, p, ctx) => {
  const data = columnByName(batch, p.column);
  const n = batch.numRows;
  const valid = validityBytes(data);
  if (valid) {
    throw new Error(`PCA: column '${p.column}' (inputCol) is null at row ${valid.indexOf(0)} of partition ${ctx.partitionIndex}; drop null vectors first`);
  }
  if (n === 0) return acc;
  let fill: RowFiller, d = p.d, values: Float64Array, rowOf: (e: number) => number;
  if (p.sparse) {
    const sv = sparseView(data);
    if (d < 0) d = sv.sizes[0];
    for (let i = 0; i < n; i++) {
      if (sv.sizes[i] !== d) throw new Error(`PCA: column '${p.column}' holds vectors of sizes ${d} and ${sv.sizes[i]} (row ${i} of partition ${ctx.partitionIndex}); all must have one size`);
    }
    fill = sparseFiller(sv, d, null);
    values = sv.values;
    rowOf = (e) => rowOfEntry(sv, e);
  } else {
    const child = data.children[0] as AnyData;
    const off = child.offset + data.offset * d;
    const X = child.values as Float64Array;
    fill = denseFiller(X, off, d, null);
    values = X.subarray(off, off + n * d);
    rowOf = (e) => Math.floor(e / d);
  }
  const part = scatterOfRows(n, d, fill, null);
  // A NaN or infinite value makes the scatter non-finite: only then look for it.
  if (!part.mean.every(Number.isFinite) || !part.s.every(Number.isFinite)) checkFinite(values, p.column, ctx.partitionIndex, rowOf);
  return mergeScatter(acc.count === 0 ? zeroScatter(d) : acc, part);
});

function rowOfEntry(sv: SparseView, e: number): number {
  let lo = 0, hi = sv.offsets.length - 1;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (sv.offsets[mid] <= e) lo = mid; else hi = mid; }
  return lo;
}

function checkFinite(values: Float64Array, column: string, partition: number, rowOf: (e: number) => number): void {
  for (let e = 0; e < values.length; e++) {
    const v = values[e];
    if (v - v !== 0) {
      throw new Error(`PCA: Vector values MUST NOT be NaN or Infinity, but column '${column}' holds ${formatDouble(v)} at row ${rowOf(e)} of partition ${partition}`);
    }
  }
}

export interface PcaProjectParams {
  column: string;
  sparse: boolean;
  /** Principal components as a k×d row-major matrix (row c is component c). */
  pcT: Float64Array;
  d: number;
  k: number;
}

/** x ↦ PCᵀx, as Spark's PCAModel (no centering). Null vectors give null. */
export const PCA_PROJECT = registerMapper<PcaProjectParams>('feature.pcaProject', (batch, p) => {
  const data = columnByName(batch, p.column);
  const n = batch.numRows, { d, k, pcT } = p;
  const out = new Float64Array(n * k);
  const valid = validityBytes(data);
  if (p.sparse) {
    const sv = sparseView(data);
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) continue;
      if (sv.sizes[i] !== d) {
        throw new Error(`PCAModel: column '${p.column}' holds a vector of size ${sv.sizes[i]} at row ${i}, but the model was fitted on vectors of size ${d}`);
      }
      for (let e = sv.offsets[i]; e < sv.offsets[i + 1]; e++) {
        const j = sv.indices[e], v = sv.values[e];
        for (let c = 0; c < k; c++) out[i * k + c] += pcT[c * d + j] * v;
      }
    }
  } else {
    const child = data.children[0] as AnyData;
    const X = child.values as Float64Array, off = child.offset + data.offset * d;
    const margins = new Float64Array(n);
    // One gemv per component keeps the component in registers and streams the rows.
    for (let c = 0; c < k; c++) {
      gemv(n, d, X, pcT.subarray(c * d, (c + 1) * d), margins, off);
      for (let i = 0; i < n; i++) out[i * k + c] = margins[i];
    }
    if (valid) for (let i = 0; i < n; i++) if (!valid[i]) out.fill(0, i * k, (i + 1) * k);
  }
  return { columns: [denseVectorData(k, out, valid, n)] };
});
