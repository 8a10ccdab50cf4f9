// What the readers share when planning partitions on the driver: the read's context, byte-range
// splits of line-oriented files, and the plans and errors for reads without data.
import type { EmptyPlan } from '../plan.js';
import type { StructField, StructType } from '../types.js';
import type { ConfSource, DataFile, S3Settings } from './files.js';
import type { SourceOptions } from './options.js';
import type { FileFormat } from './sources.js';

export interface ReadContext {
  format: FileFormat;
  opts: SourceOptions;
  conf: ConfSource | undefined;
  s3: S3Settings | undefined;
  userSchema: StructType | null;
  /** The paths as the user gave them, for errors. */
  shown: string;
}

export interface Split { file: DataFile; start: number; end: number }

/** Byte ranges of about `splitBytes` (the last line of each runs into the next range's bytes). */
export function splitFile(file: DataFile, splitBytes: number): Split[] {
  if (!(file.size > splitBytes)) return [{ file, start: 0, end: file.size }];
  const n = Math.ceil(file.size / splitBytes);
  return Array.from({ length: n }, (_, i) => ({
    file, start: Math.floor((i * file.size) / n), end: Math.floor(((i + 1) * file.size) / n),
  }));
}

export function emptyPlan(schema: StructType): EmptyPlan {
  return { kind: 'empty', fields: schema.fields as StructField[] };
}

export function noData(ctx: ReadContext, format: string): Error {
  return new Error(`Unable to infer schema for ${format}: no data files in ${ctx.shown} ` +
    `(it is empty, or holds only empty files or names starting with '_' or '.'); specify the schema with .schema(...)`);
}
