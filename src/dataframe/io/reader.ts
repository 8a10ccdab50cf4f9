// spark.read: Spark's DataFrameReader. The driver lists the files, reads one header or footer for
// the schema and makes one partition plan per file (or per split of a big file); the executors read
// the partitions in parallel (`file` plans, see sources.ts). Every builder call returns a new reader,
// so options set on `spark.read` once never leak into the next read.
import type { PartitionPlan } from '../../engine/protocol.js';
import { DataFrame, type SessionLike } from '../dataframe.js';
import { SourceNode } from '../logical.js';
import type { EmptyPlan } from '../plan.js';
import { fromArrowSchema, StructType, type StructField } from '../types.js';
import { csvFieldsOf, structOfCsv } from './csv-arrow.js';
import { inferCsvSchema, mergeInferredTypes, readCsvHeader, type InferredType } from './csv-infer.js';
import { resolveCsvOptions, type CsvField, type CsvOptions } from './csv-options.js';
import { splitCsvChunkRanges } from './csv-parse.js';
import { parseDdlSchema } from './ddl.js';
import { isLocal, resolveDataFiles, s3SettingsOf, withRangeReader, type DataFile, type S3Settings } from './files.js';
import { CSV_INFER, type CsvInferParams } from './io.kernels.js';
import { byteSetting, confOf, SourceOptions, type OptionValue } from './options.js';
import { jsonOptionsOf, planJson } from './json-plan.js';
import { libsvmOptionsOf, planLibsvm, type LibsvmReadOptions } from './libsvm-plan.js';
import { emptyPlan, noData, splitFile, type ReadContext, type Split } from './planning.js';
import { checkFormat, plainSchema, readArrowSchema, readParquetFooter, type FileFormat, type FilePlan } from './sources.js';
import { keywordEntries, pathsAndOptions, type CsvReadOptions, type JsonReadOptions, type LoadOptions, type PathArg, type ReadOptions } from './read-options.js';

const MB = 1 << 20;
/** Records of the first file that schema inference looks at, unless samplingRatio asks for a full pass. */
const INFER_SAMPLE_RECORDS = 1000;
const INFER_SAMPLE_BYTES = 4 * MB;
const INFER_SAMPLE_MAX_BYTES = 64 * MB;

export class DataFrameReader {
  constructor(
    readonly session: SessionLike,
    private readonly fmt: string | null = null,
    private readonly opts: SourceOptions = SourceOptions.empty(),
    private readonly userSchema: StructType | null = null,
  ) {}

  /** The source format: 'csv', 'json', 'libsvm', 'parquet' or 'arrow' (default: parquet, as Spark). */
  format(source: string): DataFrameReader {
    return new DataFrameReader(this.session, checkFormat(source), this.opts, this.userSchema);
  }

  option(key: string, value: OptionValue): DataFrameReader {
    return new DataFrameReader(this.session, this.fmt, this.opts.with(key, value), this.userSchema);
  }

  options(options: Record<string, OptionValue>): DataFrameReader {
    let o = this.opts;
    for (const [k, v] of Object.entries(options)) o = o.with(k, v);
    return new DataFrameReader(this.session, this.fmt, o, this.userSchema);
  }

  /** The schema to read with, as a StructType or a DDL string ('a DOUBLE, b STRING'); skips inference. */
  schema(schema: StructType | string): DataFrameReader {
    const s = typeof schema === 'string' ? parseDdlSchema(schema) : schema;
    if (!(s instanceof StructType)) throw new Error('schema: expected a StructType or a DDL string such as "a DOUBLE, b STRING"');
    return new DataFrameReader(this.session, this.fmt, this.opts, s);
  }

  /** CSV files; options as `.option(k, v)` calls or as keywords: `csv(path, { header: true, inferSchema: true })`. */
  csv(...args: (PathArg | CsvReadOptions)[]): Promise<DataFrame> { return this.read('csv', args); }
  /** Parquet files; keyword options as for csv (`parquet(path, { recursiveFileLookup: true })`). */
  parquet(...args: (PathArg | ReadOptions)[]): Promise<DataFrame> { return this.read('parquet', args); }
  /** Arrow IPC files or streams (Feather v2), detected by their first bytes. */
  arrow(...args: (PathArg | ReadOptions)[]): Promise<DataFrame> { return this.read('arrow', args); }

  /**
   * JSON lines (one object per line; `multiLine` for one document per file), as Spark's json source.
   * Without a schema, every record votes on the types (Spark's inference pass; `samplingRatio` samples).
   * Nested objects are FLATTENED into dotted columns (`{"a":{"b":1}}` gives column `a.b`, which the
   * writer nests again); arrays are read as their JSON text, or as vectors into a vector column of a
   * given schema (array and struct columns are written to JSON but not read from it yet). See
   * json-parse.ts and json-infer.ts for the rules.
   */
  json(...args: (PathArg | JsonReadOptions)[]): Promise<DataFrame> { return this.read('json', args); }

  /**
   * LibSVM text files as Spark's libsvm source: columns `label` (double) and `features` (a sparse
   * vector, or dense with vectorType 'dense'). Without numFeatures, a pass over the data finds the
   * largest index, as Spark does; pass it to skip that pass.
   */
  libsvm(path: string | string[], options: LibsvmReadOptions = {}): Promise<DataFrame> {
    let r: DataFrameReader = this.format('libsvm');
    if (options.numFeatures !== undefined) r = r.option('numFeatures', options.numFeatures);
    if (options.vectorType !== undefined) r = r.option('vectorType', options.vectorType);
    return r.loadPaths(typeof path === 'string' ? [path] : [...path]);
  }

  /**
   * Reads files, directories of part files or globs; with no path, the 'path' option. A trailing
   * object holds keyword options (PySpark's load(path, format=None, schema=None, **options)).
   */
  async load(...args: (PathArg | LoadOptions)[]): Promise<DataFrame> {
    const { paths, options } = pathsAndOptions('load', args);
    return (options ? this.withKeywords('load', options, ['format']) : this).loadPaths(paths);
  }

  /** format(f).load(...) with keyword options; `format` is not a keyword here. */
  private async read(format: FileFormat, args: readonly (PathArg | ReadOptions)[]): Promise<DataFrame> {
    const { paths, options } = pathsAndOptions(format, args);
    if (options && options.format !== undefined && options.format !== null) {
      throw new Error(`spark.read.${format}: 'format' is not an option of ${format}(); use spark.read.format(...).load(...)`);
    }
    const reader = this.format(format);
    return (options ? reader.withKeywords(format, options, []) : reader).loadPaths(paths);
  }

  /** This reader with keyword options applied: schema and format by their builders, the rest as options. */
  private withKeywords(method: string, options: LoadOptions, special: readonly string[]): DataFrameReader {
    let r: DataFrameReader = this;
    if (special.includes('format') && options.format !== undefined && options.format !== null) r = r.format(String(options.format));
    if (options.schema !== undefined && options.schema !== null) r = r.schema(options.schema);
    for (const [k, v] of keywordEntries(method, options, ['schema', ...special])) r = r.option(k, v);
    return r;
  }

  private async loadPaths(paths: string[]): Promise<DataFrame> {
    const format = checkFormat(this.fmt ?? String(confOf(this.session)?.get('spark.sql.sources.default') ?? 'parquet'));
    const list = [...paths];
    if (list.length === 0 && this.opts.has('path')) list.push(String(this.opts.get('path')));
    const ctx: ReadContext = {
      format, opts: this.opts, conf: confOf(this.session), s3: s3SettingsOf(confOf(this.session)), userSchema: this.userSchema,
      shown: list.join(', '),
    };
    if (format === 'csv') {
      // Refuse bad options and vector schemas before touching the disk.
      resolveCsvOptions(this.opts.toRecord());
      if (this.userSchema) csvFieldsOf(this.userSchema);
    }
    if (format === 'json') jsonOptionsOf(ctx);
    if (format === 'libsvm') libsvmOptionsOf(ctx);
    const files = await resolveDataFiles(list, { recursive: this.opts.bool('recursiveFileLookup', false), s3: ctx.s3 });
    const engine = this.session.engine;
    const { schema, plans } = format === 'csv' ? await this.planCsv(ctx, files)
      : format === 'json' ? await planJson(ctx, files, engine)
        : format === 'libsvm' ? await planLibsvm(ctx, files, engine)
          : format === 'parquet' ? await planParquet(ctx, files) : await planArrow(ctx, files);
    return new DataFrame(this.session, new SourceNode(engine, schema, plans.length, async () => plans));
  }

  // --- CSV -----------------------------------------------------------------------------------

  private async planCsv(ctx: ReadContext, all: DataFile[]): Promise<{ schema: StructType; plans: PartitionPlan[] }> {
    const options = resolveCsvOptions(this.opts.toRecord());
    const files = all.filter((f) => f.size > 0);
    const splitBytes = byteSetting(this.opts, ctx.conf, 'quiver.csv.splitBytes', 64 * MB);
    // S3 objects are read whole (the FileSystem has no ranged read yet), so only local files split.
    const splits = files.flatMap((f) => splitFile(f, options.multiLine || !isLocal(f.path) ? Infinity : splitBytes));
    let fields: CsvField[];
    let expectHeader: string[] | undefined;
    let schemaSource = files[0]?.path ?? ctx.shown;
    if (ctx.userSchema) {
      fields = csvFieldsOf(ctx.userSchema);
    } else {
      const sample = await firstCsvSample(files, options, ctx.s3);
      if (!sample) throw noData(ctx, 'CSV');
      schemaSource = sample.path;
      fields = inferCsvSchema(sample.text, options, { source: sample.path });
      if (options.header) expectHeader = fields.map((f) => f.name);
      if (options.inferSchema && this.opts.has('samplingRatio')) fields = await this.inferFully(fields, options, splits, ctx.s3);
    }
    const schema = structOfCsv(fields);
    if (splits.length === 0) return { schema, plans: [emptyPlan(schema)] };
    const plans = splits.map(({ file, start, end }): FilePlan => ({
      kind: 'file', format: 'csv', path: file.path, fields: schema.fields as StructField[], schemaSource,
      ...(ctx.s3 ? { s3: ctx.s3 } : {}),
      csv: { options, fields, start, end, size: file.size, ...(expectHeader ? { expectHeader } : {}) },
    }));
    return { schema, plans };
  }

  /** Spark's inference pass over all records (Bernoulli-sampled by samplingRatio), run on the executors. */
  private async inferFully(fields: CsvField[], options: CsvOptions, splits: Split[], s3: S3Settings | undefined): Promise<CsvField[]> {
    const engine = this.session.engine;
    const empty: EmptyPlan = { kind: 'empty', fields: [] };
    const params = (i: number): CsvInferParams => ({
      path: splits[i].file.path, start: splits[i].start, end: splits[i].end, size: splits[i].file.size,
      options, numColumns: fields.length, ...(s3 ? { s3 } : {}),
    });
    const partials = await engine.runJob<InferredType[]>(CSV_INFER, splits.map(() => empty), params);
    const types = partials.reduce((acc, t) => mergeInferredTypes(acc, t), fields.map((): InferredType => null));
    return fields.map((f, i) => ({ ...f, type: types[i] ?? 'string' }));
  }
}

/** The first records of the first file that holds any (the header and the inference sample). */
async function firstCsvSample(files: DataFile[], options: CsvOptions, s3: S3Settings | undefined): Promise<{ path: string; text: string } | null> {
  for (const f of files) {
    const sample = await withRangeReader(f.path, s3, async (read) => {
      // Grow the prefix until it holds the sample's records (or is the whole file, or is big).
      for (let want = INFER_SAMPLE_BYTES; ; want *= 4) {
        const text = new TextDecoder('utf-8').decode(await read(0, Math.min(f.size, want)));
        if (f.size <= want) return text;
        const whole = completeRecords(text, options);
        if (whole.length > 0 && (options.multiLine || want >= INFER_SAMPLE_MAX_BYTES || firstRecords(whole, options).length < whole.length)) return whole;
      }
    });
    if (readCsvHeader(sample, options).length > 0) return { path: f.path, text: firstRecords(sample, options) };
  }
  return null;
}

/** A prefix cut to whole records: at the last line break, or at a record boundary with multiLine. */
function completeRecords(text: string, options: CsvOptions): string {
  if (!options.multiLine) return text.slice(0, Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1);
  const ranges = splitCsvChunkRanges(text, 1 << 16, options);
  return ranges.length > 1 ? text.slice(0, ranges[ranges.length - 2].end) : text;
}

/** About INFER_SAMPLE_RECORDS records (lines, without multiLine) plus the header. */
function firstRecords(text: string, options: CsvOptions): string {
  if (options.multiLine) return text;
  let pos = 0;
  for (let i = 0; i <= INFER_SAMPLE_RECORDS; i++) {
    const next = text.indexOf('\n', pos);
    if (next < 0) return text;
    pos = next + 1;
  }
  return text.slice(0, pos);
}

// --- Parquet and Arrow -----------------------------------------------------------------------

async function planParquet(ctx: ReadContext, files: DataFile[]): Promise<{ schema: StructType; plans: PartitionPlan[] }> {
  if (files.length === 0) {
    if (ctx.userSchema) return { schema: ctx.userSchema, plans: [emptyPlan(ctx.userSchema)] };
    throw noData(ctx, 'Parquet');
  }
  const splitBytes = byteSetting(ctx.opts, ctx.conf, 'quiver.parquet.splitBytes', 128 * MB);
  const first = await readParquetFooter(files[0].path, ctx.s3);
  const schema = ctx.userSchema ?? fileSchema(first.schema, files[0].path);
  const plans: FilePlan[] = [];
  for (const file of files) {
    const base: FilePlan = {
      kind: 'file', format: 'parquet', path: file.path, fields: schema.fields as StructField[],
      schemaSource: files[0].path, ...(ctx.s3 ? { s3: ctx.s3 } : {}),
    };
    if (file.size <= splitBytes || !isLocal(file.path)) { plans.push(base); continue; }
    // A big file: one partition per run of row groups of about splitBytes (compressed).
    const footer = file === files[0] ? first : await readParquetFooter(file.path, ctx.s3);
    let group: number[] = [], bytes = 0;
    footer.rowGroups.forEach((g, i) => {
      group.push(i); bytes += g.bytes;
      if (bytes >= splitBytes) { plans.push({ ...base, rowGroups: group }); group = []; bytes = 0; }
    });
    if (group.length || footer.rowGroups.length === 0) plans.push({ ...base, rowGroups: group });
  }
  return { schema, plans };
}

async function planArrow(ctx: ReadContext, files: DataFile[]): Promise<{ schema: StructType; plans: PartitionPlan[] }> {
  if (files.length === 0) {
    if (ctx.userSchema) return { schema: ctx.userSchema, plans: [emptyPlan(ctx.userSchema)] };
    throw noData(ctx, 'Arrow');
  }
  const schema = ctx.userSchema ?? fileSchema(await readArrowSchema(files[0].path, files[0].size, ctx.s3), files[0].path);
  const plans = files.map((file): FilePlan => ({
    kind: 'file', format: 'arrow', path: file.path, fields: schema.fields as StructField[],
    schemaSource: files[0].path, ...(ctx.s3 ? { s3: ctx.s3 } : {}),
  }));
  return { schema, plans };
}

function fileSchema(schema: Parameters<typeof plainSchema>[0], path: string): StructType {
  try {
    return fromArrowSchema(plainSchema(schema));
  } catch (e) {
    throw new Error(`Cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}
