// Centered scatter matrices in one pass over a partition (PCA's covariance, the normal equations of
// linear regression), and PCA's projection mapper.
//
// Numerics: a partition's rows are centered on the partition's own (weighted) mean before their
// outer products are summed, and partials merge with Chan et al.'s update. Unlike XᵀX − n·μμᵀ (what
// Spark's RowMatrix computes), this loses nothing to cancellation when means are large next to the
// spread. Rows go through a small scratch block that stays in cache: copied (densified for sparse
// columns), centered, then summed by `syrk`.
import { registerAggregator } from '../engine/kernels.js';
import { columnOf, denseVectorData, sparseView, validityBytes, type AnyData, type SparseView } from '../dataframe/batch.js';
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

/** Writes rows row0 .. row0+m of the input into dst (m×k, row-major). */
export type RowFiller = (row0: number, m: number, dst: Float64Array) => void;

/** A filler for a dense block, optionally followed by one extra column (a label). */
export function denseFiller(X: Float64Array, xOff: number, d: number, extra: Float64Array | null): RowFiller {
  if (!extra) return (row0, m, dst) => dst.set(X.subarray(xOff + row0 * d, xOff + (row0 + m) * d));
  const k = d + 1;
  return (row0, m, dst) => {
    for (let i = 0; i < m; i++) {
      const p = xOff + (row0 + i) * d;
      dst.set(X.subarray(p, p + d), i * k);
      dst[i * k + d] = extra[row0 + i];
    }
  };
}

/** A filler densifying a sparse view of vectors of size d, optionally followed by one extra column. */
export function sparseFiller(sv: SparseView, d: number, extra: Float64Array | null): RowFiller {
  const k = extra ? d + 1 : d;
  return (row0, m, dst) => {
    dst.fill(0, 0, m * k);
    for (let i = 0; i < m; i++) {
      const r = row0 + i, base = i * k;
      for (let e = sv.offsets[r]; e < sv.offsets[r + 1]; e++) dst[base + sv.indices[e]] = sv.values[e];
      if (extra) dst[base + d] = extra[r];
    }
  };
}

/** The scatter of n rows of width k produced by `fill`, with optional row weights. */
export function scatterOfRows(n: number, k: number, fill: RowFiller, weights: Float64Array | null): Scatter {
  const out = zeroScatter(k);
  if (n === 0) return out;
  const rows = chunkRows(k);
  const buf = scratchOf(rows * k);
  const sum = new Float64Array(k);
  let wSum = 0, wSq = 0;
  for (let r0 = 0; r0 < n; r0 += rows) {
    const m = Math.min(rows, n - r0);
    fill(r0, m, buf);
    for (let i = 0; i < m; i++) {
      const w = weights ? weights[r0 + i] : 1;
      if (w === 0) continue;
      wSum += w;
      wSq += w * w;
      const base = i * k;
      for (let j = 0; j < k; j++) sum[j] += w * buf[base + j];
    }
  }
  out.count = n;
  out.weightSum = wSum;
  out.weightSqSum = wSq;
  if (wSum === 0) return out;
  const mean = out.mean;
  for (let j = 0; j < k; j++) mean[j] = sum[j] / wSum;
  for (let r0 = 0; r0 < n; r0 += rows) {
    const m = Math.min(rows, n - r0);
    fill(r0, m, buf);
    for (let i = 0; i < m; i++) {
      const base = i * k;
      for (let j = 0; j < k; j++) buf[base + j] -= mean[j];
    }
    syrk(m, k, buf, out.s, 0, weights ? weights.subarray(r0, r0 + m) : undefined);
  }
  return out;
}

// --- PCA --------------------------------------------------------------------------------------

export interface PcaScatterParams { column: string; sparse: boolean; d: number }

function columnByName(batch: { schema: { fields: { name: string }[] } }, name: string): number {
  const c = batch.schema.fields.findIndex((f) => f.name === name);
  if (c < 0) throw new Error(`Column '${name}' does not exist in this partition`);
  return c;
}

/** PCA's pass: the scatter of the input vectors. Null, NaN and infinite values fail with the row. */
export const PCA_SCATTER = registerAggregator<Scatter, PcaScatterParams>('feature.pcaScatter', (acc, batch, p, ctx) => {
  const data = columnOf(batch, columnByName(batch, p.column));
  const n = batch.numRows;
  const valid = validityBytes(data);
  if (valid) {
    throw new Error(`PCA: column '${p.column}' (inputCol) is null at row ${valid.indexOf(0)} of partition ${ctx.partitionIndex}; drop null vectors first`);
  }
  let fill: RowFiller, d = p.d;
  if (p.sparse) {
    const sv = sparseView(data);
    if (d < 0 && n > 0) d = sv.sizes[0];
    for (let i = 0; i < n; i++) {
      if (sv.sizes[i] !== d) throw new Error(`PCA: column '${p.column}' holds vectors of sizes ${d} and ${sv.sizes[i]} (row ${i} of partition ${ctx.partitionIndex}); all must have one size`);
    }
    checkFinite(sv.values, p.column, ctx.partitionIndex, (e) => rowOfEntry(sv, e));
    fill = sparseFiller(sv, d, null);
  } else {
    const child = data.children[0] as AnyData;
    const off = child.offset + data.offset * d;
    const X = child.values as Float64Array;
    checkFinite(X.subarray(off, off + n * d), p.column, ctx.partitionIndex, (e) => Math.floor(e / d));
    fill = denseFiller(X, off, d, null);
  }
  if (n === 0) return acc;
  return mergeScatter(acc.count === 0 ? zeroScatter(d) : acc, scatterOfRows(n, d, fill, null));
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
  const data = columnOf(batch, columnByName(batch, p.column));
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
