// The fitted bisecting K-Means model (Spark's BisectingKMeansModel): a binary tree of clusters
// whose leaves are the k clusters; a point belongs to the leaf it reaches from the root by taking
// the closer child at each node. Also its training summary.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { addInto } from '../engine/aggregate.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { Model } from '../pipeline/stage.js';
import { ParamMap } from '../pipeline/params-map.js';
import { withParams } from '../pipeline/params-mixin.js';
import { constructWithUid, type ParamValues } from '../pipeline/params.js';
import { optionalColumn } from '../pipeline/shared-params.js';
import { validateKMeansSchema } from './kmeans-params.js';
import { BISECTING_PARAMS } from './bisecting-params.js';
import { descend, LEAF_TOTALS, PREDICT_MAPPER, type FlatTree, type PredictParams } from './bisecting.kernels.js';
import { COSINE_ZERO_LENGTH, normAt, type DistanceMeasure } from './distance.js';
import {
  dataTable, doubleColumn, intArrayColumn, intColumn, loadStage, longColumn, ModelPersistenceError, registerStage, vectorColumn, type LoadOptions,
} from '../persistence/index.js';
import { ClusteringSummary } from './clustering-summary.js';

/** A node of the cluster tree (Spark's ClusteringTreeNode): leaves are numbered 0..k−1, internal nodes −1, −2, … */
export interface ClusteringTreeNode {
  readonly index: number;
  /** Points in the cluster when it was summarised. */
  readonly size: number;
  readonly center: DenseVector;
  /** Σ weight·cost of its points to its center. */
  readonly cost: number;
  /** Distance from its center to the farthest child center (0 for a leaf). */
  readonly height: number;
  readonly children: readonly ClusteringTreeNode[];
}

export class BisectingKMeansModel extends withParams(Model, BISECTING_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.clustering.BisectingKMeansModel';

  static load(path: string, options?: LoadOptions): Promise<BisectingKMeansModel> { return loadStage(BisectingKMeansModel, path, options); }

  readonly #root: ClusteringTreeNode | null;
  readonly #trainingCost: number;
  #flat: { tree: FlatTree; leafIndex: Int32Array; leaves: ClusteringTreeNode[] } | null = null;
  #summary: BisectingKMeansSummary | null = null;

  /** The tree's root and the training cost (Σ of the leaves' costs). With no arguments, an empty model for loaders to fill. */
  constructor(root: ClusteringTreeNode | null = null, trainingCost = 0, params?: ParamValues<BisectingKMeansModel>) {
    super();
    this.#root = root;
    this.#trainingCost = trainingCost;
    if (params) this.setParamsFromObject(params);
  }

  get root(): ClusteringTreeNode {
    if (!this.#root) throw new Error(`BisectingKMeansModel ${this.uid} has no cluster tree`);
    return this.#root;
  }

  /** Σ of the leaves' costs at the end of training (Spark's parentModel.trainingCost). */
  get trainingCost(): number { return this.#trainingCost; }

  get numFeatures(): number { return this.root.center.size; }

  /** Number of leaf clusters (at most k; fewer when no cluster was divisible). */
  get numClusters(): number { return this.flat().leaves.length; }

  /** The leaves' centers, by leaf index. */
  clusterCenters(): DenseVector[] { return this.flat().leaves.map((l) => new DenseVector(l.center.values.slice())); }

  /** The leaf cluster the point reaches. */
  predict(features: Vector): number {
    const { tree, leafIndex } = this.flat();
    if (features.size !== tree.d) throw new Error(`BisectingKMeansModel.predict: expected a vector of size ${tree.d} but got ${features.size}`);
    const x = Float64Array.from(features.toArray());
    const norm = normAt(x, 0, tree.d);
    if (tree.measure === 'cosine' && !(norm > 0)) throw new Error(COSINE_ZERO_LENGTH);
    return leafIndex[descend(x, 0, norm, tree)];
  }

  /** Σ weight·cost of the rows to their leaf centers (spark.mllib's BisectingKMeansModel.computeCost). */
  async computeCost(df: DataFrame): Promise<number> {
    return (await this.leafTotals(df))[this.numClusters];
  }

  get hasSummary(): boolean { return this.#summary !== null; }

  get summary(): BisectingKMeansSummary {
    if (!this.#summary) throw new Error(`No training summary available for this BisectingKMeansModel (${this.uid})`);
    return this.#summary;
  }

  setSummary(summary: BisectingKMeansSummary | null): this { this.#summary = summary; return this; }

  transformSchema(schema: StructType): StructType { return validateKMeansSchema(this, schema, false); }

  protected transformImpl(df: DataFrame): DataFrame {
    return df.withMappedColumns(PREDICT_MAPPER, this.predictParams(null), [{ name: this.getPredictionCol(), type: { kind: 'int' }, nullable: false }]);
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = this.copyValues(constructWithUid(this.uid, () => new BisectingKMeansModel(this.#root, this.#trainingCost)), extra);
    copied.#summary = this.#summary;
    if (this.parent) copied.setParent(this.parent);
    return copied as this;
  }

  override toString(): string { return `BisectingKMeansModel: uid=${this.uid}, k=${this.numClusters}, distanceMeasure=${this.getDistanceMeasure()}, numFeatures=${this.numFeatures}`; }

  /** @internal Rows per leaf (k) then Σ weight·cost, in one pass. */
  async leafTotals(df: DataFrame, weightCol: string | null = optionalColumn(this, this.weightCol) ?? null): Promise<Float64Array> {
    const plans = await df.plans();
    const k = this.numClusters;
    return df.engine.treeAggregate(plans, new Float64Array(k + 1), LEAF_TOTALS, addInto, 2, this.predictParams(weightCol));
  }

  private predictParams(weightCol: string | null): PredictParams {
    const { tree, leafIndex } = this.flat();
    return { ...tree, column: this.getFeaturesCol(), weightCol, leafIndex, k: this.numClusters };
  }

  /** The tree in pre-order as flat arrays for the kernels, and the leaves by index. */
  private flat(): { tree: FlatTree; leafIndex: Int32Array; leaves: ClusteringTreeNode[] } {
    if (!this.#flat) {
      const nodes: ClusteringTreeNode[] = [];
      const walk = (node: ClusteringTreeNode): void => { nodes.push(node); node.children.forEach(walk); };
      walk(this.root);
      const d = this.root.center.size;
      const pos = new Map(nodes.map((node, i) => [node, i]));
      const centers = new Float64Array(nodes.length * d);
      const norms = new Float64Array(nodes.length);
      const left = new Int32Array(nodes.length).fill(-1), right = new Int32Array(nodes.length).fill(-1);
      const leafIndex = new Int32Array(nodes.length).fill(-1);
      const leaves: ClusteringTreeNode[] = [];
      nodes.forEach((node, i) => {
        if (node.center.size !== d) throw new Error(`BisectingKMeansModel: cluster centers must have one size, got ${d} and ${node.center.size}`);
        centers.set(node.center.values, i * d);
        norms[i] = normAt(centers, i * d, d);
        if (node.children.length > 0) left[i] = pos.get(node.children[0])!;
        if (node.children.length > 1) right[i] = pos.get(node.children[1])!;
        if (node.children.length === 0) { leafIndex[i] = leaves.length; leaves.push(node); }
      });
      this.#flat = { tree: { d, measure: this.getDistanceMeasure() as DistanceMeasure, centers, norms, left, right }, leafIndex, leaves };
    }
    return this.#flat;
  }
}

/** numIter is the `maxIter` param, as Spark reports it. */
export class BisectingKMeansSummary extends ClusteringSummary {
  constructor(
    predictions: DataFrame, predictionCol: string, featuresCol: string, k: number, numIter: number,
    /** Σ of the leaves' costs (Spark's trainingCost). */
    readonly trainingCost: number,
    clusterSizes: number[],
  ) {
    super(predictions, predictionCol, featuresCol, k, numIter, clusterSizes);
  }
}

// Spark's layout: the ml metadata, then spark.mllib's model under data/: data/metadata (a JSON
// line: class, version 3.0, rootId, distanceMeasure, trainingCost) and data/data (one row per node
// in post-order: index, size, center (mllib vector), norm, cost, height, children).
const MLLIB_CLASS = 'org.apache.spark.mllib.clustering.BisectingKMeansModel';

registerStage(BisectingKMeansModel, {
  async save(model, out) {
    const nodes: ClusteringTreeNode[] = [];
    const post = (node: ClusteringTreeNode): void => { node.children.forEach(post); nodes.push(node); };
    post(model.root);
    const json = JSON.stringify({
      class: MLLIB_CLASS, version: '3.0', rootId: model.root.index, distanceMeasure: model.getDistanceMeasure(), trainingCost: model.trainingCost,
    });
    await out.fs.writeFile(out.join('data', 'metadata', 'part-00000'), `${json}\n`);
    await out.fs.writeFile(out.join('data', 'metadata', '_SUCCESS'), '');
    await out.writeData(dataTable({
      index: intColumn(nodes.map((n) => n.index)),
      size: longColumn(nodes.map((n) => n.size)),
      center: vectorColumn(nodes.map((n) => n.center), { mllib: true }),
      norm: doubleColumn(nodes.map((n) => normAt(n.center.values, 0, n.center.size))),
      cost: doubleColumn(nodes.map((n) => n.cost)),
      height: doubleColumn(nodes.map((n) => n.height)),
      children: intArrayColumn(nodes.map((n) => n.children.map((c) => c.index))),
    }), 'data/data');
  },
  async load(ctx) {
    const corrupt = (what: string) => new ModelPersistenceError(ctx.path, `corrupt model data (data/): ${what}`);
    const metaDir = ctx.join('data', 'metadata');
    const names = await ctx.fs.list(metaDir).catch(() => { throw corrupt('data/metadata is missing'); });
    const file = names.find((n) => n.startsWith('part-'));
    if (!file) throw corrupt('data/metadata has no part file');
    const line = new TextDecoder().decode(await ctx.fs.readFile(ctx.fs.join(metaDir, file))).split('\n', 1)[0]!;
    let meta: { class?: unknown; rootId?: unknown; trainingCost?: unknown };
    try { meta = JSON.parse(line); } catch (error) { throw corrupt(`data/metadata is not JSON (${(error as Error).message})`); }
    if (meta.class !== MLLIB_CLASS) throw corrupt(`data/metadata names class ${String(meta.class)}, expected ${MLLIB_CLASS}`);
    if (typeof meta.rootId !== 'number' || typeof meta.trainingCost !== 'number') throw corrupt('data/metadata lacks rootId or trainingCost');
    const data = await ctx.readData('data/data');
    const rows = new Map<number, { size: number; center: DenseVector; cost: number; height: number; children: number[] }>();
    for (let r = 0; r < data.numRows; r++) {
      const center = data.vector('center', r);
      rows.set(data.int('index', r), {
        size: data.long('size', r), center: new DenseVector(Float64Array.from(center.toArray())), cost: data.double('cost', r),
        height: data.double('height', r), children: Array.from(data.intArray('children', r)),
      });
    }
    const seen = new Set<number>();
    const build = (index: number): ClusteringTreeNode => {
      const row = rows.get(index);
      if (!row) throw corrupt(`node ${index} is missing`);
      if (seen.has(index)) throw corrupt(`node ${index} appears twice in the tree`);
      seen.add(index);
      return { index, size: row.size, center: row.center, cost: row.cost, height: row.height, children: row.children.map(build) };
    };
    const root = build(meta.rootId);
    return ctx.construct(() => new BisectingKMeansModel(root, meta.trainingCost as number));
  },
});
