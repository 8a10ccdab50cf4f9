// The reduce side of joins: one partition of each side holding the same key range (after a hash
// shuffle, or the whole small side when broadcast). Build a hash table on the right side, probe
// with the left rows in order, then gather both sides' columns by the matched row indices.
import type { RecordBatch } from 'apache-arrow';
import { registerInput } from '../engine/kernels.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { columnOf, concatColumn, identity, makeBatch, takeColumn, type AnyData } from './batch.js';
import { compositeKey, hasNullKey, readKeys } from './keys.js';
import { schemaOf } from './plan.js';
import { StructType, type StructField } from './types.js';

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'left_semi' | 'left_anti';

/** Where an output column comes from: a left column, a right column, or a key coalesced from both. */
export type OutputColumn = { side: 'left'; name: string } | { side: 'right'; name: string } | { side: 'coalesce'; left: string; right: string };

export interface JoinPlan extends PartitionPlan {
  kind: 'join'; left: PartitionPlan; right: PartitionPlan; leftKeys: string[]; rightKeys: string[];
  how: JoinType; output: OutputColumn[]; fields: StructField[];
}

/** Matched row pairs in output order; -1 stands for the missing side of an outer match. */
export function matchRows(left: RecordBatch, right: RecordBatch, leftKeys: string[], rightKeys: string[], how: JoinType): { l: Int32Array; r: Int32Array } {
  const ls = schemaOf(left), rs = schemaOf(right);
  const lk = readKeys(left, leftKeys.map((k) => ls.indexOf(k)), leftKeys.map((k) => ls.field(k).type), leftKeys);
  const rk = readKeys(right, rightKeys.map((k) => rs.indexOf(k)), rightKeys.map((k) => rs.field(k).type), rightKeys);
  const table = new Map<unknown, number[]>();
  for (let j = 0; j < right.numRows; j++) {
    if (hasNullKey(rk, j)) continue; // null keys never match
    const k = compositeKey(rk, j);
    const bucket = table.get(k);
    if (bucket) bucket.push(j); else table.set(k, [j]);
  }
  const l: number[] = [], r: number[] = [];
  const rightMatched = how === 'right' || how === 'full' ? new Uint8Array(right.numRows) : null;
  for (let i = 0; i < left.numRows; i++) {
    const bucket = hasNullKey(lk, i) ? undefined : table.get(compositeKey(lk, i));
    if (how === 'left_semi') { if (bucket) { l.push(i); r.push(-1); } continue; }
    if (how === 'left_anti') { if (!bucket) { l.push(i); r.push(-1); } continue; }
    if (bucket) {
      for (const j of bucket) { l.push(i); r.push(j); if (rightMatched) rightMatched[j] = 1; }
    } else if (how === 'left' || how === 'full') { l.push(i); r.push(-1); }
  }
  if (rightMatched) for (let j = 0; j < right.numRows; j++) if (!rightMatched[j]) { l.push(-1); r.push(j); }
  return { l: Int32Array.from(l), r: Int32Array.from(r) };
}

registerInput('join', async (plan, ctx) => {
  const p = plan as JoinPlan;
  const left = await ctx.compute(p.left), right = await ctx.compute(p.right);
  const { l, r } = matchRows(left, right, p.leftKeys, p.rightKeys, p.how);
  const ls = schemaOf(left), rs = schemaOf(right);
  const gather = (batch: RecordBatch, schema: StructType, name: string, idx: Int32Array): AnyData => {
    const c = schema.indexOf(name);
    return takeColumn(schema.fields[c].type, columnOf(batch, c), idx);
  };
  const cols = p.output.map((o, k): AnyData => {
    if (o.side === 'left') return gather(left, ls, o.name, l);
    if (o.side === 'right') return gather(right, rs, o.name, r);
    // A full outer join's key: the left value where there is one, else the right value.
    const type = p.fields[k].type;
    const both = concatColumn(type, [gather(left, ls, o.left, identity(left.numRows)), gather(right, rs, o.right, identity(right.numRows))]);
    const pick = new Int32Array(l.length);
    for (let i = 0; i < l.length; i++) pick[i] = l[i] >= 0 ? l[i] : left.numRows + r[i];
    return takeColumn(type, both, pick);
  });
  return makeBatch(new StructType(p.fields), cols, l.length);
});
