// The DataFrame: an immutable, lazy description of partitioned data (a schema plus lineage).
// Transformations return new DataFrames at once; actions run jobs on the session's executors.
import { Table, type RecordBatch } from 'apache-arrow';
import { batchFromShared } from '../engine/blocks.js';
import type { EngineContext } from '../engine/context.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { keyedMerge } from '../engine/aggregate.js';
import { emptyBatch } from './batch.js';
import { col, Column, exprName, SortOrder, toColumn, type Expr, type Literal } from './column.js';
import { orderBy, type SortOptions } from './sort.js';
import { resolveExpr } from './expr.js';
import { COUNT, MATERIALIZE } from './kernels.js';
import { HASH_PARTITION, ROUND_ROBIN } from './exchange.kernels.js';
import { AggColumn, aggregate, GroupedData } from './grouped.js';
import { describe, summary } from './describe.js';
import { DataFrameNaFunctions, type DropNaOptions, type FillValue, type ReplaceSpec } from './na.js';
import { join } from './join.js';
import { assertNoWindow, withWindowColumns } from './window-plan.js';
import {
  CoalesceNode, ExchangeNode, FilterNode, isStreamingPlan, LimitNode, MapNode, ProjectNode, SampleNode, UnionNode, type LogicalNode,
} from './logical.js';
import { batchToRows, type Row } from './rows.js';
import { formatShow, showSettings, type ShowOptions } from './show.js';
import { currentStageLabel } from './mappers.js';
import { DataFrameWriter } from './io/writer.js';
import { checkpoint, localCheckpoint } from './checkpoint.js';
import { StorageLevel } from './storage.js';
import { StructType, keyTypeError, sameType, isNumeric, typeName, type StructField } from './types.js';
import type { Catalog } from './sql/catalog.js';
import { conditionExpr, selectExpr } from './sql/sql.js';

/** What a DataFrame needs from its session (kept narrow to avoid an import cycle). */
export interface SessionLike {
  readonly engine: EngineContext;
  readonly defaultParallelism: number;
  /** The session's temporary views (Session has one; a DataFrame needs it only for createTempView). */
  readonly catalog?: Catalog;
}

export class DataFrame {
  constructor(readonly session: SessionLike, readonly node: LogicalNode, readonly broadcastHint = false) {}

  get schema(): StructType { return this.node.schema; }
  get columns(): string[] { return this.schema.fieldNames; }
  get dtypes(): [string, string][] { return this.schema.fields.map((f) => [f.name, typeName(f.type)]); }
  printSchema(): void { process.stdout.write(this.schema.treeString()); }
  /** True when the lineage reads a streaming source (`spark.readStream`): such a DataFrame runs only through `writeStream.start()`. */
  get isStreaming(): boolean { return isStreamingPlan(this.node); }

  // --- transformations ---------------------------------------------------------------------

  select(...cols: (string | Column)[]): DataFrame {
    const exprs = cols.flatMap((c) => (c === '*' ? this.columns.map((n) => col(n).expr) : [toColumn(c).expr]));
    if (exprs.length === 0) throw new Error('select() needs at least one column');
    return this.project(exprs);
  }

  withColumn(name: string, column: Column): DataFrame {
    const e: Expr = { op: 'alias', child: column.expr, name };
    const exprs = this.columns.map((n): Expr => (n === name ? e : col(n).expr));
    if (!this.schema.has(name)) exprs.push(e);
    return this.project(exprs);
  }

  withColumnRenamed(existing: string, renamed: string): DataFrame {
    if (!this.schema.has(existing)) return this;
    return this.project(this.columns.map((n): Expr => (n === existing ? { op: 'alias', child: col(n).expr, name: renamed } : col(n).expr)));
  }

  /** Drops the named columns; names that do not exist are ignored, as in Spark. */
  drop(...names: string[]): DataFrame {
    const keep = this.columns.filter((n) => !names.includes(n));
    if (keep.length === this.columns.length) return this;
    return this.project(keep.map((n) => col(n).expr));
  }

  /** Rows where the condition holds: a Column (`col('age').gt(25)`) or SQL text (`"age > 25"`). */
  filter(condition: Column | string): DataFrame {
    if (typeof condition === 'string') return this.filter(conditionExpr(this, condition, 'filter'));
    if (!(condition instanceof Column)) throw new Error('filter() takes a Column expression or SQL text, e.g. col("age").gt(21) or "age > 21"');
    assertNoWindow(condition.expr, 'filter');
    const t = resolveExpr(condition.expr, this.schema);
    if (t.kind !== 'boolean' && t.kind !== 'null') {
      throw new Error(`filter expression '${exprName(condition.expr)}' is of type ${t.kind}, not boolean`);
    }
    return new DataFrame(this.session, new FilterNode(this.node, condition.expr));
  }

  where(condition: Column | string): DataFrame {
    return typeof condition === 'string' ? this.filter(conditionExpr(this, condition, 'where')) : this.filter(condition);
  }

  /** Spark's selectExpr: SQL expressions over this DataFrame (`'name'`, `'age + 1 AS next'`, `'count(*)'`). */
  selectExpr(...exprs: string[]): DataFrame { return selectExpr(this, exprs); }

  // --- temporary views (spark.sql reads them) -----------------------------------------------

  /** Names this DataFrame for `spark.sql` and `spark.table` in its session, replacing a view of that name. */
  createOrReplaceTempView(name: string): void { this.catalog().createOrReplaceTempView(name, this); }

  /** As createOrReplaceTempView, but fails if the view exists (Spark's TEMP_TABLE_OR_VIEW_ALREADY_EXISTS). */
  createTempView(name: string): void { this.catalog().createTempView(name, this); }

  /** A view under `global_temp` (`SELECT * FROM global_temp.name`), replacing one of that name. */
  createOrReplaceGlobalTempView(name: string): void { this.catalog().createOrReplaceGlobalTempView(name, this); }

  /** As createOrReplaceGlobalTempView, but fails if the view exists. */
  createGlobalTempView(name: string): void { this.catalog().createGlobalTempView(name, this); }

  private catalog(): Catalog {
    const c = this.session.catalog;
    if (!c) throw new Error('temporary views need a DataFrame of a Session (this session has no catalog)');
    return c;
  }

  limit(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0) throw new Error(`limit: expected a non-negative integer but got ${n}`);
    return new DataFrame(this.session, new LimitNode(this.node, n));
  }

  /** Rows of both, by column position (Spark's union); numeric columns widen to the wider type. */
  union(other: DataFrame): DataFrame {
    const a = this.schema, b = other.schema;
    if (a.length !== b.length) throw new Error(`union: DataFrames have ${a.length} and ${b.length} columns; they must have the same number`);
    const casts: Expr[] = [];
    let needCast = false;
    a.fields.forEach((fa, i) => {
      const fb = b.fields[i];
      if (sameType(fa.type, fb.type)) { casts.push({ op: 'alias', child: col(fb.name).expr, name: fa.name }); return; }
      if (isNumeric(fa.type) && isNumeric(fb.type) && fa.type.kind === 'double') {
        needCast = true;
        casts.push({ op: 'alias', child: { op: 'cast', child: col(fb.name).expr, to: 'double' }, name: fa.name });
        return;
      }
      throw new Error(`union: column ${i} ('${fa.name}') is ${typeName(fa.type)} on the left but ${typeName(fb.type)} ('${fb.name}') on the right`);
    });
    const right = needCast || b.fieldNames.some((n, i) => n !== a.fields[i].name) ? other.project(casts, a) : other;
    return new DataFrame(this.session, new UnionNode([this.node, right.node]));
  }

  unionAll(other: DataFrame): DataFrame { return this.union(other); }

  sample(fraction: number, seed?: number): DataFrame;
  sample(withReplacement: boolean, fraction: number, seed?: number): DataFrame;
  sample(a: number | boolean, b?: number, c?: number): DataFrame {
    const withReplacement = typeof a === 'boolean' ? a : false;
    const fraction = typeof a === 'boolean' ? b! : a;
    const seed = (typeof a === 'boolean' ? c : b) ?? randomSeed();
    if (!(fraction >= 0) || (!withReplacement && fraction > 1)) {
      throw new Error(`sample: fraction must be in [0, 1] without replacement (>= 0 with replacement) but got ${fraction}`);
    }
    return new DataFrame(this.session, new SampleNode(this.node, 0, fraction, withReplacement, seed));
  }

  /** Splits by normalised weights; every row lands in exactly one split for a given seed. */
  randomSplit(weights: number[], seed: number = randomSeed()): DataFrame[] {
    if (weights.length === 0 || weights.some((w) => !(w >= 0)) || !(weights.reduce((s, w) => s + w, 0) > 0)) {
      throw new Error(`randomSplit: weights must be non-negative with a positive sum but got [${weights.join(', ')}]`);
    }
    const total = weights.reduce((s, w) => s + w, 0);
    const bounds = [0];
    for (const w of weights) bounds.push(bounds[bounds.length - 1] + w / total);
    bounds[bounds.length - 1] = 1;
    return weights.map((_, i) => new DataFrame(this.session, new SampleNode(this.node, bounds[i], bounds[i + 1], false, seed)));
  }

  /** Round-robin into n partitions, or by the hash of the given columns (Spark's repartition(n, cols)). */
  repartition(n: number, ...cols: string[]): DataFrame {
    assertPartitions('repartition', n);
    for (const c of cols) this.schema.indexOf(c);
    const node = cols.length
      ? new ExchangeNode(this.node, HASH_PARTITION, { keys: cols }, n)
      : new ExchangeNode(this.node, ROUND_ROBIN, {}, n);
    return new DataFrame(this.session, node);
  }

  coalesce(n: number): DataFrame {
    assertPartitions('coalesce', n);
    return new DataFrame(this.session, new CoalesceNode(this.node, n));
  }

  /**
   * Appends columns computed per partition by a registered column mapper (the building block of
   * model transforms). `newFields` describe the appended columns; the mapper runs lazily, in the executors.
   */
  withMappedColumns(mapper: string, params: unknown, newFields: StructField[]): DataFrame {
    const clash = newFields.find((f) => this.schema.has(f.name));
    if (clash) throw new Error(`Output column '${clash.name}' already exists.`);
    const schema = new StructType([...this.schema.fields, ...newFields]);
    return new DataFrame(this.session, new MapNode(this.node, mapper, params, schema, currentStageLabel()));
  }

  groupBy(...cols: string[]): GroupedData { return new GroupedData(this, cols); }
  groupby(...cols: string[]): GroupedData { return this.groupBy(...cols); }

  /** Aggregates over the whole DataFrame: `df.agg({ v: 'max' })` or `df.agg(F.sum('v'))`. */
  agg(...specs: (AggColumn | Record<string, string>)[]): DataFrame { return new GroupedData(this, []).agg(...specs); }

  /**
   * Spark's describe: a `summary` column (count, mean, stddev, min, max) and one string column per
   * given column (default: every numeric and string column), computed by one aggregation.
   */
  describe(...cols: string[]): DataFrame { return describe(this, cols); }

  /**
   * Spark's summary: the given statistics (default count, mean, stddev, min, 25%, 50%, 75%, max; also
   * count_distinct, approx_count_distinct and any 'p%') of every numeric and string column.
   * Percentiles are approximate as Spark's (a merged quantile sketch; exact up to 20 000 values).
   */
  summary(...statistics: string[]): DataFrame { return summary(this, statistics); }

  /** Spark's `df.na`: drop, fill and replace missing values (null, and NaN in double columns). */
  get na(): DataFrameNaFunctions { return new DataFrameNaFunctions(this); }

  /** `df.na.drop(...)`: PySpark's `dropna(how, thresh, subset)` or `dropna({ how, thresh, subset })`. */
  dropna(how?: 'any' | 'all' | DropNaOptions | readonly string[], thresh?: number, subset?: string | readonly string[]): DataFrame {
    return this.na.drop(how, thresh, subset);
  }

  /** `df.na.fill(...)`: PySpark's `fillna(value, subset)`. */
  fillna(value: FillValue | Readonly<Record<string, FillValue>> | ReadonlyMap<string, FillValue>, subset?: string | readonly string[]): DataFrame {
    return this.na.fill(value, subset);
  }

  /** `df.na.replace(...)`: PySpark's `replace(to_replace, value, subset)`. */
  replace(toReplace: ReplaceSpec, value?: Literal | readonly Literal[], subset?: string | readonly string[]): DataFrame {
    return this.na.replace(toReplace, value, subset);
  }

  /** Distinct rows (grouping by every column). */
  distinct(): DataFrame {
    for (const f of this.schema.fields) {
      const err = keyTypeError('distinct', f.name, f.type);
      if (err) throw new Error(`${err.message}; select the other columns first`);
    }
    return aggregate(this, this.columns, []);
  }

  /** One row per distinct value of `cols` (all columns when empty): the first such row in partition order. */
  dropDuplicates(cols: string[] = []): DataFrame {
    if (cols.length === 0) return this.distinct();
    const others = this.columns.filter((c) => !cols.includes(c));
    const deduped = aggregate(this, cols, others.map((c) => new AggColumn('first', col(c), c)));
    return deduped.select(...this.columns);
  }

  /**
   * Joins with `other` on column names (`'id'`, `['a', 'b']`) or equalities between a left and a
   * right column (`col('uid').eq(col('user_id'))`); how = inner (default), left, right, full,
   * left_semi, left_anti. A small side (under quiver.sql.autoBroadcastJoinThreshold, or marked
   * with broadcast(df)) is shipped whole instead of shuffling both sides.
   */
  join(other: DataFrame, on: string | string[] | Column, how = 'inner'): DataFrame {
    return join(this, other, on, how, { left: this.broadcastHint, right: other.broadcastHint });
  }

  /**
   * A global sort: `orderBy('a', col('b').desc())`, or `orderBy('a', 'b', { ascending: [true, false] })`.
   * Ascending puts nulls first and descending puts them last, as Spark; equal keys keep their order.
   */
  orderBy(...args: (string | Column | SortOrder | SortOptions)[]): DataFrame {
    const last = args[args.length - 1];
    const options = last !== undefined && typeof last === 'object' && !(last instanceof Column) && !(last instanceof SortOrder) ? (args.pop() as SortOptions) : {};
    return orderBy(this, args as (string | Column | SortOrder)[], options);
  }

  sort(...args: (string | Column | SortOrder | SortOptions)[]): DataFrame { return this.orderBy(...args); }

  /** A DataFrame over another lineage node of this session (used by wide operations). */
  withNode(node: LogicalNode): DataFrame { return new DataFrame(this.session, node); }

  // --- persistence ---------------------------------------------------------------------------

  cache(): this { return this.persist(StorageLevel.MEMORY_ONLY); }

  persist(level: StorageLevel = StorageLevel.MEMORY_ONLY): this {
    if (level === StorageLevel.NONE) return this.unpersist();
    this.node.persist(level);
    return this;
  }

  unpersist(): this { this.node.unpersist(); return this; }

  /**
   * Spark's localCheckpoint: the rows kept as blocks of this session (spilled under memory
   * pressure), with the lineage cut, so an iterative loop's plan stops growing (checkpoint.ts).
   */
  localCheckpoint(eager = true): Promise<DataFrame> { return localCheckpoint(this, eager); }

  /** Spark's checkpoint: the rows written as Arrow files under the checkpoint directory and read back, the lineage cut. */
  checkpoint(eager = true): Promise<DataFrame> { return checkpoint(this, eager); }

  get storageLevel(): StorageLevel { return this.node.cache?.level ?? StorageLevel.NONE; }

  // --- actions -------------------------------------------------------------------------------

  async count(): Promise<number> {
    const counts = await this.engine.runJob<number>(COUNT, await this.plans());
    return counts.reduce((s, c) => s + c, 0);
  }

  /**
   * Every row as a plain object: numbers, strings, booleans, bigint (longs beyond 2^53), vectors,
   * arrays as JS arrays and structs as plain objects, null for null. The row type is yours to state
   * (`collect<{ user: number; recommendations: { item: number; rating: number }[] }>()`); it is not checked.
   */
  async collect<T extends object = Row>(): Promise<T[]> {
    const rows: Row[] = [];
    for (const b of await this.collectBatches()) batchToRows(this.schema, b, rows);
    return rows as T[];
  }

  async take<T extends object = Row>(n: number): Promise<T[]> { return this.limit(n).collect<T>(); }
  async head<T extends object = Row>(n = 1): Promise<T[]> { return this.take<T>(n); }
  async first<T extends object = Row>(): Promise<T | undefined> { return (await this.take<T>(1))[0]; }

  /**
   * Prints the first rows as Spark does: `show()`, `show(n)`, `show(false)` (20 rows, cells not
   * truncated), `show(n, truncate)` with truncate a boolean or a width, `show(n, truncate, vertical)`,
   * or PySpark's keywords `show({ n, truncate, vertical })`. Anything else throws naming the argument.
   */
  async show(numRows?: number, truncate?: boolean | number, vertical?: boolean): Promise<void>;
  async show(truncate: boolean): Promise<void>;
  async show(options: ShowOptions): Promise<void>;
  async show(...args: unknown[]): Promise<void> {
    const settings = showSettings(args);
    const rows = await this.take(settings.numRows + 1);
    process.stdout.write(formatShow(this.schema, rows, settings));
  }

  /** All rows as one Arrow table (one record batch per partition). */
  async toArrow(): Promise<Table> {
    const batches = await this.collectBatches();
    return batches.length ? new Table(batches) : new Table(emptyBatch(this.schema));
  }

  /** The number of partitions (Spark's df.rdd.getNumPartitions()); known without running anything. */
  numPartitions(): number { return this.node.numPartitions(); }

  /** Spark's df.write: saves the partitions as files (csv, json, libsvm, parquet, arrow). */
  get write(): DataFrameWriter { return new DataFrameWriter(this); }

  // --- engine access for algorithms ----------------------------------------------------------

  get engine(): EngineContext { return this.session.engine; }

  plans(): Promise<PartitionPlan[]> { return this.node.plans(); }

  /** Runs a registered kernel on every partition; results in partition order. */
  async mapPartitions<R>(kernel: string, params: unknown = null): Promise<R[]> {
    return this.engine.runJob<R>(kernel, await this.plans(), params);
  }

  /**
   * Spark's treeAggregate over this DataFrame's partitions: `kernel` is an aggregator registered
   * with `registerAggregator`, folding a partition into a copy of `zero`; partials merge with
   * `merge` in a tree of the given depth, always in partition order.
   */
  async treeAggregate<T>(zero: T, kernel: string, merge: (a: T, b: T) => T, depth = 2, params: unknown = null): Promise<T> {
    return this.engine.treeAggregate(await this.plans(), zero, kernel, merge, depth, params);
  }

  /** Keyed partials per partition merged by key in partition order (histograms by node and feature). */
  async keyedReduce<K, V>(kernel: string, merge: (a: V, b: V) => V, params: unknown = null): Promise<Map<K, V>> {
    const partials = await this.mapPartitions<Iterable<readonly [K, V]>>(kernel, params);
    return keyedMerge(partials, merge);
  }

  // --- internals -----------------------------------------------------------------------------

  private async collectBatches(): Promise<RecordBatch[]> {
    const results = await this.engine.runJob<{ buffer: SharedArrayBuffer }>(MATERIALIZE, await this.plans());
    return results.map((r) => batchFromShared(r.buffer));
  }

  /** A projection with its output schema; bare column references keep their field metadata. */
  private project(exprs: Expr[], target?: StructType): DataFrame {
    const windowed = withWindowColumns(this, exprs); // window functions (F.count('*').over(w)) are computed first
    if (windowed !== this) return windowed.project(exprs, target);
    const fields: StructField[] = exprs.map((e, i) => {
      const t = resolveExpr(e, this.schema);
      const name = target ? target.fields[i].name : exprName(e);
      const bare = stripAlias(e);
      const meta = bare.op === 'col' ? this.schema.field(bare.name).metadata : undefined;
      return { name, type: t.type ?? { kind: 'string' }, nullable: t.nullable, ...(meta ? { metadata: meta } : {}) };
    });
    const names = fields.map((f) => f.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new Error(`select: the output would have two columns named '${dup}'; alias one of them`);
    return new DataFrame(this.session, new ProjectNode(this.node, exprs, new StructType(fields)));
  }
}

function stripAlias(e: Expr): Expr { return e.op === 'alias' ? stripAlias(e.child) : e; }

function assertPartitions(op: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${op}: the number of partitions must be a positive integer but got ${n}`);
}

function randomSeed(): number { return Math.floor(Math.random() * 2 ** 31); }


/** Marks a DataFrame as small enough to ship whole to every partition of the other side of a join. */
export function broadcast(df: DataFrame): DataFrame { return new DataFrame(df.session, df.node, true); }
