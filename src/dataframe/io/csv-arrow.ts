// Between the CSV codec's typed columns and Quiver's Arrow batches: schemas both ways, parsed
// chunks into a batch (int -> Int32, long -> Int64, double -> Float64, boolean -> Bool, string ->
// Utf8), and a batch into CSV text.
import type { RecordBatch } from 'apache-arrow';
import { booleanData, columnOf, makeBatch, primitiveData, utf8Data, type AnyData } from '../batch.js';
import { cellReader } from '../rows.js';
import { StructType, typeName, type DataType, type StructField } from '../types.js';
import type { CsvField, CsvFieldType } from './csv-options.js';
import type { CsvChunk, CsvColumn } from './csv-parse.js';
import { formatCsv, type CsvWriteOptions } from './csv-format.js';

/** The CSV codec's view of a schema; vectors have no CSV form (Spark refuses them too). */
export function csvFieldsOf(schema: StructType): CsvField[] {
  return schema.fields.map((f) => {
    const t = f.type;
    if (t.kind === 'vector' || t.kind === 'array' || t.kind === 'struct') {
      throw new Error(`CSV data source does not support ${typeName(t)} data type (column '${f.name}')`);
    }
    return { name: f.name, type: t.kind, nullable: f.nullable };
  });
}

export function structOfCsv(fields: CsvField[]): StructType {
  return new StructType(fields.map((f): StructField => ({ name: f.name, type: { kind: f.type } as DataType, nullable: f.nullable })));
}

export function csvChunkToBatch(schema: StructType, chunk: CsvChunk): RecordBatch {
  const n = chunk.numRows;
  return makeBatch(schema, chunk.columns.map((c) => csvColumnToArrow(c, n)), n);
}

function csvColumnToArrow(c: CsvColumn, n: number): AnyData {
  switch (c.type) {
    case 'int': return primitiveData({ kind: 'int' }, fit(c.values, n), fit(c.valid, n));
    case 'double': return primitiveData({ kind: 'double' }, fit(c.values, n), fit(c.valid, n));
    case 'long': {
      // The codec holds longs as exact doubles (|x| <= 2^53); Arrow wants Int64.
      const out = new BigInt64Array(n);
      const v = c.values, ok = c.valid;
      for (let i = 0; i < n; i++) if (ok[i]) out[i] = BigInt(v[i]);
      return primitiveData({ kind: 'long' }, out, fit(ok, n));
    }
    case 'boolean': return booleanData(fit(c.values, n), fit(c.valid, n), n);
    case 'string': return utf8Data(c.values, n);
  }
}

function fit<T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number): T {
  return (a.length === n ? a : a.slice(0, n)) as T;
}

/** One partition as CSV text (Spark's writer semantics come from the codec's formatCsv). */
export function batchToCsv(schema: StructType, batch: RecordBatch, options: CsvWriteOptions): string {
  const fields = csvFieldsOf(schema);
  const readers = schema.fields.map((f, c) => cellReader(f.type, columnOf(batch, c)));
  const types: CsvFieldType[] = fields.map((f) => f.type);
  const n = batch.numRows, width = readers.length;
  function* rows(): Iterable<unknown[]> {
    const row = new Array<unknown>(width);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < width; c++) row[c] = readers[c](i);
      yield row; // formatCsv consumes each row before asking for the next, so one array serves all
    }
  }
  return formatCsv(schema.fieldNames, rows(), { ...options, types });
}
