// Reading the columns an algorithm kernel needs straight from a partition's Arrow buffers.
import type { RecordBatch } from 'apache-arrow';
import { columnByName, denseBlock, sparseView, validityBytes, type DenseBlock } from '../dataframe/batch.js';

/**
 * A numeric column (double, int or long) as doubles, one per row: a view when the column is
 * already double, else a converted copy. `valid` is null when no row is null.
 */
export function numericValues(batch: RecordBatch, name: string): { values: Float64Array; valid: Uint8Array | null } {
  const data = columnByName(batch, name);
  const n = data.length;
  const raw = data.values as Float64Array | Int32Array | BigInt64Array;
  const valid = validityBytes(data);
  if (raw instanceof Float64Array) return { values: raw.subarray(data.offset, data.offset + n), valid };
  const out = new Float64Array(n);
  if (raw instanceof BigInt64Array) for (let i = 0; i < n; i++) out[i] = Number(raw[data.offset + i]);
  else if (raw instanceof Int32Array) for (let i = 0; i < n; i++) out[i] = raw[data.offset + i];
  else throw new Error(`Column '${name}' must be numeric`);
  return { values: out, valid };
}

/**
 * Instance weights of a partition (Spark's weightCol): finite and >= 0, never null. Returns null
 * when there is no weight column (every weight is 1).
 */
export function instanceWeights(batch: RecordBatch, weightCol: string | null | undefined, stage: string): Float64Array | null {
  if (!weightCol) return null;
  const { values, valid } = numericValues(batch, weightCol);
  for (let i = 0; i < values.length; i++) {
    const w = values[i];
    if ((valid && !valid[i]) || !(w >= 0) || w === Infinity) {
      throw new Error(`${stage}: weight column '${weightCol}' must hold finite values >= 0, but row ${i} holds ${valid && !valid[i] ? 'null' : w}`);
    }
  }
  return values;
}

/** A dense vector column whose rows must all be present (training input). */
export function requireDenseRows(batch: RecordBatch, column: string, stage: string): DenseBlock {
  const block = denseBlock(batch, column);
  if (block.valid) {
    const i = block.valid.indexOf(0);
    if (i >= 0) throw new Error(`${stage}: features column '${column}' holds a null vector (row ${i} of this partition); drop or fill nulls first`);
  }
  return block;
}

/** Reads row i of a vector column (dense or sparse) into `out` (length d); returns false for a null row. */
export type RowReader = (i: number, out: Float64Array) => boolean;

export function vectorRowReader(batch: RecordBatch, column: string, d: number): RowReader {
  const data = columnByName(batch, column);
  const valid = validityBytes(data);
  if ((data.type as { listSize?: number }).listSize !== undefined) {
    const { values, offset, d: width } = denseBlock(batch, column);
    if (width !== d) throw new Error(`Column '${column}' holds vectors of size ${width}, but the model expects ${d}`);
    return (i, out) => {
      if (valid && !valid[i]) return false;
      const base = offset + i * d;
      for (let j = 0; j < d; j++) out[j] = values[base + j];
      return true;
    };
  }
  const sv = sparseView(data);
  return (i, out) => {
    if (valid && !valid[i]) return false;
    if (sv.sizes[i] !== d) throw new Error(`Column '${column}' row ${i} holds a vector of size ${sv.sizes[i]}, but the model expects ${d}`);
    out.fill(0);
    for (let p = sv.offsets[i]; p < sv.offsets[i + 1]; p++) out[sv.indices[p]] = sv.values[p];
    return true;
  };
}
