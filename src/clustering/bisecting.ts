// Bisecting K-Means (Spark's ml.clustering.BisectingKMeans, run by spark.mllib's): starting from
// one cluster of every row, each level splits the active divisible clusters (the largest first
// when fewer splits are needed) in two by maxIter k-means steps, each step one tree-aggregated
// pass over all rows, until there are k leaves or nothing is divisible.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { addInto } from '../engine/aggregate.js';
import type { EngineContext } from '../engine/context.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { randomStream, type Rng } from '../linalg/random.js';
import { DenseVector } from '../linalg/vectors.js';
import { Estimator } from '../pipeline/stage.js';
import { withParams } from '../pipeline/params-mixin.js';
import type { ParamValues } from '../pipeline/params.js';
import { optionalColumn, seedNumber } from '../pipeline/shared-params.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { BISECTING_PARAMS } from './bisecting-params.js';
import { BisectingKMeansModel, BisectingKMeansSummary, type ClusteringTreeNode } from './bisecting-model.js';
import { SUMMARIZE, summaryStride, type FlatTree, type SummarizeParams } from './bisecting.kernels.js';
import { denseTrainingData } from './dense-input.js';
import { normAt, squaredDistance, dotAt, type DistanceMeasure } from './distance.js';
import { validateKMeansSchema } from './kmeans-params.js';
import { PREPARE, type PrepareResult } from './kmeans.kernels.js';

/** Spark's LEVEL_LIMIT: log2(Long.MaxValue), the depth its node indices (2i, 2i + 1) allow. */
const LEVEL_LIMIT = Math.log10(9223372036854775807) / Math.log10(2);
const EPSILON = Number.EPSILON;

/** A cluster during training (Spark's ClusterSummary) and its place in the tree. */
interface Cluster {
  size: number;
  weightSum: number;
  center: Float64Array;
  cost: number;
  left: number;
  right: number;
}

interface Run {
  engine: EngineContext;
  plans: PartitionPlan[];
  column: string;
  weightCol: string | null;
  measure: DistanceMeasure;
  d: number;
}

export class BisectingKMeans extends withParams(Estimator<BisectingKMeansModel>, BISECTING_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.clustering.BisectingKMeans';

  static load(path: string, options?: LoadOptions): Promise<BisectingKMeans> { return loadStage(BisectingKMeans, path, options); }

  constructor(params?: ParamValues<BisectingKMeans>) {
    super();
    if (params) this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType { return validateKMeansSchema(this, schema, true); }

  protected async fitImpl(df: DataFrame): Promise<BisectingKMeansModel> {
    if (this.getMaxIter() < 1) throw new Error(`${this.uid}: maxIter must be at least 1 for bisecting k-means (got ${this.getMaxIter()})`);
    const weightCol = optionalColumn(this, this.weightCol) ?? null;
    const { data, column, release } = await denseTrainingData(df, this.getFeaturesCol(), weightCol, 'BisectingKMeans');
    try {
      const measure = this.getDistanceMeasure() as DistanceMeasure;
      const plans = await data.plans();
      // K-Means' validation pass: no null or non-finite vectors (nor zero ones for cosine), valid weights.
      const parts = await data.engine.runJob<PrepareResult>(PREPARE, plans, { column, weightCol, measure });
      const total = parts.reduce((s, p) => s + p.n, 0);
      if (total === 0) throw new Error(`${this.uid}: the training DataFrame has no rows`);
      const run: Run = { engine: data.engine, plans, column, weightCol, measure, d: parts.find((p) => p.n > 0)!.d };
      const clusters = await this.bisect(run, total);
      const model = this.copyValues(buildModel(clusters, run));
      const k = this.getK();
      const totals = await model.leafTotals(df, null);
      const sizes = Array.from({ length: k }, (_, j) => (j < model.numClusters ? totals[j] : 0));
      model.setSummary(new BisectingKMeansSummary(model.transform(df), this.getPredictionCol(), this.getFeaturesCol(), k, this.getMaxIter(),
        model.trainingCost, sizes));
      return model;
    } finally {
      release();
    }
  }

  /** Spark's BisectingKMeans.runWithWeight: the clusters, root first, children linked by position. */
  private async bisect(run: Run, total: number): Promise<Cluster[]> {
    const clusters: Cluster[] = [];
    const rootAcc = await this.pass(run, clusters, null);
    clusters.push(summaryOf(rootAcc, 0, run.d, run.measure));
    const mdcs = this.getMinDivisibleClusterSize();
    const minSize = mdcs >= 1 ? Math.ceil(mdcs) : Math.ceil(mdcs * clusters[0].size);
    const rng = randomStream(seedNumber(this.getSeed()), 'bisecting-kmeans', 'split');
    let active = [0];
    let needed = this.getK() - 1;
    for (let level = 1; active.length > 0 && needed > 0 && level < LEVEL_LIMIT; level++) {
      let divisible = active.filter((j) => clusters[j].size >= minSize && clusters[j].cost > EPSILON * clusters[j].size);
      // Only the largest when fewer splits are needed (ties: the earlier cluster, Spark leaves them to map order).
      if (divisible.length > needed) divisible = [...divisible].sort((a, b) => clusters[b].size - clusters[a].size || a - b).slice(0, needed);
      if (divisible.length === 0) break;
      // Candidate children of each divided cluster: two centers symmetric about its center.
      let candidates = new Map<number, Float64Array[]>(divisible.map((j) => [j, splitCenter(clusters[j].center, rng, run.measure)]));
      let children = new Map<number, Cluster[]>();
      for (let iter = 0; iter < this.getMaxIter(); iter++) {
        const acc = await this.pass(run, clusters, candidates);
        children = new Map();
        let c = 0;
        for (const [j, cs] of candidates) {
          const got: Cluster[] = [];
          for (let t = 0; t < cs.length; t++, c++) {
            // A child no row chose drops out, as in Spark's summarize.
            if (acc[c * summaryStride(run.d)] > 0) got.push(summaryOf(acc, c, run.d, run.measure));
          }
          children.set(j, got);
        }
        candidates = new Map([...children].map(([j, got]) => [j, got.map((g) => g.center)]));
      }
      const next: number[] = [];
      for (const j of divisible) {
        const got = children.get(j) ?? [];
        if (got.length > 0) { clusters[j].left = clusters.length; next.push(clusters.length); clusters.push(got[0]); }
        if (got.length > 1) { clusters[j].right = clusters.length; next.push(clusters.length); clusters.push(got[1]); }
      }
      active = next;
      needed -= divisible.length;
    }
    return clusters;
  }

  /** One pass: the root's summary (candidates null) or each candidate child's. */
  private async pass(run: Run, clusters: Cluster[], candidates: Map<number, Float64Array[]> | null): Promise<Float64Array> {
    const d = run.d;
    const tree = flatTree(clusters, d, run.measure);
    const m = clusters.length;
    const candFirst = new Int32Array(m).fill(-1), candCount = new Int32Array(m);
    const list: Float64Array[] = [];
    for (const [j, cs] of candidates ?? []) { candFirst[j] = list.length; candCount[j] = cs.length; list.push(...cs); }
    const count = candidates ? list.length : 1;
    const cand = new Float64Array(list.length * d);
    list.forEach((c, i) => cand.set(c, i * d));
    const candNorms = Float64Array.from(list, (c) => normAt(c, 0, d));
    const params: SummarizeParams = {
      ...tree, column: run.column, weightCol: run.weightCol, root: candidates === null, candFirst, candCount, candidates: cand, candNorms,
    };
    return run.engine.treeAggregate(run.plans, new Float64Array(count * summaryStride(d)), SUMMARIZE, addInto, 2, params);
  }
}

/** Spark's ClusterSummaryAggregator.summary: centroid and cost of candidate c's sums. */
function summaryOf(acc: Float64Array, c: number, d: number, measure: DistanceMeasure): Cluster {
  const o = c * summaryStride(d);
  const size = acc[o], weightSum = acc[o + 1], sumSq = acc[o + 2];
  const sum = acc.slice(o + 3, o + 3 + d);
  const center = sum.slice();
  for (let t = 0; t < d; t++) center[t] *= 1 / weightSum;
  let cost: number;
  if (measure === 'cosine') {
    const nrm = normAt(center, 0, d);
    for (let t = 0; t < d; t++) center[t] *= 1 / nrm;
    cost = Math.max(weightSum - dotAt(center, 0, sum, 0, d), 0);
  } else {
    const nrm = normAt(center, 0, d);
    cost = Math.max(sumSq - weightSum * nrm * nrm, 0);
  }
  return { size, weightSum, center, cost, left: -1, right: -1 };
}

/** Spark's splitCenter: center ∓ 1e-4·‖center‖·u, u uniform on [0, 1)^d (unit length again for cosine). */
function splitCenter(center: Float64Array, rng: Rng, measure: DistanceMeasure): Float64Array[] {
  const d = center.length;
  const level = 1e-4 * normAt(center, 0, d);
  const noise = Float64Array.from({ length: d }, () => rng());
  const left = center.slice(), right = center.slice();
  for (let t = 0; t < d; t++) { left[t] -= level * noise[t]; right[t] += level * noise[t]; }
  if (measure === 'cosine') {
    for (const v of [left, right]) { const nrm = normAt(v, 0, d); for (let t = 0; t < d; t++) v[t] *= 1 / nrm; }
  }
  return [left, right];
}

function flatTree(clusters: Cluster[], d: number, measure: DistanceMeasure): FlatTree {
  const m = clusters.length;
  const centers = new Float64Array(m * d);
  clusters.forEach((c, j) => centers.set(c.center, j * d));
  return {
    d, measure, centers,
    norms: Float64Array.from(clusters, (c) => normAt(c.center, 0, d)),
    left: Int32Array.from(clusters, (c) => c.left),
    right: Int32Array.from(clusters, (c) => c.right),
  };
}

/** Spark's buildTree: leaves numbered 0, 1, … and internal nodes −1, −2, … in pre-order, left first. */
function buildModel(clusters: Cluster[], run: Run): BisectingKMeansModel {
  let leaf = 0, internal = -1;
  const distance = (a: Float64Array, b: Float64Array): number => (run.measure === 'cosine'
    ? 1 - dotAt(a, 0, b, 0, run.d) / normAt(a, 0, run.d) / normAt(b, 0, run.d)
    : Math.sqrt(squaredDistance(a, 0, b, 0, run.d)));
  const build = (j: number): ClusteringTreeNode => {
    const c = clusters[j];
    const base = { size: c.size, center: new DenseVector(c.center.slice()), cost: c.cost };
    if (c.left < 0) return { ...base, index: leaf++, height: 0, children: [] };
    const index = internal--;
    const kids = [c.left, c.right].filter((x) => x >= 0);
    const height = Math.max(...kids.map((x) => distance(c.center, clusters[x].center)));
    return { ...base, index, height, children: kids.map(build) };
  };
  const root = build(0);
  const leaves: ClusteringTreeNode[] = [];
  const collect = (n: ClusteringTreeNode): void => { if (n.children.length === 0) leaves.push(n); else n.children.forEach(collect); };
  collect(root);
  return new BisectingKMeansModel(root, leaves.reduce((s, l) => s + l.cost, 0));
}

registerStage(BisectingKMeans);
