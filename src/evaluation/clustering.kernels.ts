// Silhouette in O(N·k), as Spark's SquaredEuclideanSilhouette and CosineSilhouette: a first pass
// sums each cluster's (weighted) features and squared norms, a second computes every point's
// average distance to each cluster from those sums alone.
//
// Squared Euclidean: mean_j w_j‖x - x_j‖² over cluster C = ‖x‖² + Σw_j‖x_j‖²/W_C - 2·x·(Σw_j x_j)/W_C.
// Cosine: mean_j w_j(1 - x̂·x̂_j) = 1 - x̂·(Σw_j x̂_j)/W_C, with x̂ = x/‖x‖.
import type { RecordBatch } from 'apache-arrow';
import { registerAggregator, registerKernel } from '../engine/kernels.js';
import type { BroadcastRef } from '../engine/protocol.js';
import { checkedDoubles, countProblem, vectorView, weightReader, type Problems, type VectorView } from './columns.js';

export interface ClusteringParams {
  readonly featuresCol: string;
  readonly predictionCol: string;
  readonly weightCol: string | null;
  readonly cosine: boolean;
}

/** Per-cluster sums, clusters in `ids` order; `sums` is k×d row-major. */
export interface ClusterStats {
  readonly d: number;
  readonly ids: Float64Array;
  readonly weights: Float64Array;
  /** Σw‖x‖² per cluster (squared Euclidean only; zeros for cosine). */
  readonly sqNorms: Float64Array;
  /** Σw·x (squared Euclidean) or Σw·x/‖x‖ (cosine) per cluster. */
  readonly sums: Float64Array;
}

export interface ClusterStatsPartial extends ClusterStats {
  readonly rows: number;
  readonly problems: Problems;
}

interface RowReader {
  /** Weight of row i, or NaN when the row is skipped (invalid or zero weight). */
  weight(i: number): number;
  /** The cluster id of row i (call only for rows whose weight is not NaN). */
  cluster(i: number): number;
  features: VectorView;
  /** ‖x_i‖². */
  norm2(i: number): number;
}

function rowReader(batch: RecordBatch, p: ClusteringParams, problems: Problems): RowReader {
  const cluster = checkedDoubles(batch, p.predictionCol, 'prediction', problems);
  const weight = weightReader(batch, p.weightCol, problems);
  const features = vectorView(batch, p.featuresCol);
  const norm2 = (i: number): number => {
    let s = 0;
    if (features.dense) {
      const { d, values, offset } = features.dense;
      for (let j = offset + i * d, end = j + d; j < end; j++) s += values[j] * values[j];
    } else {
      const { offsets, values } = features.sparse!;
      for (let e = offsets[i]; e < offsets[i + 1]; e++) s += values[e] * values[e];
    }
    return s;
  };
  return {
    cluster,
    features,
    norm2,
    weight(i) {
      const w = weight(i), c = cluster(i);
      if (features.valid && !features.valid[i]) { countProblem(problems, `features column '${p.featuresCol}' is null`); return NaN; }
      if (w !== w || c !== c || w === 0) return NaN;
      return w;
    },
  };
}

function rowSize(v: VectorView, i: number): number {
  return v.dense ? v.dense.d : v.sparse!.sizes[i];
}

/** Adds scale·x_i into out[base .. base + d). */
function addRow(v: VectorView, i: number, scale: number, out: Float64Array, base: number): void {
  if (v.dense) {
    const { d, values, offset } = v.dense;
    const row = offset + i * d;
    for (let j = 0; j < d; j++) out[base + j] += scale * values[row + j];
  } else {
    const { offsets, indices, values } = v.sparse!;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) out[base + indices[e]] += scale * values[e];
  }
}

export const CLUSTER_STATS = registerKernel<ClusteringParams, ClusterStatsPartial>('evaluation.clusterStats', (batch, p) => {
  const n = batch.numRows;
  const problems: Problems = {};
  const r = rowReader(batch, p, problems);
  const byCluster = new Map<number, { w: number; sq: number; sum: Float64Array }>();
  let d = r.features.dense ? r.features.dense.d : -1;
  for (let i = 0; i < n; i++) {
    const w = r.weight(i);
    if (w !== w) continue;
    const size = rowSize(r.features, i);
    if (d < 0) d = size;
    if (size !== d) { countProblem(problems, `features column '${p.featuresCol}' holds vectors of different sizes`); continue; }
    const sq = r.norm2(i);
    if (p.cosine && sq === 0) { countProblem(problems, `features column '${p.featuresCol}' holds a zero vector (cosine distance is undefined)`); continue; }
    const c = r.cluster(i);
    let s = byCluster.get(c);
    if (!s) { s = { w: 0, sq: 0, sum: new Float64Array(d) }; byCluster.set(c, s); }
    s.w += w;
    if (p.cosine) addRow(r.features, i, w / Math.sqrt(sq), s.sum, 0);
    else { s.sq += w * sq; addRow(r.features, i, w, s.sum, 0); }
  }
  const k = byCluster.size, dd = Math.max(d, 0);
  const ids = new Float64Array(k), weights = new Float64Array(k), sqNorms = new Float64Array(k), sums = new Float64Array(k * dd);
  let c = 0;
  for (const [id, s] of byCluster) { ids[c] = id; weights[c] = s.w; sqNorms[c] = s.sq; sums.set(s.sum, c * dd); c++; }
  return { d, ids, weights, sqNorms, sums, rows: n, problems };
});

export interface SilhouetteParams extends ClusteringParams {
  readonly stats: BroadcastRef;
}

/** Σ w·s(x) and Σ w over the partition (acc: Float64Array(2)). */
export const SILHOUETTE = registerAggregator<Float64Array, SilhouetteParams>('evaluation.silhouette', (acc, batch, p, ctx) => {
  const stats = ctx.broadcast<ClusterStats>(p.stats.$broadcast);
  const { d, ids, weights, sqNorms, sums } = stats;
  const k = ids.length;
  const index = new Map<number, number>();
  ids.forEach((id, c) => index.set(id, c));
  const r = rowReader(batch, p, {});
  const f = r.features;
  const dots = new Float64Array(k), dist = new Float64Array(k);
  for (let i = 0; i < batch.numRows; i++) {
    const w = r.weight(i);
    if (w !== w) continue;
    const own = index.get(r.cluster(i));
    if (own === undefined) continue; // rows the first pass rejected (the evaluation fails anyway)
    dots.fill(0);
    if (f.dense) {
      const base = f.dense.offset + i * d, values = f.dense.values;
      for (let c = 0; c < k; c++) {
        let s = 0;
        const cb = c * d;
        for (let j = 0; j < d; j++) s += values[base + j] * sums[cb + j];
        dots[c] = s;
      }
    } else {
      const { offsets, indices, values } = f.sparse!;
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const j = indices[e], x = values[e];
        for (let c = 0; c < k; c++) dots[c] += x * sums[c * d + j];
      }
    }
    const sq = r.norm2(i);
    if (p.cosine) {
      const norm = Math.sqrt(sq);
      for (let c = 0; c < k; c++) dist[c] = 1 - dots[c] / norm / weights[c];
    } else {
      for (let c = 0; c < k; c++) dist[c] = sq + sqNorms[c] / weights[c] - (2 * dots[c]) / weights[c];
    }
    acc[0] += w * pointSilhouette(dist, own, weights[own], w);
    acc[1] += w;
  }
  return acc;
});

/**
 * Spark's pointSilhouetteCoefficient: a = the mean distance to the own cluster without the point
 * itself, b = the smallest mean distance to another cluster; s = 1 - a/b, b/a - 1 or 0. A point
 * alone in its cluster scores 0.
 */
export function pointSilhouette(dist: Float64Array, own: number, ownWeight: number, weight: number): number {
  if (ownWeight === weight) return 0;
  let b = Infinity;
  for (let c = 0; c < dist.length; c++) if (c !== own && dist[c] < b) b = dist[c];
  const a = (dist[own] * ownWeight) / (ownWeight - weight);
  if (a < b) return 1 - a / b;
  if (a > b) return b / a - 1;
  return 0;
}
