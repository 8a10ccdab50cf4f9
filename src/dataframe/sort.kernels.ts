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

function keyColumns(batch: RecordBatch, keys: SortKey[]): Value[][] {
  const schema = schemaOf(batch);
  const cols = keys.map((k) => schema.indexOf(k.column));
  return readKeys(batch, cols, cols.map((c) => schema.fields[c].type), keys.map((k) => k.column)).values;
}

function tupleAt(cols: Value[][], i: number): Value[] { return cols.map((c) => c[i]); }

/** Compares rows i and j of the key columns without building tuples (the hot path of a sort). */
function rowComparator(cols: Value[][], keys: SortKey[]): (i: number, j: number) => number {
  if (cols.length === 1 && cols[0].every((v) => typeof v === 'number' && v === v)) {
    // One numeric key without nulls or NaN: plain subtraction.
    const v = cols[0] as number[], sign = keys[0].ascending ? 1 : -1;
    return (i, j) => sign * (v[i] - v[j]);
  }
  const a: Value[] = new Array(cols.length), b: Value[] = new Array(cols.length);
  return (i, j) => {
    for (let k = 0; k < cols.length; k++) { a[k] = cols[k][i]; b[k] = cols[k][j]; }
    return compareKeys(a, b, keys);
  };
}

/** Up to `size` evenly spaced key tuples of a partition, for choosing range bounds. */
export const SORT_SAMPLE = registerKernel<{ keys: SortKey[]; size: number }, Value[][]>('df.sortSample', (batch, { keys, size }) => {
  const cols = keyColumns(batch, keys), n = batch.numRows;
  if (n <= size) return Array.from({ length: n }, (_, i) => tupleAt(cols, i));
  const step = n / size;
  return Array.from({ length: size }, (_, i) => tupleAt(cols, Math.floor(i * step)));
});

/** Map side: range partition by the bounds (row goes to the first range whose bound is >= its key). */
export const RANGE_PARTITION = registerKernel<{ keys: SortKey[]; bounds: Value[][]; n: number }, Pieces>('df.rangePartition', (batch, { keys, bounds, n }) => {
  const cols = keyColumns(batch, keys);
  const target = new Int32Array(batch.numRows);
  const row: Value[] = new Array(cols.length);
  for (let i = 0; i < target.length; i++) {
    for (let k = 0; k < cols.length; k++) row[k] = cols[k][i];
    let lo = 0, hi = bounds.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (compareKeys(bounds[mid], row, keys) < 0) lo = mid + 1; else hi = mid; }
    target[i] = lo;
  }
  return splitBy(schemaOf(batch), batch, target, n);
});

export interface SortPlan extends PartitionPlan { kind: 'sortLocal'; child: PartitionPlan; keys: SortKey[] }

registerInput('sortLocal', async (plan, ctx) => {
  const p = plan as SortPlan;
  const batch = await ctx.compute(p.child);
  const compare = rowComparator(keyColumns(batch, p.keys), p.keys);
  const order = Array.from({ length: batch.numRows }, (_, i) => i);
  order.sort((a, b) => compare(a, b) || a - b); // ties by position: a stable sort
  return takeRows(schemaOf(batch), batch, Int32Array.from(order));
});
