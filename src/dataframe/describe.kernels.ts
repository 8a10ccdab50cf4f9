// Approximate percentiles for summary(): a mergeable quantile sketch per column. A partition's
// non-null values are sorted and, when there are more than 2·K of them, compressed to K weighted
// points taken at evenly spaced ranks; partials merge by interleaving their sorted points and
// compressing again. Every compression moves a rank by at most W/K (W = the values summarised), so
// with K = 10000 (Spark's default percentile accuracy) a few merge levels stay within a few 1e-4 of
// the rank; with at most 2·K values in all nothing is compressed and the answer is exact. Answers
// are values of the column, chosen as Spark's percentile_approx: the smallest value whose rank
// reaches ceil(p·n). NaN sorts above every number, as in Spark.
import type { RecordBatch } from 'apache-arrow';
import { registerAggregator } from '../engine/kernels.js';
import { columnOf, validityBytes } from './batch.js';

/** Sorted values with their weights (the number of values each stands for). */
export interface QuantileSketch { values: Float64Array; weights: Float64Array; count: number }

export const SKETCH_SIZE = 10_000;

export function emptySketch(): QuantileSketch {
  return { values: new Float64Array(0), weights: new Float64Array(0), count: 0 };
}

/** A sketch of raw values (copied and sorted here). */
export function sketchOf(raw: Float64Array, k = SKETCH_SIZE): QuantileSketch {
  const values = Float64Array.from(raw).sort();
  const sketch = { values, weights: new Float64Array(values.length).fill(1), count: values.length };
  return values.length > 2 * k ? compress(sketch, k) : sketch;
}

export function mergeSketches(a: QuantileSketch, b: QuantileSketch, k = SKETCH_SIZE): QuantileSketch {
  if (a.count === 0) return b;
  if (b.count === 0) return a;
  const n = a.values.length + b.values.length;
  const values = new Float64Array(n), weights = new Float64Array(n);
  let i = 0, j = 0, o = 0;
  while (i < a.values.length || j < b.values.length) {
    const takeA = j >= b.values.length || (i < a.values.length && !(greater(a.values[i], b.values[j])));
    if (takeA) { values[o] = a.values[i]; weights[o++] = a.weights[i++]; } else { values[o] = b.values[j]; weights[o++] = b.weights[j++]; }
  }
  const merged = { values, weights, count: a.count + b.count };
  return n > 2 * k ? compress(merged, k) : merged;
}

/** Float64Array's sort order: NaN above everything. */
function greater(x: number, y: number): boolean {
  if (x !== x) return y === y;
  return x > y;
}

/** K points at the ranks j·W/K (j = 1..K), equal neighbours folded together. */
function compress(s: QuantileSketch, k: number): QuantileSketch {
  let total = 0;
  for (let i = 0; i < s.weights.length; i++) total += s.weights[i];
  const step = total / k;
  const values: number[] = [], weights: number[] = [];
  let cum = 0, i = 0;
  for (let j = 1; j <= k; j++) {
    const target = j === k ? total : j * step;
    while (i < s.values.length - 1 && cum + s.weights[i] < target) cum += s.weights[i++];
    const v = s.values[i];
    const last = values.length - 1;
    if (last >= 0 && (values[last] === v || (v !== v && values[last] !== values[last]))) weights[last] += step;
    else { values.push(v); weights.push(step); }
  }
  return { values: Float64Array.from(values), weights: Float64Array.from(weights), count: s.count };
}

/** Spark's percentile_approx answer: the smallest value whose rank reaches ceil(p·n); null when empty. */
export function sketchQuantile(s: QuantileSketch, p: number): number | null {
  if (s.count === 0) return null;
  let total = 0;
  for (let i = 0; i < s.weights.length; i++) total += s.weights[i];
  const rank = Math.max(1, Math.ceil(p * total - 1e-9 * total));
  let cum = 0;
  for (let i = 0; i < s.values.length; i++) {
    cum += s.weights[i];
    if (cum >= rank - 1e-9 * total) return s.values[i];
  }
  return s.values[s.values.length - 1];
}

export interface SketchParams { columns: string[] }

/** One sketch per named numeric column of the partition, merged into the accumulator. */
export const QUANTILE_SKETCH = registerAggregator<QuantileSketch[], SketchParams>('df.quantileSketch', (acc, batch: RecordBatch, p) => {
  return p.columns.map((name, j) => {
    const c = batch.schema.fields.findIndex((f) => f.name === name);
    if (c < 0) throw new Error(`quantile sketch: column '${name}' is missing from the partition`);
    const data = columnOf(batch, c);
    const raw = data.values as Float64Array | Int32Array | BigInt64Array;
    const valid = validityBytes(data);
    const out = new Float64Array(data.length);
    let n = 0;
    for (let i = 0; i < data.length; i++) if (valid === null || valid[i]) out[n++] = Number(raw[data.offset + i]);
    const mine = sketchOf(out.subarray(0, n));
    return acc[j] ? mergeSketches(acc[j], mine) : mine;
  });
});
