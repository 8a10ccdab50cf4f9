// Per-partition folds over a dense vector column: column sums, the Gram matrix XᵀX, and the
// moments behind summary statistics. Each reads the row-major block directly.
import { registerAggregator } from '../engine/kernels.js';
import { denseBlock } from '../dataframe/batch.js';
import { syrk } from '../linalg/blas.js';

export interface ColumnParams { column: string }

type RowSums = (values: Float64Array, offset: number, n: number, acc: Float64Array) => void;
const rowSumsByWidth = new Map<number, RowSums>();

/**
 * Σ of n rows of width d into acc. For narrow rows the loop is generated with one local
 * accumulator per feature, which keeps them in registers (about 3× the speed of acc[j] += ...).
 */
function rowSums(d: number): RowSums {
  let f = rowSumsByWidth.get(d);
  if (f) return f;
  if (d > 32) {
    f = (values, offset, n, acc) => {
      for (let i = 0; i < n; i++) { const base = offset + i * d; for (let j = 0; j < d; j++) acc[j] += values[base + j]; }
    };
  } else {
    const js = Array.from({ length: d }, (_, j) => j);
    f = new Function('values', 'offset', 'n', 'acc', `
      ${js.map((j) => `let s${j} = 0;`).join(' ')}
      for (let i = 0, b = offset; i < n; i++, b += ${d}) { ${js.map((j) => `s${j} += values[b + ${j}];`).join(' ')} }
      ${js.map((j) => `acc[${j}] += s${j};`).join(' ')}`) as RowSums;
  }
  rowSumsByWidth.set(d, f);
  return f;
}

/** Σ rows, per feature (acc: Float64Array(d)). Null vectors are skipped. */
export const COLUMN_SUMS = registerAggregator<Float64Array, ColumnParams>('stat.columnSums', (acc, batch, { column }) => {
  const { n, d, values, offset, valid } = denseBlock(batch, column);
  const sums = rowSums(d);
  if (!valid) { sums(values, offset, n, acc); return acc; }
  for (let i = 0; i < n; i++) if (valid[i]) sums(values, offset + i * d, 1, acc);
  return acc;
});

/** XᵀX, upper triangle (acc: Float64Array(d*d), row-major). */
export const GRAM = registerAggregator<Float64Array, ColumnParams & { d: number }>('stat.gram', (acc, batch, { column }) => {
  const { n, d, values, offset, valid } = denseBlock(batch, column);
  if (valid) throw new Error(`Column '${column}' holds null vectors; drop them before computing a Gram matrix`);
  syrk(n, d, values, acc, offset);
  return acc;
});

export interface Moments { count: number; mean: Float64Array; m2: Float64Array; min: Float64Array; max: Float64Array; nnz: Float64Array }

export function zeroMoments(d: number): Moments {
  return {
    count: 0, mean: new Float64Array(d), m2: new Float64Array(d),
    min: new Float64Array(d).fill(Infinity), max: new Float64Array(d).fill(-Infinity), nnz: new Float64Array(d),
  };
}

/** Count, mean, M2 (Σ squared deviations), min, max and non-zeros per feature, two passes per partition. */
export const MOMENTS = registerAggregator<Moments, ColumnParams>('stat.moments', (acc, batch, { column }) => {
  const { n, d, values, offset, valid } = denseBlock(batch, column);
  const part = zeroMoments(d);
  const sum = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    part.count++;
    const base = offset + i * d;
    for (let j = 0; j < d; j++) {
      const x = values[base + j];
      sum[j] += x;
      if (x < part.min[j]) part.min[j] = x;
      if (x > part.max[j]) part.max[j] = x;
      if (x !== 0) part.nnz[j]++;
    }
  }
  if (part.count === 0) return acc;
  for (let j = 0; j < d; j++) part.mean[j] = sum[j] / part.count;
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    const base = offset + i * d;
    for (let j = 0; j < d; j++) { const e = values[base + j] - part.mean[j]; part.m2[j] += e * e; }
  }
  return mergeMoments(acc, part);
});

/** Chan et al.'s parallel update of mean and M2; updates and returns a. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  const n = a.count + b.count;
  for (let j = 0; j < a.mean.length; j++) {
    const delta = b.mean[j] - a.mean[j];
    a.m2[j] += b.m2[j] + (delta * delta * a.count * b.count) / n;
    a.mean[j] += (delta * b.count) / n;
    a.min[j] = Math.min(a.min[j], b.min[j]);
    a.max[j] = Math.max(a.max[j], b.max[j]);
    a.nnz[j] += b.nnz[j];
  }
  a.count = n;
  return a;
}
