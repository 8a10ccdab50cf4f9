// The state of a streaming groupBy(...).agg(...): one row per key holding partial aggregates that
// merge across batches (count and sum add, avg keeps a sum and a count, min/max/first/last keep
// their value). After batch b the state is the merge of the state after the previous batch with
// the batch's own partials, written to the checkpoint as state/<b> (Arrow IPC parts, atomically
// published by the DataFrame writer) before the sink runs; a replayed batch rewrites it from the
// same previous state, so the state never counts a batch twice. Each batch reads the previous
// state back from disk, so no lineage grows across batches. Sums of doubles (and avg over them) add
// in another order than one batch pass would, so they may differ from it in the last bits.
import { col, lit, when, type Column } from '../dataframe/column.js';
import type { DataFrame } from '../dataframe/dataframe.js';
import { aggregate, AggColumn, type GroupReduceNode } from '../dataframe/grouped.js';
import type { Session } from '../dataframe/session.js';
import type { AggSpec } from '../dataframe/group.kernels.js';
import type { AtomicTypeName } from '../dataframe/types.js';
import type { Checkpoint } from './checkpoint.js';
import type { OutputMode } from './analysis.js';

const UPDATED = '__updated';
/** Versions of the state kept behind the newest (the newest is what a restart reads). */
const RETAINED_VERSIONS = 2;

interface Slot { name: string; partial: (input: Column | null) => AggColumn; merge: (name: string) => AggColumn }

const fnOf = (fn: 'count' | 'sum' | 'min' | 'max' | 'first' | 'last') =>
  (input: Column | null): AggColumn => new AggColumn(fn, input);

/** The state columns of one aggregate and how they merge. */
function slotsOf(spec: AggSpec, i: number): Slot[] {
  const p = `__p${i}`;
  switch (spec.fn) {
    case 'count': return [{ name: p, partial: fnOf('count'), merge: (n) => new AggColumn('sum', col(n)) }];
    case 'sum': return [{ name: p, partial: fnOf('sum'), merge: (n) => new AggColumn('sum', col(n)) }];
    case 'avg': case 'mean': return [
      // A plain column reference: an expression here would need a projection that could clash with the input's own __agg_in columns.
      { name: `${p}_sum`, partial: fnOf('sum'), merge: (n) => new AggColumn('sum', col(n)) },
      { name: `${p}_count`, partial: fnOf('count'), merge: (n) => new AggColumn('sum', col(n)) },
    ];
    case 'min': case 'max': case 'first': case 'last': {
      const fn = spec.fn;
      return [{ name: p, partial: fnOf(fn), merge: (n) => new AggColumn(fn, col(n)) }];
    }
    default: throw new Error(`${spec.fn}() has no streaming state`); // refused earlier by analyzeStreamingPlan
  }
}

export interface StateBatch { output: DataFrame; numRowsTotal: number; numRowsUpdated: number }

export class AggregationState {
  private readonly keys: string[];
  private readonly slots: Slot[][];

  constructor(private readonly session: Session, private readonly node: GroupReduceNode, private readonly checkpoint: Checkpoint,
    private readonly mode: OutputMode) {
    this.keys = node.keys;
    this.slots = node.aggs.map(slotsOf);
  }

  private dir(batchId: number): string { return this.checkpoint.path('state', String(batchId)); }

  /**
   * Merges the batch's rows (`input`: the aggregation's input over this batch) into the state of
   * `previous` (null: none), saves it as version `batchId`, and returns what the aggregation
   * outputs in this mode (every key in complete mode, the keys the batch touched in update mode).
   */
  async runBatch(batchId: number, previous: number | null, input: DataFrame): Promise<StateBatch> {
    const partials = this.node.aggs.flatMap((a, i) => this.slots[i].map((s) => s.partial(a.input === null ? null : col(a.input)).alias(s.name)));
    let merged = aggregate(input, this.keys, partials).withColumn(UPDATED, lit(1));
    const names = [...this.keys, ...this.slots.flat().map((s) => s.name)];
    if (previous !== null) {
      const before = (await this.session.read.arrow(this.dir(previous))).select(...names).withColumn(UPDATED, lit(0));
      merged = before.union(merged);
    }
    const merges = this.slots.flat().map((s) => s.merge(s.name).alias(s.name));
    const state = aggregate(merged, this.keys, [...merges, new AggColumn('max', col(UPDATED)).alias(UPDATED)]);
    await state.write.format('arrow').mode('overwrite').save(this.dir(batchId));
    await this.forget(batchId - RETAINED_VERSIONS - 1);

    const saved = await this.session.read.arrow(this.dir(batchId));
    const shown = this.mode === 'update' ? saved.filter(col(UPDATED).eq(1)) : saved;
    const [numRowsTotal, numRowsUpdated] = await Promise.all([saved.count(), saved.filter(col(UPDATED).eq(1)).count()]);
    return { output: shown.select(...this.outputColumns()), numRowsTotal, numRowsUpdated };
  }

  /** The aggregation's own output columns, named and typed as the batch aggregation's. */
  private outputColumns(): Column[] {
    const fields = this.node.schema.fields;
    const values = this.node.aggs.map((a, i): Column => {
      const [first, second] = this.slots[i];
      if (a.fn === 'avg' || a.fn === 'mean') return when(col(second.name).gt(0), col(first.name).cast('double').divide(col(second.name)));
      return col(first.name);
    });
    return [
      ...this.keys.map((k) => col(k)),
      ...values.map((v, i) => {
        const f = fields[this.keys.length + i];
        return v.cast(f.type.kind as AtomicTypeName).alias(f.name);
      }),
    ];
  }

  private async forget(batchId: number): Promise<void> {
    if (batchId < 0) return;
    const dir = this.dir(batchId);
    if (await this.checkpoint.fs.exists(dir)) await this.checkpoint.fs.delete(dir, true);
  }
}
