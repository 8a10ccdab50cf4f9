// Reading an evaluator's input columns inside a kernel: numeric columns as doubles (Spark's cast),
// vectors element by element, and the per-row checks every evaluator makes (nulls, NaN, weights).
// Problems are counted, not thrown, so the driver can name every one of them in a single error.
import type { RecordBatch } from 'apache-arrow';
import { columnByName, sparseView, validityBytes, type AnyData, type SparseView } from '../dataframe/batch.js';

/** A numeric column as doubles; `valid` has one byte per row (1 = valid), null when none is null. */
export interface DoubleView {
  readonly values: Float64Array;
  readonly valid: Uint8Array | null;
}

/** Double, int and long columns as Float64 (longs to the nearest double, as Spark's cast). */
export function doubleView(batch: RecordBatch, name: string): DoubleView {
  const data = columnByName(batch, name);
  const n = data.length, off = data.offset;
  const valid = validityBytes(data);
  const raw = data.values as Float64Array | Int32Array | BigInt64Array;
  if (raw instanceof Float64Array) return { values: raw.subarray(off, off + n), valid };
  const out = new Float64Array(n);
  if (raw instanceof Int32Array) out.set(raw.subarray(off, off + n));
  else if (raw instanceof BigInt64Array) for (let i = 0; i < n; i++) out[i] = Number(raw[off + i]);
  else throw new Error(`Column '${name}' is not numeric`);
  return { values: out, valid };
}

/** Row-wise access to a vector column of either encoding. */
export interface VectorView {
  readonly n: number;
  readonly valid: Uint8Array | null;
  /** Dense encoding: row i is values[offset + i*d .. + d). */
  readonly dense: { readonly d: number; readonly values: Float64Array; readonly offset: number } | null;
  /** Sparse encoding: row i's entries are indices/values[offsets[i] .. offsets[i+1]). */
  readonly sparse: SparseView | null;
}

export function vectorView(batch: RecordBatch, name: string): VectorView {
  const data = columnByName(batch, name);
  const valid = validityBytes(data);
  const d = (data.type as { listSize?: number }).listSize;
  if (d !== undefined) {
    const child = data.children[0] as AnyData;
    return { n: data.length, valid, dense: { d, values: child.values as Float64Array, offset: child.offset + data.offset * d }, sparse: null };
  }
  return { n: data.length, valid, dense: null, sparse: sparseView(data) };
}

export function vectorSize(v: VectorView, i: number): number {
  return v.dense ? v.dense.d : v.sparse!.sizes[i];
}

/** Element j of row i (0 when a sparse row does not store it). The caller checks j < size. */
export function vectorElement(v: VectorView, i: number, j: number): number {
  if (v.dense) return v.dense.values[v.dense.offset + i * v.dense.d + j];
  const { offsets, indices, values } = v.sparse!;
  let lo = offsets[i], hi = offsets[i + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1, k = indices[mid];
    if (k === j) return values[mid];
    if (k < j) lo = mid + 1; else hi = mid - 1;
  }
  return 0;
}

/** Counts of invalid rows by description; the driver adds them up over partitions and reports them. */
export type Problems = Record<string, number>;

export function countProblem(problems: Problems, what: string): void {
  problems[what] = (problems[what] ?? 0) + 1;
}

export function mergeProblems(into: Problems, from: Problems): Problems {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  return into;
}

/**
 * The weight of each row: 1 without a weight column. Null, NaN, negative and infinite weights are
 * counted as problems (Spark's checkNonNegativeWeights) and read as NaN, so callers skip the row.
 */
export function weightReader(batch: RecordBatch, weightCol: string | null, problems: Problems): (i: number) => number {
  if (weightCol === null) return () => 1;
  const { values, valid } = doubleView(batch, weightCol);
  return (i) => {
    if (valid && !valid[i]) { countProblem(problems, `weight column '${weightCol}' is null`); return NaN; }
    const w = values[i];
    if (w !== w) { countProblem(problems, `weight column '${weightCol}' is NaN`); return NaN; }
    if (w < 0 || w === Infinity) { countProblem(problems, `weight column '${weightCol}' is negative or infinite`); return NaN; }
    return w;
  };
}

/**
 * A numeric column read row by row: null and NaN values are counted as problems and read as NaN.
 * `role` names the column in messages ("label", "prediction").
 */
export function checkedDoubles(batch: RecordBatch, name: string, role: string, problems: Problems): (i: number) => number {
  const { values, valid } = doubleView(batch, name);
  return (i) => {
    if (valid && !valid[i]) { countProblem(problems, `${role} column '${name}' is null`); return NaN; }
    const x = values[i];
    if (x !== x) countProblem(problems, `${role} column '${name}' is NaN`);
    return x + 0; // -0 and 0 are one value (one label, one score)
  };
}
