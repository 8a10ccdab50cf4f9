// Row objects <-> Arrow columns at the edges of the system (createDataFrame, collect). Hot paths
// never go through here.
import type { RecordBatch } from 'apache-arrow';
import { DenseVector, SparseVector } from '../linalg/vectors.js';
import {
  booleanData, columnOf, denseVectorData, isValidAt, primitiveData, readUtf8, sparseVectorData, sparseView, utf8Data, type AnyData,
} from './batch.js';
import { fitsInt64 } from './int64.js';
import { StructType, type DataType, type StructField } from './types.js';

export type Row = Record<string, unknown>;

function describe(v: unknown): string {
  if (v instanceof DenseVector || v instanceof SparseVector) return `vector ${v.toString()}`;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

function badValue(field: StructField, row: number, v: unknown, why = ''): Error {
  return new Error(`createDataFrame: column '${field.name}' is ${field.type.kind} but row ${row} holds ${describe(v)}${why}`);
}

/** Infers a schema from row objects: integers in int32 range -> int, other numbers -> double. */
export function inferSchema(rows: readonly Row[]): StructType {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); names.push(k); }
  return new StructType(names.map((name) => {
    let type: DataType | null = null;
    let nullable = false;
    let allInt = true;
    rows.forEach((r, i) => {
      const v = r[name];
      if (v === null || v === undefined) { nullable = true; return; }
      const t: DataType = typeof v === 'number' ? { kind: 'double' }
        : typeof v === 'boolean' ? { kind: 'boolean' }
          : typeof v === 'string' ? { kind: 'string' }
            : typeof v === 'bigint' ? { kind: 'long' }
              : v instanceof DenseVector ? { kind: 'vector', encoding: 'dense', size: v.size }
                : v instanceof SparseVector ? { kind: 'vector', encoding: 'sparse' }
                  : (() => { throw new Error(`createDataFrame: cannot infer a type for column '${name}' from row ${i} (${describe(v)}); pass a schema`); })();
      if (typeof v === 'number' && !(Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)) allInt = false;
      if (type === null) { type = t; return; }
      if (type.kind === 'vector' && t.kind === 'vector') {
        // Dense vectors of one size stay dense; any sparse vector or mixed sizes use the sparse encoding.
        if (type.encoding === 'dense' && (t.encoding === 'sparse' || t.size !== type.size)) type = { kind: 'vector', encoding: 'sparse' };
        return;
      }
      if (type.kind !== t.kind) throw new Error(`createDataFrame: column '${name}' mixes ${type.kind} and ${t.kind} values (row ${i})`);
    });
    const finalType: DataType = type === null ? { kind: 'string' } : (type as DataType).kind === 'double' && allInt ? { kind: 'int' } : type;
    return { name, type: finalType, nullable: nullable || type === null };
  }));
}

/** Builds one column from row values, validating each against the field's type. */
export function columnFromRows(field: StructField, rows: readonly Row[], start: number, end: number): AnyData {
  const n = end - start;
  const valid = new Uint8Array(n);
  const get = (i: number) => {
    const v = rows[start + i][field.name];
    if (v === null || v === undefined) {
      if (!field.nullable) throw new Error(`createDataFrame: column '${field.name}' is not nullable but row ${start + i} is null`);
      return null;
    }
    valid[i] = 1;
    return v;
  };
  const t = field.type;
  switch (t.kind) {
    case 'double': case 'int': {
      const out = t.kind === 'double' ? new Float64Array(n) : new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = get(i);
        if (v === null) continue;
        if (typeof v !== 'number' || (t.kind === 'int' && !(Number.isInteger(v) && v >= -2147483648 && v <= 2147483647))) throw badValue(field, start + i, v);
        out[i] = v;
      }
      return primitiveData(t, out, valid);
    }
    case 'long': {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = get(i);
        if (v === null) continue;
        if (typeof v === 'bigint') {
          // As Spark's createDataFrame: a value outside LongType's range is an error, never wrapped.
          if (!fitsInt64(v)) throw badValue(field, start + i, v, ', outside the long range [-2^63, 2^63 - 1]');
          out[i] = v;
        } else if (typeof v === 'number' && Number.isSafeInteger(v)) out[i] = BigInt(v);
        else throw badValue(field, start + i, v);
      }
      return primitiveData(t, out, valid);
    }
    case 'boolean': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) { const v = get(i); if (v === null) continue; if (typeof v !== 'boolean') throw badValue(field, start + i, v); out[i] = v ? 1 : 0; }
      return booleanData(out, valid, n);
    }
    case 'string': {
      const out: (string | null)[] = new Array(n);
      for (let i = 0; i < n; i++) { const v = get(i); if (v !== null && typeof v !== 'string') throw badValue(field, start + i, v); out[i] = v as string | null; }
      return utf8Data(out, n);
    }
    case 'vector': {
      if (t.encoding === 'dense') {
        const d = t.size, out = new Float64Array(n * d);
        for (let i = 0; i < n; i++) {
          const v = get(i);
          if (v === null) continue;
          if (!(v instanceof DenseVector) || v.size !== d) throw badValue(field, start + i, v);
          out.set(v.values, i * d);
        }
        return denseVectorData(d, out, valid, n);
      }
      const sizes = new Int32Array(n), offsets = new Int32Array(n + 1);
      const idx: number[] = [], vals: number[] = [];
      for (let i = 0; i < n; i++) {
        const v = get(i);
        if (v instanceof SparseVector) { sizes[i] = v.size; for (let k = 0; k < v.indices.length; k++) { idx.push(v.indices[k]); vals.push(v.values[k]); } }
        else if (v instanceof DenseVector) { sizes[i] = v.size; v.values.forEach((x, k) => { if (x !== 0) { idx.push(k); vals.push(x); } }); }
        else if (v !== null) throw badValue(field, start + i, v);
        offsets[i + 1] = idx.length;
      }
      return sparseVectorData(sizes, offsets, Int32Array.from(idx), Float64Array.from(vals), valid);
    }
  }
}

/** Reads cell (row i) of a column as a JS value: numbers, strings, booleans, bigint, vectors or null. */
export function cellReader(type: DataType, data: AnyData): (i: number) => unknown {
  switch (type.kind) {
    case 'double': case 'int': {
      const v = data.values as Float64Array, off = data.offset;
      return (i) => (isValidAt(data, i) ? v[off + i] : null);
    }
    case 'long': {
      const v = data.values as BigInt64Array, off = data.offset;
      // Longs come back as numbers when exact, else as bigint.
      return (i) => {
        if (!isValidAt(data, i)) return null;
        const b = v[off + i];
        return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
      };
    }
    case 'boolean': {
      const bits = data.values as Uint8Array, off = data.offset;
      return (i) => (isValidAt(data, i) ? ((bits[(off + i) >> 3] >> ((off + i) & 7)) & 1) === 1 : null);
    }
    case 'string': return (i) => readUtf8(data, i);
    case 'vector': {
      if (type.encoding === 'dense') {
        const child = data.children[0] as AnyData, d = type.size;
        const v = child.values as Float64Array, base = child.offset + data.offset * d;
        return (i) => (isValidAt(data, i) ? new DenseVector(v.slice(base + i * d, base + (i + 1) * d)) : null);
      }
      const sv = sparseView(data);
      return (i) => (isValidAt(data, i)
        ? new SparseVector(sv.sizes[i], sv.indices.slice(sv.offsets[i], sv.offsets[i + 1]), sv.values.slice(sv.offsets[i], sv.offsets[i + 1]))
        : null);
    }
  }
}

export function batchToRows(schema: StructType, batch: RecordBatch, out: Row[] = []): Row[] {
  const readers = schema.fields.map((f, c) => cellReader(f.type, columnOf(batch, c)));
  const names = schema.fieldNames;
  for (let i = 0; i < batch.numRows; i++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c]] = readers[c](i);
    out.push(row);
  }
  return out;
}
