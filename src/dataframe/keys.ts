// Row keys for wide operations: hashing key columns to pick a shuffle partition, and grouping rows
// of a batch by equal keys. Values compare as Spark does: numbers by value (1 = 1.0), NaN equal to
// NaN, -0 equal to 0; null is a key of its own for grouping and matches nothing in a join.
import type { RecordBatch } from 'apache-arrow';
import { columnOf, validityBytes, type AnyData } from './batch.js';
import { keyTypeError, type DataType } from './types.js';

/** Reads one key column as comparable JS values (numbers, strings, booleans as 0/1; null). */
export function keyValues(data: AnyData, type: DataType, column: string): (number | string | null)[] {
  const n = data.length;
  const valid = validityBytes(data);
  const out = new Array<number | string | null>(n);
  const off = data.offset;
  switch (type.kind) {
    case 'double': case 'int': {
      const v = data.values as Float64Array;
      for (let i = 0; i < n; i++) {
        if (valid && !valid[i]) { out[i] = null; continue; }
        const x = v[off + i];
        out[i] = x === 0 ? 0 : x; // -0 groups with 0
      }
      return out;
    }
    case 'long': {
      const v = data.values as BigInt64Array;
      for (let i = 0; i < n; i++) out[i] = valid && !valid[i] ? null : Number(v[off + i]);
      return out;
    }
    case 'boolean': {
      const bits = data.values as Uint8Array;
      for (let i = 0; i < n; i++) { const j = off + i; out[i] = valid && !valid[i] ? null : (bits[j >> 3] >> (j & 7)) & 1; }
      return out;
    }
    case 'string': {
      const o = data.valueOffsets as Int32Array, bytes = data.values as Uint8Array;
      const dec = new TextDecoder();
      for (let i = 0; i < n; i++) {
        const j = off + i;
        out[i] = valid && !valid[i] ? null : dec.decode(bytes.subarray(o[j], o[j + 1]));
      }
      return out;
    }
    case 'vector': case 'array': case 'struct':
      throw keyTypeError('key', column, type)!;
  }
}

export interface KeyColumns { values: (number | string | null)[][]; n: number }

export function readKeys(batch: RecordBatch, indices: number[], types: DataType[], names: string[]): KeyColumns {
  return { values: indices.map((c, k) => keyValues(columnOf(batch, c), types[k], names[k])), n: batch.numRows };
}

/** A composite key usable in a Map: the value itself for one column, else a tagged string. */
export function compositeKey(keys: KeyColumns, row: number): unknown {
  if (keys.values.length === 1) {
    const v = keys.values[0][row];
    return typeof v === 'number' && v !== v ? 'NaN\u0000' : v; // NaN keys must group together
  }
  let s = '';
  for (const col of keys.values) {
    const v = col[row];
    s += v === null ? '\u0001' : typeof v === 'number' ? `n${v}\u0000` : `s${v}\u0000`;
  }
  return s;
}

export function hasNullKey(keys: KeyColumns, row: number): boolean {
  for (const col of keys.values) if (col[row] === null) return true;
  return false;
}

/** Groups rows by key: group id per row, and the first row of each group (in row order). */
export function groupRows(keys: KeyColumns): { groupOf: Int32Array; firstRow: number[] } {
  const ids = new Map<unknown, number>();
  const groupOf = new Int32Array(keys.n);
  const firstRow: number[] = [];
  for (let i = 0; i < keys.n; i++) {
    const k = compositeKey(keys, i);
    let g = ids.get(k);
    if (g === undefined) { g = firstRow.length; ids.set(k, g); firstRow.push(i); }
    groupOf[i] = g;
  }
  return { groupOf, firstRow };
}

const encoder = new TextEncoder();

/** A 32-bit hash of each row's key (Murmur3-style mixing), equal for equal keys across batches. */
export function hashRows(keys: KeyColumns): Int32Array {
  const h = new Int32Array(keys.n);
  const f64 = new Float64Array(1), u32 = new Uint32Array(f64.buffer);
  for (const col of keys.values) {
    for (let i = 0; i < keys.n; i++) {
      const v = col[i];
      let x: number;
      if (v === null) x = 0x9e3779b9;
      else if (typeof v === 'number') {
        if (v !== v) x = 0x7ff80000;
        else { f64[0] = v === 0 ? 0 : v; x = mix(u32[0] ^ Math.imul(u32[1], 0x85ebca6b)); }
      } else x = hashString(v);
      h[i] = mix(Math.imul(h[i], 31) + x);
    }
  }
  return h;
}

function hashString(s: string): number {
  // FNV-1a over UTF-8, so the hash does not depend on how the string was decoded.
  const bytes = encoder.encode(s);
  let x = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) x = Math.imul(x ^ bytes[i], 0x01000193);
  return x;
}

function mix(x: number): number {
  x ^= x >>> 16; x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13; x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** Partition for a hash: non-negative modulo, as Spark's Pmod. */
export function partitionOf(hash: number, n: number): number {
  const m = hash % n;
  return m < 0 ? m + n : m;
}
