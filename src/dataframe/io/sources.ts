// Reading one partition of a file source inside an executor: the `file` plan kind. A plan names a
// file (or a byte range of a CSV, JSON lines or LibSVM file, or row groups of a Parquet file) and
// the schema the DataFrame promised; the result is ONE record batch in exactly that schema.
import { Field, makeVector, RecordBatch, RecordBatchReader, Schema, tableFromIPC, Type, type Dictionary } from 'apache-arrow';
import type { PartitionPlan } from '../../engine/protocol.js';
import { normalizeArrowBatch } from '../arrow-ingest.js';
import { concatBatches, emptyBatch, makeBatch, utf8Data, type AnyData } from '../batch.js';
import { fromArrowSchema, sameType, StructType, typeName, type StructField } from '../types.js';
import { csvChunkToBatch } from './csv-arrow.js';
import type { CsvField, CsvOptions } from './csv-options.js';
import { parseCsv } from './csv-parse.js';
import { readCsvHeader } from './csv-infer.js';
import { fileBlob, readWholeFile, withRangeReader, type RangeReader, type S3Settings } from './files.js';
import type { JsonOptions } from './json-options.js';
import { parseJson } from './json-parse.js';
import { parseLibsvm, type LibsvmVectorType } from './libsvm.js';
import { parquetWasm, type ParquetFile } from '../../fs/parquet-wasm.js';

export type FileFormat = 'csv' | 'parquet' | 'arrow' | 'json' | 'libsvm';
export const FILE_FORMATS: readonly FileFormat[] = ['csv', 'parquet', 'arrow', 'json', 'libsvm'];

/** A format name as the user gives it (any case; 'feather' and 'ipc' mean arrow). */
export function checkFormat(source: string): FileFormat {
  const f = String(source).toLowerCase();
  const format = (f === 'feather' || f === 'ipc' ? 'arrow' : f) as FileFormat;
  if (!FILE_FORMATS.includes(format)) {
    throw new Error(`Unsupported data source format '${source}': supported formats are ${FILE_FORMATS.join(', ')}`);
  }
  return format;
}

export interface CsvSplit {
  options: CsvOptions;
  fields: CsvField[];
  /** Byte range [start, end) of the file; records belong to the range where they start. */
  start: number;
  end: number;
  size: number;
  /** Header names every file must carry (header=true and no user schema); checked at start 0. */
  expectHeader?: string[];
}

/** A byte range [start, end) of a line-oriented file; lines belong to the range where they start. */
export interface TextSplit { start: number; end: number; size: number }
export interface JsonSplit extends TextSplit { options: JsonOptions }
export interface LibsvmSplit extends TextSplit { numFeatures: number; vectorType: LibsvmVectorType }

export interface FilePlan extends PartitionPlan {
  kind: 'file';
  format: FileFormat;
  path: string;
  /** The schema of the DataFrame: every partition is returned in exactly this schema. */
  fields: StructField[];
  /** The file the schema was taken from, named in mismatch errors. */
  schemaSource: string;
  s3?: S3Settings;
  csv?: CsvSplit;
  json?: JsonSplit;
  libsvm?: LibsvmSplit;
  /** Parquet: the row groups of this partition (all when absent). */
  rowGroups?: number[];
}

export async function readFilePlan(p: FilePlan): Promise<RecordBatch> {
  const schema = new StructType(p.fields);
  switch (p.format) {
    case 'csv': return readCsvSplit(p, schema);
    case 'parquet': return conform(await readParquetPart(p), schema, p);
    case 'arrow': return conform(await readArrowFile(p.path, p.s3), schema, p);
    case 'json': {
      const { text, source } = await readTextSplit(p.path, p.s3, p.json!);
      return parseJson(text, schema, p.json!.options, { source });
    }
    case 'libsvm': {
      const { text, source } = await readTextSplit(p.path, p.s3, p.libsvm!);
      return parseLibsvm(text, p.libsvm!.numFeatures, p.libsvm!.vectorType, { source });
    }
  }
  throw new Error(`Unknown file format '${String(p.format)}'`);
}

// --- CSV ---------------------------------------------------------------------------------------

const LF = 10, CR = 13;
const utf8 = new TextDecoder('utf-8');

async function readCsvSplit(p: FilePlan, schema: StructType): Promise<RecordBatch> {
  const s = p.csv!;
  const { bytes, offset } = await withRangeReader(p.path, p.s3, (read) => readLineAlignedRange(read, s.start, s.end, s.size));
  const text = utf8.decode(bytes); // strips a UTF-8 byte-order mark at the start of a file
  const first = offset === 0;
  if (first && s.expectHeader && s.options.header) checkHeader(text, s, p);
  const source = first ? p.path : `${p.path} (split starting at byte ${offset}; line numbers count from there)`;
  const chunk = parseCsv(text, s.fields, s.options, { source, skipHeader: first && s.options.header });
  return csvChunkToBatch(schema, chunk);
}

/** The text of a line-aligned split, and how errors name it (line numbers count from the split's start). */
export async function readTextSplit(path: string, s3: S3Settings | undefined, s: TextSplit): Promise<{ text: string; offset: number; source: string }> {
  const { bytes, offset } = await withRangeReader(path, s3, (read) => readLineAlignedRange(read, s.start, s.end, s.size));
  const text = utf8.decode(bytes); // strips a UTF-8 byte-order mark at the start of a file
  return { text, offset, source: offset === 0 ? path : `${path} (split starting at byte ${offset}; line numbers count from there)` };
}

function checkHeader(text: string, s: CsvSplit, p: FilePlan): void {
  const names = readCsvHeader(text, s.options);
  const expected = s.expectHeader!;
  if (names.length === 0) return; // an empty file
  for (let i = 0; i < Math.max(names.length, expected.length); i++) {
    if (names[i] !== expected[i]) {
      throw new Error(`Schema mismatch between CSV files: column ${i + 1} is ` +
        `${expected[i] === undefined ? 'absent' : `'${expected[i]}'`} in ${p.schemaSource} but ` +
        `${names[i] === undefined ? 'absent' : `'${names[i]}'`} in ${p.path}`);
    }
  }
}

/**
 * Hadoop's rule for splitting line-oriented files: a line belongs to the range in which it starts.
 * Reads the bytes from the first line start at or after `start` to the first line start at or after
 * `end` (the last line runs past `end`). Line breaks are \n, \r\n or a lone \r; both bytes are
 * ASCII, so a cut never falls inside a UTF-8 character.
 */
export async function readLineAlignedRange(read: RangeReader, start: number, end: number, size: number): Promise<{ bytes: Uint8Array; offset: number }> {
  if (start === 0 && end >= size) return { bytes: await read(0, size), offset: 0 };
  const from = Math.max(0, start - 1);
  let pad = 1 << 16;
  for (;;) {
    const to = Math.min(size, end + pad);
    const buf = await read(from, to);
    const a = start === 0 ? 0 : lineStartAtOrAfter(buf, from, start, size);
    const b = end >= size ? size : lineStartAtOrAfter(buf, from, end, size);
    if (a >= 0 && b >= 0) return { bytes: buf.subarray(a - from, Math.max(a, b) - from), offset: a };
    if (to >= size) throw new Error('internal error: no line boundary before the end of the file');
    pad *= 4; // a line longer than the padding: read further
  }
}

/** First q >= pos that starts a line (or is the end of the file); -1 when the buffer ends first. */
function lineStartAtOrAfter(buf: Uint8Array, base: number, pos: number, size: number): number {
  const limit = base + buf.length;
  for (let q = pos; q <= limit; q++) {
    if (q === size) return q;
    if (q === limit) return -1;
    const prev = buf[q - 1 - base];
    if (prev === LF) return q;
    if (prev === CR && buf[q - base] !== LF) return q;
  }
  return -1;
}

// --- Parquet -----------------------------------------------------------------------------------

export interface ParquetFooter { schema: Schema; rowGroups: { rows: number; bytes: number }[]; numRows: number }

async function openParquet(path: string, s3: S3Settings | undefined): Promise<ParquetFile> {
  const blob = await fileBlob(path, s3);
  if (blob.size < 12) throw new Error(`Cannot read Parquet file ${path}: it is ${blob.size} bytes long, too short to be Parquet (truncated or not Parquet)`);
  try {
    return await parquetWasm().ParquetFile.fromFile(blob);
  } catch (e) {
    throw badFile('Parquet', path, e);
  }
}

/** The schema and row groups from a Parquet file's footer (read on the driver). */
export async function readParquetFooter(path: string, s3?: S3Settings): Promise<ParquetFooter> {
  const file = await openParquet(path, s3);
  try {
    const meta = file.metadata();
    const groups = meta.rowGroups().map((g) => { const r = { rows: g.numRows(), bytes: g.compressedSize() }; g.free(); return r; });
    const schema = tableFromIPC(file.schema().intoIPCStream()).schema;
    const numRows = groups.reduce((s, g) => s + g.rows, 0);
    meta.free();
    return { schema, rowGroups: groups, numRows };
  } catch (e) {
    throw badFile('Parquet', path, e);
  } finally {
    file.free();
  }
}

async function readParquetPart(p: FilePlan): Promise<RecordBatch> {
  const file = await openParquet(p.path, p.s3);
  try {
    const meta = file.metadata();
    const groups = p.rowGroups ?? Array.from({ length: meta.numRowGroups() }, (_, i) => i);
    let rows = 0;
    for (const g of groups) {
      if (g >= meta.numRowGroups()) throw new Error(`Parquet file ${p.path} has ${meta.numRowGroups()} row groups; it changed since it was listed`);
      const rg = meta.rowGroup(g); rows += rg.numRows(); rg.free();
    }
    meta.free();
    if (groups.length === 0) return emptyBatch(fromArrowSchema(plainSchema(tableFromIPC(file.schema().intoIPCStream()).schema)));
    const stored = tableFromIPC(file.schema().intoIPCStream()).schema.fields;
    // Only the columns the DataFrame needs (a missing one is reported by conform()); but a projection
    // of a file with dictionary columns comes out of parquet-wasm 0.7 with dictionary ids Arrow JS
    // cannot resolve, so such files are read whole.
    const present = new Set(stored.map((f) => f.name));
    const columns = stored.some((f) => f.type.typeId === Type.Dictionary) ? undefined
      : p.fields.map((f) => f.name).filter((n) => present.has(n));
    let table;
    try {
      table = await file.read({ rowGroups: groups, batchSize: Math.max(1, rows), ...(columns ? { columns } : {}) });
    } catch (e) {
      throw badFile('Parquet', p.path, e);
    }
    const arrow = tableFromIPC(table.intoIPCStream());
    const batches = arrow.batches.map((b) => normalizeArrowBatch(decodeDictionaries(b)));
    const fileSchema = fromArrowSchema(batches.length ? batches[0].schema : arrow.schema);
    return batches.length === 1 ? batches[0] : concatBatches(fileSchema, batches);
  } finally {
    file.free();
  }
}

// --- Arrow IPC ---------------------------------------------------------------------------------

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

/** 'file' (Arrow IPC file / Feather v2), 'stream', or null when the bytes are neither. */
export function ipcKind(bytes: Uint8Array): 'file' | 'stream' | null {
  if (bytes.length >= 6 && MAGIC.every((c, i) => bytes[i] === c)) return 'file';
  if (bytes.length >= 8 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff) return 'stream';
  return null;
}

function checkIpc(bytes: Uint8Array, path: string): 'file' | 'stream' {
  const kind = ipcKind(bytes);
  if (kind === null) {
    throw new Error(`Cannot read Arrow file ${path}: it is not an Arrow IPC file or stream (no "ARROW1" magic or stream continuation marker at its start)`);
  }
  if (kind === 'file' && !(bytes.length >= 14 && MAGIC.every((c, i) => bytes[bytes.length - 6 + i] === c))) {
    throw new Error(`Cannot read Arrow file ${path}: the IPC file is truncated (no closing "ARROW1" magic)`);
  }
  return kind;
}

async function readArrowFile(path: string, s3: S3Settings | undefined): Promise<RecordBatch> {
  const bytes = await readWholeFile(path, s3);
  checkIpc(bytes, path);
  let batches: RecordBatch[];
  let schema: Schema;
  try {
    const table = tableFromIPC(bytes);
    batches = table.batches;
    schema = table.schema;
  } catch (e) {
    throw badFile('Arrow', path, e);
  }
  const normal = batches.map((b) => normalizeArrowBatch(decodeDictionaries(b)));
  const fileSchema = fromArrowSchema(normal.length ? normal[0].schema : plainSchema(schema));
  return normal.length === 1 ? normal[0] : concatBatches(fileSchema, normal);
}

/**
 * The schema of an Arrow IPC file or stream without reading its batches: a stream leads with its
 * schema message; a file keeps the schema in its footer, read with the magic bytes around it.
 */
export async function readArrowSchema(path: string, size: number, s3?: S3Settings): Promise<Schema> {
  return withRangeReader(path, s3, async (read) => {
    const head = await read(0, Math.min(size, 1 << 16));
    const kind = ipcKind(head);
    try {
      if (kind === 'file') {
        const tail = await read(Math.max(0, size - 10), size);
        checkIpc(concat(head.subarray(0, 8), tail), path);
        const footerLength = new DataView(tail.buffer, tail.byteOffset, 4).getInt32(0, true);
        if (!(footerLength > 0 && footerLength <= size - 18)) throw new Error(`bad footer length ${footerLength}`);
        const footer = await read(size - 10 - footerLength, size);
        const reader = RecordBatchReader.from(concat(head.subarray(0, 8), footer));
        reader.open();
        return plainSchema(reader.schema);
      }
      checkIpc(head, path);
      let bytes = head;
      for (;;) {
        try {
          const reader = RecordBatchReader.from(bytes.slice());
          reader.open();
          return plainSchema(reader.schema);
        } catch (e) {
          if (bytes.length >= size) throw e;
          bytes = await read(0, Math.min(size, bytes.length * 16)); // a schema larger than the first read
        }
      }
    } catch (e) {
      if ((e as Error).message.startsWith('Cannot read Arrow file')) throw e;
      throw badFile('Arrow', path, e);
    }
  });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a); out.set(b, a.length);
  return out;
}

/** Dictionary-encoded string columns (pandas categoricals, Arrow JS defaults) as plain Utf8. */
function decodeDictionaries(batch: RecordBatch): RecordBatch {
  const fields = batch.schema.fields;
  if (!fields.some((f) => f.type.typeId === Type.Dictionary)) return batch;
  const cols = fields.map((f, c) => {
    const data = batch.data.children[c] as AnyData;
    if (f.type.typeId !== Type.Dictionary) return data;
    const valueType = (f.type as Dictionary).dictionary;
    if (valueType.typeId !== Type.Utf8 && valueType.typeId !== Type.LargeUtf8) return data; // normalize names the column
    return utf8Data(makeVector(data).toArray() as (string | null)[], data.length);
  });
  const schema = new Schema(fields.map((f, c) => new Field(f.name, cols[c].type, f.nullable, f.metadata)), batch.schema.metadata);
  return makeBatch(schema, cols, batch.numRows);
}

/** A schema as its batches will look after dictionary decoding. */
export function plainSchema(schema: Schema): Schema {
  return new Schema(schema.fields.map((f) => {
    if (f.type.typeId !== Type.Dictionary) return f;
    const valueType = (f.type as Dictionary).dictionary;
    return valueType.typeId === Type.Utf8 || valueType.typeId === Type.LargeUtf8 ? new Field(f.name, valueType, f.nullable, f.metadata) : f;
  }), schema.metadata);
}

// --- common ------------------------------------------------------------------------------------

/** Puts a file's batch into the DataFrame's schema: columns by name, types checked. */
function conform(batch: RecordBatch, schema: StructType, p: FilePlan): RecordBatch {
  const fileSchema = fromArrowSchema(batch.schema);
  const cols: AnyData[] = [];
  for (const f of schema.fields) {
    const i = fileSchema.fields.findIndex((g) => g.name === f.name);
    if (i < 0) {
      throw new Error(`Schema mismatch: column '${f.name}' of ${p.schemaSource} is missing from ${p.path} ` +
        `(its columns: ${fileSchema.fieldNames.join(', ')})`);
    }
    const t = fileSchema.fields[i].type;
    if (!sameType(t, f.type)) {
      throw new Error(`Schema mismatch: column '${f.name}' is ${describe(f.type)} in ${p.schemaSource} but ${describe(t)} in ${p.path}`);
    }
    cols.push(batch.data.children[i] as AnyData);
  }
  if (batch.numRows === 0) return emptyBatch(schema);
  return makeBatch(schema, cols, batch.numRows);
}

function describe(t: StructField['type']): string {
  return t.kind === 'vector' ? (t.encoding === 'dense' ? `vector (dense, size ${t.size})` : 'vector (sparse)') : typeName(t);
}

function badFile(format: string, path: string, e: unknown): Error {
  const why = e instanceof Error ? e.message : String(e);
  return new Error(`Cannot read ${format} file ${path}: ${why} (the file is corrupt, truncated or not ${format})`, { cause: e });
}
