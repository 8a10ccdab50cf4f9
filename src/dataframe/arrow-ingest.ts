// Brings an Arrow batch from outside (a user's Table, a Parquet or IPC file) into Quiver's
// canonical physical types: Float64, Int32, Int64, Bool, Utf8, FixedSizeList<Float64>, sparse struct.
import { Field, makeVector, Schema, type RecordBatch } from 'apache-arrow';
import { booleanData, makeBatch, primitiveData, utf8Data, denseVectorData, validityBytes, type AnyData } from './batch.js';
import { fitsInt64 } from './int64.js';
import { fromArrowType, toArrowType } from './types.js';

/** `firstRow`: the batch's first row within its table, so that errors name the table's row. */
export function normalizeArrowBatch(batch: RecordBatch, firstRow = 0): RecordBatch {
  const fields = batch.schema.fields;
  let changed = false;
  const cols = fields.map((f, c) => {
    const data = batch.data.children[c] as AnyData;
    const type = fromArrowType(f.type, f.name); // throws naming the column when unsupported
    if (String(toArrowType(type)) === String(f.type) && data.offset === 0) return data;
    changed = true;
    return convert(type.kind, data, f, firstRow);
  });
  if (!changed) return batch;
  const schema = new Schema(fields.map((f, c) => new Field(f.name, cols[c].type, f.nullable, f.metadata)));
  return makeBatch(schema, cols, batch.numRows);
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
