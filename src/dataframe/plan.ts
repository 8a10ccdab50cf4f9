// Partition plans: how an executor computes one partition of a DataFrame. The driver turns a
// DataFrame's lineage into one plan tree per partition; executors resolve each node kind here.
import type { RecordBatch } from 'apache-arrow';
import { registerInput, type TaskContext } from '../engine/kernels.js';
import { getMapper, mapperFailure, type MapperResult } from './mappers.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { poisson, randomStream } from '../linalg/random.js';
import { concatBatches, emptyBatch, makeBatch, takeRows, type AnyData } from './batch.js';
import type { Expr } from './column.js';
import { compileExpr, selectRows } from './expr.js';
import { fromArrowSchema, StructType, type StructField } from './types.js';

export interface BlockPlan extends PartitionPlan { kind: 'block'; id: string }
export interface ProjectPlan extends PartitionPlan { kind: 'project'; child: PartitionPlan; exprs: Expr[]; fields: StructField[] }
export interface FilterPlan extends PartitionPlan { kind: 'filter'; child: PartitionPlan; cond: Expr }
/** Bernoulli cell [lb, ub) of a seeded uniform per row (sample, randomSplit); Poisson when withReplacement. */
export interface SamplePlan extends PartitionPlan { kind: 'sample'; child: PartitionPlan; lb: number; ub: number; withReplacement: boolean; seed: number; partition: number }
export interface ConcatPlan extends PartitionPlan { kind: 'concat'; children: PartitionPlan[]; fields: StructField[] }
/** Appends the columns a registered mapper computes from each batch (model transforms), optionally keeping only some rows. */
export interface MapPlan extends PartitionPlan {
  kind: 'map'; child: PartitionPlan; mapper: string; params: unknown; fields: StructField[];
  /** The stage (uid) whose transform added this mapper, for error reports; the mapper's name otherwise. */
  stage?: string;
}
export interface EmptyPlan extends PartitionPlan { kind: 'empty'; fields: StructField[] }

export const blockPlan = (id: string): BlockPlan => ({ kind: 'block', id });

export function schemaOf(batch: RecordBatch): StructType { return fromArrowSchema(batch.schema); }

registerInput('block', (plan, ctx) => ctx.block((plan as BlockPlan).id));

registerInput('empty', (plan) => emptyBatch(new StructType((plan as EmptyPlan).fields)));

registerInput('project', async (plan, ctx) => {
  const p = plan as ProjectPlan;
  const input = await ctx.compute(p.child);
  const schema = schemaOf(input);
  const cols = p.exprs.map((e) => compileExpr(e, schema)(input));
  return makeBatch(new StructType(p.fields), cols, input.numRows);
});

registerInput('filter', async (plan, ctx) => {
  const p = plan as FilterPlan;
  const input = await ctx.compute(p.child);
  const schema = schemaOf(input);
  const { indices, count } = selectRows(p.cond, schema, input);
  return count === input.numRows ? input : takeRows(schema, input, indices, count);
});

registerInput('sample', async (plan, ctx: TaskContext) => {
  const p = plan as SamplePlan;
  const input = await ctx.compute(p.child);
  const schema = schemaOf(input);
  // The stream depends only on (seed, partition), so complementary cells of randomSplit see the same draws.
  const rng = randomStream(p.seed, 'sample', p.partition);
  const n = input.numRows;
  const picked: number[] = [];
  if (p.withReplacement) {
    const lambda = p.ub - p.lb;
    for (let i = 0; i < n; i++) for (let k = poisson(rng, lambda); k > 0; k--) picked.push(i);
  } else {
    for (let i = 0; i < n; i++) { const u = rng(); if (u >= p.lb && u < p.ub) picked.push(i); }
  }
  return takeRows(schema, input, Int32Array.from(picked));
});

registerInput('map', async (plan, ctx) => {
  const p = plan as MapPlan;
  const input = await ctx.compute(p.child);
  const schema = new StructType(p.fields);
  let result: MapperResult;
  try {
    result = await getMapper(p.mapper)(input, p.params, ctx);
  } catch (e) {
    throw mapperFailure(e, p.stage ?? `mapper '${p.mapper}'`, schema.fieldNames.slice(input.numCols));
  }
  const { columns, rows } = result;
  const base = rows ? takeRows(schemaOf(input), input, rows) : input;
  const n = rows ? rows.length : input.numRows;
  for (const c of columns) {
    if (c.length !== n) throw new Error(`mapper '${p.mapper}' returned a column of ${c.length} rows for ${n} rows`);
  }
  return makeBatch(schema, [...(base.data.children as AnyData[]), ...columns], n);
});

registerInput('concat', async (plan, ctx) => {
  const p = plan as ConcatPlan;
  const parts: RecordBatch[] = [];
  for (const child of p.children) parts.push(await ctx.compute(child));
  // Pieces of a shuffle may carry an intermediate schema (partial aggregates): trust the data's own.
  return concatBatches(parts.length ? schemaOf(parts[0]) : new StructType(p.fields), parts);
});
