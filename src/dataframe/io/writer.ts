// df.write: Spark's DataFrameWriter. Executors write one part file per partition into a hidden
// temporary directory beside the target; the driver then publishes it (a rename, or moving the new
// parts in for append) and writes an empty _SUCCESS last. A failed job deletes the temporary
// directory, so an interrupted write never leaves a directory that reads as the output.
import { randomUUID } from 'node:crypto';
import type { DataFrame } from '../dataframe.js';
import type { PartitionPlan } from '../../engine/protocol.js';
import type { EmptyPlan } from '../plan.js';
import type { StructField } from '../types.js';
import { normalizePath } from '../../fs/index.js';
import { csvFieldsOf } from './csv-arrow.js';
import type { CsvWriteOptions } from './csv-format.js';
import { resolveCsvOptions } from './csv-options.js';
import { fsFor, s3SettingsOf } from './files.js';
import { jsonWriteOptions } from './json-options.js';
import { checkLibsvmSchema } from './libsvm.js';
import { WRITE_PART, type GuardPlan, type WritePartParams, type WrittenPart } from './io.kernels.js';
import { confOf, SourceOptions, type OptionValue } from './options.js';
import { parquetWasm } from '../../fs/parquet-wasm.js';
import { checkFormat, type FileFormat } from './sources.js';

export type SaveMode = 'error' | 'errorifexists' | 'overwrite' | 'append' | 'ignore';
const MODES: Record<string, SaveMode> = {
  error: 'error', errorifexists: 'error', default: 'error', overwrite: 'overwrite', append: 'append', ignore: 'ignore',
};

export class DataFrameWriter {
  constructor(
    readonly df: DataFrame,
    private readonly fmt: string | null = null,
    private readonly saveMode: SaveMode = 'error',
    private readonly opts: SourceOptions = SourceOptions.empty(),
  ) {}

  /** What to do when the path exists: 'error' (default) / 'errorifexists', 'overwrite', 'append', 'ignore'. */
  mode(mode: SaveMode | string): DataFrameWriter {
    const m = MODES[String(mode).toLowerCase()];
    if (!m) throw new Error(`Unknown save mode '${mode}': accepted save modes are 'overwrite', 'append', 'ignore', 'error', 'errorifexists', 'default'`);
    return new DataFrameWriter(this.df, this.fmt, m, this.opts);
  }

  format(source: string): DataFrameWriter { return new DataFrameWriter(this.df, checkFormat(source), this.saveMode, this.opts); }

  option(key: string, value: OptionValue): DataFrameWriter {
    return new DataFrameWriter(this.df, this.fmt, this.saveMode, this.opts.with(key, value));
  }

  options(options: Record<string, OptionValue>): DataFrameWriter {
    let o = this.opts;
    for (const [k, v] of Object.entries(options)) o = o.with(k, v);
    return new DataFrameWriter(this.df, this.fmt, this.saveMode, o);
  }

  csv(path: string): Promise<void> { return this.format('csv').save(path); }
  parquet(path: string): Promise<void> { return this.format('parquet').save(path); }
  /** Arrow IPC files (Feather v2), one per partition. */
  arrow(path: string): Promise<void> { return this.format('arrow').save(path); }
  /**
   * JSON lines, one object per row; nulls left out unless ignoreNullFields=false; vectors in Spark's
   * JSON form ({"type":1,"values":[...]}); columns read flattened from nested objects nested again.
   */
  json(path: string): Promise<void> { return this.format('json').save(path); }

  async save(path?: string): Promise<void> {
    const conf = confOf(this.df.session);
    const format = checkFormat(this.fmt ?? String(conf?.get('spark.sql.sources.default') ?? 'parquet'));
    const target = path ?? (this.opts.has('path') ? String(this.opts.get('path')) : undefined);
    if (!target) throw new Error('save: no path given (pass one, or set the "path" option)');
    // Everything that can be refused is checked before the disk is touched.
    const s3 = s3SettingsOf(conf);
    const { params, extension } = this.formatParams(format);
    const fs = fsFor(target, s3);
    const dest = normalizePath(target);
    const exists = await fs.exists(dest);
    if (exists) {
      if (this.saveMode === 'error') throw new Error(`Path ${target} already exists. Set mode as "overwrite" to overwrite the existing path.`);
      if (this.saveMode === 'ignore') return;
      if (this.saveMode === 'append' && !(await fs.isDirectory(dest))) throw new Error(`Cannot append to ${target}: it is a file, not a directory of part files`);
    }

    const fields = this.df.schema.fields as StructField[];
    let plans: PartitionPlan[] = await this.df.plans();
    // An empty DataFrame still writes one (empty) part, so its schema survives the round trip.
    if (plans.length === 0) plans = [{ kind: 'empty', fields } satisfies EmptyPlan];
    const temp = fs.tempSibling(dest);
    const job = randomUUID();
    let results: WrittenPart[];
    try {
      await fs.mkdirs(temp);
      results = await this.df.engine.runJob<WrittenPart>(WRITE_PART, plans.map((child): GuardPlan => ({ kind: 'io.guard', child })), (i: number): WritePartParams => ({
        ...params, ...(s3 ? { s3 } : {}), path: fs.join(temp, `part-${String(i).padStart(5, '0')}-${job}-c000${extension}`),
      }));
    } catch (e) {
      await fs.delete(temp, true).catch(() => undefined);
      throw new Error(`Writing ${format} to ${target} failed; nothing was written there: ${(e as Error).message}`, { cause: e });
    }
    const failed = results.findIndex((r) => r.error !== undefined);
    if (failed >= 0) {
      await fs.delete(temp, true).catch(() => undefined);
      throw new Error(`Writing ${format} to ${target} failed; nothing was written there: partition ${failed}: ${results[failed].error}`);
    }
    const parts = results as { path: string }[];

    try {
      if (exists && this.saveMode === 'append') {
        for (const p of parts) await fs.rename(p.path, fs.join(dest, p.path.slice(p.path.lastIndexOf('/') + 1)));
        await fs.delete(temp, true);
      } else {
        if (exists) await fs.delete(dest, true); // overwrite: the new data is complete before the old goes
        await fs.rename(temp, dest);
      }
      await fs.writeFile(fs.join(dest, '_SUCCESS'), new Uint8Array(0));
    } catch (e) {
      await fs.delete(temp, true).catch(() => undefined);
      throw new Error(`Writing ${format} to ${target} failed while publishing the output: ${(e as Error).message}`, { cause: e });
    }
  }

  private formatParams(format: FileFormat): { params: Omit<WritePartParams, 'path'>; extension: string } {
    switch (format) {
      case 'csv': {
        csvFieldsOf(this.df.schema); // vectors have no CSV form: fail before any work
        const compression = String(this.opts.get('compression') ?? this.opts.get('codec') ?? 'none').toLowerCase();
        if (compression !== 'none' && compression !== 'uncompressed') {
          throw new Error(`CSV compression '${compression}' is not supported; write uncompressed CSV (compression=none)`);
        }
        return { params: { format, csv: csvWriteOptions(this.opts) }, extension: '.csv' };
      }
      case 'parquet': {
        const conf = confOf(this.df.session);
        const name = String(this.opts.get('compression') ?? this.opts.get('parquet.compression')
          ?? conf?.get('spark.sql.parquet.compression.codec') ?? 'snappy').toLowerCase();
        const codec = PARQUET_CODECS[name];
        if (!codec) {
          throw new Error(`Parquet compression '${name}' is not supported; choose one of ${Object.keys(PARQUET_CODECS).join(', ')}`);
        }
        return { params: { format, compression: parquetWasm().Compression[codec.wasm] }, extension: `${codec.ext}.parquet` };
      }
      case 'json':
        return { params: { format, json: jsonWriteOptions(this.opts, confOf(this.df.session)) }, extension: '.json' };
      case 'libsvm': {
        checkLibsvmSchema(this.df.schema);
        const compression = String(this.opts.get('compression') ?? 'none').toLowerCase();
        if (compression !== 'none' && compression !== 'uncompressed') {
          throw new Error(`LibSVM compression '${compression}' is not supported; write uncompressed (compression=none)`);
        }
        return { params: { format }, extension: '.libsvm' };
      }
      case 'arrow': {
        const compression = String(this.opts.get('compression') ?? 'none').toLowerCase();
        if (compression !== 'none' && compression !== 'uncompressed') {
          throw new Error(`Arrow IPC compression '${compression}' is not supported by apache-arrow JS; write uncompressed (compression=none)`);
        }
        return { params: { format }, extension: '.arrow' };
      }
    }
  }
}

type WasmCodec = 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP' | 'BROTLI' | 'LZ4' | 'ZSTD' | 'LZ4_RAW';
/** Spark's parquet codec names and the file-name infixes Spark gives them. */
const PARQUET_CODECS: Record<string, { wasm: WasmCodec; ext: string }> = {
  none: { wasm: 'UNCOMPRESSED', ext: '' },
  uncompressed: { wasm: 'UNCOMPRESSED', ext: '' },
  snappy: { wasm: 'SNAPPY', ext: '.snappy' },
  gzip: { wasm: 'GZIP', ext: '.gz' },
  brotli: { wasm: 'BROTLI', ext: '.br' },
  lz4: { wasm: 'LZ4', ext: '.lz4' },
  lz4_raw: { wasm: 'LZ4_RAW', ext: '.lz4raw' },
  zstd: { wasm: 'ZSTD', ext: '.zstd' },
};

/** The CSV writer's options; whitespace trimming keeps Spark's write default (on) unless set. */
function csvWriteOptions(opts: SourceOptions): CsvWriteOptions {
  const resolved = resolveCsvOptions(opts.toRecord());
  const out: CsvWriteOptions = {
    header: resolved.header, sep: resolved.sep, quote: resolved.quote, escape: resolved.escape,
    nullValue: resolved.nullValue, comment: resolved.comment,
    quoteAll: opts.bool('quoteAll', false), escapeQuotes: opts.bool('escapeQuotes', true),
  };
  if (resolved.emptyValue !== undefined) out.emptyValue = resolved.emptyValue;
  if (opts.has('ignoreLeadingWhiteSpace')) out.ignoreLeadingWhiteSpace = resolved.ignoreLeadingWhiteSpace;
  if (opts.has('ignoreTrailingWhiteSpace')) out.ignoreTrailingWhiteSpace = resolved.ignoreTrailingWhiteSpace;
  return out;
}

