// Map sides of shuffles: split one partition into pieces, one per reduce partition, each a shared
// block. The reduce side concatenates piece j of every map partition in partition order.
import type { RecordBatch } from 'apache-arrow';
import { registerKernel } from '../engine/kernels.js';
import { batchToShared } from '../engine/blocks.js';
import { randomStream } from '../linalg/random.js';
import { takeRows } from './batch.js';
import { hashRows, partitionOf, readKeys } from './keys.js';
import { schemaOf } from './plan.js';
import type { StructType } from './types.js';

export type Pieces = (SharedArrayBuffer | null)[];

/** Splits a batch by a partition id per row, keeping row order within each piece. */
export function splitBy(schema: StructType, batch: RecordBatch, target: Int32Array, n: number): Pieces {
  const counts = new Int32Array(n);
  for (let i = 0; i < target.length; i++) counts[target[i]]++;
  const idx = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(n);
  for (let i = 0; i < target.length; i++) { const p = target[i]; idx[p][fill[p]++] = i; }
  return idx.map((rows) => (rows.length ? batchToShared(takeRows(schema, batch, rows)) : null));
}

export function hashTargets(batch: RecordBatch, schema: StructType, keys: string[], n: number): Int32Array {
  const cols = keys.map((k) => schema.indexOf(k));
  const hashes = hashRows(readKeys(batch, cols, cols.map((c) => schema.fields[c].type), keys));
  const target = new Int32Array(batch.numRows);
  for (let i = 0; i < target.length; i++) target[i] = n === 1 ? 0 : partitionOf(hashes[i], n);
  return target;
}

/**
 * Spark's round-robin repartition: row k of input partition p goes to output (start_p + k) mod n,
 * with start_p drawn from a stream keyed by p, so the layout is the same on every run.
 */
export const ROUND_ROBIN = registerKernel<{ n: number }, Pieces>('df.roundRobin', (batch, { n }, ctx) => {
  const start = Math.floor(randomStream(0, 'repartition', ctx.partitionIndex)() * n);
  const target = new Int32Array(batch.numRows);
  for (let k = 0; k < target.length; k++) target[k] = (start + k) % n;
  return splitBy(schemaOf(batch), batch, target, n);
});

/** Hash partitioning on key columns (repartition by columns, joins, distinct). */
export const HASH_PARTITION = registerKernel<{ keys: string[]; n: number }, Pieces>('df.hashPartition', (batch, { keys, n }) => {
  const schema = schemaOf(batch);
  return splitBy(schema, batch, hashTargets(batch, schema, keys, n), n);
});
