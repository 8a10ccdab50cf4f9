// Row objects <-> Arrow columns at the edges of the system (createDataFrame, collect). Hot paths
// never go through here.
import type { RecordBatch } from 'apache-arrow';
import { DenseVector, SparseVector } from '../linalg/vectors.js';
import {
  booleanData, columnOf, denseVectorData, isValidAt, listData, primitiveData, readUtf8, sparseVectorData, sparseView, structData, utf8Data,
  type AnyData,
} from './batch.js';
import { fitsInt64 } from './int64.js';
import { arrayType, isNested, StringType, structType, StructType, typeName, type DataType, type StructField } from './types.js';

export type Row = Record<string, unknown>;

function describe(v: unknown): string {
  if (v instanceof DenseVector || v instanceof SparseVector) return `vector ${v.toString()}`;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

function badValueAt(field: StructField, where: string, v: unknown, why = ''): Error {
  return new Error(`createDataFrame: column '${field.name}' is ${typeName(field.type)} but ${where} holds ${describe(v)}${why}`);
}

function nullAt(field: StructField, where: string): Error {
  return new Error(`createDataFrame: column '${field.name}' is not nullable but ${where} is null`);
}

/**
 * Infers a schema from row objects: integers in int32 range -> int, other numbers -> double; JS
 * arrays -> array columns and plain objects -> struct columns (the shapes collect() returns).
 */
export function inferSchema(rows: readonly Row[]): StructType {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); names.push(k); }
  return new StructType(names.map((name) => ({ name, ...inferColumn(name, rows.map((r) => r[name]), (i) => `row ${i}`) })));
}

/** The type of one column (or of the elements or fields of a nested one) from its values. */
function inferColumn(name: string, values: readonly unknown[], at: (i: number) => string): { type: DataType; nullable: boolean } {
  let type: DataType | null = null;
  let nullable = false;
  let allInt = true;
  const nested: unknown[] = [];
  values.forEach((v, i) => {
    if (v === null || v === undefined) { nullable = true; return; }
    const t: DataType = typeof v === 'number' ? { kind: 'double' }
      : typeof v === 'boolean' ? { kind: 'boolean' }
        : typeof v === 'string' ? { kind: 'string' }
          : typeof v === 'bigint' ? { kind: 'long' }
            : v instanceof DenseVector ? { kind: 'vector', encoding: 'dense', size: v.size }
              : v instanceof SparseVector ? { kind: 'vector', encoding: 'sparse' }
                : Array.isArray(v) ? arrayType(StringType)
                  : isPlainObject(v) ? structType([])
                    : (() => { throw new Error(`createDataFrame: cannot infer a type for column '${name}' from ${at(i)} (${describe(v)}); pass a schema`); })();
    if (typeof v === 'number' && !(Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)) allInt = false;
    if (isNested(t)) nested.push(v);
    if (type === null) { type = t; return; }
    if (type.kind === 'vector' && t.kind === 'vector') {
      // Dense vectors of one size stay dense; any sparse vector or mixed sizes use the sparse encoding.
      if (type.encoding === 'dense' && (t.encoding === 'sparse' || t.size !== type.size)) type = { kind: 'vector', encoding: 'sparse' };
      return;
    }
    if (type.kind !== t.kind) throw new Error(`createDataFrame: column '${name}' mixes ${type.kind} and ${t.kind} values (${at(i)})`);
  });
  const found = type as DataType | null;
  if (found?.kind === 'array') {
    // Every element of every array votes on the element type.
    const elements = (nested as unknown[][]).flat();
    const element = inferColumn(`${name}.element`, elements, (i) => `element ${i} of its arrays`);
    return { type: arrayType(element.type, element.nullable), nullable };
  }
  if (found?.kind === 'struct') {
    const objects = nested as Record<string, unknown>[];
    const keys: string[] = [];
    for (const o of objects) for (const k of Object.keys(o)) if (!keys.includes(k)) keys.push(k);
    const fields = keys.map((k) => ({ name: k, ...inferColumn(`${name}.${k}`, objects.map((o) => o[k]), (i) => `object ${i} of the column`) }));
    return { type: structType(fields), nullable };
  }
  const finalType: DataType = found === null ? { kind: 'string' } : found.kind === 'double' && allInt ? { kind: 'int' } : found;
  return { type: finalType, nullable: nullable || found === null };
}

/** An object literal (a struct value), not a vector, date, typed array or class instance. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Builds one column from row values, validating each against the field's type; `at` names a row
 * in errors (nested columns pass the element or field path).
 */
export function columnFromRows(field: StructField, rows: readonly Row[], start: number, end: number,
  at: (row: number) => string = (row) => `row ${row}`): AnyData {
  const n = end - start;
  const valid = new Uint8Array(n);
  const badValue = (f: StructField, row: number, v: unknown, why = '') => badValueAt(f, at(row), v, why);
  const get = (i: number) => {
    const v = rows[start + i][field.name];
    if (v === null || v === undefined) {
      if (!field.nullable) throw nullAt(field, at(start + i));
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
    case 'array': {
      // The elements of every row form the child column, built (and validated) as a column of its own.
      const offsets = new Int32Array(n + 1);
      const elements: Row[] = [], where: string[] = [];
      const path = `${field.name}.element`;
      for (let i = 0; i < n; i++) {
        const v = get(i);
        if (v !== null) {
          if (!Array.isArray(v)) throw badValue(field, start + i, v);
          v.forEach((x, k) => { elements.push({ [path]: x }); where.push(`element ${k} of ${at(start + i)}`); });
        }
        offsets[i + 1] = elements.length;
      }
      const child = columnFromRows({ name: path, type: t.elementType, nullable: t.containsNull }, elements, 0, elements.length, (e) => where[e]);
      return listData(t, offsets, child, valid);
    }
    case 'struct': {
      const objects: Row[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const v = get(i);
        if (v !== null && !(typeof v === 'object' && !Array.isArray(v))) throw badValue(field, start + i, v);
        objects[i] = (v ?? {}) as Row;
      }
      const children = t.fields.map((f) => {
        const path = `${field.name}.${f.name}`;
        const rowsOf = objects.map((o) => ({ [path]: o[f.name] }));
        const child: StructField = { name: path, type: f.type, nullable: f.nullable };
        // A field under a null struct is null whatever its nullability (Arrow masks it with the parent's).
        for (let i = 0; i < n; i++) if (valid[i] && !f.nullable && rowsOf[i][path] == null) throw nullAt(child, at(start + i));
        return columnFromRows({ ...child, nullable: true }, rowsOf, 0, n, (i) => at(start + i));
      });
      return structData(t, children, valid, n);
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
    case 'array': {
      // An array cell is a JS array of its elements' values.
      const o = data.valueOffsets as Int32Array, off = data.offset;
      const element = cellReader(type.elementType, data.children[0] as AnyData);
      return (i) => {
        if (!isValidAt(data, i)) return null;
        const out: unknown[] = [];
        for (let e = o[off + i]; e < o[off + i + 1]; e++) out.push(element(e));
        return out;
      };
    }
    case 'struct': {
      // A struct cell is a plain object keyed by field name.
      const readers = type.fields.map((f, c) => cellReader(f.type, data.children[c] as AnyData));
      return (i) => {
        if (!isValidAt(data, i)) return null;
        const out: Row = {};
        type.fields.forEach((f, c) => { out[f.name] = readers[c](i); });
        return out;
      };
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
