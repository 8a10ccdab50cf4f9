// The entry point (Spark's SparkSession): builds the engine for a master URL, creates DataFrames
// from rows or Arrow tables, reads files, and stops every worker on stop().
import { Table, type RecordBatch } from 'apache-arrow';
import { batchToShared } from '../engine/blocks.js';
import { parseBoolean, parseBytes, parseMaster, parsePositiveInt } from '../engine/conf.js';
import { EngineContext } from '../engine/context.js';
import type { Broadcast } from '../engine/broadcast.js';
import { concatBatches, makeBatch, sliceRows } from './batch.js';
import { DataFrame, type SessionLike } from './dataframe.js';
import { SourceNode } from './logical.js';
import { blockPlan } from './plan.js';
import { columnFromRows, inferSchema, type Row } from './rows.js';
import { fromArrowSchema, parseTypeName, StructType, type StructField } from './types.js';
import { normalizeArrowBatch } from './arrow-ingest.js';
import { DataFrameReader } from './io/reader.js';
import { Catalog } from './sql/catalog.js';
import { runSql } from './sql/sql.js';

export type ConfValue = string | number | boolean;

/** Settings Quiver understands, with their validators; other keys are kept as given. */
const KNOWN_CONF: Record<string, (k: string, v: ConfValue) => unknown> = {
  'quiver.memory.limit': (k, v) => parseBytes(k, v as string),
  'quiver.task.maxFailures': (k, v) => parsePositiveInt(k, v as string),
  'spark.task.maxFailures': (k, v) => parsePositiveInt(k, v as string),
  'spark.default.parallelism': (k, v) => parsePositiveInt(k, v as string),
  'quiver.worker.heapMb': (k, v) => parsePositiveInt(k, v as string),
  'quiver.s3.forcePathStyle': (k, v) => parseBoolean(k, v),
  'quiver.local.dir': (k, v) => { if (typeof v !== 'string' || !v) throw new Error(`config ${k}: expected a directory path`); },
};

export class RuntimeConfig {
  constructor(private readonly values: Map<string, ConfValue>) {}
  get(key: string, fallback?: ConfValue): ConfValue | undefined { return this.values.has(key) ? this.values.get(key) : fallback; }
  getAll(): Record<string, ConfValue> { return Object.fromEntries(this.values); }
}

export interface CreateDataFrameOptions {
  numPartitions?: number;
  /** A StructType, or column name -> type name ('double', 'int', 'long', 'boolean', 'string'). */
  schema?: StructType | Record<string, string>;
}

let active: Session | null = null;

export class SessionBuilder {
  private masterUrl = 'local[*]';
  private name = 'quiver';
  private readonly conf = new Map<string, ConfValue>();

  appName(name: string): this { this.name = name; return this; }
  master(master: string): this { parseMaster(master); this.masterUrl = master; return this; }

  config(key: string, value: ConfValue): this {
    KNOWN_CONF[key]?.(key, value);
    this.conf.set(key, value);
    return this;
  }

  /** The active session if there is one (as Spark), else a new one. */
  getOrCreate(): Session {
    if (active && !active.isStopped) return active;
    active = this.create();
    return active;
  }

  /** Always a new session, independent of the active one (to run several masters side by side). */
  create(): Session { return new Session(this.name, this.masterUrl, new Map(this.conf)); }
}

export class Session implements SessionLike {
  readonly engine: EngineContext;
  readonly conf: RuntimeConfig;
  readonly read: DataFrameReader;
  /** Spark's spark.catalog: this session's temporary views (listTables, dropTempView, ...). */
  readonly catalog = new Catalog();
  /** Where `df.checkpoint()` writes (set by `sparkContext.setCheckpointDir`; else `spark.checkpoint.dir`). */
  checkpointDir: string | undefined = undefined;

  static builder(): SessionBuilder { return new SessionBuilder(); }
  static getActiveSession(): Session | null { return active && !active.isStopped ? active : null; }

  constructor(readonly appName: string, readonly master: string, conf: Map<string, ConfValue>) {
    this.conf = new RuntimeConfig(conf);
    const maxFailures = conf.get('quiver.task.maxFailures') ?? conf.get('spark.task.maxFailures');
    const spec = parseMaster(master);
    this.engine = new EngineContext({
      master: spec,
      maxTaskFailures: maxFailures !== undefined ? Number(maxFailures) : spec.mode === 'local' && spec.maxFailures ? spec.maxFailures : 4,
      workerHeapMb: conf.has('quiver.worker.heapMb') ? Number(conf.get('quiver.worker.heapMb')) : undefined,
      memoryLimit: conf.has('quiver.memory.limit') ? parseBytes('quiver.memory.limit', conf.get('quiver.memory.limit') as string) : undefined,
      localDir: conf.has('quiver.local.dir') ? String(conf.get('quiver.local.dir')) : undefined,
      spinMicros: spinMicrosOf(conf),
    });
    this.read = new DataFrameReader(this);
  }

  get isStopped(): boolean { return this.engine.isStopped; }

  /** Spark's defaultParallelism: the number of executor threads unless configured. */
  get defaultParallelism(): number {
    const p = this.conf.get('spark.default.parallelism');
    return p !== undefined ? Number(p) : this.engine.parallelism;
  }

  createDataFrame(data: readonly Row[] | Table, options?: CreateDataFrameOptions): DataFrame;
  // The implementation takes any value: src/rdd adds an overload for RDDs (a layer above, so unnamed here).
  createDataFrame(data: unknown, opts?: unknown): DataFrame {
    const options = (opts ?? {}) as CreateDataFrameOptions;
    const numPartitions = options.numPartitions ?? this.defaultParallelism;
    if (!Number.isInteger(numPartitions) || numPartitions < 1) {
      throw new Error(`createDataFrame: numPartitions must be a positive integer but got ${numPartitions}`);
    }
    if (data instanceof Table) return this.fromArrow(data, numPartitions);
    if (!Array.isArray(data)) throw new Error('createDataFrame: expected an array of row objects or an apache-arrow Table');
    const schema = options.schema ? toSchema(options.schema, data) : inferSchema(data);
    const batches: RecordBatch[] = [];
    for (let p = 0; p < numPartitions; p++) {
      // Contiguous slices, as Spark's parallelize.
      const start = Math.floor((p * data.length) / numPartitions), end = Math.floor(((p + 1) * data.length) / numPartitions);
      batches.push(makeBatch(schema, schema.fields.map((f) => columnFromRows(f, data, start, end)), end - start));
    }
    return this.fromBatches(schema, batches);
  }

  /**
   * A SQL query over this session's temporary views, as a (lazy) DataFrame:
   * `spark.sql('SELECT dept, count(*) AS n FROM people GROUP BY dept')`. The query compiles to the
   * same DataFrame calls as the API (select, filter, groupBy/agg, join, orderBy, limit, union, window).
   */
  sql(query: string): DataFrame { return runSql(query, this.catalog, () => this.createDataFrame([{ __one: 1 }], { numPartitions: 1 })); }

  /** The DataFrame of a temporary view (`people`, `global_temp.people`). */
  table(name: string): DataFrame { return this.catalog.table(name); }

  broadcast<T>(value: T): Broadcast<T> { return this.engine.broadcast(value); }

  /** Loads a module that registers custom kernels into every executor (and this thread). */
  async addKernelModule(url: string | URL): Promise<void> { await this.engine.executor.importModules([String(url)]); }

  async stop(): Promise<void> {
    await this.engine.stop();
    if (active === this) active = null;
  }

  private fromArrow(table: Table, numPartitions: number): DataFrame {
    let firstRow = 0;
    const batches = table.batches.map((b) => { const out = normalizeArrowBatch(b, firstRow); firstRow += b.numRows; return out; });
    const schema = batches.length ? fromArrowSchema(batches[0].schema) : fromArrowSchema(table.schema);
    const total = table.numRows;
    const whole = batches.length === 1 ? batches[0] : null;
    const parts: RecordBatch[] = [];
    for (let p = 0; p < numPartitions; p++) {
      const start = Math.floor((p * total) / numPartitions), end = Math.floor(((p + 1) * total) / numPartitions);
      parts.push(whole ? sliceRows(schema, whole, start, end) : sliceAcross(schema, batches, start, end));
    }
    return this.fromBatches(schema, parts);
  }

  private fromBatches(schema: StructType, batches: RecordBatch[]): DataFrame {
    const ids = batches.map((b) => this.engine.putBlock(batchToShared(b)));
    const bytes = ids.reduce((s, id) => s + this.engine.blockBytesOf(id), 0);
    const node = new SourceNode(this.engine, schema, ids.length, async () => ids.map(blockPlan), bytes);
    this.engine.holdBlocks(node, ids);
    return new DataFrame(this, node);
  }
}

function sliceAcross(schema: StructType, batches: RecordBatch[], start: number, end: number): RecordBatch {
  const parts: RecordBatch[] = [];
  let offset = 0;
  for (const b of batches) {
    const s = Math.max(start, offset), e = Math.min(end, offset + b.numRows);
    if (s < e) parts.push(sliceRows(schema, b, s - offset, e - offset));
    offset += b.numRows;
  }
  return parts.length === 1 ? parts[0] : concatBatches(schema, parts);
}

function toSchema(schema: StructType | Record<string, string>, rows: readonly Row[]): StructType {
  if (schema instanceof StructType) return schema;
  return new StructType(Object.entries(schema).map(([name, t]): StructField => {
    if (t === 'vector') {
      // A vector's encoding and size come from the data itself.
      const inferred = inferSchema(rows.map((r) => ({ [name]: r[name] })));
      const f = inferred.has(name) ? inferred.field(name) : null;
      if (!f || f.type.kind !== 'vector') throw new Error(`createDataFrame: column '${name}' is declared vector but holds no vectors to take its size from`);
      return { name, type: f.type, nullable: true };
    }
    return { name, type: parseTypeName(t), nullable: true };
  }));
}

/** Executor spin-wait after a task (quiver.executor.spinMicros, default 250; 0 = sleep at once). */
function spinMicrosOf(conf: Map<string, ConfValue>): number {
  const raw = conf.get('quiver.executor.spinMicros') ?? process.env.QUIVER_SPIN_MICROS;
  if (raw === undefined) return 250;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`quiver.executor.spinMicros must be a non-negative number of microseconds, got ${String(raw)}`);
  return v;
}
