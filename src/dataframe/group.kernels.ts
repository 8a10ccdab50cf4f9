// groupBy().agg(): the map side folds each partition into partial states per group and
// hash-partitions the partial rows by key; the reduce side merges partials and finalises.
// With countDistinct the map side ships raw rows instead (a distinct set has no small partial).
import type { RecordBatch } from 'apache-arrow';
import { registerKernel, registerInput } from '../engine/kernels.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { AggState, partialTypes, type AggFunction } from './aggregates.js';
import { columnOf, makeBatch, takeColumn, type AnyData } from './batch.js';
import { hashTargets, splitBy, type Pieces } from './exchange.kernels.js';
import { groupRows, keyValues, readKeys } from './keys.js';
import { schemaOf } from './plan.js';
import { StructType, type DataType, type StructField } from './types.js';

export interface AggSpec { fn: AggFunction; input: string | null }
export interface GroupParams { keys: string[]; aggs: AggSpec[]; combine: boolean }

/** Groups a batch by its key columns and folds every aggregate over the rows (or partial rows). */
function fold(batch: RecordBatch, p: GroupParams, mode: 'raw' | 'partial', inputTypes: (DataType | null)[]): { states: AggState[]; firstRow: number[]; schema: StructType } {
  const schema = schemaOf(batch);
  const keyIdx = p.keys.map((k) => schema.indexOf(k));
  const keys = readKeys(batch, keyIdx, keyIdx.map((c) => schema.fields[c].type), p.keys);
  let { groupOf, firstRow } = groupRows(keys);
  // A global aggregate (no keys) has one group even over no rows, as in Spark.
  if (p.keys.length === 0 && firstRow.length === 0) { firstRow = []; groupOf = new Int32Array(0); }
  const groups = p.keys.length === 0 ? 1 : firstRow.length;
  let col = p.keys.length;
  const states = p.aggs.map((a, i) => {
    const st = new AggState(a.fn, groups);
    if (mode === 'raw') {
      st.update(groupOf, a.input === null ? null : keyValues(columnOf(batch, schema.indexOf(a.input)), inputTypes[i]!, a.input));
    } else {
      const width = partialTypes(a.fn, inputTypes[i]).length;
      st.merge(groupOf, (batch.data.children as AnyData[]).slice(col, col + width), inputTypes[i]);
      col += width;
    }
    return st;
  });
  return { states, firstRow, schema };
}

function keyColumns(batch: RecordBatch, schema: StructType, keys: string[], firstRow: number[]): AnyData[] {
  const rows = Int32Array.from(firstRow);
  return keys.map((k) => { const c = schema.indexOf(k); return takeColumn(schema.fields[c].type, columnOf(batch, c), rows); });
}

const inputTypesOf = (schema: StructType, aggs: AggSpec[]) => aggs.map((a) => (a.input === null ? null : schema.field(a.input).type));

/** Map side: partial aggregates (or, without combine, the raw rows) split by key hash. */
export const GROUP_MAP = registerKernel<GroupParams & { n: number }, Pieces>('df.groupMap', (batch, p) => {
  const schema = schemaOf(batch);
  if (!p.combine) return splitBy(schema, batch, hashTargets(batch, schema, p.keys, p.n), p.n);
  const types = inputTypesOf(schema, p.aggs);
  const { states, firstRow } = fold(batch, p, 'raw', types);
  if (p.keys.length === 0 && batch.numRows === 0) return new Array(p.n).fill(null);
  const fields: StructField[] = [
    ...p.keys.map((k) => schema.field(k)),
    ...p.aggs.flatMap((a, i) => partialTypes(a.fn, types[i]).map((type, j): StructField => ({ name: `__p${i}_${j}`, type, nullable: true }))),
  ];
  const partialSchema = new StructType(fields);
  const cols = [...keyColumns(batch, schema, p.keys, firstRow), ...states.flatMap((s, i) => s.partialColumns(types[i]))];
  const partial = makeBatch(partialSchema, cols, states[0]?.groups ?? firstRow.length);
  return splitBy(partialSchema, partial, hashTargets(partial, partialSchema, p.keys, p.n), p.n);
});

export interface GroupReducePlan extends PartitionPlan {
  kind: 'groupReduce'; child: PartitionPlan; params: GroupParams; inputTypes: (DataType | null)[]; fields: StructField[];
}

/** Reduce side: merge partials (or fold raw rows) per key and finalise the aggregate columns. */
registerInput('groupReduce', async (plan, ctx) => {
  const p = plan as GroupReducePlan;
  const batch = await ctx.compute(p.child);
  const { states, firstRow, schema } = fold(batch, p.params, p.params.combine ? 'partial' : 'raw', p.inputTypes);
  const groups = states[0]?.groups ?? firstRow.length;
  const cols = [...keyColumns(batch, schema, p.params.keys, firstRow), ...states.map((s, i) => s.finalColumn(p.inputTypes[i]))];
  return makeBatch(new StructType(p.fields), cols, groups);
});
