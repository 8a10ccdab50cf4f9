// The kernels of RDD actions and shuffles. Each takes its partition's elements (handed off by the
// task's 'rdd.task' plan, or decoded from a block; codec.ts) and runs the user's functions, rebuilt
// from source.
import type { RecordBatch } from 'apache-arrow';
import { registerAggregator, registerKernel, type TaskContext } from '../engine/kernels.js';
import { batchToShared } from '../engine/blocks.js';
import { randomStream } from '../linalg/random.js';
import { fsFor, type S3Settings } from '../dataframe/io/files.js';
import { encodeElements, takeElements } from './codec.js';
import { unship, type ShippedFn } from './functions.js';
import { compareValues, hashPartition, keyString } from './keys.js';
import { distinctOf } from './plan.js';

const elements = (batch: RecordBatch) => takeElements(batch);

export const RDD_COLLECT = registerKernel('rdd.collect', (batch) => elements(batch));

export const RDD_COUNT = registerKernel('rdd.count', (batch) => elements(batch).length);

export const RDD_TAKE = registerKernel<{ n: number }, unknown[]>('rdd.take', (batch, { n }) => elements(batch).slice(0, n));

/** A partition's reduction, or `empty` when it has no elements (Spark skips those). */
export interface Partial { empty: boolean; value?: unknown }

export const RDD_REDUCE = registerKernel<{ fn: ShippedFn }, Partial>('rdd.reduce', (batch, { fn }, ctx) => {
  const xs = elements(batch);
  if (xs.length === 0) return { empty: true };
  const f = unship(fn, ctx);
  let acc = xs[0];
  for (let i = 1; i < xs.length; i++) acc = f(acc, xs[i]);
  return { empty: false, value: acc };
});

/** The fold of aggregate/treeAggregate/fold: each partition starts from its own copy of the zero value. */
export const RDD_AGGREGATE = registerAggregator<unknown, { seqOp: ShippedFn }>('rdd.aggregate', (zero, batch, { seqOp }, ctx) => {
  const f = unship(seqOp, ctx);
  let acc = zero;
  for (const x of elements(batch)) acc = f(acc, x);
  return acc;
});

export const RDD_FOREACH = registerKernel<{ fn: ShippedFn; partition: boolean }, null>('rdd.foreach', async (batch, { fn, partition }, ctx) => {
  const f = unship(fn, ctx);
  const xs = elements(batch);
  if (partition) await f(xs[Symbol.iterator]());
  else for (const x of xs) f(x);
  return null;
});

/** [value, count] of each distinct value (or key, when `byKey`), in first-seen order: countByValue, countByKey. */
export const RDD_COUNT_BY = registerKernel<{ byKey: boolean }, [unknown, number][]>('rdd.countBy', (batch, { byKey }, ctx) => {
  const counts = new Map<string, [unknown, number]>();
  elements(batch).forEach((x, i) => {
    const k = byKey ? keyOfPair(x, i, 'countByKey', ctx) : x;
    const ks = keyString(k);
    const e = counts.get(ks);
    if (e) e[1]++; else counts.set(ks, [k, 1]);
  });
  return [...counts.values()];
});

/** The n smallest (or largest) elements by their key as [key, element], for takeOrdered and top. */
export const RDD_TAKE_ORDERED = registerKernel<{ n: number; key: ShippedFn | null; descending: boolean }, [unknown, unknown][]>(
  'rdd.takeOrdered', (batch, { n, key, descending }, ctx) => {
    const f = key ? unship(key, ctx) : null;
    const keyed = elements(batch).map((x): [unknown, unknown] => [f ? f(x) : x, x]);
    const sign = descending ? -1 : 1;
    return keyed.sort((a, b) => sign * compareValues(a[0], b[0])).slice(0, n);
  });

/** Up to `m` keys spread evenly over a partition's sorted keys: the sample that range bounds come from. */
export const RDD_SAMPLE_KEYS = registerKernel<{ m: number }, unknown[]>('rdd.sampleKeys', (batch, { m }, ctx) => {
  const keys = elements(batch).map((x, i) => keyOfPair(x, i, 'sortByKey', ctx)).sort(compareValues);
  if (keys.length <= m) return keys;
  return Array.from({ length: m }, (_, j) => keys[Math.floor(((j + 0.5) * keys.length) / m)]);
});

/** Map-side combining of combineByKey: a combiner per key, created from the zero value or by `create`. */
export interface Combine { create: ShippedFn | null; zero?: { value: unknown }; mergeValue: ShippedFn }

export interface ShuffleParams {
  n: number;
  /** The method that shuffles (for errors). */
  origin: string;
  /** 'key': hash of the pair's key; 'element': hash of the element (distinct); 'roundRobin': repartition. */
  by: 'key' | 'element' | 'roundRobin';
  /** Range partitioning by key (sortByKey): partition p holds keys up to bounds[p]. */
  range?: { bounds: unknown[]; ascending: boolean };
  combine?: Combine;
  distinct?: boolean;
}

/**
 * The map side of a shuffle: the partition's elements split into n pieces, each one encoded block
 * (null when empty); within a piece elements keep their order.
 */
export const RDD_SHUFFLE_WRITE = registerKernel<ShuffleParams, (SharedArrayBuffer | null)[]>('rdd.shuffleWrite', (batch, p, ctx) => {
  let xs = elements(batch);
  if (p.combine) xs = combineLocally(xs, p.combine, p.origin, ctx);
  if (p.distinct) xs = distinctOf(xs);
  const pieces: unknown[][] = Array.from({ length: p.n }, () => []);
  if (p.by === 'roundRobin') {
    // Spark's round robin: element k goes to (start + k) mod n, start drawn from a stream keyed by the partition.
    const start = Math.floor(randomStream(0, 'rdd.repartition', ctx.partitionIndex)() * p.n);
    xs.forEach((x, k) => pieces[(start + k) % p.n].push(x));
  } else if (p.range) {
    const { bounds, ascending } = p.range;
    xs.forEach((x, i) => {
      const target = rangePartition(keyOfPair(x, i, p.origin, ctx), bounds);
      pieces[ascending ? target : p.n - 1 - target].push(x);
    });
  } else {
    xs.forEach((x, i) => pieces[hashPartition(keyString(p.by === 'key' ? keyOfPair(x, i, p.origin, ctx) : x), p.n)].push(x));
  }
  return pieces.map((piece) => (piece.length ? batchToShared(encodeElements(piece)) : null));
});

/** The first bound index whose bound is >= key (binary search), else the number of bounds. */
function rangePartition(key: unknown, bounds: readonly unknown[]): number {
  let lo = 0, hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareValues(bounds[mid], key) < 0) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function combineLocally(xs: unknown[], c: Combine, origin: string, ctx: TaskContext): unknown[] {
  const mergeValue = unship(c.mergeValue, ctx);
  const create = c.create ? unship(c.create, ctx) : null;
  const acc = new Map<string, [unknown, unknown]>();
  xs.forEach((x, i) => {
    const k = keyOfPair(x, i, origin, ctx);
    const v = (x as unknown[])[1];
    const ks = keyString(k);
    const e = acc.get(ks);
    if (e) e[1] = mergeValue(e[1], v);
    else acc.set(ks, [k, c.zero ? mergeValue(structuredClone(c.zero.value), v) : create ? create(v) : v]);
  });
  return [...acc.values()];
}

function keyOfPair(x: unknown, i: number, what: string, ctx: TaskContext): unknown {
  if (!Array.isArray(x) || x.length !== 2) {
    let shown: string;
    try { shown = JSON.stringify(x) ?? String(x); } catch { shown = String(x); }
    throw new Error(`${what} expects an RDD of [key, value] pairs, but element ${i} of partition ${ctx.partitionIndex} is ${shown}`);
  }
  return x[0];
}

/** A line of saveAsTextFile: a string as it is, an array or object as JSON (which textFile + JSON.parse reads back), else String(x). */
export function textLine(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x !== null && typeof x === 'object' && !(x instanceof Date)) return JSON.stringify(x);
  return String(x);
}

/** Writes a partition as text, one element per line. */
export const RDD_SAVE_TEXT = registerKernel<{ path: string; s3?: S3Settings }, { path: string }>('rdd.saveText', async (batch, { path, s3 }) => {
  const lines = elements(batch).map((x) => `${textLine(x)}\n`).join('');
  await fsFor(path, s3).writeFile(path, lines);
  return { path };
});
