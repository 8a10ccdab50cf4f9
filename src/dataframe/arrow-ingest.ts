// Brings an Arrow batch from outside (a user's Table, a Parquet or IPC file) into Quiver's
// canonical physical types: Float64, Int32, Int64, Bool, Utf8, FixedSizeList<Float64>, sparse struct.
import { Field, makeVector, Schema, type RecordBatch } from 'apache-arrow';
import {
  booleanData, identity, listData, makeBatch, primitiveData, structData, takeColumn, utf8Data, denseVectorData, validityBytes, type AnyData,
} from './batch.js';
import { fitsInt64 } from './int64.js';
import { fromArrowType, toArrowType, type DataType } from './types.js';

/** `firstRow`: the batch's first row within its table, so that errors name the table's row. */
export function normalizeArrowBatch(batch: RecordBatch, firstRow = 0): RecordBatch {
  const fields = batch.schema.fields;
  let changed = false;
  const cols = fields.map((f, c) => {
    const data = batch.data.children[c] as AnyData;
    const type = fromArrowType(f.type, f.name); // throws naming the column when unsupported
    const out = normalizeColumn(type, data, f.name, firstRow);
    if (out !== data) changed = true;
    return out;
  });
  if (!changed) return batch;
  const schema = new Schema(fields.map((f, c) => new Field(f.name, cols[c].type, f.nullable, f.metadata)));
  return makeBatch(schema, cols, batch.numRows);
}

function isCanonical(type: DataType, data: AnyData): boolean {
  if (data.offset !== 0 || String(toArrowType(type)) !== String(data.type)) return false;
  if (type.kind === 'array') return (data.valueOffsets as Int32Array)[0] === 0 && isCanonical(type.elementType, data.children[0] as AnyData);
  if (type.kind === 'struct') return type.fields.every((f, c) => isCanonical(f.type, data.children[c] as AnyData));
  return true;
}

/** One column in the canonical layout; lists and structs are rebuilt around their normalised children. */
function normalizeColumn(type: DataType, data: AnyData, column: string, firstRow: number): AnyData {
  if (isCanonical(type, data)) return data;
  switch (type.kind) {
    case 'array': {
      // Arrow JS slices a list's offsets buffer with it (data.offset then only applies to the
      // validity bits), so row i's entries are children[0][o[i], o[i + 1]).
      const o = data.valueOffsets as Int32Array, n = data.length;
      const start = o[0], end = o[n];
      const offsets = Int32Array.from({ length: n + 1 }, (_, i) => o[i] - start);
      const child = normalizeColumn(type.elementType, data.children[0] as AnyData, `${column}.element`, 0);
      const used = start === 0 && end === child.length ? child : takeColumn(type.elementType, child, identity(end - start).map((i) => i + start));
      return listData(type, offsets, used, validityBytes(data));
    }
    case 'struct': {
      // Arrow slices a struct's children along with it: child row i is struct row i.
      const children = type.fields.map((f, c) => normalizeColumn(f.type, data.children[c] as AnyData, `${column}.${f.name}`, firstRow));
      return structData(type, children, validityBytes(data), data.length);
    }
    default:
      return convert(type.kind, data, new Field(column, data.type, true), firstRow);
  }
}

function convert(kind: string, data: AnyData, f: Field, firstRow: number): AnyData {
  const n = data.length;
  const valid = validityBytes(data);
  // Conversion goes through Arrow's own accessors: slow, but only for non-canonical input types.
  const vector = makeVector(data);
  const read = (i: number): unknown => (valid && !valid[i] ? null : vector.get(i));
  switch (kind) {
    case 'double': { const out = new Float64Array(n); for (let i = 0; i < n; i++) out[i] = Number(read(i) ?? 0); return primitiveData({ kind: 'double' }, out, valid); }
    case 'int': { const out = new Int32Array(n); for (let i = 0; i < n; i++) out[i] = Number(read(i) ?? 0); return primitiveData({ kind: 'int' }, out, valid); }
    case 'long': {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = BigInt(read(i) as number | bigint ?? 0);
        // A Uint64 above 2^63 - 1 has no long; BigInt64Array would wrap it to a negative number.
        if (!fitsInt64(v)) throw new Error(`Column '${f.name}' (${f.type}): row ${firstRow + i} holds ${v}, outside the long range [-2^63, 2^63 - 1]`);
        out[i] = v;
      }
      return primitiveData({ kind: 'long' }, out, valid);
    }
    case 'boolean': { const out = new Uint8Array(n); for (let i = 0; i < n; i++) out[i] = read(i) ? 1 : 0; return booleanData(out, valid, n); }
    case 'string': { const out: (string | null)[] = []; for (let i = 0; i < n; i++) out.push(read(i) as string | null); return utf8Data(out, n); }
    case 'vector': {
      const size = (f.type as { listSize: number }).listSize;
      const out = new Float64Array(n * size);
      for (let i = 0; i < n; i++) {
        const v = read(i) as { get(j: number): number } | null;
        if (v) for (let j = 0; j < size; j++) out[i * size + j] = Number(v.get(j));
      }
      return denseVectorData(size, out, valid, n);
    }
  }
  throw new Error(`Column '${f.name}': cannot convert Arrow type ${f.type}`);
}
