// The fitted K-Means model (Spark's KMeansModel) and its training summary.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { Model } from '../pipeline/stage.js';
import { ParamMap } from '../pipeline/params-map.js';
import { withParams } from '../pipeline/params-mixin.js';
import { constructWithUid, type ParamValues } from '../pipeline/params.js';
import { CenterSet, type DistanceMeasure } from './distance.js';
import { KMEANS_PARAMS, validateKMeansSchema } from './kmeans-params.js';
import { PREDICT_MAPPER, type PredictParams } from './kmeans.kernels.js';
import { dataTable, intColumn, loadStage, ModelPersistenceError, registerStage, vectorColumn, type LoadOptions } from '../persistence/index.js';
import { ClusteringSummary } from './clustering-summary.js';

export class KMeansModel extends withParams(Model, KMEANS_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.clustering.KMeansModel';

  static load(path: string, options?: LoadOptions): Promise<KMeansModel> { return loadStage(KMeansModel, path, options); }

  #centers: Float64Array;
  #d: number;
  #set: CenterSet | null = null;
  #summary: KMeansSummary | null = null;

  /** `centers`: k×d, row-major (or a list of vectors). With no arguments, an empty model for loaders to fill. */
  constructor(centers: Float64Array | readonly Vector[] = new Float64Array(0), d?: number, params?: ParamValues<KMeansModel>) {
    super();
    if (Array.isArray(centers)) {
      const list = centers as readonly Vector[];
      d = list.length ? list[0].size : 0;
      const flat = new Float64Array(list.length * d);
      list.forEach((v, j) => {
        if (v.size !== d) throw new Error(`KMeansModel: cluster centers must have one size, got ${d} and ${v.size}`);
        flat.set(v.toArray(), j * d!);
      });
      centers = flat;
    }
    this.#centers = Float64Array.from(centers as Float64Array);
    this.#d = d ?? 0;
    if (this.#d > 0 && this.#centers.length % this.#d !== 0) throw new Error(`KMeansModel: ${this.#centers.length} values do not make centers of size ${this.#d}`);
    if (params) this.setParamsFromObject(params);
  }

  /** Number of cluster centers (can be below the `k` param when the data has fewer distinct points). */
  get numClusters(): number { return this.#d === 0 ? 0 : this.#centers.length / this.#d; }
  get numFeatures(): number { return this.#d; }

  clusterCenters(): DenseVector[] {
    return Array.from({ length: this.numClusters }, (_, j) => new DenseVector(this.#centers.slice(j * this.#d, (j + 1) * this.#d)));
  }

  /** Row-major k×d copy of the centers. */
  centersArray(): Float64Array { return this.#centers.slice(); }

  /** The index of the closest cluster center (Spark's predict). */
  predict(features: Vector): number {
    if (features.size !== this.#d) throw new Error(`KMeansModel.predict: expected a vector of size ${this.#d} but got ${features.size}`);
    return this.centerSet().nearest(features.toArray(), 0);
  }

  get hasSummary(): boolean { return this.#summary !== null; }

  get summary(): KMeansSummary {
    if (!this.#summary) throw new Error(`No training summary available for this KMeansModel (${this.uid})`);
    return this.#summary;
  }

  setSummary(summary: KMeansSummary | null): this { this.#summary = summary; return this; }

  transformSchema(schema: StructType): StructType { return validateKMeansSchema(this, schema, false); }

  protected transformImpl(df: DataFrame): DataFrame {
    const params: PredictParams = {
      column: this.getFeaturesCol(), centers: this.#centers, k: this.numClusters, d: this.#d,
      measure: this.getDistanceMeasure() as DistanceMeasure,
    };
    return df.withMappedColumns(PREDICT_MAPPER, params, [{ name: this.getPredictionCol(), type: { kind: 'int' }, nullable: false }]);
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = this.copyValues(constructWithUid(this.uid, () => new KMeansModel(this.#centers, this.#d)), extra);
    copied.#summary = this.#summary;
    if (this.parent) copied.setParent(this.parent);
    return copied as this;
  }

  private centerSet(): CenterSet {
    const measure = this.getDistanceMeasure() as DistanceMeasure;
    if (!this.#set || this.#set.measure !== measure) this.#set = new CenterSet(this.#centers, this.numClusters, this.#d, measure);
    return this.#set;
  }
}

export class KMeansSummary extends ClusteringSummary {
  constructor(
    predictions: DataFrame, predictionCol: string, featuresCol: string, k: number, numIter: number,
    /** Σ weight·cost of the last Lloyd iteration, at the centers it started from (Spark's trainingCost). */
    readonly trainingCost: number,
    clusterSizes: number[],
    /** The cost of every Lloyd iteration, in order (trainingCost is the last). */
    readonly objectiveHistory: number[],
  ) {
    super(predictions, predictionCol, featuresCol, k, numIter, clusterSizes);
  }
}

// Spark's layout: data/ holds one row per center, (clusterIdx: int, clusterCenter: vector).
registerStage(KMeansModel, {
  save: (model, out) => {
    const centers = model.clusterCenters();
    return out.writeData(dataTable({ clusterIdx: intColumn(centers.map((_, j) => j)), clusterCenter: vectorColumn(centers) }));
  },
  async load(ctx) {
    const data = await ctx.readData();
    const rows = Array.from({ length: data.numRows }, (_, r) => ({ idx: data.int('clusterIdx', r), center: data.vector('clusterCenter', r) }));
    rows.sort((a, b) => a.idx - b.idx);
    rows.forEach((row, j) => {
      if (row.idx !== j) throw new ModelPersistenceError(ctx.path, `corrupt model data (data/): clusterIdx ${j} is missing`);
      if (row.center.size !== rows[0].center.size) throw new ModelPersistenceError(ctx.path, 'corrupt model data (data/): cluster centers have different sizes');
    });
    return ctx.construct(() => new KMeansModel(rows.map((r) => r.center)));
  },
});
