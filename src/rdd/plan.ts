// Partition plans of RDDs, resolved in the workers. A plan node yields the partition's elements as
// a JS array; a chain of narrow transformations is one 'rdd.pipe' node whose ops run one after
// another over that array (so `map(...).filter(...).map(...)` encodes nothing in between). At the
// top of a task, or wherever the engine needs a batch, the array is encoded (codec.ts).
import { deserialize } from 'node:v8';
import type { TaskContext } from '../engine/kernels.js';
import { registerInput } from '../engine/kernels.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { randomStream, poisson } from '../linalg/random.js';
import { makeBatch } from '../dataframe/batch.js';
import { schemaOf } from '../dataframe/plan.js';
import { batchToRows, columnFromRows, type Row } from '../dataframe/rows.js';
import { StructType, type StructField } from '../dataframe/types.js';
import { readTextSplit } from '../dataframe/io/sources.js';
import type { S3Settings } from '../dataframe/io/files.js';
import { decodeElements, encodeElements, handOff } from './codec.js';
import { unship, type ShippedFn } from './functions.js';
import { compareValues, keyString } from './keys.js';

/** One narrow step over a partition's elements. */
export type Op =
  | { op: 'map' | 'flatMap' | 'filter' | 'keyBy' | 'mapValues' | 'flatMapValues' | 'mapPartitions'; fn: ShippedFn }
  | { op: 'mapPartitionsWithIndex'; fn: ShippedFn; index: number }
  | { op: 'glom' }
  | { op: 'zipWithIndex'; start: number }
  | { op: 'sample'; withReplacement: boolean; fraction: number; seed: number; index: number }
  /** Reduce side of combineByKey: merges the combiners of equal keys. */
  | { op: 'combine'; mergeCombiners: ShippedFn }
  /** Reduce side of groupByKey: [key, values] in first-seen order. */
  | { op: 'group' }
  | { op: 'distinct' }
  | { op: 'sortByKey'; ascending: boolean };

/**
 * A slice of a driver array, serialized once when parallelized (as Spark does): bytes pass through
 * the engine's plan handling untouched, where a Map or a Date inside a plan object would not.
 */
export interface ValuesPlan extends PartitionPlan { kind: 'rdd.values'; bytes: Uint8Array }
export interface PipePlan extends PartitionPlan { kind: 'rdd.pipe'; child: PartitionPlan; ops: Op[] }
/** The elements of several partitions one after another (coalesce; the pieces of a shuffle). */
export interface MergePlan extends PartitionPlan { kind: 'rdd.merge'; children: PartitionPlan[] }
/** The rows of a DataFrame partition as plain objects (df.rdd). */
export interface RowsPlan extends PartitionPlan { kind: 'rdd.rows'; child: PartitionPlan }
/** The lines of a byte range of a text file (Hadoop's rule: a line belongs to the range it starts in). */
export interface TextPlan extends PartitionPlan { kind: 'rdd.text'; path: string; start: number; end: number; size: number; s3?: S3Settings }
/**
 * The top of an RDD action's task: its elements go to the kernel as they are, through an in-thread
 * hand-off keyed by the (empty) batch the engine passes on (codec.ts), with no encoding at all.
 */
export interface TaskPlan extends PartitionPlan { kind: 'rdd.task'; child: PartitionPlan }
/** Every pair of an element of `left` and one of `right` (a partition of cartesian). */
export interface CartesianPlan extends PartitionPlan { kind: 'rdd.cartesian'; left: PartitionPlan; right: PartitionPlan }
/** A DataFrame partition built from an RDD partition's elements (rdd.toDF, createDataFrame(rdd)). */
export interface ToRowsPlan extends PartitionPlan {
  kind: 'rdd.toRows'; child: PartitionPlan; fields: StructField[];
  /** The fields of object elements to read, by position, when the columns were renamed (toDF(names)). */
  sourceNames?: string[];
}

const resolvers = new Map<string, (plan: PartitionPlan, ctx: TaskContext) => Promise<unknown[]>>();

/** The elements of any RDD plan: an RDD node directly, anything else (a block) through its batch. */
export async function computeElements(plan: PartitionPlan, ctx: TaskContext): Promise<unknown[]> {
  const r = resolvers.get(plan.kind);
  return r ? r(plan, ctx) : decodeElements(await ctx.compute(plan));
}

function registerElements<P extends PartitionPlan>(kind: P['kind'], resolve: (plan: P, ctx: TaskContext) => Promise<unknown[]> | unknown[]): void {
  const r = async (plan: PartitionPlan, ctx: TaskContext) => resolve(plan as P, ctx);
  resolvers.set(kind, r);
  registerInput(kind, async (plan, ctx) => encodeElements(await r(plan, ctx)));
}

registerInput('rdd.task', async (plan, ctx) => handOff(await computeElements((plan as TaskPlan).child, ctx)));

registerElements<ValuesPlan>('rdd.values', (p) => deserialize(p.bytes) as unknown[]);

registerElements<MergePlan>('rdd.merge', async (p, ctx) => {
  const out: unknown[] = [];
  for (const child of p.children) for (const x of await computeElements(child, ctx)) out.push(x);
  return out;
});

registerElements<RowsPlan>('rdd.rows', async (p, ctx) => {
  const batch = await ctx.compute(p.child);
  return batchToRows(schemaOf(batch), batch);
});

registerElements<TextPlan>('rdd.text', async (p) => {
  const { text } = await readTextSplit(p.path, p.s3, { start: p.start, end: p.end, size: p.size });
  return splitLines(text);
});

registerElements<CartesianPlan>('rdd.cartesian', async (p, ctx) => {
  const xs = await computeElements(p.left, ctx), ys = await computeElements(p.right, ctx);
  const out: unknown[] = [];
  for (const x of xs) for (const y of ys) out.push([x, y]);
  return out;
});

registerElements<PipePlan>('rdd.pipe', async (p, ctx) => {
  let xs = await computeElements(p.child, ctx);
  for (const op of p.ops) xs = runOp(op, xs, ctx);
  return xs;
});

registerInput('rdd.toRows', async (plan, ctx) => {
  const p = plan as ToRowsPlan;
  const xs = await computeElements(p.child, ctx);
  const schema = new StructType(p.fields);
  const rows = xs.map((x, i) => elementToRow(x, schema.fieldNames, i, ctx.partitionIndex, p.sourceNames));
  return makeBatch(schema, p.fields.map((f) => columnFromRows(f, rows, 0, rows.length,
    (r) => `element ${r} of RDD partition ${ctx.partitionIndex}`)), rows.length);
});

/** Lines without their terminators (\n, \r\n or \r); a final terminator does not start an empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * An element as a DataFrame row: a plain object as it is (its fields by name), an array (a tuple)
 * position by position, anything else as the single column.
 */
export function elementToRow(x: unknown, names: string[], i: number, partition: number, sourceNames?: string[]): Row {
  if (Array.isArray(x)) {
    if (x.length !== names.length) {
      throw new Error(`element ${i} of RDD partition ${partition} has ${x.length} fields but the schema has ${names.length} (${names.join(', ')})`);
    }
    const row: Row = {};
    names.forEach((n, j) => { row[n] = x[j]; });
    return row;
  }
  if (x !== null && typeof x === 'object' && !(x instanceof Date) && !ArrayBuffer.isView(x)) {
    if (!sourceNames) return x as Row;
    const row: Row = {};
    names.forEach((n, j) => { row[n] = (x as Row)[sourceNames[j]]; });
    return row;
  }
  if (names.length !== 1) throw new Error(`element ${i} of RDD partition ${partition} is a single value but the schema has ${names.length} columns (${names.join(', ')})`);
  return { [names[0]]: x };
}

function pairOf(x: unknown, i: number, what: string, ctx: TaskContext): [unknown, unknown] {
  if (!Array.isArray(x) || x.length !== 2) {
    throw new Error(`${what} expects an RDD of [key, value] pairs, but element ${i} of partition ${ctx.partitionIndex} is ${describe(x)}`);
  }
  return x as [unknown, unknown];
}

function describe(x: unknown): string {
  try { const s = JSON.stringify(x); return s === undefined ? String(x) : s.length > 80 ? `${s.slice(0, 77)}...` : s; } catch { return String(x); }
}

function iterableResult(v: unknown, what: string): Iterable<unknown> {
  if (v === null || v === undefined || typeof (v as Iterable<unknown>)[Symbol.iterator] !== 'function' || typeof v === 'string') {
    throw new Error(`the function of ${what} must return an array or another iterable (not a string), but returned ${describe(v)}`);
  }
  return v as Iterable<unknown>;
}

function runOp(op: Op, xs: unknown[], ctx: TaskContext): unknown[] {
  const out: unknown[] = [];
  switch (op.op) {
    case 'map': { const f = unship(op.fn, ctx); for (const x of xs) out.push(f(x)); return out; }
    case 'filter': { const f = unship(op.fn, ctx); for (const x of xs) if (f(x)) out.push(x); return out; }
    case 'flatMap': { const f = unship(op.fn, ctx); for (const x of xs) for (const y of iterableResult(f(x), 'flatMap')) out.push(y); return out; }
    case 'keyBy': { const f = unship(op.fn, ctx); for (const x of xs) out.push([f(x), x]); return out; }
    case 'mapValues': {
      const f = unship(op.fn, ctx);
      xs.forEach((x, i) => { const [k, v] = pairOf(x, i, 'mapValues', ctx); out.push([k, f(v)]); });
      return out;
    }
    case 'flatMapValues': {
      const f = unship(op.fn, ctx);
      xs.forEach((x, i) => { const [k, v] = pairOf(x, i, 'flatMapValues', ctx); for (const y of iterableResult(f(v), 'flatMapValues')) out.push([k, y]); });
      return out;
    }
    case 'mapPartitions': return [...iterableResult(unship(op.fn, ctx)(xs[Symbol.iterator]()), 'mapPartitions')];
    case 'mapPartitionsWithIndex': return [...iterableResult(unship(op.fn, ctx)(op.index, xs[Symbol.iterator]()), 'mapPartitionsWithIndex')];
    case 'glom': return [xs];
    case 'zipWithIndex': return xs.map((x, i) => [x, op.start + i]);
    case 'sample': {
      // The stream depends only on (seed, partition index), so a sample is the same on every master.
      const rng = randomStream(op.seed, 'rdd.sample', op.index);
      for (const x of xs) {
        if (op.withReplacement) for (let k = poisson(rng, op.fraction); k > 0; k--) out.push(x);
        else if (rng() < op.fraction) out.push(x);
      }
      return out;
    }
    case 'combine': {
      const merge = unship(op.mergeCombiners, ctx);
      const acc = new Map<string, [unknown, unknown]>();
      xs.forEach((x, i) => {
        const [k, c] = pairOf(x, i, 'combineByKey', ctx);
        const ks = keyString(k);
        const e = acc.get(ks);
        if (e) e[1] = merge(e[1], c); else acc.set(ks, [k, c]);
      });
      return [...acc.values()];
    }
    case 'group': {
      const acc = new Map<string, [unknown, unknown[]]>();
      xs.forEach((x, i) => {
        const [k, v] = pairOf(x, i, 'groupByKey', ctx);
        const ks = keyString(k);
        const e = acc.get(ks);
        if (e) e[1].push(v); else acc.set(ks, [k, [v]]);
      });
      return [...acc.values()];
    }
    case 'distinct': return distinctOf(xs);
    case 'sortByKey': {
      const sign = op.ascending ? 1 : -1;
      const keyed = xs.map((x, i) => pairOf(x, i, 'sortByKey', ctx));
      // Array.prototype.sort is stable: equal keys keep their arrival order (map partition order).
      return keyed.sort((a, b) => sign * compareValues(a[0], b[0]));
    }
  }
}

/** The first occurrence of each value, in order. */
export function distinctOf(xs: readonly unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const x of xs) { const ks = keyString(x); if (!seen.has(ks)) seen.set(ks, x); }
  return [...seen.values()];
}

