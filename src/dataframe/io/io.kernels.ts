// Executor side of the file readers and writers: the `file` plan kind (reading one partition),
// the part-file write kernel, the distributed CSV and JSON schema inference kernels and LibSVM's
// numFeatures pass.
import { writeFile } from 'node:fs/promises';
import { Schema, Table, tableToIPC } from 'apache-arrow';
import { registerInput, registerKernel } from '../../engine/kernels.js';
import type { PartitionPlan } from '../../engine/protocol.js';
import { parsePath } from '../../fs/index.js';
import { makeBatch } from '../batch.js';
import { schemaOf } from '../plan.js';
import { batchToCsv } from './csv-arrow.js';
import type { CsvWriteOptions } from './csv-format.js';
import { inferCsvTypes, type InferredType } from './csv-infer.js';
import type { CsvOptions } from './csv-options.js';
import { fsFor, withRangeReader, type S3Settings } from './files.js';
import { batchToJson, type JsonWriteOptions } from './json-format.js';
import { inferJsonChunk, type JsonObjectType } from './json-infer.js';
import type { JsonOptions } from './json-options.js';
import { batchToLibsvm, scanLibsvm, type LibsvmScan } from './libsvm.js';
import { parquetWasm } from '../../fs/parquet-wasm.js';
import { readFilePlan, readLineAlignedRange, readTextSplit, type FileFormat, type FilePlan, type TextSplit } from './sources.js';

registerInput('file', (plan) => readFilePlan(plan as FilePlan));

/**
 * Computes `child`; a failure comes back as an empty batch carrying the error message, so a write
 * job runs every task to its end and the driver cleans up only once no task can still be writing.
 */
export interface GuardPlan extends PartitionPlan { kind: 'io.guard'; child: PartitionPlan }
const FAILURE_KEY = 'quiver.io.failure';

registerInput('io.guard', async (plan, ctx) => {
  try {
    return await ctx.compute((plan as GuardPlan).child);
  } catch (e) {
    return makeBatch(new Schema([], new Map([[FAILURE_KEY, e instanceof Error ? e.message : String(e)]])), [], 0);
  }
});

export interface WritePartParams {
  format: FileFormat;
  /** The part file to create. */
  path: string;
  s3?: S3Settings;
  csv?: CsvWriteOptions;
  json?: JsonWriteOptions;
  /** Parquet codec (parquet-wasm's Compression value). */
  compression?: number;
}

export type WrittenPart = { path: string; rows: number; bytes: number; error?: undefined } | { error: string };

/**
 * Writes the partition (a GuardPlan) as one part file into the job's temporary directory, which the
 * driver publishes afterwards. Failures are returned, not thrown (see GuardPlan).
 */
export const WRITE_PART = registerKernel<WritePartParams, Promise<WrittenPart>>('io.writePart', async (batch, p) => {
  const failure = batch.schema.metadata.get(FAILURE_KEY);
  if (failure !== undefined) return { error: failure };
  try {
    return await writePart(batch, p);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
});

async function writePart(batch: Parameters<typeof batchToCsv>[1], p: WritePartParams): Promise<WrittenPart> {
  let data: Uint8Array;
  switch (p.format) {
    case 'csv':
      data = Buffer.from(batchToCsv(schemaOf(batch), batch, p.csv ?? {}), 'utf8');
      break;
    case 'json':
      data = Buffer.from(batchToJson(schemaOf(batch), batch, p.json ?? { ignoreNullFields: true }), 'utf8');
      break;
    case 'libsvm':
      data = Buffer.from(batchToLibsvm(schemaOf(batch), batch), 'utf8');
      break;
    case 'arrow':
      data = tableToIPC(new Table([batch]), 'file');
      break;
    case 'parquet': {
      const w = parquetWasm();
      const props = new w.WriterPropertiesBuilder().setCompression(p.compression ?? w.Compression.SNAPPY).build();
      data = w.writeParquet(w.Table.fromIPCStream(tableToIPC(new Table([batch]), 'stream')), props);
      break;
    }
    default:
      throw new Error(`Unknown file format '${String(p.format)}'`);
  }
  const local = parsePath(p.path);
  // Locally, never create the directory: if the driver already removed an abandoned job's
  // directory, a late task fails here instead of leaving files behind.
  if (local.scheme === 'file') await writeFile(local.path, data, { flag: 'wx' });
  else await fsFor(p.path, p.s3).writeFile(p.path, data);
  return { path: p.path, rows: batch.numRows, bytes: data.byteLength };
}

export interface CsvInferParams {
  path: string;
  s3?: S3Settings;
  start: number;
  end: number;
  size: number;
  options: CsvOptions;
  numColumns: number;
}

/** Column types seen in one CSV split (Spark's full inference pass, sampled by samplingRatio). */
export const CSV_INFER = registerKernel<CsvInferParams, Promise<InferredType[]>>('io.csvInfer', async (_batch, p) => {
  const { bytes, offset } = await withRangeReader(p.path, p.s3, (read) => readLineAlignedRange(read, p.start, p.end, p.size));
  const text = new TextDecoder('utf-8').decode(bytes);
  return inferCsvTypes(text, p.options, { skipHeader: offset === 0 && p.options.header, numColumns: p.numColumns });
});

export interface TextScanParams extends TextSplit { path: string; s3?: S3Settings }

/** The record types of one JSON split (Spark's inference pass, sampled by samplingRatio). */
export const JSON_INFER = registerKernel<TextScanParams & { options: JsonOptions }, Promise<JsonObjectType>>('io.jsonInfer', async (_batch, p) => {
  const { text, source } = await readTextSplit(p.path, p.s3, p);
  return inferJsonChunk(text, p.options, { source });
});

/** Records and the largest feature index of one LibSVM split (the pass that finds numFeatures). */
export const LIBSVM_SCAN = registerKernel<TextScanParams, Promise<LibsvmScan>>('io.libsvmScan', async (_batch, p) => {
  const { text, source } = await readTextSplit(p.path, p.s3, p);
  return scanLibsvm(text, { source });
});
