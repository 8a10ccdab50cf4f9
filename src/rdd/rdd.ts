// Spark's RDD on Quiver's engine: an immutable, lazy, partitioned collection of JS values. Each RDD
// knows its parents (the lineage) and how to produce one partition plan per partition (plan.ts);
// narrow transformations add an op to their parent's plans, shuffles run their map side as a job
// and keep its pieces as shared blocks for as long as the RDD lives, and actions run kernels
// (rdd.kernels.ts) over the plans. Functions travel as source (functions.ts).
import type { Broadcast } from '../engine/broadcast.js';
import type { EngineContext } from '../engine/context.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { treeMerge } from '../engine/aggregate.js';
import { blockPlan } from '../dataframe/plan.js';
import { CacheState, StorageLevel } from '../dataframe/storage.js';
import { DataFrame } from '../dataframe/dataframe.js';
import { SourceNode } from '../dataframe/logical.js';
import { inferSchema } from '../dataframe/rows.js';
import { fsFor, s3SettingsOf } from '../dataframe/io/files.js';
import { normalizePath } from '../fs/paths.js';
import { ship, type AnyFn } from './functions.js';
import { compareValues, keyString } from './keys.js';
import { elementToRow, type CartesianPlan, type MergePlan, type TaskPlan, type Op, type PipePlan, type ToRowsPlan } from './plan.js';
import {
  RDD_AGGREGATE, RDD_COLLECT, RDD_COUNT, RDD_COUNT_BY, RDD_FOREACH, RDD_REDUCE, RDD_SAMPLE_KEYS, RDD_SAVE_TEXT, RDD_SHUFFLE_WRITE,
  RDD_TAKE, RDD_TAKE_ORDERED, type Partial, type ShuffleParams,
} from './rdd.kernels.js';
import { schemaFrom, type SchemaSpec } from './schema.js';
import type { SparkContext } from './context.js';

/** How an RDD was made: what toDebugString prints, and how to compute its partition plans. */
export interface RddSpec {
  /** Spark's class name for the kind of RDD (ParallelCollectionRDD, MapPartitionsRDD, ShuffledRDD, ...). */
  name: string;
  /** The method that created it. */
  origin: string;
  parents: RDD<unknown>[];
  /** Whether the parents are read through a shuffle (a stage boundary in toDebugString). */
  shuffle?: boolean;
  partitions: number;
  compute: () => Promise<PartitionPlan[]>;
}

let nextId = 0;

const asTask = (child: PartitionPlan): TaskPlan => ({ kind: 'rdd.task', child });

const withOp = (plan: PartitionPlan, op: Op): PipePlan => (plan.kind === 'rdd.pipe'
  ? { ...(plan as PipePlan), ops: [...(plan as PipePlan).ops, op] }
  : { kind: 'rdd.pipe', child: plan, ops: [op] });

function positiveInt(v: number | undefined, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`RDD.${what}: numPartitions must be a positive integer but got ${v}`);
  return v;
}

/** A deep copy of a value the workers will receive, refused with a clear error when it cannot travel. */
export function cloneForWorkers<T>(value: T, what: string): T {
  try {
    return structuredClone(value);
  } catch (e) {
    throw new Error(`${what}: the value cannot be sent to the worker threads (${(e as Error).message}); ` +
      'RDD values must be structured-clonable: numbers, strings, booleans, null, arrays, plain objects, Maps, Sets, dates, typed arrays');
  }
}

export class RDD<T> {
  /** A number unique in this process, as Spark's RDD id. */
  readonly id = nextId++;
  private cacheState: CacheState | null = null;

  /** @internal Use the SparkContext's methods (parallelize, textFile) or DataFrame.rdd to make RDDs. */
  constructor(readonly context: SparkContext, private readonly spec: RddSpec) {}

  private get engine(): EngineContext { return this.context.engine; }

  /** @internal The partition plans (the cached blocks once persisted and computed). */
  plans(): Promise<PartitionPlan[]> {
    return this.cacheState ? this.cacheState.plans(() => this.spec.compute()) : this.spec.compute();
  }

  /** The plans as the top of a task: the kernel receives the elements without an encoding (plan.ts, TaskPlan). */
  private async taskPlans(): Promise<PartitionPlan[]> { return (await this.plans()).map(asTask); }

  getNumPartitions(): number { return this.spec.partitions; }

  // --- narrow transformations ------------------------------------------------------------------

  private narrow<U>(origin: string, op: (index: number) => Op): RDD<U> {
    return new RDD<U>(this.context, {
      name: 'MapPartitionsRDD', origin, parents: [this], partitions: this.spec.partitions,
      compute: async () => (await this.plans()).map((p, i) => withOp(p, op(i))),
    });
  }

  /** `f(x)` of every element; with a broadcast variable, `f(x, bc.value)`. */
  map<U, B = never>(f: (x: T, bc: B) => U, bc?: Broadcast<B>): RDD<U> {
    const fn = ship(f, 'map', bc);
    return this.narrow('map', () => ({ op: 'map', fn }));
  }

  /** The elements of the iterables `f` returns, in order. */
  flatMap<U, B = never>(f: (x: T, bc: B) => Iterable<U>, bc?: Broadcast<B>): RDD<U> {
    const fn = ship(f, 'flatMap', bc);
    return this.narrow('flatMap', () => ({ op: 'flatMap', fn }));
  }

  filter<B = never>(f: (x: T, bc: B) => unknown, bc?: Broadcast<B>): RDD<T> {
    const fn = ship(f, 'filter', bc);
    return this.narrow('filter', () => ({ op: 'filter', fn }));
  }

  /** `f` receives an iterator over one partition's elements and returns an iterable (a generator, an array). */
  mapPartitions<U, B = never>(f: (it: IterableIterator<T>, bc: B) => Iterable<U>, bc?: Broadcast<B>): RDD<U> {
    const fn = ship(f, 'mapPartitions', bc);
    return this.narrow('mapPartitions', () => ({ op: 'mapPartitions', fn }));
  }

  mapPartitionsWithIndex<U, B = never>(f: (index: number, it: IterableIterator<T>, bc: B) => Iterable<U>, bc?: Broadcast<B>): RDD<U> {
    const fn = ship(f, 'mapPartitionsWithIndex', bc);
    return this.narrow('mapPartitionsWithIndex', (index) => ({ op: 'mapPartitionsWithIndex', fn, index }));
  }

  /** [f(x), x] pairs. */
  keyBy<K, B = never>(f: (x: T, bc: B) => K, bc?: Broadcast<B>): RDD<[K, T]> {
    const fn = ship(f, 'keyBy', bc);
    return this.narrow('keyBy', () => ({ op: 'keyBy', fn }));
  }

  mapValues<K, V, U, B = never>(this: RDD<[K, V]>, f: (v: V, bc: B) => U, bc?: Broadcast<B>): RDD<[K, U]> {
    const fn = ship(f, 'mapValues', bc);
    return this.narrow('mapValues', () => ({ op: 'mapValues', fn }));
  }

  flatMapValues<K, V, U, B = never>(this: RDD<[K, V]>, f: (v: V, bc: B) => Iterable<U>, bc?: Broadcast<B>): RDD<[K, U]> {
    const fn = ship(f, 'flatMapValues', bc);
    return this.narrow('flatMapValues', () => ({ op: 'flatMapValues', fn }));
  }

  keys<K, V>(this: RDD<[K, V]>): RDD<K> { return this.map((kv) => kv[0]); }

  values<K, V>(this: RDD<[K, V]>): RDD<V> { return this.map((kv) => kv[1]); }

  /** Each partition as one array. */
  glom(): RDD<T[]> { return this.narrow('glom', () => ({ op: 'glom' })); }

  /**
   * A random subset: each element kept with probability `fraction`, or (with replacement) repeated
   * a Poisson(`fraction`) number of times. The draws depend on the seed and the partition only.
   */
  sample(withReplacement: boolean, fraction: number, seed: number = Math.floor(Math.random() * 2 ** 31)): RDD<T> {
    if (!(fraction >= 0) || (!withReplacement && fraction > 1)) {
      throw new Error(`RDD.sample: fraction must be in [0, 1] without replacement and >= 0 with it, but got ${fraction}`);
    }
    return this.narrow('sample', (index) => ({ op: 'sample', withReplacement, fraction, seed, index }));
  }

  /** The partitions of this RDD followed by those of the others (no shuffle). */
  union(...others: RDD<T>[]): RDD<T> {
    for (const o of others) {
      if (!(o instanceof RDD)) throw new Error('RDD.union: expected RDDs');
      if (o.context !== this.context) throw new Error('RDD.union: the RDDs belong to different SparkContexts (sessions)');
    }
    const all = [this, ...others];
    return new RDD<T>(this.context, {
      name: 'UnionRDD', origin: 'union', parents: all, partitions: all.reduce((s, r) => s + r.spec.partitions, 0),
      compute: async () => (await Promise.all(all.map((r) => r.plans()))).flat(),
    });
  }

  /** Every [x, y] with x of this RDD and y of the other: partition (i, j) pairs partition i with partition j, as Spark's. */
  cartesian<U>(other: RDD<U>): RDD<[T, U]> {
    if (!(other instanceof RDD) || other.context !== this.context) throw new Error('RDD.cartesian: expected an RDD of the same SparkContext');
    return new RDD<[T, U]>(this.context, {
      name: 'CartesianRDD', origin: 'cartesian', parents: [this, other as RDD<unknown>], partitions: this.spec.partitions * other.spec.partitions,
      compute: async () => {
        const [a, b] = await Promise.all([this.plans(), other.plans()]);
        return a.flatMap((left) => b.map((right): CartesianPlan => ({ kind: 'rdd.cartesian', left, right })));
      },
    });
  }

  /** [element, index] with indices counted across partitions in order (runs a count job first, as Spark). */
  zipWithIndex(): RDD<[T, number]> {
    // The starts are counted once, on first use, as Spark counts them when the RDD is made.
    let starts: Promise<number[]> | null = null;
    const count = async (plans: PartitionPlan[]) => {
      const counts = plans.length > 1 ? await this.engine.runJob<number>(RDD_COUNT, plans.slice(0, -1).map(asTask)) : [];
      let start = 0;
      return plans.map((_, i) => { const s = start; start += counts[i] ?? 0; return s; });
    };
    return new RDD<[T, number]>(this.context, {
      name: 'ZippedWithIndexRDD', origin: 'zipWithIndex', parents: [this], partitions: this.spec.partitions,
      compute: async () => {
        const plans = await this.plans();
        const s = await (starts ??= count(plans).catch((e) => { starts = null; throw e; }));
        return plans.map((p, i) => withOp(p, { op: 'zipWithIndex', start: s[i] }));
      },
    });
  }

  /** Fewer partitions by merging neighbours, without a shuffle (or through one, as repartition, when `shuffle`). */
  coalesce(numPartitions: number, shuffle = false): RDD<T> {
    const n = positiveInt(numPartitions, 'coalesce', 1);
    if (shuffle) return this.repartition(n);
    const m = this.spec.partitions;
    if (m <= n) return this;
    return new RDD<T>(this.context, {
      name: 'CoalescedRDD', origin: 'coalesce', parents: [this], partitions: n,
      compute: async () => {
        const plans = await this.plans();
        return Array.from({ length: n }, (_, j): MergePlan => ({
          kind: 'rdd.merge', children: plans.slice(Math.floor((j * m) / n), Math.floor(((j + 1) * m) / n)),
        }));
      },
    });
  }

  // --- shuffles --------------------------------------------------------------------------------

  /** Spark's default partitioner's count: spark.default.parallelism if set, else the parent's partitions. */
  private defaultPartitions(...others: RDD<unknown>[]): number {
    const set = this.context.session.conf.get('spark.default.parallelism');
    if (set !== undefined) return Number(set);
    return Math.max(1, this.spec.partitions, ...others.map((o) => o.spec.partitions));
  }

  /**
   * A shuffle: every partition is split into n pieces by `params` (map-side combined first when it
   * says so), and reduce partition j reads piece j of every map partition, in partition order, then
   * runs `reduceOps`. The map side runs once, on first use, and its pieces stay as blocks.
   */
  private shuffled<U>(origin: string, n: number, params: Omit<ShuffleParams, 'n' | 'origin'> | (() => Promise<Omit<ShuffleParams, 'n' | 'origin'>>), reduceOps: Op[],
    parents: RDD<unknown>[] = [this]): RDD<U> {
    let output: Promise<PartitionPlan[]> | null = null;
    const run = async (owner: object): Promise<PartitionPlan[]> => {
      const p = typeof params === 'function' ? await params() : params;
      const pieces = await this.engine.runJob<(SharedArrayBuffer | null)[]>(RDD_SHUFFLE_WRITE, await this.taskPlans(), { ...p, n, origin });
      const groups: string[][] = Array.from({ length: n }, () => []);
      for (const parts of pieces) parts.forEach((buf, j) => { if (buf) groups[j].push(this.engine.putBlock(buf)); });
      // The blocks live as long as the shuffled RDD (and so as long as anything computed from it).
      this.engine.holdBlocks(owner, groups.flat());
      return groups.map((ids) => {
        const merged: PartitionPlan = ids.length === 1 ? blockPlan(ids[0]) : { kind: 'rdd.merge', children: ids.map(blockPlan) } satisfies MergePlan;
        return reduceOps.length ? { kind: 'rdd.pipe', child: merged, ops: reduceOps } satisfies PipePlan : merged;
      });
    };
    const rdd: RDD<U> = new RDD<U>(this.context, {
      name: 'ShuffledRDD', origin, parents, shuffle: true, partitions: n,
      compute: () => (output ??= run(rdd).catch((e) => { output = null; throw e; })),
    });
    return rdd;
  }

  /**
   * Spark's combineByKey: per key, `createCombiner(v)` for its first value in a partition and
   * `mergeValue(c, v)` for the others (before the shuffle: map-side combining), then
   * `mergeCombiners` across partitions.
   */
  combineByKey<K, V, C>(this: RDD<[K, V]>, createCombiner: (v: V) => C, mergeValue: (c: C, v: V) => C, mergeCombiners: (a: C, b: C) => C,
    numPartitions?: number): RDD<[K, C]> {
    const create = ship(createCombiner, 'combineByKey');
    const merge = ship(mergeValue, 'combineByKey');
    const combine = ship(mergeCombiners, 'combineByKey');
    return this.shuffled('combineByKey', positiveInt(numPartitions, 'combineByKey', this.defaultPartitions()),
      { by: 'key', combine: { create, mergeValue: merge } }, [{ op: 'combine', mergeCombiners: combine }]);
  }

  /** Merges the values of each key with `f` (associative and commutative), combining map-side first. */
  reduceByKey<K, V>(this: RDD<[K, V]>, f: (a: V, b: V) => V, numPartitions?: number): RDD<[K, V]> {
    const fn = ship(f, 'reduceByKey');
    return this.shuffled('reduceByKey', positiveInt(numPartitions, 'reduceByKey', this.defaultPartitions()),
      { by: 'key', combine: { create: null, mergeValue: fn } }, [{ op: 'combine', mergeCombiners: fn }]);
  }

  /** Per key: `seqOp` folds values into a copy of `zero` in each partition, `combOp` merges across partitions. */
  aggregateByKey<K, V, U>(this: RDD<[K, V]>, zero: U, seqOp: (acc: U, v: V) => U, combOp: (a: U, b: U) => U, numPartitions?: number): RDD<[K, U]> {
    const seq = ship(seqOp, 'aggregateByKey');
    const comb = ship(combOp, 'aggregateByKey');
    return this.shuffled('aggregateByKey', positiveInt(numPartitions, 'aggregateByKey', this.defaultPartitions()),
      { by: 'key', combine: { create: null, zero: { value: cloneForWorkers(zero, 'RDD.aggregateByKey zero value') }, mergeValue: seq } },
      [{ op: 'combine', mergeCombiners: comb }]);
  }

  foldByKey<K, V>(this: RDD<[K, V]>, zero: V, f: (a: V, b: V) => V, numPartitions?: number): RDD<[K, V]> {
    return this.aggregateByKey(zero, f, f, numPartitions);
  }

  /** [key, values] with the values in partition order (no map-side combining, as Spark). */
  groupByKey<K, V>(this: RDD<[K, V]>, numPartitions?: number): RDD<[K, V[]]> {
    return this.shuffled('groupByKey', positiveInt(numPartitions, 'groupByKey', this.defaultPartitions()), { by: 'key' }, [{ op: 'group' }]);
  }

  /** [key, x] grouped by `f(x)`. */
  groupBy<K>(f: (x: T) => K, numPartitions?: number): RDD<[K, T[]]> { return this.keyBy(f).groupByKey(numPartitions); }

  /** Each distinct element once (compared by value, as keys are). */
  distinct(numPartitions?: number): RDD<T> {
    return this.shuffled('distinct', positiveInt(numPartitions, 'distinct', this.defaultPartitions()), { by: 'element', distinct: true }, [{ op: 'distinct' }]);
  }

  /** A round-robin shuffle into n partitions (as Spark's repartition). */
  repartition(numPartitions: number): RDD<T> {
    return this.shuffled('repartition', positiveInt(numPartitions, 'repartition', 1), { by: 'roundRobin' }, []);
  }

  /**
   * Sorted by key across partitions: range partitioning on bounds sampled from the keys (a job of
   * its own, as Spark), then a stable sort inside each partition.
   */
  sortByKey<K, V>(this: RDD<[K, V]>, ascending = true, numPartitions?: number): RDD<[K, V]> {
    const n = positiveInt(numPartitions, 'sortByKey', Math.max(1, this.spec.partitions));
    const parent = this;
    const params = async (): Promise<Omit<ShuffleParams, 'n' | 'origin'>> => {
      const m = Math.ceil((3 * Math.min(20 * n, 1e6)) / Math.max(1, parent.spec.partitions));
      const sample = (await parent.engine.runJob<unknown[]>(RDD_SAMPLE_KEYS, await parent.taskPlans(), { m })).flat().sort(compareValues);
      const bounds: unknown[] = [];
      for (let j = 1; j < n && sample.length; j++) {
        const b = sample[Math.min(sample.length - 1, Math.floor((j * sample.length) / n))];
        if (!bounds.length || compareValues(bounds[bounds.length - 1], b) < 0) bounds.push(b);
      }
      return { by: 'key', range: { bounds, ascending } };
    };
    return this.shuffled('sortByKey', n, params, [{ op: 'sortByKey', ascending }]);
  }

  sortBy<K>(f: (x: T) => K, ascending = true, numPartitions?: number): RDD<T> {
    return this.keyBy(f).sortByKey(ascending, numPartitions).values();
  }

  /** [key, [values of this, values of other]] for every key of either. */
  cogroup<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V[], W[]]]> {
    const n = positiveInt(numPartitions, 'cogroup', this.defaultPartitions(other as RDD<unknown>));
    const left = this.map((kv) => [kv[0], [0, kv[1]]] as [K, [number, unknown]]);
    const right = other.map((kv) => [kv[0], [1, kv[1]]] as [K, [number, unknown]]);
    return left.union(right).groupByKey(n).mapValues((tagged) => {
      const vs: unknown[] = [], ws: unknown[] = [];
      for (const [side, v] of tagged) (side === 0 ? vs : ws).push(v);
      return [vs, ws];
    }) as unknown as RDD<[K, [V[], W[]]]>;
  }

  /** [key, [v, w]] for every pair of values of a key present in both. */
  join<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V, W]]> {
    return this.cogroup(other, numPartitions).flatMapValues((vw) => {
      const out: unknown[][] = [];
      for (const v of vw[0]) for (const w of vw[1]) out.push([v, w]);
      return out;
    }) as unknown as RDD<[K, [V, W]]>;
  }

  /** As join, keeping keys only in this RDD with `null` for the missing value. */
  leftOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V, W | null]]> {
    return this.cogroup(other, numPartitions).flatMapValues((vw) => {
      const out: unknown[][] = [];
      const ws = vw[1].length ? vw[1] : [null];
      for (const v of vw[0]) for (const w of ws) out.push([v, w]);
      return out;
    }) as unknown as RDD<[K, [V, W | null]]>;
  }

  rightOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V | null, W]]> {
    return this.cogroup(other, numPartitions).flatMapValues((vw) => {
      const out: unknown[][] = [];
      const vs = vw[0].length ? vw[0] : [null];
      for (const v of vs) for (const w of vw[1]) out.push([v, w]);
      return out;
    }) as unknown as RDD<[K, [V | null, W]]>;
  }

  fullOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V | null, W | null]]> {
    return this.cogroup(other, numPartitions).flatMapValues((vw) => {
      const out: unknown[][] = [];
      const vs = vw[0].length ? vw[0] : [null], ws = vw[1].length ? vw[1] : [null];
      for (const v of vs) for (const w of ws) out.push([v, w]);
      return out;
    }) as unknown as RDD<[K, [V | null, W | null]]>;
  }

  // --- actions ---------------------------------------------------------------------------------

  private async run<R>(kernel: string, params: unknown = null): Promise<R[]> {
    return this.engine.runJob<R>(kernel, await this.taskPlans(), params);
  }

  /** Every element, in partition order. */
  async collect(): Promise<T[]> { return (await this.run<T[]>(RDD_COLLECT)).flat() as T[]; }

  async count(): Promise<number> { return (await this.run<number>(RDD_COUNT)).reduce((a, b) => a + b, 0); }

  /** The first n elements in partition order, scanning partitions in growing waves (1, 4, 16, ...) as Spark. */
  async take(n: number): Promise<T[]> {
    if (!Number.isInteger(n) || n < 0) throw new Error(`RDD.take: n must be a non-negative integer but got ${n}`);
    const plans = await this.taskPlans();
    const out: T[] = [];
    let scanned = 0, wave = 1;
    while (out.length < n && scanned < plans.length) {
      const results = await this.engine.runJob<T[]>(RDD_TAKE, plans.slice(scanned, scanned + wave), { n: n - out.length });
      for (const r of results) for (const x of r) if (out.length < n) out.push(x);
      scanned += wave;
      wave *= 4;
    }
    return out;
  }

  async first(): Promise<T> {
    const xs = await this.take(1);
    if (!xs.length) throw new Error('RDD.first: the RDD is empty');
    return xs[0];
  }

  async isEmpty(): Promise<boolean> { return (await this.take(1)).length === 0; }

  /** Reduces the elements with `f` (associative and commutative): within partitions in the workers, then across them. */
  async reduce(f: (a: T, b: T) => T): Promise<T> {
    const fn = ship(f, 'reduce');
    const partials = (await this.run<Partial>(RDD_REDUCE, { fn })).filter((p) => !p.empty);
    if (!partials.length) throw new Error('RDD.reduce: cannot reduce an empty RDD');
    let acc = partials[0].value as T;
    for (let i = 1; i < partials.length; i++) acc = f(acc, partials[i].value as T);
    return acc;
  }

  /** As reduce, merging the partition results in a tree of the given depth (Spark's treeReduce). */
  async treeReduce(f: (a: T, b: T) => T, depth = 2): Promise<T> {
    const fn = ship(f, 'treeReduce');
    const partials = await this.run<Partial>(RDD_REDUCE, { fn });
    const merged = treeMerge<Partial>(partials, () => ({ empty: true }),
      (a, b) => (a.empty ? b : b.empty ? a : { empty: false, value: f(a.value as T, b.value as T) }), depth);
    if (merged.empty) throw new Error('RDD.treeReduce: cannot reduce an empty RDD');
    return merged.value as T;
  }

  /** Spark's fold: each partition folds into a copy of `zero`, then the partition results fold into another copy. */
  async fold(zero: T, f: (a: T, b: T) => T): Promise<T> { return this.treeAggregateAs('fold', zero, f, f, 1); }

  /** Spark's aggregate: `seqOp` folds each partition into a copy of `zero`, `combOp` merges the results in partition order. */
  async aggregate<U>(zero: U, seqOp: (acc: U, x: T) => U, combOp: (a: U, b: U) => U): Promise<U> {
    return this.treeAggregateAs('aggregate', zero, seqOp, combOp, 1);
  }

  /** As aggregate, merging partition results in a tree of the given depth (the engine's treeAggregate). */
  async treeAggregate<U>(zero: U, seqOp: (acc: U, x: T) => U, combOp: (a: U, b: U) => U, depth = 2): Promise<U> {
    return this.treeAggregateAs('treeAggregate', zero, seqOp, combOp, depth);
  }

  private async treeAggregateAs<U>(what: string, zero: U, seqOp: AnyFn, combOp: AnyFn, depth: number): Promise<U> {
    const seq = ship(seqOp, what);
    ship(combOp, what); // the same rule for both functions, though the merge runs on the driver
    return this.engine.treeAggregate<U>(await this.taskPlans(), cloneForWorkers(zero, `RDD.${what} zero value`), RDD_AGGREGATE, combOp, depth, { seqOp: seq });
  }

  /** The sum of the elements (0 when empty), as PySpark's sum. */
  sum(this: RDD<number>): Promise<number> { return this.fold(0, (a, b) => a + b); }

  /** The mean of the elements (NaN when empty), as PySpark's mean. */
  async mean(this: RDD<number>): Promise<number> {
    const [total, n] = await this.aggregate([0, 0], (acc: number[], x: number) => [acc[0] + x, acc[1] + 1], (a, b) => [a[0] + b[0], a[1] + b[1]]);
    return n === 0 ? NaN : total / n;
  }

  /** The largest element (in the order of sortByKey), or the one with the largest `key(x)`; fails on an empty RDD. */
  async max(key?: (x: T) => unknown): Promise<T> {
    const xs = await this.ordered('max', 1, key, true);
    if (!xs.length) throw new Error('RDD.max: the RDD is empty');
    return xs[0];
  }

  /** The smallest element, or the one with the smallest `key(x)`; fails on an empty RDD. */
  async min(key?: (x: T) => unknown): Promise<T> {
    const xs = await this.ordered('min', 1, key, false);
    if (!xs.length) throw new Error('RDD.min: the RDD is empty');
    return xs[0];
  }

  /** Runs `f` on every element in the workers (for side effects there: files, logs). */
  async foreach<B = never>(f: (x: T, bc: B) => unknown, bc?: Broadcast<B>): Promise<void> {
    await this.run(RDD_FOREACH, { fn: ship(f, 'foreach', bc), partition: false });
  }

  /** Runs `f` on an iterator over each partition in the workers; it may be async. */
  async foreachPartition<B = never>(f: (it: IterableIterator<T>, bc: B) => unknown, bc?: Broadcast<B>): Promise<void> {
    await this.run(RDD_FOREACH, { fn: ship(f, 'foreachPartition', bc), partition: true });
  }

  private async countBy(byKey: boolean): Promise<Map<unknown, number>> {
    const partials = await this.run<[unknown, number][]>(RDD_COUNT_BY, { byKey });
    const acc = new Map<string, [unknown, number]>();
    for (const part of partials) {
      for (const [k, c] of part) { const ks = keyString(k); const e = acc.get(ks); if (e) e[1] += c; else acc.set(ks, [k, c]); }
    }
    return new Map([...acc.values()]);
  }

  /** How many times each key occurs (keys compared by value; the map holds the first key object seen). */
  countByKey<K, V>(this: RDD<[K, V]>): Promise<Map<K, number>> { return this.countBy(true) as Promise<Map<K, number>>; }

  /** How many times each distinct element occurs. */
  countByValue(): Promise<Map<T, number>> { return this.countBy(false) as Promise<Map<T, number>>; }

  private async ordered(what: string, n: number, key: ((x: T) => unknown) | undefined, descending: boolean): Promise<T[]> {
    if (!Number.isInteger(n) || n < 0) throw new Error(`RDD.${what}: n must be a non-negative integer but got ${n}`);
    const partials = await this.run<[unknown, T][]>(RDD_TAKE_ORDERED, { n, key: key ? ship(key, what) : null, descending });
    const sign = descending ? -1 : 1;
    return partials.flat().sort((a, b) => sign * compareValues(a[0], b[0])).slice(0, n).map((kx) => kx[1]);
  }

  /** The n smallest elements (by `key(x)` when given), in ascending order. */
  takeOrdered(n: number, key?: (x: T) => unknown): Promise<T[]> { return this.ordered('takeOrdered', n, key, false); }

  /** The n largest elements (by `key(x)` when given), in descending order. */
  top(n: number, key?: (x: T) => unknown): Promise<T[]> { return this.ordered('top', n, key, true); }

  /**
   * Writes one text file per partition (`part-00000`, ...) under `path`, one element per line:
   * strings as they are, numbers and booleans by String(x), arrays and objects as JSON. The
   * directory appears complete or not at all (written beside it, then renamed into place).
   */
  async saveAsTextFile(path: string): Promise<void> {
    const s3 = s3SettingsOf(this.context.session.conf);
    const fs = fsFor(path, s3);
    const dest = normalizePath(path);
    if (await fs.exists(dest)) throw new Error(`RDD.saveAsTextFile: output directory ${path} already exists`);
    const plans = await this.taskPlans();
    const temp = fs.tempSibling(dest);
    try {
      await fs.mkdirs(temp);
      await this.engine.runJob(RDD_SAVE_TEXT, plans, (i: number) => ({ path: fs.join(temp, `part-${String(i).padStart(5, '0')}`), ...(s3 ? { s3 } : {}) }));
      await fs.writeFile(fs.join(temp, '_SUCCESS'), new Uint8Array(0));
      await fs.rename(temp, dest);
    } catch (e) {
      await fs.delete(temp, true).catch(() => undefined);
      throw new Error(`RDD.saveAsTextFile: writing ${path} failed; nothing was written there: ${(e as Error).message}`, { cause: e });
    }
  }

  // --- persistence, lineage --------------------------------------------------------------------

  /** Keeps the computed partitions (as shared-memory blocks) after the first action; MEMORY_ONLY by default, as Spark's RDDs. */
  persist(level: StorageLevel = StorageLevel.MEMORY_ONLY): this {
    if (this.cacheState && this.cacheState.level !== level) {
      throw new Error(`Cannot change the storage level of an RDD from ${this.cacheState.level} to ${level}; unpersist it first`);
    }
    if (level === StorageLevel.NONE) return this.unpersist();
    this.cacheState ??= new CacheState(level, this.engine);
    return this;
  }

  cache(): this { return this.persist(); }

  unpersist(): this {
    this.cacheState?.release();
    this.cacheState = null;
    return this;
  }

  getStorageLevel(): StorageLevel { return this.cacheState?.level ?? StorageLevel.NONE; }

  get isCached(): boolean { return this.cacheState !== null; }

  /** The lineage, one RDD a line, as Spark prints it: a stage boundary (shuffle) opens `+-(partitions)`. */
  toDebugString(): string {
    const lines: string[] = [];
    const describe = (r: RDD<unknown>) => `${r.spec.name}[${r.id}] at ${r.spec.origin} [${r.cacheState ? r.cacheState.level.toString() : ''}]`;
    const walk = (r: RDD<unknown>, pad: string) => {
      for (const p of r.spec.parents) {
        if (r.spec.shuffle) { lines.push(`${pad} +-(${p.spec.partitions}) ${describe(p)}`); walk(p, `${pad}    `); }
        else { lines.push(`${pad} |  ${describe(p)}`); walk(p, pad); }
      }
    };
    lines.push(`(${this.spec.partitions}) ${describe(this as RDD<unknown>)}`);
    walk(this as RDD<unknown>, '');
    return lines.join('\n');
  }

  toString(): string { return `${this.spec.name}[${this.id}] at ${this.spec.origin}`; }

  // --- DataFrames ------------------------------------------------------------------------------

  /**
   * A DataFrame of this RDD's elements: plain objects give their fields, arrays (tuples) their
   * positions, other values a single column. `schema` may be a StructType, a DDL string
   * ('word string, count int'), a map of names to type names, or column names (types inferred from
   * the first 100 elements, as Spark infers from a sample; default names _1, _2, ... for tuples,
   * 'value' for single values).
   */
  async toDF(schema?: SchemaSpec | readonly string[]): Promise<DataFrame> {
    if (schema !== undefined && !Array.isArray(schema)) return this.toDataFrame(schemaFrom(schema as SchemaSpec));
    const names = schema as readonly string[] | undefined;
    const sample = await this.take(100);
    if (!sample.length) throw new Error('RDD.toDF: cannot infer a schema from an empty RDD; pass the schema (a StructType or a DDL string)');
    const first = sample[0] as unknown;
    const own = Array.isArray(first) ? first.map((_, i) => `_${i + 1}`)
      : first !== null && typeof first === 'object' ? Object.keys(first) : ['value'];
    const rows = sample.map((x, i) => elementToRow(x, own, i, 0));
    const inferred = inferSchema(rows);
    const ordered = own.map((n) => inferred.field(n));
    if (names && names.length !== ordered.length) {
      throw new Error(`RDD.toDF: ${names.length} column names (${names.join(', ')}) given for elements with ${ordered.length} fields (${own.join(', ')})`);
    }
    const fields = ordered.map((f, i) => ({ ...f, name: names ? names[i] : f.name }));
    return this.toDataFrame(schemaFrom(fields), names && !Array.isArray(first) && typeof first === 'object' ? own : undefined);
  }

  /** @internal */
  toDataFrame(schema: ReturnType<typeof schemaFrom>, sourceNames?: string[]): DataFrame {
    const fields = [...schema.fields];
    const node = new SourceNode(this.engine, schema, this.spec.partitions, async () => (await this.plans()).map((child): ToRowsPlan => ({
      kind: 'rdd.toRows', child, fields, ...(sourceNames ? { sourceNames } : {}),
    })));
    return new DataFrame(this.context.session, node);
  }
}
