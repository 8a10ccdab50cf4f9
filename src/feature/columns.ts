// Reading a partition's input columns inside a column mapper or kernel: scalars as doubles or
// strings (Spark's casts), vectors as row-major blocks or sparse views. Offsets are honoured.
import { decodeUtf8Column, sparseView, unpackBits, validityBytes, type AnyData, type SparseView } from '../dataframe/batch.js';
import { formatDouble } from '../linalg/format.js';
import type { ColumnKind } from './shared.js';

// The feature and tree kernels take every column reader from this module, the lookup by name included.
export { columnByName } from '../dataframe/batch.js';

export interface DoubleColumn {
  values: Float64Array;
  /** One byte per row, 1 = valid; null when no row is null. */
  valid: Uint8Array | null;
}

/** A numeric or boolean column cast to double (Spark's cast: longs to the nearest double, true = 1). */
export function doubleColumn(data: AnyData, kind: ColumnKind): DoubleColumn {
  const n = data.length, off = data.offset;
  const valid = validityBytes(data);
  switch (kind) {
    case 'double': {
      const v = data.values as Float64Array;
      return { values: off === 0 && v.length === n ? v : v.subarray(off, off + n), valid };
    }
    case 'int': {
      const v = data.values as Int32Array;
      return { values: Float64Array.from(v.subarray(off, off + n)), valid };
    }
    case 'long': {
      const v = data.values as BigInt64Array;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(v[off + i]);
      return { values: out, valid };
    }
    case 'boolean':
      return { values: Float64Array.from(unpackBits(data.values as Uint8Array, off, n, 0)), valid };
    default:
      throw new Error(`a ${kind} column cannot be read as double`);
  }
}

/**
 * A string or numeric column as strings (Spark's cast to string: "1" for ints, "1.0" for doubles).
 * `nanAsNull`: NaN doubles read as null (StringIndexer does not count them when fitting).
 */
export function stringColumn(data: AnyData, kind: ColumnKind, nanAsNull: boolean): (string | null)[] {
  if (kind === 'string') return decodeUtf8Column(data);
  const n = data.length, off = data.offset;
  const valid = validityBytes(data);
  const out = new Array<string | null>(n);
  switch (kind) {
    case 'double': {
      const v = data.values as Float64Array;
      for (let i = 0; i < n; i++) {
        const x = v[off + i];
        out[i] = (valid && !valid[i]) || (nanAsNull && x !== x) ? null : formatDouble(x);
      }
      return out;
    }
    case 'int': case 'long': {
      const v = data.values as Int32Array | BigInt64Array;
      for (let i = 0; i < n; i++) out[i] = valid && !valid[i] ? null : String(v[off + i]);
      return out;
    }
    default:
      throw new Error(`a ${kind} column cannot be read as strings`);
  }
}

export interface DenseColumn {
  d: number;
  values: Float64Array;
  /** Row i is values[offset + i*d .. + d). */
  offset: number;
  valid: Uint8Array | null;
}

export function denseColumn(data: AnyData): DenseColumn {
  const d = (data.type as { listSize: number }).listSize;
  const child = data.children[0] as AnyData;
  return { d, values: child.values as Float64Array, offset: child.offset + data.offset * d, valid: validityBytes(data) };
}

export interface SparseColumn extends SparseView {
  valid: Uint8Array | null;
}

export function sparseColumn(data: AnyData): SparseColumn {
  return { ...sparseView(data), valid: validityBytes(data) };
}
