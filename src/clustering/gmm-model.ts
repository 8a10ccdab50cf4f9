// The fitted Gaussian mixture (Spark's GaussianMixtureModel) and its training summary.
import type { DataFrame } from '../dataframe/dataframe.js';
import { Session } from '../dataframe/session.js';
import type { StructType } from '../dataframe/types.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { Model } from '../pipeline/stage.js';
import { ParamMap } from '../pipeline/params-map.js';
import { withParams } from '../pipeline/params-mixin.js';
import { constructWithUid, type ParamValues } from '../pipeline/params.js';
import { GMM_PARAMS, validateGmmSchema } from './gmm-params.js';
import { argmax, PREDICT_MAPPER, type MixtureParams, type PredictParams } from './gmm.kernels.js';
import { membership, MultivariateGaussian } from './multivariate-gaussian.js';
import {
  dataTable, doubleArrayColumn, loadStage, matrixArrayColumn, ModelPersistenceError, registerStage, vectorArrayColumn, type LoadOptions,
} from '../persistence/index.js';
import { ClusteringSummary } from './clustering-summary.js';

export class GaussianMixtureModel extends withParams(Model, GMM_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.clustering.GaussianMixtureModel';

  static load(path: string, options?: LoadOptions): Promise<GaussianMixtureModel> { return loadStage(GaussianMixtureModel, path, options); }

  readonly #weights: Float64Array;
  readonly #gaussians: MultivariateGaussian[];
  #mixture: MixtureParams | null = null;
  #summary: GaussianMixtureSummary | null = null;

  /** `weights` (summing to one) and one Gaussian per component. With no arguments, an empty model for loaders to fill. */
  constructor(weights: ArrayLike<number> = [], gaussians: readonly MultivariateGaussian[] = [], params?: ParamValues<GaussianMixtureModel>) {
    super();
    if (weights.length !== gaussians.length) {
      throw new Error(`GaussianMixtureModel: ${weights.length} weights but ${gaussians.length} Gaussians; there must be one weight per Gaussian`);
    }
    const d = gaussians.length ? gaussians[0].size : 0;
    gaussians.forEach((g, j) => {
      if (g.size !== d) throw new Error(`GaussianMixtureModel: Gaussian ${j} has ${g.size} features but Gaussian 0 has ${d}`);
    });
    this.#weights = Float64Array.from(weights);
    this.#gaussians = [...gaussians];
    if (params) this.setParamsFromObject(params);
  }

  /** The mixing weight of each Gaussian. */
  get weights(): number[] { return Array.from(this.#weights); }

  get gaussians(): MultivariateGaussian[] { return [...this.#gaussians]; }

  get numFeatures(): number { return this.#gaussians.length ? this.#gaussians[0].size : 0; }

  /** Number of Gaussians. */
  get numClusters(): number { return this.#weights.length; }

  /** The Gaussians as a DataFrame, one row each: `mean` (vector) and `cov` ({numRows, numCols, values} column-major). */
  gaussiansDF(session: Session = Session.builder().getOrCreate()): DataFrame {
    return session.createDataFrame(this.#gaussians.map((g) => ({
      mean: g.mean,
      cov: { numRows: g.size, numCols: g.size, values: Array.from(g.cov.toArray()) },
    })), { numPartitions: 1 });
  }

  /** Membership probability of each Gaussian (Spark's predictProbability: EPSILON + w·pdf, normalised). */
  predictProbability(features: Vector): DenseVector {
    const m = this.mixture();
    if (features.size !== m.d) throw new Error(`GaussianMixtureModel.predictProbability: expected a vector of size ${m.d} but got ${features.size}`);
    const out = new Float64Array(m.k);
    membership(features.toArray(), 0, m.weights, m.means, m.constants, m.d, out, new Float64Array(m.d));
    return new DenseVector(out);
  }

  /** The most probable Gaussian (the first, on ties). */
  predict(features: Vector): number { return argmax(this.predictProbability(features).values); }

  get hasSummary(): boolean { return this.#summary !== null; }

  get summary(): GaussianMixtureSummary {
    if (!this.#summary) throw new Error(`No training summary available for this GaussianMixtureModel (${this.uid})`);
    return this.#summary;
  }

  setSummary(summary: GaussianMixtureSummary | null): this { this.#summary = summary; return this; }

  transformSchema(schema: StructType): StructType { return validateGmmSchema(this, schema, false, this.numClusters); }

  protected transformImpl(df: DataFrame): DataFrame {
    const k = this.numClusters;
    const probabilityCol = this.getProbabilityCol(), predictionCol = this.getPredictionCol();
    const params: PredictParams = { ...this.mixture(), column: this.getFeaturesCol(), probabilityCol, predictionCol };
    const fields = [];
    if (probabilityCol !== '') fields.push({ name: probabilityCol, type: { kind: 'vector' as const, encoding: 'dense' as const, size: k }, nullable: false });
    if (predictionCol !== '') fields.push({ name: predictionCol, type: { kind: 'int' as const }, nullable: false });
    if (fields.length === 0) return df;
    return df.withMappedColumns(PREDICT_MAPPER, params, fields);
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = this.copyValues(constructWithUid(this.uid, () => new GaussianMixtureModel(this.#weights, this.#gaussians)), extra);
    copied.#summary = this.#summary;
    if (this.parent) copied.setParent(this.parent);
    return copied as this;
  }

  override toString(): string { return `GaussianMixtureModel: uid=${this.uid}, k=${this.numClusters}, numFeatures=${this.numFeatures}`; }

  /** @internal Weights, flat means and density constants, as the kernels take them. */
  mixture(): MixtureParams {
    if (!this.#mixture) {
      const k = this.numClusters, d = this.numFeatures;
      const means = new Float64Array(k * d);
      this.#gaussians.forEach((g, j) => means.set(g.mean.values, j * d));
      this.#mixture = { k, d, weights: this.#weights.slice(), means, constants: this.#gaussians.map((g) => g.constants()) };
    }
    return this.#mixture;
  }
}

/** predictions also holds the probability column. */
export class GaussianMixtureSummary extends ClusteringSummary {
  constructor(
    predictions: DataFrame,
    predictionCol: string,
    readonly probabilityCol: string,
    featuresCol: string,
    k: number,
    /** Σ weight·log-likelihood of the training data at the mixture the last iteration started from (Spark's logLikelihood). */
    readonly logLikelihood: number,
    numIter: number,
    clusterSizes: number[],
    /** The log-likelihood of every iteration, in order (logLikelihood is the last); not in Spark. */
    readonly logLikelihoodHistory: number[],
  ) {
    super(predictions, predictionCol, featuresCol, k, numIter, clusterSizes);
  }

  /** The probability column alone. */
  get probability(): DataFrame { return this.predictions.select(this.probabilityCol); }
}

// Spark's layout: data/ holds one row (weights: array<double>, mus: array<vector>, sigmas: array<matrix>).
registerStage(GaussianMixtureModel, {
  save: (model, out) => {
    const g = model.gaussians;
    return out.writeData(dataTable({
      weights: doubleArrayColumn([model.weights]),
      // Spark writes them with the old spark.mllib UDTs, and its reader requires those.
      mus: vectorArrayColumn([g.map((x) => x.mean)], { mllib: true }),
      sigmas: matrixArrayColumn([g.map((x) => x.cov)], { mllib: true }),
    }));
  },
  async load(ctx) {
    const data = (await ctx.readData()).requireRows(1);
    const weights = data.doubleArray('weights');
    const mus = data.vectorArray('mus');
    const sigmas = data.matrixArray('sigmas');
    if (mus.length !== sigmas.length) throw new ModelPersistenceError(ctx.path, 'corrupt model data (data/): Length of Mu and Sigma array must match');
    if (mus.length !== weights.length) throw new ModelPersistenceError(ctx.path, 'corrupt model data (data/): Length of weight and Gaussian array must match');
    const gaussians = mus.map((mu, j) => {
      try {
        return new MultivariateGaussian(mu, sigmas[j]);
      } catch (error) {
        throw new ModelPersistenceError(ctx.path, `corrupt model data (data/): Gaussian ${j}: ${(error as Error).message}`);
      }
    });
    return ctx.construct(() => new GaussianMixtureModel(weights, gaussians));
  },
});
