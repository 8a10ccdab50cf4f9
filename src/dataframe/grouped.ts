// groupBy(...).agg(...): Spark's GroupedData. Aggregation is a shuffle by key: partial
// aggregates per partition (map-side combine), hash-partitioned, merged and finalised.
import { coalesce, col, exprName, isnan, toColumn, type Column, type Literal } from './column.js';
import { AGG_FUNCTIONS, aggName, aggResultType, type AggFunction } from './aggregates.js';
import type { DataFrame } from './dataframe.js';
import { GROUP_MAP, type AggSpec, type GroupReducePlan } from './group.kernels.js';
import { ExchangeNode, LogicalNode } from './logical.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { keyTypeError, StructType, type StructField } from './types.js';
import { offsetFunction, windowColumn, WindowFunction, type WindowSpec } from './window.js';

/** An aggregate expression: `functions.sum('v').alias('total')`. */
export class AggColumn {
  constructor(readonly fn: AggFunction, readonly input: Column | null, readonly name?: string) {}
  alias(name: string): AggColumn { return new AggColumn(this.fn, this.input, name); }
  as(name: string): AggColumn { return this.alias(name); }
  /** This aggregate over a window: `F.count('*').over(Window.partitionBy('user').orderBy('ts').rangeBetween(-3600, 0))`. */
  over(window: WindowSpec): Column { return windowColumn(this.fn, this.input, window, this.name); }
}

const agg = (fn: AggFunction) => (c: string | Column) => new AggColumn(fn, toColumn(c));

/** Spark's aggregate functions (`import { functions as F } from 'quiver'`). */
export const functions = {
  /** count(col) counts non-null values; count() or count('*') counts rows. */
  count: (c?: string | Column) => new AggColumn('count', c === undefined || c === '*' ? null : toColumn(c)),
  sum: agg('sum'), avg: agg('avg'), mean: agg('mean'), min: agg('min'), max: agg('max'),
  stddev: agg('stddev'), variance: agg('variance'), countDistinct: agg('countDistinct'), first: agg('first'), last: agg('last'),
  // Window-only functions: use with .over(window).
  row_number: () => new WindowFunction('row_number'), rank: () => new WindowFunction('rank'), dense_rank: () => new WindowFunction('dense_rank'),
  percent_rank: () => new WindowFunction('percent_rank'), cume_dist: () => new WindowFunction('cume_dist'),
  /** The value `offset` rows before the current one in its window partition, else `defaultValue`. */
  lag: (c: string | Column, offset = 1, defaultValue: Literal = null) => offsetFunction('lag', c, offset, defaultValue),
  /** The value `offset` rows after the current one in its window partition, else `defaultValue`. */
  lead: (c: string | Column, offset = 1, defaultValue: Literal = null) => offsetFunction('lead', c, offset, defaultValue),
  // Row-wise functions used with missing values (also exported on their own).
  coalesce, isnan,
};

/** The reduce side of a group-by; its fields are public so that streaming can keep its state across batches. */
export class GroupReduceNode extends LogicalNode {
  constructor(readonly exchange: ExchangeNode, readonly keys: string[], readonly aggs: AggSpec[],
    readonly combine: boolean, private readonly inputTypes: GroupReducePlan['inputTypes'], readonly schema: StructType) {
    super(exchange.engine);
  }
  numPartitions(): number { return this.exchange.numPartitions(); }
  protected async compute(): Promise<PartitionPlan[]> {
    const fields = this.schema.fields as StructField[];
    return (await this.exchange.plans()).map((child): GroupReducePlan => ({
      kind: 'groupReduce', child, params: { keys: this.keys, aggs: this.aggs, combine: this.combine }, inputTypes: this.inputTypes, fields,
    }));
  }
}

export class GroupedData {
  constructor(private readonly df: DataFrame, private readonly keys: string[]) {
    for (const k of keys) {
      const t = df.schema.field(k).type; // throws naming an unknown column
      const err = keyTypeError('groupBy', k, t);
      if (err) throw err;
    }
  }

  count(): DataFrame { return this.agg(functions.count()); }

  /** `agg({ v: 'sum', w: 'mean' })` or `agg(F.sum('v').alias('total'), F.count())`. */
  agg(...specs: (AggColumn | Record<string, string>)[]): DataFrame {
    const columns: AggColumn[] = [];
    for (const s of specs) {
      if (s instanceof AggColumn) { columns.push(s); continue; }
      for (const [c, fn] of Object.entries(s)) {
        if (!AGG_FUNCTIONS.includes(fn as AggFunction)) throw new Error(`agg: unknown aggregate function '${fn}' for column '${c}'; expected one of ${AGG_FUNCTIONS.join(', ')}`);
        columns.push(fn === 'count' && c === '*' ? functions.count() : new AggColumn(fn as AggFunction, col(c)));
      }
    }
    return aggregate(this.df, this.keys, columns);
  }

  sum(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => functions.sum(c))); }
  avg(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => functions.avg(c))); }
  mean(...cols: string[]): DataFrame { return this.avg(...cols); }
  min(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => functions.min(c))); }
  max(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => functions.max(c))); }
}

/** Groups by `keys` and computes `columns`; with no keys, one row over the whole DataFrame. */
export function aggregate(df: DataFrame, keys: string[], columns: AggColumn[]): DataFrame {
  // Inputs that are expressions are projected first, so the kernels only read named columns.
  const inputs = columns.map((c, i) => (c.input === null ? null : c.input.expr.op === 'col' ? c.input.expr.name : `__agg_in${i}`));
  const needsProjection = columns.some((c, i) => c.input !== null && inputs[i] !== (c.input.expr.op === 'col' ? c.input.expr.name : null));
  const source = needsProjection
    ? df.select(...keys.map((k) => col(k)), ...columns.flatMap((c, i) => (c.input && inputs[i]!.startsWith('__agg_in') ? [c.input.alias(inputs[i]!)] : [])),
      ...[...new Set(inputs.filter((x): x is string => x !== null && !x.startsWith('__agg_in') && !keys.includes(x)))].map((x) => col(x)))
    : df;
  const aggs: AggSpec[] = columns.map((c, i) => ({ fn: c.fn, input: inputs[i] }));
  const inputTypes = aggs.map((a) => (a.input === null ? null : source.schema.field(a.input).type));
  const fields: StructField[] = [
    ...keys.map((k) => ({ ...source.schema.field(k) })),
    ...columns.map((c, i): StructField => ({
      name: c.name ?? aggName(c.fn, c.input ? exprName(c.input.expr) : null),
      type: aggResultType(c.fn, inputTypes[i], inputs[i] ?? '*'),
      nullable: !(c.fn === 'count' || c.fn === 'countDistinct'),
    })),
  ];
  const names = fields.map((f) => f.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`agg: two output columns would be named '${dup}'; alias one of them`);
  const combine = !columns.some((c) => c.fn === 'countDistinct');
  const n = keys.length === 0 ? 1 : df.session.defaultParallelism;
  const exchange = new ExchangeNode(source.node, GROUP_MAP, { keys, aggs, combine }, n);
  const node = new GroupReduceNode(exchange, keys, aggs, combine, inputTypes, new StructType(fields));
  return df.withNode(node);
}
