// Bisecting K-Means kernels, each run on one cached partition inside an executor. No per-row state
// is kept between passes: a row's cluster is found again each pass by descending the tree built so
// far (at every node, the closer child), which is the assignment Spark's updateAssignments keeps.
import { registerAggregator } from '../engine/kernels.js';
import { primitiveData } from '../dataframe/batch.js';
import { registerMapper } from '../dataframe/mappers.js';
import { instanceWeights, requireDenseRows, vectorRowReader } from './columns.js';
import { COSINE_ZERO_LENGTH, dotAt, normAt, squaredDistance, type DistanceMeasure } from './distance.js';

/** The tree as the kernels read it: node centers (m×d, row-major) and child positions (-1: none). */
export interface FlatTree {
  d: number;
  measure: DistanceMeasure;
  centers: Float64Array;
  /** Norm of each center (cosine costs). */
  norms: Float64Array;
  left: Int32Array;
  right: Int32Array;
}

/** Spark's DistanceMeasure.cost: squared Euclidean distance, or 1 − cos. */
export function pointCost(x: Float64Array, xo: number, xNorm: number, t: FlatTree, node: number): number {
  if (t.measure === 'euclidean') return squaredDistance(x, xo, t.centers, node * t.d, t.d);
  return 1 - dotAt(x, xo, t.centers, node * t.d, t.d) / xNorm / t.norms[node];
}

// Cost of the leaf `descend` last reached, kept out of the heap.
let descendCost = 0;

/**
 * The node a point reaches from the root, taking the cheaper child at each internal node (the left
 * one on ties, as Spark's findClosest); a node is internal when it has a left child, as Spark's buildTree.
 */
export function descend(x: Float64Array, xo: number, xNorm: number, t: FlatTree): number {
  let node = 0;
  descendCost = t.left[0] >= 0 ? 0 : pointCost(x, xo, xNorm, t, 0);
  while (t.left[node] >= 0) {
    const l = t.left[node], r = t.right[node];
    const cl = pointCost(x, xo, xNorm, t, l);
    if (r >= 0) {
      const cr = pointCost(x, xo, xNorm, t, r);
      if (cr < cl) { node = r; descendCost = cr; continue; }
    }
    node = l;
    descendCost = cl;
  }
  return node;
}

export function lastDescendCost(): number { return descendCost; }

/** Summary partial per candidate: [count, Σ weight, Σ weight·‖x‖², Σ (weight·x, or weight·x/‖x‖ for cosine) (d)]. */
export const summaryStride = (d: number) => 3 + d;

export interface SummarizeParams extends FlatTree {
  column: string;
  weightCol: string | null;
  /** Every row goes to candidate 0 (the root's summary). */
  root: boolean;
  /** For each tree node being split: the position of its first candidate child center, or -1. */
  candFirst: Int32Array;
  /** How many candidate centers (1 or 2) each splitting node has. */
  candCount: Int32Array;
  /** Candidate child centers (c×d) and their norms. */
  candidates: Float64Array;
  candNorms: Float64Array;
}

/**
 * One pass of a level's k-means steps (Spark's updateAssignments then summarize): each row in a
 * cluster being split joins the nearest of its candidate children and adds to that child's summary.
 */
export const SUMMARIZE = registerAggregator<Float64Array, SummarizeParams>('bisecting.summarize', (acc, batch, p) => {
  const { n, d, values, offset } = requireDenseRows(batch, p.column, 'BisectingKMeans');
  const w = instanceWeights(batch, p.weightCol, 'BisectingKMeans');
  const cosine = p.measure === 'cosine';
  const stride = summaryStride(d);
  for (let i = 0; i < n; i++) {
    const base = offset + i * d;
    const norm = normAt(values, base, d);
    if (cosine && !(norm > 0)) throw new Error(`${COSINE_ZERO_LENGTH} (features column '${p.column}', row ${i} of this partition)`);
    let c = 0;
    if (!p.root) {
      const node = descend(values, base, norm, p);
      const first = p.candFirst[node];
      if (first < 0) continue;
      c = first;
      if (p.candCount[node] > 1) {
        const c0 = candidateCost(values, base, norm, p, first), c1 = candidateCost(values, base, norm, p, first + 1);
        if (c1 < c0) c = first + 1;
      }
    }
    const wi = w === null ? 1 : w[i];
    const o = c * stride;
    acc[o] += 1;
    acc[o + 1] += wi;
    acc[o + 2] += norm * norm * wi;
    const f = cosine ? wi / norm : wi;
    for (let t = 0; t < d; t++) acc[o + 3 + t] += f * values[base + t];
  }
  return acc;
});

function candidateCost(x: Float64Array, xo: number, xNorm: number, p: SummarizeParams, c: number): number {
  if (p.measure === 'euclidean') return squaredDistance(x, xo, p.candidates, c * p.d, p.d);
  return 1 - dotAt(x, xo, p.candidates, c * p.d, p.d) / xNorm / p.candNorms[c];
}

export interface PredictParams extends FlatTree {
  column: string;
  weightCol: string | null;
  /** Leaf index of each node (-1 for internal nodes). */
  leafIndex: Int32Array;
  k: number;
}

/** The prediction column (int): the leaf each row's vector reaches, dense or sparse. */
export const PREDICT_MAPPER = registerMapper<PredictParams>('bisecting.predict', (batch, p) => {
  const read = vectorRowReader(batch, p.column, p.d);
  const n = batch.numRows;
  const out = new Int32Array(n);
  const x = new Float64Array(p.d);
  for (let i = 0; i < n; i++) {
    if (!read(i, x)) throw new Error(`BisectingKMeansModel: features column '${p.column}' holds a null vector in row ${i} of this partition`);
    const norm = normAt(x, 0, p.d);
    if (p.measure === 'cosine' && !(norm > 0)) throw new Error(`${COSINE_ZERO_LENGTH} (features column '${p.column}', row ${i} of this partition)`);
    out[i] = p.leafIndex[descend(x, 0, norm, p)];
  }
  return { columns: [primitiveData({ kind: 'int' }, out, null)] };
});

/** Per leaf: rows predicted there (k), then Σ weight·cost to the leaf's center (1): clusterSizes and computeCost. */
export const LEAF_TOTALS = registerAggregator<Float64Array, PredictParams>('bisecting.leafTotals', (acc, batch, p) => {
  const read = vectorRowReader(batch, p.column, p.d);
  const w = instanceWeights(batch, p.weightCol, 'BisectingKMeansModel');
  const n = batch.numRows;
  const x = new Float64Array(p.d);
  for (let i = 0; i < n; i++) {
    if (!read(i, x)) throw new Error(`BisectingKMeansModel: features column '${p.column}' holds a null vector in row ${i} of this partition`);
    const norm = normAt(x, 0, p.d);
    const leaf = p.leafIndex[descend(x, 0, norm, p)];
    acc[leaf] += 1;
    acc[p.k] += (w === null ? 1 : w[i]) * descendCost;
  }
  return acc;
});
