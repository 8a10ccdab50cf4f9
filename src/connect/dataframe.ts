// A DataFrame of a remote session: an unresolved Spark Connect relation, sent to the server only
// by an action. Same method names and arguments as Quiver's local DataFrame; Spark resolves
// columns and types, so mistakes surface (as Spark's errors) when an action or schema() runs.
import { Table, type RecordBatch } from 'apache-arrow';
import { AGG_FUNCTIONS, aggName, type AggFunction } from '../dataframe/aggregates.js';
import { normalizeArrowBatch } from '../dataframe/arrow-ingest.js';
import { emptyBatch } from '../dataframe/batch.js';
import { col, Column, exprName, SortOrder, toColumn } from '../dataframe/column.js';
import { AggColumn, functions } from '../dataframe/grouped.js';
import { batchToRows, type Row } from '../dataframe/rows.js';
import { formatShow, showSettings, type ShowOptions } from '../dataframe/show.js';
import type { SortOptions } from '../dataframe/sort.js';
import { fromArrowSchema, type StructType } from '../dataframe/types.js';
import type { Message, SparkConnectClient } from './client.js';
import { aggregateProto, aliasProto, exprProto, sortOrderProto } from './expressions.js';
import { structFromProto } from './types.js';

/** Spark's join type names (and their aliases, as Dataset.join accepts them). */
const JOIN_TYPES: Record<string, string> = {
  inner: 'JOIN_TYPE_INNER', cross: 'JOIN_TYPE_CROSS',
  left: 'JOIN_TYPE_LEFT_OUTER', leftouter: 'JOIN_TYPE_LEFT_OUTER', left_outer: 'JOIN_TYPE_LEFT_OUTER',
  right: 'JOIN_TYPE_RIGHT_OUTER', rightouter: 'JOIN_TYPE_RIGHT_OUTER', right_outer: 'JOIN_TYPE_RIGHT_OUTER',
  full: 'JOIN_TYPE_FULL_OUTER', outer: 'JOIN_TYPE_FULL_OUTER', fullouter: 'JOIN_TYPE_FULL_OUTER', full_outer: 'JOIN_TYPE_FULL_OUTER',
  semi: 'JOIN_TYPE_LEFT_SEMI', leftsemi: 'JOIN_TYPE_LEFT_SEMI', left_semi: 'JOIN_TYPE_LEFT_SEMI',
  anti: 'JOIN_TYPE_LEFT_ANTI', leftanti: 'JOIN_TYPE_LEFT_ANTI', left_anti: 'JOIN_TYPE_LEFT_ANTI',
};

/** What a remote DataFrame needs from its session. */
export interface RemoteSessionLike { client(): Promise<SparkConnectClient> }

export class RemoteDataFrame {
  /** @param relation Spark Connect's Relation message (plain object, Spark's field names). */
  constructor(readonly session: RemoteSessionLike, readonly relation: Message) {}

  // --- transformations ---------------------------------------------------------------------

  select(...cols: (string | Column)[]): RemoteDataFrame {
    if (cols.length === 0) throw new Error('select() needs at least one column');
    return this.wrap({ project: { input: this.relation, expressions: cols.map((c) => exprProto(toColumn(c).expr)) } });
  }

  withColumn(name: string, column: Column): RemoteDataFrame {
    if (!(column instanceof Column)) throw new Error(`withColumn('${name}'): expected a Column expression`);
    return this.wrap({ with_columns: { input: this.relation, aliases: [aliasProto(exprProto(column.expr), name).alias] } });
  }

  filter(condition: Column): RemoteDataFrame {
    if (!(condition instanceof Column)) throw new Error('filter() takes a Column expression, e.g. col("age").gt(21)');
    return this.wrap({ filter: { input: this.relation, condition: exprProto(condition.expr) } });
  }

  where(condition: Column): RemoteDataFrame { return this.filter(condition); }

  limit(n: number): RemoteDataFrame {
    if (!Number.isInteger(n) || n < 0 || n > 2147483647) throw new Error(`limit: expected a non-negative integer but got ${n}`);
    return this.wrap({ limit: { input: this.relation, limit: n } });
  }

  withColumnRenamed(existing: string, renamed: string): RemoteDataFrame {
    return this.wrap({ with_columns_renamed: { input: this.relation, renames: [{ col_name: existing, new_col_name: renamed }] } });
  }

  /** Drops the named columns; names that do not exist are ignored, as in Spark. */
  drop(...names: string[]): RemoteDataFrame {
    if (names.length === 0) return this;
    return this.wrap({ drop: { input: this.relation, column_names: names } });
  }

  /** Rows of both, by column position (Spark's union, which keeps duplicates). */
  union(other: RemoteDataFrame): RemoteDataFrame {
    this.sameSession(other, 'union');
    return this.wrap({ set_op: { left_input: this.relation, right_input: other.relation, set_op_type: 'SET_OP_TYPE_UNION', is_all: true, by_name: false } });
  }

  unionAll(other: RemoteDataFrame): RemoteDataFrame { return this.union(other); }

  distinct(): RemoteDataFrame { return this.wrap({ deduplicate: { input: this.relation, all_columns_as_keys: true } }); }

  /** One row per distinct value of `cols` (all columns when empty). */
  dropDuplicates(cols: string[] = []): RemoteDataFrame {
    if (cols.length === 0) return this.distinct();
    return this.wrap({ deduplicate: { input: this.relation, column_names: cols } });
  }

  /**
   * Joins on column names (`'id'`, `['a', 'b']`) or a condition (`col('uid').eq(col('user_id'))`);
   * how = inner (default), left, right, full, left_semi, left_anti, cross, with Spark's aliases.
   */
  join(other: RemoteDataFrame, on: string | string[] | Column, how = 'inner'): RemoteDataFrame {
    this.sameSession(other, 'join');
    const type = JOIN_TYPES[how.toLowerCase().replace(/\s+/g, '')];
    if (!type) throw new Error(`join: unsupported join type '${how}'; supported: ${Object.keys(JOIN_TYPES).join(', ')}`);
    const condition = on instanceof Column ? { join_condition: exprProto(on.expr) } : { using_columns: [on].flat() };
    return this.wrap({ join: { left: this.relation, right: other.relation, join_type: type, ...condition } });
  }

  /** Same arguments as the local orderBy: names, Columns, SortOrders, then `{ ascending }`. */
  orderBy(...args: (string | Column | SortOrder | SortOptions)[]): RemoteDataFrame {
    const last = args[args.length - 1];
    const options = last !== undefined && typeof last === 'object' && !(last instanceof Column) && !(last instanceof SortOrder) ? (args.pop() as SortOptions) : {};
    const cols = args as (string | Column | SortOrder)[];
    if (cols.length === 0) throw new Error('orderBy: give at least one column');
    const asc = options.ascending ?? true;
    const orders = cols.map((c, i) => {
      if (c instanceof SortOrder) return c;
      const a = Array.isArray(asc) ? asc[i] ?? true : asc;
      const column = typeof c === 'string' ? col(c) : c;
      return a ? column.asc() : column.desc();
    });
    return this.wrap({ sort: { input: this.relation, order: orders.map((o) => sortOrderProto(o).sort_order), is_global: true } });
  }

  sort(...args: (string | Column | SortOrder | SortOptions)[]): RemoteDataFrame { return this.orderBy(...args); }

  groupBy(...cols: string[]): RemoteGroupedData { return new RemoteGroupedData(this, cols); }
  groupby(...cols: string[]): RemoteGroupedData { return this.groupBy(...cols); }

  /** Aggregates over the whole DataFrame. */
  agg(...specs: (AggColumn | Record<string, string>)[]): RemoteDataFrame { return new RemoteGroupedData(this, []).agg(...specs); }

  // --- schema ------------------------------------------------------------------------------

  /** The schema as Spark resolves it (one AnalyzePlan call; nothing runs). Async, unlike the local getter. */
  async schema(): Promise<StructType> {
    const client = await this.session.client();
    return structFromProto(await client.schema(this.plan()));
  }

  async columns(): Promise<string[]> { return (await this.schema()).fieldNames; }

  async printSchema(): Promise<void> { process.stdout.write((await this.schema()).treeString()); }

  // --- actions -----------------------------------------------------------------------------

  async count(): Promise<number> {
    const rows = await this.agg(functions.count().alias('count')).collect<{ count: number | bigint }>();
    return Number(rows[0].count);
  }

  /** The rows as plain objects, with the values the local engine gives for the same types. */
  async collect<T extends object = Row>(): Promise<T[]> {
    const { schema, batches } = await this.run();
    const rows: Row[] = [];
    for (const b of batches) batchToRows(schema, b, rows);
    return rows as T[];
  }

  async take<T extends object = Row>(n: number): Promise<T[]> { return this.limit(n).collect<T>(); }
  async head<T extends object = Row>(n = 1): Promise<T[]> { return this.take<T>(n); }
  async first<T extends object = Row>(): Promise<T | undefined> { return (await this.take<T>(1))[0]; }

  /** Prints the first rows as Spark does; the same arguments as the local show(). */
  async show(numRows?: number, truncate?: boolean | number, vertical?: boolean): Promise<void>;
  async show(truncate: boolean): Promise<void>;
  async show(options: ShowOptions): Promise<void>;
  async show(...args: unknown[]): Promise<void> {
    const settings = showSettings(args);
    const limited = this.limit(settings.numRows + 1);
    const { schema, batches } = await limited.run();
    const rows: Row[] = [];
    for (const b of batches) batchToRows(schema, b, rows);
    process.stdout.write(formatShow(schema, rows, settings));
  }

  /** All rows as one Arrow table, in Quiver's canonical column types (as the local toArrow). */
  async toArrow(): Promise<Table> {
    const { schema, batches } = await this.run();
    return batches.length ? new Table(batches) : new Table(emptyBatch(schema));
  }

  /** The Spark Connect plan of this DataFrame (for logging and tests). */
  plan(): Message { return { root: this.relation }; }

  // --- internals ---------------------------------------------------------------------------

  /** Runs the plan; batches normalised as the local engine ingests Arrow, with their schema. */
  private async run(): Promise<{ schema: StructType; batches: RecordBatch[] }> {
    const client = await this.session.client();
    const raw = await client.execute(this.plan());
    const nonEmpty = raw.filter((b) => b.numRows > 0);
    let firstRow = 0;
    const batches = nonEmpty.map((b) => { const out = normalizeArrowBatch(b, firstRow); firstRow += b.numRows; return out; });
    const schema = batches.length ? fromArrowSchema(batches[0].schema) : raw.length ? fromArrowSchema(raw[0].schema) : await this.schema();
    return { schema, batches };
  }

  private wrap(relation: Message): RemoteDataFrame { return new RemoteDataFrame(this.session, relation); }

  private sameSession(other: RemoteDataFrame, op: string): void {
    if (!(other instanceof RemoteDataFrame)) throw new Error(`${op}: both DataFrames must belong to the same remote session (a local DataFrame cannot be combined with a remote one)`);
    if (other.session !== this.session) throw new Error(`${op}: the two DataFrames belong to different remote sessions`);
  }
}

/** groupBy(...) of a remote DataFrame: Spark's Aggregate relation. */
export class RemoteGroupedData {
  constructor(private readonly df: RemoteDataFrame, private readonly keys: string[]) {}

  count(): RemoteDataFrame { return this.agg(functions.count()); }

  /** `agg({ v: 'sum' })` or `agg(F.sum('v').alias('total'), F.count())`; unaliased results get Quiver's (Spark's) names. */
  agg(...specs: (AggColumn | Record<string, string>)[]): RemoteDataFrame {
    const columns: AggColumn[] = [];
    for (const s of specs) {
      if (s instanceof AggColumn) { columns.push(s); continue; }
      for (const [c, fn] of Object.entries(s)) {
        if (!AGG_FUNCTIONS.includes(fn as AggFunction)) throw new Error(`agg: unknown aggregate function '${fn}' for column '${c}'; expected one of ${AGG_FUNCTIONS.join(', ')}`);
        columns.push(fn === 'count' && c === '*' ? functions.count() : new AggColumn(fn as AggFunction, col(c)));
      }
    }
    if (columns.length === 0) throw new Error('agg() needs at least one aggregate');
    // Aliased with the name the local engine gives, so a program's columns do not depend on its session
    // (Spark would call count(*) 'count(1)' where Quiver and groupBy().count() say 'count').
    const aggregates = columns.map((c) => aliasProto(aggregateProto(c.fn, c.input?.expr ?? null), c.name ?? aggName(c.fn, c.input ? exprName(c.input.expr) : null)));
    return new RemoteDataFrame(this.df.session, {
      aggregate: {
        input: this.df.relation, group_type: 'GROUP_TYPE_GROUPBY',
        grouping_expressions: this.keys.map((k) => exprProto(col(k).expr)), aggregate_expressions: aggregates,
      },
    });
  }

  sum(...cols: string[]): RemoteDataFrame { return this.agg(...cols.map((c) => functions.sum(c))); }
  avg(...cols: string[]): RemoteDataFrame { return this.agg(...cols.map((c) => functions.avg(c))); }
  mean(...cols: string[]): RemoteDataFrame { return this.avg(...cols); }
  min(...cols: string[]): RemoteDataFrame { return this.agg(...cols.map((c) => functions.min(c))); }
  max(...cols: string[]): RemoteDataFrame { return this.agg(...cols.map((c) => functions.max(c))); }
}
