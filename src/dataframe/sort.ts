// orderBy/sort: a global sort by range partitioning on sampled bounds (Spark's approach).
import type { PartitionPlan } from '../engine/protocol.js';
import { Column, col, SortOrder, exprName } from './column.js';
import type { DataFrame } from './dataframe.js';
import { ExchangeNode, LogicalNode } from './logical.js';
import { compareKeys, RANGE_PARTITION, SORT_SAMPLE, type SortKey, type SortPlan } from './sort.kernels.js';
import { keyTypeError, type StructType } from './types.js';

const SAMPLE_PER_PARTITION = 100; // Spark samples ~20 per output partition (×3 oversampling); a little more is cheap

/** Range bounds are chosen when the plan is first needed, from a sample of every partition. */
class RangeExchangeNode extends ExchangeNode {
  constructor(child: LogicalNode, private readonly keys: SortKey[], private readonly partitions: number) {
    super(child, RANGE_PARTITION, {}, partitions);
  }
  protected override async run(): Promise<string[][]> {
    const plans = await this.child.plans();
    const samples = (await this.engine.runJob<(number | string | null)[][]>(SORT_SAMPLE, plans, { keys: this.keys, size: SAMPLE_PER_PARTITION })).flat();
    samples.sort((a, b) => compareKeys(a, b, this.keys));
    const bounds: (number | string | null)[][] = [];
    for (let j = 1; j < this.partitions && samples.length; j++) {
      const b = samples[Math.min(samples.length - 1, Math.floor((j * samples.length) / this.partitions))];
      if (!bounds.length || compareKeys(bounds[bounds.length - 1], b, this.keys) < 0) bounds.push(b);
    }
    this.params = { keys: this.keys, bounds };
    return super.run();
  }
}

export class SortNode extends LogicalNode {
  get schema(): StructType { return this.child.schema; }
  constructor(private readonly child: LogicalNode, private readonly keys: SortKey[]) { super(child.engine); }
  numPartitions(): number { return this.child.numPartitions(); }
  protected async compute(): Promise<PartitionPlan[]> {
    return (await this.child.plans()).map((child): SortPlan => ({ kind: 'sortLocal', child, keys: this.keys }));
  }
}

export interface SortOptions { ascending?: boolean | boolean[] }

export function orderBy(df: DataFrame, cols: (string | Column | SortOrder)[], options: SortOptions = {}): DataFrame {
  if (cols.length === 0) throw new Error('orderBy: give at least one column');
  const asc = options.ascending ?? true;
  const orders = cols.map((c, i) => {
    if (c instanceof SortOrder) return c;
    const a = Array.isArray(asc) ? asc[i] ?? true : asc;
    const column = typeof c === 'string' ? col(c) : c;
    return a ? column.asc() : column.desc();
  });
  // Sort keys that are expressions are computed into temporary columns and dropped afterwards.
  let source = df;
  const keys: SortKey[] = orders.map((o, i) => {
    let column: string;
    if (o.expr.op === 'col') column = o.expr.name;
    else { column = `__sort${i}`; source = source.withColumn(column, new Column(o.expr)); }
    const t = source.schema.field(column).type;
    const err = keyTypeError('orderBy', exprName(o.expr), t);
    if (err) throw err;
    return { column, ascending: o.ascending, nullsFirst: o.nullsFirst };
  });
  const n = Math.max(1, df.session.defaultParallelism);
  const sorted = source.withNode(new SortNode(new RangeExchangeNode(source.node, keys, n), keys));
  return source === df ? sorted : sorted.drop(...keys.map((k) => k.column).filter((c) => c.startsWith('__sort')));
}
