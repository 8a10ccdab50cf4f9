// Summary statistics of a vector column in one treeAggregate pass (Spark's Summarizer).
import type { DataFrame } from '../dataframe/dataframe.js';
import { addInto } from '../engine/aggregate.js';
import { symmetrizeUpper } from '../linalg/blas.js';
import { COLUMN_SUMS, GRAM, MOMENTS, mergeMoments, zeroMoments } from './summary.kernels.js';

export interface VectorSummary {
  count: number;
  mean: Float64Array;
  /** Unbiased (n − 1) variance, as Spark's Summarizer. */
  variance: Float64Array;
  std: Float64Array;
  min: Float64Array;
  max: Float64Array;
  numNonzeros: Float64Array;
}

export function denseSize(df: DataFrame, column: string): number {
  const t = df.schema.field(column).type;
  if (t.kind !== 'vector' || t.encoding !== 'dense') throw new Error(`Column '${column}' must be a dense vector column but is ${t.kind}`);
  return t.size;
}

export async function summarize(df: DataFrame, column: string, depth = 2): Promise<VectorSummary> {
  const d = denseSize(df, column);
  const m = await df.treeAggregate(zeroMoments(d), MOMENTS, mergeMoments, depth, { column });
  const variance = m.m2.map((v) => (m.count > 1 ? v / (m.count - 1) : 0));
  return { count: m.count, mean: m.mean, variance, std: variance.map(Math.sqrt), min: m.min, max: m.max, numNonzeros: m.nnz };
}

export async function columnSums(df: DataFrame, column: string, depth = 2): Promise<Float64Array> {
  return df.treeAggregate(new Float64Array(denseSize(df, column)), COLUMN_SUMS, addInto, depth, { column });
}

/** XᵀX as a full symmetric d×d row-major matrix. */
export async function gramMatrix(df: DataFrame, column: string, depth = 2): Promise<Float64Array> {
  const d = denseSize(df, column);
  const g = await df.treeAggregate(new Float64Array(d * d), GRAM, addInto, depth, { column, d });
  symmetrizeUpper(d, g);
  return g;
}
