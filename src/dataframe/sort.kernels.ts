// Global sort: sample keys per partition, choose range bounds on the driver, split each partition
// by range (map side), then sort each range locally (reduce side). Equal keys always land in one
// range and the local sort is stable, so rows with equal keys keep their original order.
import type { RecordBatch } from 'apache-arrow';
import { registerInput, registerKernel } from '../engine/kernels.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { takeRows } from './batch.js';
import { splitBy, type Pieces } from './exchange.kernels.js';
import { readKeys } from './keys.js';
import { schemaOf } from './plan.js';

export interface SortKey { column: string; ascending: boolean; nullsFirst: boolean }
type Value = number | string | null;

/** Spark's ordering of key tuples: per key direction and null placement, NaN above all numbers. */
export function compareKeys(a: Value[], b: Value[], keys: SortKey[]): number {
  for (let k = 0; k < keys.length; k++) {
    const x = a[k], y = b[k];
    if (x === y) continue;
    if (x === null || y === null) { const c = x === null ? -1 : 1; return keys[k].nullsFirst ? c : -c; }
    let c: number;
    if (typeof x === 'number' && typeof y === 'number') {
      c = x !== x ? (y !== y ? 0 : 1) : y !== y ? -1 : x < y ? -1 : x > y ? 1 : 0;
    } else c = (x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0;
    if (c !== 0) return keys[k].ascending ? c : -c;
  }
  return 0;
}

function keyTuples(batch: RecordBatch, keys: SortKey[]): Value[][] {
  const schema = schemaOf(batch);
  const cols = keys.map((k) => schema.indexOf(k.column));
  const kc = readKeys(batch, cols, cols.map((c) => schema.fields[c].type), keys.map((k) => k.column));
  return Array.from({ length: batch.numRows }, (_, i) => kc.values.map((v) => v[i]));
}

/** Up to `size` evenly spaced key tuples of a partition, for choosing range bounds. */
export const SORT_SAMPLE = registerKernel<{ keys: SortKey[]; size: number }, Value[][]>('df.sortSample', (batch, { keys, size }) => {
  const all = keyTuples(batch, keys);
  if (all.length <= size) return all;
  const step = all.length / size;
  return Array.from({ length: size }, (_, i) => all[Math.floor(i * step)]);
});

/** Map side: range partition by the bounds (row goes to the first range whose bound is >= its key). */
export const RANGE_PARTITION = registerKernel<{ keys: SortKey[]; bounds: Value[][]; n: number }, Pieces>('df.rangePartition', (batch, { keys, bounds, n }) => {
  const tuples = keyTuples(batch, keys);
  const target = new Int32Array(tuples.length);
  for (let i = 0; i < tuples.length; i++) {
    let lo = 0, hi = bounds.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (compareKeys(bounds[mid], tuples[i], keys) < 0) lo = mid + 1; else hi = mid; }
    target[i] = lo;
  }
  return splitBy(schemaOf(batch), batch, target, n);
});

export interface SortPlan extends PartitionPlan { kind: 'sortLocal'; child: PartitionPlan; keys: SortKey[] }

registerInput('sortLocal', async (plan, ctx) => {
  const p = plan as SortPlan;
  const batch = await ctx.compute(p.child);
  const tuples = keyTuples(batch, p.keys);
  const order = Array.from({ length: tuples.length }, (_, i) => i);
  order.sort((a, b) => compareKeys(tuples[a], tuples[b], p.keys) || a - b);
  return takeRows(schemaOf(batch), batch, Int32Array.from(order));
});
