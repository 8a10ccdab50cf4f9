// StandardScaler's kernels: moments of a sparse vector column (the dense case is src/stat's
// MOMENTS), and the column mapper that shifts and scales (StandardScalerModel.getTransformFunc).
import { registerAggregator } from '../engine/kernels.js';
import { denseVectorData, sparseVectorData } from '../dataframe/batch.js';
import { registerMapper } from '../dataframe/mappers.js';
import { mergeMoments, zeroMoments, type Moments } from '../stat/summary.kernels.js';
import { columnByName, denseColumn, sparseColumn } from './columns.js';

function dimensionMismatch(expected: number, got: number): Error {
  return new Error(`Dimensions mismatch when adding new sample. Expecting ${expected} but got ${got}.`);
}

/**
 * Moments of a sparse vector column (null vectors skipped), in src/stat's `Moments` layout. The
 * size comes from the data: the zero value has size 0 and takes the size of the first vector seen.
 */
export const SPARSE_MOMENTS = registerAggregator<Moments, { column: string }>('feature.sparseMoments', (acc, batch, { column }) => {
  const sv = sparseColumn(columnByName(batch, column));
  const n = sv.sizes.length;
  let d = -1;
  for (let r = 0; r < n && d < 0; r++) if (!sv.valid || sv.valid[r]) d = sv.sizes[r];
  if (d < 0) return acc;
  const part = zeroMoments(d);
  const sum = new Float64Array(d), stored = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    if (sv.valid && !sv.valid[r]) continue;
    if (sv.sizes[r] !== d) throw dimensionMismatch(d, sv.sizes[r]);
    part.count++;
    for (let e = sv.offsets[r]; e < sv.offsets[r + 1]; e++) {
      const j = sv.indices[e], x = sv.values[e];
      sum[j] += x;
      stored[j]++;
      if (x < part.min[j]) part.min[j] = x;
      if (x > part.max[j]) part.max[j] = x;
      if (x !== 0) part.nnz[j]++;
    }
  }
  for (let j = 0; j < d; j++) {
    part.mean[j] = sum[j] / part.count;
    // Entries not stored are zeros: they count in min, max and the squared deviations.
    if (stored[j] < part.count) {
      if (part.min[j] > 0) part.min[j] = 0;
      if (part.max[j] < 0) part.max[j] = 0;
      part.m2[j] = (part.count - stored[j]) * part.mean[j] * part.mean[j];
    }
  }
  for (let r = 0; r < n; r++) {
    if (sv.valid && !sv.valid[r]) continue;
    for (let e = sv.offsets[r]; e < sv.offsets[r + 1]; e++) {
      const dev = sv.values[e] - part.mean[sv.indices[e]];
      part.m2[sv.indices[e]] += dev * dev;
    }
  }
  return mergeSized(acc, part);
});

/** mergeMoments for partials whose size is learned from the data (an empty partial has size 0). */
export function mergeSized(a: Moments, b: Moments): Moments {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  if (a.mean.length !== b.mean.length) throw dimensionMismatch(a.mean.length, b.mean.length);
  return mergeMoments(a, b);
}

export interface ScalerParams {
  column: string;
  /** Input encoding. */
  sparse: boolean;
  /** Model size: every input vector must have it. */
  size: number;
  /** The mean to subtract (withMean), else null. */
  shift: Float64Array | null;
  /** 1/std per feature, 0 where std is 0 (withStd), else null. */
  scale: Float64Array | null;
}

function sizeMismatch(column: string, got: number, size: number): Error {
  return new Error(`StandardScalerModel: column '${column}' holds a vector of size ${got} but the model was fitted on vectors of size ${size}`);
}

/**
 * Dense input gives dense output; sparse input stays sparse (its stored entries scaled) unless
 * the mean is subtracted, which makes it dense. Null vectors stay null.
 */
export const STANDARD_SCALER = registerMapper<ScalerParams>('feature.standardScaler', (batch, p) => {
  const data = columnByName(batch, p.column);
  const n = batch.numRows, d = p.size;
  const { shift, scale } = p;
  if (p.sparse && !shift) {
    const sv = sparseColumn(data);
    const values = sv.values.slice();
    for (let r = 0; r < n; r++) {
      if (sv.valid && !sv.valid[r]) continue;
      if (sv.sizes[r] !== d) throw sizeMismatch(p.column, sv.sizes[r], d);
    }
    if (scale) for (let e = 0; e < values.length; e++) values[e] *= scale[sv.indices[e]];
    return { columns: [sparseVectorData(sv.sizes.slice(), sv.offsets.slice(), sv.indices.slice(), values, sv.valid)] };
  }
  const out = new Float64Array(n * d);
  let valid: Uint8Array | null;
  if (p.sparse) {
    const sv = sparseColumn(data);
    valid = sv.valid;
    for (let r = 0; r < n; r++) {
      if (valid && !valid[r]) continue;
      if (sv.sizes[r] !== d) throw sizeMismatch(p.column, sv.sizes[r], d);
      for (let e = sv.offsets[r]; e < sv.offsets[r + 1]; e++) out[r * d + sv.indices[e]] = sv.values[e];
    }
  } else {
    const dc = denseColumn(data);
    valid = dc.valid;
    out.set(dc.values.subarray(dc.offset, dc.offset + n * d));
  }
  for (let r = 0; r < n; r++) {
    if (valid && !valid[r]) { out.fill(0, r * d, (r + 1) * d); continue; }
    scaleInPlace(out, r * d, d, shift, scale);
  }
  return { columns: [denseVectorData(d, out, valid, n)] };
});

/** One row of d values at `base`, centred (shift) and scaled (scale) in place: the model's formula. */
export function scaleInPlace(out: Float64Array, base: number, d: number, shift: Float64Array | null, scale: Float64Array | null): void {
  if (shift && scale) for (let j = 0; j < d; j++) out[base + j] = (out[base + j] - shift[j]) * scale[j];
  else if (shift) for (let j = 0; j < d; j++) out[base + j] -= shift[j];
  else if (scale) for (let j = 0; j < d; j++) out[base + j] *= scale[j];
}
