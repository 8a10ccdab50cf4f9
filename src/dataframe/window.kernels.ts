// The reduce side of window functions. After the hash shuffle by the partition keys, a reduce
// partition is sorted stably by (partition keys, order keys); every window expression is then
// evaluated in one pass over the sorted rows. Each row's frame is a range [lo, hi] of sorted
// positions; both ends only move forward, so sums and counts slide with two pointers and min/max
// keep a monotonic deque: O(n) per expression after the O(n log n) sort.
import type { RecordBatch } from 'apache-arrow';
import { registerInput } from '../engine/kernels.js';
import type { PartitionPlan } from '../engine/protocol.js';
import {
  booleanData, columnOf, concatColumn, makeBatch, primitiveData, takeColumn, takeRows, utf8Data, validityBytes, type AnyData,
} from './batch.js';
import type { Literal } from './column.js';
import { longFromDouble } from './int64.js';
import { keyValues, readKeys } from './keys.js';
import { schemaOf } from './plan.js';
import { compareKeys, type SortKey } from './sort.kernels.js';
import { StructType, type DataType, type StructField } from './types.js';
import type { WindowFn, WindowFrame } from './window.js';

type Value = number | string | null;

/** One window expression as the executor evaluates it (frames already resolved). */
export interface WindowExprPlan {
  fn: WindowFn;
  /** Input column (null for count(*) and ranking functions). */
  input: string | null;
  frame: WindowFrame;
  offset: number;
  default: Literal;
  /** Result type. */
  type: DataType;
}

export interface WindowPlan extends PartitionPlan {
  kind: 'window'; child: PartitionPlan; partitionBy: string[]; orderBy: SortKey[]; exprs: WindowExprPlan[]; fields: StructField[];
}

/** Sorted row order and, per sorted position, its partition group and its peers (rows with equal order keys). */
export interface Layout {
  n: number;
  /** Batch row at each sorted position. */
  order: Int32Array;
  /** Start (inclusive) and end (exclusive) of the position's partition group. */
  groupStart: Int32Array; groupEnd: Int32Array;
  /** First and last (inclusive) position of the position's peer group. */
  peerStart: Int32Array; peerEnd: Int32Array;
  /** Values of the first order key in sorted order (for RANGE offsets), or null without orderBy. */
  orderValues: Value[] | null;
  ascending: boolean;
}

export function layout(batch: RecordBatch, partitionBy: string[], orderBy: SortKey[]): Layout {
  const schema = schemaOf(batch);
  const n = batch.numRows;
  // The partition keys' own order does not matter; ascending keeps the output tidy (as Spark's sort).
  const keys: SortKey[] = [...partitionBy.map((column) => ({ column, ascending: true, nullsFirst: true })), ...orderBy];
  const names = keys.map((k) => k.column);
  const cols = names.map((c) => schema.indexOf(c));
  const kc = readKeys(batch, cols, cols.map((c) => schema.fields[c].type), names);
  const tuples = Array.from({ length: n }, (_, i) => kc.values.map((v) => v[i]));
  const sorted = Array.from({ length: n }, (_, i) => i);
  sorted.sort((a, b) => compareKeys(tuples[a], tuples[b], keys) || a - b); // stable: ties keep input order
  const order = Int32Array.from(sorted);

  const partKeys = keys.slice(0, partitionBy.length);
  const groupStart = new Int32Array(n), groupEnd = new Int32Array(n), peerStart = new Int32Array(n), peerEnd = new Int32Array(n);
  let gs = 0, ps = 0;
  for (let i = 1; i <= n; i++) {
    const newGroup = i === n || compareKeys(tuples[order[i - 1]], tuples[order[i]], partKeys) !== 0;
    const newPeers = newGroup || compareKeys(tuples[order[i - 1]], tuples[order[i]], keys) !== 0;
    if (newPeers) { peerStart.fill(ps, ps, i); peerEnd.fill(i - 1, ps, i); ps = i; }
    if (newGroup) { groupStart.fill(gs, gs, i); groupEnd.fill(i, gs, i); gs = i; }
  }
  const first = kc.values[partitionBy.length];
  const orderValues = orderBy.length ? Array.from(order, (r) => first[r]) : null;
  return { n, order, groupStart, groupEnd, peerStart, peerEnd, orderValues, ascending: orderBy[0]?.ascending ?? true };
}

/**
 * Each position's frame [lo, hi] (empty when lo > hi), clamped to its partition group so that both
 * ends are non-decreasing across the sorted rows.
 */
export function frameBounds(frame: WindowFrame, L: Layout): { lo: Int32Array; hi: Int32Array } {
  const { n, groupStart, groupEnd, peerStart, peerEnd } = L;
  const lo = new Int32Array(n), hi = new Int32Array(n);
  const { start, end } = frame;
  if (frame.type === 'rows') {
    for (let i = 0; i < n; i++) {
      const gs = groupStart[i], ge = groupEnd[i];
      lo[i] = start === null ? gs : Math.min(ge, Math.max(gs, i + start));
      hi[i] = end === null ? ge - 1 : Math.max(gs - 1, Math.min(ge - 1, i + end));
    }
    return { lo, hi };
  }
  // RANGE: unbounded ends reach the group's edges; a 0 offset (CURRENT ROW) reaches the peers' edge.
  for (let i = 0; i < n; i++) {
    lo[i] = start === null ? groupStart[i] : peerStart[i];
    hi[i] = end === null ? groupEnd[i] - 1 : peerEnd[i];
  }
  if ((start === null || start === 0) && (end === null || end === 0)) return { lo, hi };
  // Value offsets: a single numeric key. In sort direction the key is p = ±value, ascending; null
  // and NaN keys (the ends of a group) only have their peers within value bounds, as in Spark
  // (null ± x is null, NaN ± x is NaN), and lie on the near or far side of every number.
  const values = L.orderValues!;
  const sign = L.ascending ? 1 : -1;
  const isNumber = (i: number) => { const v = values[i]; return v !== null && v === v; };
  for (let gs = 0; gs < n; gs = groupEnd[gs]) {
    const ge = groupEnd[gs];
    let ns = gs;
    while (ns < ge && !isNumber(ns)) ns++;
    let ne = ns;
    while (ne < ge && isNumber(ne)) ne++;
    let a = ns, b = ns;
    for (let i = ns; i < ne; i++) {
      const p = sign * (values[i] as number);
      if (start !== null && start !== 0) {
        const bound = p + start;
        while (a < ne && sign * (values[a] as number) < bound) a++;
        lo[i] = a;
      }
      if (end !== null && end !== 0) {
        const bound = p + end;
        while (b < ne && sign * (values[b] as number) <= bound) b++;
        hi[i] = b - 1;
      }
    }
  }
  return { lo, hi };
}

/**
 * Visits every position with its frame loaded into an accumulator: `add`/`remove` take sorted
 * positions. Frames only move forward, so each position is added and removed at most once.
 */
function slide(lo: Int32Array, hi: Int32Array, acc: { add(i: number): void; remove(i: number): void; reset(): void }, emit: (i: number) => void): void {
  let left = 0, right = 0;
  acc.reset();
  for (let i = 0; i < lo.length; i++) {
    const s = lo[i], e = Math.max(s, hi[i] + 1);
    if (s >= right || s < left || e < right) { acc.reset(); left = right = s; } // disjoint from the last frame: start afresh
    while (right < e) acc.add(right++);
    while (left < s) acc.remove(left++);
    emit(i);
  }
}

/** Sum of the finite values with Neumaier compensation, plus counts of non-finite ones (NaN, ±Infinity). */
class SlidingSum {
  count = 0; nan = 0; posInf = 0; negInf = 0; sum = 0; comp = 0;
  constructor(private readonly values: Value[]) {}
  reset(): void { this.count = this.nan = this.posInf = this.negInf = this.sum = this.comp = 0; }
  add(i: number): void { this.update(this.values[i], 1); }
  remove(i: number): void { this.update(this.values[i], -1); if (this.count === 0) this.reset(); }
  value(): number {
    if (this.nan > 0 || (this.posInf > 0 && this.negInf > 0)) return NaN;
    if (this.posInf > 0) return Infinity;
    if (this.negInf > 0) return -Infinity;
    return this.sum + this.comp;
  }
  private update(v: Value, sign: 1 | -1): void {
    if (v === null) return;
    const x = v as number;
    this.count += sign;
    if (x !== x) this.nan += sign;
    else if (x === Infinity) this.posInf += sign;
    else if (x === -Infinity) this.negInf += sign;
    else {
      const y = sign * x, t = this.sum + y;
      this.comp += Math.abs(this.sum) >= Math.abs(y) ? (this.sum - t) + y : (y - t) + this.sum;
      this.sum = t;
    }
  }
}

/** Spark's ordering for min/max: NaN above every number; strings by code units. */
function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a !== a ? (b !== b ? 0 : 1) : b !== b ? -1 : a - b;
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}

/** Position of the min (or max) non-null value of each frame, -1 for none: a monotonic deque. */
function slidingExtreme(values: Value[], lo: Int32Array, hi: Int32Array, max: boolean): Int32Array {
  const out = new Int32Array(lo.length);
  const deque = new Int32Array(values.length);
  let head = 0, tail = 0;
  const worse = (a: Value, b: Value) => (max ? compareValues(a, b) <= 0 : compareValues(a, b) >= 0);
  slide(lo, hi, {
    reset: () => { head = tail = 0; },
    add: (i) => {
      const v = values[i];
      if (v === null) return;
      while (tail > head && worse(values[deque[tail - 1]], v)) tail--;
      deque[tail++] = i;
    },
    remove: (i) => { if (tail > head && deque[head] === i) head++; },
  }, (i) => { out[i] = tail > head ? deque[head] : -1; });
  return out;
}

function longData(values: Float64Array, valid: Uint8Array | null): AnyData {
  return primitiveData({ kind: 'long' }, BigInt64Array.from(values, (v) => longFromDouble(Math.round(v))), valid);
}

/** A one-row column holding a literal (lag/lead defaults), of the input's type. */
function literalColumn(type: DataType, v: Exclude<Literal, null>): AnyData {
  switch (type.kind) {
    case 'double': return primitiveData(type, Float64Array.of(Number(v)), null);
    case 'int': return primitiveData(type, Int32Array.of(Number(v)), null);
    case 'long': return primitiveData(type, BigInt64Array.of(BigInt(Number(v))), null);
    case 'boolean': return booleanData(Uint8Array.of(v ? 1 : 0), null, 1);
    case 'string': return utf8Data([String(v)]);
    case 'vector': case 'array': case 'struct': throw new Error(`lag/lead: a ${type.kind} column cannot have a default value`);
  }
}

/** One window expression's result column, in sorted order. */
export function evaluate(e: WindowExprPlan, batch: RecordBatch, L: Layout): AnyData {
  const { n, order, groupStart, groupEnd, peerStart, peerEnd } = L;
  const schema = schemaOf(batch);
  const inputIndex = e.input === null ? -1 : schema.indexOf(e.input);
  const input = inputIndex < 0 ? null : columnOf(batch, inputIndex);
  const inputType = inputIndex < 0 ? null : schema.fields[inputIndex].type;
  /** Values of the input in sorted order. */
  const sortedValues = (): Value[] => { const v = keyValues(input!, inputType!, e.input!); return Array.from(order, (r) => v[r]); };
  /** The input's value at a sorted position per output row (-1: null). */
  const gather = (pos: Int32Array): AnyData => takeColumn(inputType!, input!, pos.map((p) => (p < 0 ? -1 : order[p])));

  switch (e.fn) {
    case 'row_number': case 'rank': case 'dense_rank': {
      const out = new Int32Array(n);
      for (let i = 0, dense = 0; i < n; i++) {
        dense = i === groupStart[i] ? 1 : peerStart[i] === i ? dense + 1 : dense;
        out[i] = e.fn === 'row_number' ? i - groupStart[i] + 1 : e.fn === 'rank' ? peerStart[i] - groupStart[i] + 1 : dense;
      }
      return primitiveData({ kind: 'int' }, out, null);
    }
    case 'percent_rank': case 'cume_dist': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const size = groupEnd[i] - groupStart[i];
        out[i] = e.fn === 'cume_dist' ? (peerEnd[i] - groupStart[i] + 1) / size : size === 1 ? 0 : (peerStart[i] - groupStart[i]) / (size - 1);
      }
      return primitiveData({ kind: 'double' }, out, null);
    }
    case 'lag': case 'lead': {
      const shift = e.fn === 'lag' ? -e.offset : e.offset;
      const pos = new Int32Array(n);
      for (let i = 0; i < n; i++) { const j = i + shift; pos[i] = j >= groupStart[i] && j < groupEnd[i] ? j : -1; }
      if (e.default === null) return gather(pos);
      // Out-of-partition rows take the default: row n of the input followed by the literal.
      const withDefault = concatColumn(inputType!, [input!, literalColumn(inputType!, e.default)]);
      return takeColumn(inputType!, withDefault, pos.map((p) => (p < 0 ? input!.length : order[p])));
    }
  }

  const { lo, hi } = frameBounds(e.frame, L);
  switch (e.fn) {
    case 'first': case 'last': {
      const pos = new Int32Array(n);
      for (let i = 0; i < n; i++) pos[i] = lo[i] > hi[i] ? -1 : e.fn === 'first' ? lo[i] : hi[i];
      return gather(pos);
    }
    case 'min': case 'max': return gather(slidingExtreme(sortedValues(), lo, hi, e.fn === 'max'));
    case 'count': {
      const out = new Float64Array(n);
      if (input === null) { for (let i = 0; i < n; i++) out[i] = Math.max(0, hi[i] - lo[i] + 1); return longData(out, null); }
      // count(col): non-null rows in the frame, from prefix counts (any type, vectors too).
      const valid = validityBytes(input);
      const prefix = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + (valid === null || valid[order[i]] ? 1 : 0);
      for (let i = 0; i < n; i++) out[i] = lo[i] > hi[i] ? 0 : prefix[hi[i] + 1] - prefix[lo[i]];
      return longData(out, null);
    }
    case 'sum': case 'mean': case 'avg': {
      const acc = new SlidingSum(sortedValues());
      const out = new Float64Array(n), valid = new Uint8Array(n);
      slide(lo, hi, acc, (i) => {
        if (acc.count === 0) return;
        valid[i] = 1;
        out[i] = e.fn === 'sum' ? acc.value() : acc.value() / acc.count;
      });
      return e.type.kind === 'long' ? longData(out, valid) : primitiveData({ kind: 'double' }, out, valid);
    }
  }
}

registerInput('window', async (plan, ctx) => {
  const p = plan as WindowPlan;
  const batch = await ctx.compute(p.child);
  const schema = schemaOf(batch);
  const L = layout(batch, p.partitionBy, p.orderBy);
  const columns = [...(takeRows(schema, batch, L.order).data.children as AnyData[]), ...p.exprs.map((e) => evaluate(e, batch, L))];
  return makeBatch(new StructType(p.fields), columns, L.n);
});
