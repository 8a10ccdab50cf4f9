// Gaussian mixture (Spark's ml.clustering.GaussianMixture): expectation maximisation over the
// cached partitions, one tree-aggregated pass per iteration (the E step's sufficient statistics),
// the M step on the driver. Full covariance matrices, as Spark.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { addInto } from '../engine/aggregate.js';
import type { EngineContext } from '../engine/context.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { DenseMatrix } from '../linalg/matrix.js';
import { randomStream } from '../linalg/random.js';
import { DenseVector } from '../linalg/vectors.js';
import { Estimator } from '../pipeline/stage.js';
import { withParams } from '../pipeline/params-mixin.js';
import type { ParamValues } from '../pipeline/params.js';
import { optionalColumn, seedNumber } from '../pipeline/shared-params.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { denseTrainingData } from './dense-input.js';
import { GMM_PARAMS, validateGmmSchema } from './gmm-params.js';
import { GaussianMixtureModel, GaussianMixtureSummary } from './gmm-model.js';
import {
  CLUSTER_SIZES, EXPECTATION, expectationSize, GATHER, packedSize, PREPARE, type MixtureParams, type PrepareResult,
} from './gmm.kernels.js';
import { MultivariateGaussian } from './multivariate-gaussian.js';

/** Spark's GaussianMixture.MAX_NUM_FEATURES: ⌊√Int.MaxValue⌋, so that d² fits an Int. */
export const MAX_NUM_FEATURES = Math.floor(Math.sqrt(2147483647));

/** Rows sampled per Gaussian to initialise it (Spark's numSamples). */
const NUM_SAMPLES = 5;

/** A mixture during EM: weights, means (k×d) and covariances packed upper-triangular (k × d(d+1)/2). */
interface Mixture { weights: Float64Array; means: Float64Array; covs: Float64Array }

interface Run {
  engine: EngineContext;
  plans: PartitionPlan[];
  column: string;
  weightCol: string | null;
  rows: number[];
  offsets: number[];
  total: number;
  d: number;
}

export class GaussianMixture extends withParams(Estimator<GaussianMixtureModel>, GMM_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.clustering.GaussianMixture';

  static load(path: string, options?: LoadOptions): Promise<GaussianMixture> { return loadStage(GaussianMixture, path, options); }

  #initialModel: GaussianMixtureModel | null = null;

  constructor(params?: ParamValues<GaussianMixture>) {
    super();
    if (params) this.setParamsFromObject(params);
  }

  /** Start EM from this mixture instead of the random initialisation (Spark's setInitialModel, SPARK-15785). */
  setInitialModel(model: GaussianMixtureModel): this {
    if (model.numClusters !== this.getK()) {
      throw new Error(`${this.uid}: mismatched cluster count: the initial model has ${model.numClusters} Gaussians but k is ${this.getK()}`);
    }
    this.#initialModel = model;
    return this;
  }

  get initialModel(): GaussianMixtureModel | null { return this.#initialModel; }

  transformSchema(schema: StructType): StructType { return validateGmmSchema(this, schema, true, this.getK()); }

  protected async fitImpl(df: DataFrame): Promise<GaussianMixtureModel> {
    const weightCol = optionalColumn(this, this.weightCol) ?? null;
    const { data, column, release } = await denseTrainingData(df, this.getFeaturesCol(), weightCol, 'GaussianMixture');
    try {
      const run = await this.prepare(data, column, weightCol);
      const init = await this.initialMixture(run);
      const { mixture, logLikelihood, numIter, history } = await this.em(run, init);
      const model = this.copyValues(new GaussianMixtureModel(mixture.weights, gaussiansOf(mixture, run.d)));
      const params: MixtureParams & { column: string; weightCol: string | null } = { ...model.mixture(), column, weightCol };
      const k = this.getK();
      const sizes = await run.engine.treeAggregate(run.plans, new Float64Array(k), CLUSTER_SIZES, addInto, this.getAggregationDepth(), params);
      model.setSummary(new GaussianMixtureSummary(model.transform(df), this.getPredictionCol(), this.getProbabilityCol(), this.getFeaturesCol(),
        k, logLikelihood, numIter, Array.from(sizes), history));
      return model;
    } finally {
      release();
    }
  }

  /** Validates the rows and counts them per partition. */
  private async prepare(data: DataFrame, column: string, weightCol: string | null): Promise<Run> {
    const engine = data.engine;
    const plans = await data.plans();
    const parts = await engine.runJob<PrepareResult>(PREPARE, plans, { column, weightCol });
    const rows = parts.map((p) => p.n);
    const total = rows.reduce((s, n) => s + n, 0);
    const k = this.getK();
    // Spark samples with replacement from any non-empty input; fewer rows than Gaussians cannot
    // give k distinct components, so Quiver refuses it (as scikit-learn does).
    if (total < k) throw new Error(`${this.uid}: the training DataFrame has ${total} row(s) but k is ${k}; GaussianMixture needs at least k rows`);
    const d = parts.find((p) => p.n > 0)!.d;
    if (d >= MAX_NUM_FEATURES) {
      throw new Error(`${this.uid}: GaussianMixture cannot handle more than ${MAX_NUM_FEATURES} features because the size of the covariance matrix is quadratic in the number of features (got ${d})`);
    }
    if (!(parts.reduce((s, p) => s + p.weightSum, 0) > 0)) throw new Error(`${this.uid}: the instance weights (column '${weightCol}') sum to 0`);
    const offsets: number[] = [];
    rows.reduce((acc, n) => { offsets.push(acc); return acc + n; }, 0);
    return { engine, plans, column, weightCol, rows, offsets, total, d };
  }

  /**
   * The initial model, or Spark's initRandom: k·5 rows drawn with replacement (Quiver's seeded
   * stream over global row indices, so any partitioning draws the same rows); Gaussian i takes the
   * weighted mean of rows 5i..5i+4 and a diagonal covariance of their weighted (biased) variances,
   * and weight Σ its rows' weights / Σ all sampled weights.
   */
  private async initialMixture(run: Run): Promise<Mixture> {
    const k = this.getK(), d = run.d, tri = packedSize(d);
    if (this.#initialModel) {
      const m = this.#initialModel;
      if (m.numFeatures !== d) throw new Error(`${this.uid}: the initial model's Gaussians have ${m.numFeatures} features but the data has ${d}`);
      return { weights: Float64Array.from(m.weights), means: m.mixture().means.slice(), covs: packAll(m.gaussians, d) };
    }
    const rng = randomStream(seedNumber(this.getSeed()), 'gmm', 'init-sample');
    const chosen = Array.from({ length: k * NUM_SAMPLES }, () => Math.floor(rng() * run.total));
    const { vectors, weights: sampleWeights } = await this.gatherRows(run, chosen);
    const weightSum = sampleWeights.reduce((s, w) => s + w, 0);
    const mixture: Mixture = { weights: new Float64Array(k), means: new Float64Array(k * d), covs: new Float64Array(k * tri) };
    for (let i = 0; i < k; i++) {
      const start = i * NUM_SAMPLES;
      let local = 0;
      for (let j = 0; j < NUM_SAMPLES; j++) local += sampleWeights[start + j];
      if (!(local > 0)) throw new Error(`${this.uid}: the rows sampled to initialise Gaussian ${i} all have weight 0; set an initial model or drop zero-weight rows`);
      mixture.weights[i] = local / weightSum;
      const mean = mixture.means.subarray(i * d, (i + 1) * d);
      for (let j = 0; j < NUM_SAMPLES; j++) {
        const o = (start + j) * d;
        for (let t = 0; t < d; t++) mean[t] += sampleWeights[start + j] * vectors[o + t];
      }
      for (let t = 0; t < d; t++) mean[t] *= 1 / local;
      const ss = new Float64Array(d);
      for (let j = 0; j < NUM_SAMPLES; j++) {
        const o = (start + j) * d;
        for (let t = 0; t < d; t++) { const v = vectors[o + t] - mean[t]; ss[t] += v * v * sampleWeights[start + j]; }
      }
      for (let t = 0; t < d; t++) mixture.covs[i * tri + t + (t * (t + 1)) / 2] = ss[t] * (1 / local);
    }
    return mixture;
  }

  /**
   * Spark's trainImpl: iterate while fewer than maxIter iterations ran and the log-likelihood
   * moved by more than tol. Each iteration's E step is one pass at the current mixture, and its
   * log-likelihood is that mixture's; the M step then replaces the mixture.
   */
  private async em(run: Run, init: Mixture): Promise<{ mixture: Mixture; logLikelihood: number; numIter: number; history: number[] }> {
    const k = this.getK(), d = run.d, tri = packedSize(d);
    const maxIter = this.getMaxIter(), tol = this.getTol(), depth = this.getAggregationDepth();
    let mixture = init;
    let logLikelihood = -Number.MAX_VALUE;
    let logLikelihoodPrev = 0;
    let iteration = 0;
    const history: number[] = [];
    while (iteration < maxIter && Math.abs(logLikelihood - logLikelihoodPrev) > tol) {
      const params = { ...kernelMixture(mixture, k, d, this.uid), column: run.column, weightCol: run.weightCol };
      const acc = await run.engine.treeAggregate(run.plans, new Float64Array(expectationSize(k, d)), EXPECTATION, addInto, depth, params);
      mixture = maximise(acc, k, d, tri, this.uid);
      logLikelihoodPrev = logLikelihood;
      logLikelihood = acc[0];
      history.push(logLikelihood);
      iteration++;
    }
    return { mixture, logLikelihood, numIter: iteration, history };
  }

  private async gatherRows(run: Run, globalRows: number[]): Promise<{ vectors: Float64Array; weights: Float64Array }> {
    const byPartition: number[][] = run.rows.map(() => []);
    const where: [number, number][] = globalRows.map((g) => {
      let p = 0;
      while (g >= run.offsets[p] + run.rows[p]) p++;
      byPartition[p].push(g - run.offsets[p]);
      return [p, byPartition[p].length - 1];
    });
    const parts = await run.engine.runJob<{ vectors: Float64Array; weights: Float64Array }>(GATHER, run.plans, {
      column: run.column, weightCol: run.weightCol, rows: byPartition,
    });
    const vectors = new Float64Array(globalRows.length * run.d);
    const weights = new Float64Array(globalRows.length);
    where.forEach(([p, r], i) => {
      vectors.set(parts[p].vectors.subarray(r * run.d, (r + 1) * run.d), i * run.d);
      weights[i] = parts[p].weights[r];
    });
    return { vectors, weights };
  }
}

/**
 * Spark's updateWeightsAndGaussians for every Gaussian: μ = Σrx / W, Σ = (Σrxxᵀ − W·μμᵀ) / W,
 * weight = W / ΣW.
 */
function maximise(acc: Float64Array, k: number, d: number, tri: number, uid: string): Mixture {
  const oW = 1, oMean = 1 + k, oCov = 1 + k + k * d;
  let sumWeights = 0;
  for (let j = 0; j < k; j++) sumWeights += acc[oW + j];
  const out: Mixture = { weights: new Float64Array(k), means: new Float64Array(k * d), covs: new Float64Array(k * tri) };
  for (let j = 0; j < k; j++) {
    const w = acc[oW + j];
    if (!(w > 0)) throw new Error(`${uid}: Gaussian ${j} lost every point (its responsibilities sum to ${w}); try another seed or a smaller k`);
    const mean = out.means.subarray(j * d, (j + 1) * d);
    for (let t = 0; t < d; t++) mean[t] = acc[oMean + j * d + t] * (1 / w);
    const cov = out.covs.subarray(j * tri, (j + 1) * tri);
    for (let c = 0; c < d; c++) {
      const col = (c * (c + 1)) / 2;
      for (let t = 0; t <= c; t++) cov[col + t] = (acc[oCov + j * tri + col + t] + -w * mean[t] * mean[c]) * (1 / w);
    }
    out.weights[j] = w / sumWeights;
  }
  return out;
}

/** The packed mixture as the kernels read it: full covariances turned into density constants. */
function kernelMixture(m: Mixture, k: number, d: number, uid: string): MixtureParams {
  const constants = gaussiansOf(m, d).map((g, j) => {
    try {
      return g.constants();
    } catch (error) {
      throw new Error(`${uid}: Gaussian ${j}: ${(error as Error).message}`, { cause: error });
    }
  });
  return { k, d, weights: m.weights, means: m.means, constants };
}

/** The symmetric d×d matrix (column-major) of a packed upper triangle (Spark's unpackUpperTriangular). */
export function unpackUpperTriangular(d: number, packed: Float64Array, po = 0): Float64Array {
  const out = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    for (let r = 0; r <= c; r++) {
      const v = packed[po + r + (c * (c + 1)) / 2];
      out[r + c * d] = v;
      out[c + r * d] = v;
    }
  }
  return out;
}

function gaussiansOf(m: Mixture, d: number): MultivariateGaussian[] {
  const tri = packedSize(d);
  return Array.from(m.weights, (_, j) => new MultivariateGaussian(
    new DenseVector(m.means.slice(j * d, (j + 1) * d)),
    new DenseMatrix(d, d, unpackUpperTriangular(d, m.covs, j * tri)),
  ));
}

function packAll(gaussians: MultivariateGaussian[], d: number): Float64Array {
  const tri = packedSize(d);
  const out = new Float64Array(gaussians.length * tri);
  gaussians.forEach((g, j) => {
    const cov = g.covArray();
    for (let c = 0; c < d; c++) for (let r = 0; r <= c; r++) out[j * tri + r + (c * (c + 1)) / 2] = cov[r * d + c];
  });
  return out;
}

registerStage(GaussianMixture);
