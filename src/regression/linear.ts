// Spark's LinearRegression: squared-error or Huber loss with elastic-net regularization.
//  - solver "normal" (or "auto" with ≤ 4096 features and squared error): one pass for the weighted
//    centered scatter of [features, label], then WeightedLeastSquares on the driver (linear-normal.ts);
//  - solver "l-bfgs": one pass of statistics, then L-BFGS (OWL-QN with an L1 part, L-BFGS-B for Huber's
//    scale) where every evaluation is one treeAggregate pass in standardized space with virtual centering.
import type { DataFrame } from '../dataframe/dataframe.js';
import { SourceNode } from '../dataframe/logical.js';
import { StorageLevel } from '../dataframe/storage.js';
import { type StructField, type StructType } from '../dataframe/types.js';
import { addInto } from '../engine/aggregate.js';
import { mergeScatter, zeroScatter } from '../feature/pca.kernels.js';
import { vectorSizeOf } from '../feature/attributes.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { minimizeLBFGS, minimizeLBFGSB, minimizeOWLQN, type DiffFunction, type OptimResult } from '../optim/index.js';
import { withParams } from '../pipeline/params-mixin.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { constructWithUid, ParamSpec, type ParamValues } from '../pipeline/params.js';
import {
  aggregationDepth, featuresCol, labelCol, linearFitParams, loss, maxBlockSizeInMB, optionalColumn, predictionCol, solver,
  weightCol,
} from '../pipeline/shared-params.js';
import { Estimator, Model, ParamMap } from '../pipeline/stage.js';
import { Identifiable } from '../pipeline/uid.js';
import { dataTable, doubleColumn, loadStage, registerStage, vectorColumn, type LoadOptions } from '../persistence/index.js';
import { requireAbsent, requirePredictorInputs, rowInstances, type InstanceSpec } from './linear-instances.js';
import type { RowStep } from '../pipeline/row-scorer.js';
import {
  HUBER, INSTANCE_STATS, LEAST_SQUARES, LINEAR_GRAM, LINEAR_PREDICT, linearPredictInto, mergeInstanceStats, summarizerVariance,
  zeroInstanceStats, type HuberParams, type LeastSquaresParams, type LinearPredictParams,
} from './linear.kernels.js';
import { solveNormalEquations } from './linear-normal.js';
import { LinearRegressionSummary, LinearRegressionTrainingSummary } from './linear-summary.js';

/** Largest number of features for the normal-equation solver (Spark's WeightedLeastSquares.MAX_NUM_FEATURES). */
export const MAX_FEATURES_FOR_NORMAL_SOLVER = 4096;

const linearParams = {
  featuresCol,
  labelCol,
  predictionCol,
  weightCol,
  ...linearFitParams,
  solver: solver(['auto', 'normal', 'l-bfgs'], 'auto'),
  aggregationDepth,
  loss: loss(['squaredError', 'huber'], 'squaredError'),
  epsilon: ParamSpec.double('The shape parameter to control the amount of robustness. Must be > 1.0. Only valid when loss is huber', {
    default: 1.35, validator: ParamValidators.gt(1),
  }),
  maxBlockSizeInMB,
};

type LinearParamsStage = { getFeaturesCol(): string; getLabelCol(): string; getPredictionCol(): string };

function predictionField(name: string): StructField {
  return { name, type: { kind: 'double' }, nullable: true };
}

/** Spark's PredictorParams.validateAndTransformSchema. */
function validateSchema(stage: string, p: LinearParamsStage, schema: StructType, fitting: boolean, weight: string | undefined, numFeatures?: number): StructType {
  requirePredictorInputs(stage, p, schema, fitting, weight, numFeatures);
  const prediction = p.getPredictionCol();
  if (prediction === '') return schema;
  requireAbsent(stage, schema, prediction, 'predictionCol');
  return schema.add(predictionField(prediction));
}

export class LinearRegressionModel extends withParams(Model, linearParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.regression.LinearRegressionModel';

  static load(path: string, options?: LoadOptions): Promise<LinearRegressionModel> {
    return loadStage(LinearRegressionModel, path, options);
  }

  #summary: LinearRegressionTrainingSummary | null = null;

  constructor(
    readonly coefficients: DenseVector = new DenseVector(new Float64Array(0)),
    readonly intercept = 0,
    /** Huber's scale σ; 1 for squared error. */
    readonly scale = 1,
    params: ParamValues<LinearRegressionModel> = {},
  ) {
    super(Identifiable.randomUID('linReg'));
    this.setParamsFromObject(params);
  }

  get numFeatures(): number { return this.coefficients.size; }

  get hasSummary(): boolean { return this.#summary !== null; }

  /** The training summary; throws when the model was not fitted in this process (e.g. loaded). */
  get summary(): LinearRegressionTrainingSummary {
    if (!this.#summary) throw new Error(`No training summary available for this LinearRegressionModel (${this.uid})`);
    return this.#summary;
  }

  setSummary(summary: LinearRegressionTrainingSummary | null): this {
    this.#summary = summary;
    return this;
  }

  /** x·coefficients + intercept. */
  predict(features: Vector): number {
    if (features.size !== this.numFeatures) {
      throw new Error(`LinearRegressionModel.predict: the vector has size ${features.size}, but the model has ${this.numFeatures} features`);
    }
    return features.dot(this.coefficients) + this.intercept;
  }

  transformSchema(schema: StructType): StructType {
    return validateSchema('LinearRegressionModel', this, schema, false, undefined, this.numFeatures);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const prediction = this.getPredictionCol();
    if (prediction === '') return df;
    return df.withMappedColumns(LINEAR_PREDICT, this.predictParams(df.schema), [predictionField(prediction)]);
  }

  /** One row at a time (PipelineModel.rowScorer): transform's margin function on a one-row block. */
  compileRow(schema: StructType): RowStep {
    this.transformSchema(schema);
    const p = this.predictParams(schema), name = this.getPredictionCol();
    const { inst, load } = rowInstances(p.d, 'LinearRegressionModel', p.column);
    const out = new Float64Array(1);
    return (row) => {
      if (name === '') return true;
      if (!load(row[p.column])) { row[name] = null; return true; }
      linearPredictInto(inst, p, out);
      row[name] = out[0];
      return true;
    };
  }

  private predictParams(schema: StructType): LinearPredictParams {
    const field = schema.field(this.getFeaturesCol());
    return {
      column: field.name,
      sparse: field.type.kind === 'vector' && field.type.encoding === 'sparse',
      d: this.numFeatures,
      coef: this.coefficients.values,
      intercept: this.intercept,
      stage: 'LinearRegressionModel',
    };
  }

  /** Metrics of the model on another DataFrame (computed when first read). */
  evaluate(df: DataFrame): LinearRegressionSummary {
    const [model, predictionColName] = this.summaryModel();
    return new LinearRegressionSummary(model.transform(df), predictionColName, this.getLabelCol(), this.getFeaturesCol(),
      model.summaryInfo(), Float64Array.of(0));
  }

  /** This model, or a copy with a generated prediction column when predictionCol is empty. */
  summaryModel(): [LinearRegressionModel, string] {
    const p = this.getPredictionCol();
    if (p !== '') return [this, p];
    const name = `prediction_${Identifiable.randomUID('').slice(1)}`;
    return [this.copy().setPredictionCol(name), name];
  }

  summaryInfo() {
    return {
      fitIntercept: this.getFitIntercept(), coefficients: this.coefficients.values, intercept: this.intercept,
      weightCol: optionalColumn(this, this.weightCol),
    };
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = constructWithUid(this.uid, () => new LinearRegressionModel(this.coefficients, this.intercept, this.scale));
    copied.parent = this.parent;
    copied.#summary = this.#summary;
    return this.copyValues(copied, extra) as this;
  }

  override toString(): string {
    return `LinearRegressionModel: uid=${this.uid}, numFeatures=${this.numFeatures}`;
  }
}

export class LinearRegression extends withParams(Estimator<LinearRegressionModel>, linearParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.regression.LinearRegression';

  static load(path: string, options?: LoadOptions): Promise<LinearRegression> {
    return loadStage(LinearRegression, path, options);
  }

  constructor(params: ParamValues<LinearRegression> = {}) {
    super(Identifiable.randomUID('linReg'));
    this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    return validateSchema('LinearRegression', this, schema, true, optionalColumn(this, this.weightCol));
  }

  protected async fitImpl(df: DataFrame): Promise<LinearRegressionModel> {
    const stage = 'LinearRegression';
    const isHuber = this.getLoss() === 'huber';
    if (isHuber && this.getSolver() === 'normal') {
      throw new Error(`${stage}: huber loss does not support the normal solver; set solver to auto or l-bfgs`);
    }
    if (isHuber && this.getElasticNetParam() !== 0) {
      throw new Error(`${stage} with huber loss only supports L2 regularization, but got elasticNetParam = ${this.getElasticNetParam()}`);
    }
    const field = df.schema.field(this.getFeaturesCol());
    const sparse = field.type.kind === 'vector' && field.type.encoding === 'sparse';
    let d = vectorSizeOf(field) ?? -1;
    if (d < 0) {
      const first = await df.select(field.name).first();
      if (!first) throw new Error(`${stage}: the DataFrame is empty; there is nothing to fit`);
      d = (first[field.name] as Vector).size;
    }
    const spec: InstanceSpec = {
      stage, features: field.name, sparse, d, label: this.getLabelCol(), weight: optionalColumn(this, this.weightCol) ?? null,
    };
    const useNormal = !isHuber && (this.getSolver() === 'normal' || (this.getSolver() === 'auto' && d <= MAX_FEATURES_FOR_NORMAL_SOLVER));
    const { coefficients, intercept, scale, diagInvAtWA, objectiveHistory } = useNormal
      ? { ...(await this.trainNormal(df, spec, d)), scale: 1 }
      : await this.trainIterative(df, spec, d, isHuber);
    const model = constructWithUid(this.uid, () => new LinearRegressionModel(new DenseVector(coefficients), intercept, scale));
    this.copyValues(model);
    const [summaryModel, predictionColName] = model.summaryModel();
    return model.setSummary(new LinearRegressionTrainingSummary(summaryModel.transform(df), predictionColName, this.getLabelCol(),
      this.getFeaturesCol(), summaryModel.summaryInfo(), diagInvAtWA, objectiveHistory));
  }

  private async trainNormal(df: DataFrame, spec: InstanceSpec, d: number) {
    const sc = await df.treeAggregate(zeroScatter(0), LINEAR_GRAM, mergeScatter, this.getAggregationDepth(), { spec });
    if (sc.count === 0) throw new Error(`${spec.stage}: the DataFrame is empty; there is nothing to fit`);
    return solveNormalEquations(sc, {
      fitIntercept: this.getFitIntercept(), regParam: this.getRegParam(), elasticNetParam: this.getElasticNetParam(),
      standardizeFeatures: this.getStandardization(), standardizeLabel: true, maxIter: this.getMaxIter(), tol: this.getTol(),
    });
  }

  private async trainIterative(input: DataFrame, spec: InstanceSpec, d: number, isHuber: boolean) {
    const depth = this.getAggregationDepth();
    const fitInt = this.getFitIntercept();
    const cols = [spec.features, spec.label!, ...(spec.weight ? [spec.weight] : [])];
    // Iterative passes re-read the data: keep a computed lineage in memory while fitting, as Spark does.
    const cacheHere = input.storageLevel === StorageLevel.NONE && !(input.node instanceof SourceNode);
    const df = cacheHere ? input.select(...cols).cache() : input;
    try {
      const stats = await df.treeAggregate(zeroInstanceStats(d), INSTANCE_STATS, mergeInstanceStats, depth, {
        spec, classification: false, numClasses: null,
      });
      if (stats.count === 0) throw new Error(`${spec.stage}: the DataFrame is empty; there is nothing to fit`);
      if (!(stats.weightSum > 0)) throw new Error(`${spec.stage}: the sum of weights in column '${spec.weight}' is 0; there is nothing to fit`);
      const { weightSum: W, weightSqSum: W2 } = stats;
      const yMean = stats.labelMean;
      const rawYStd = Math.sqrt(summarizerVariance(stats.labelM2, W, W2));
      const mean = stats.mean;
      const std = stats.m2.map((m2) => Math.sqrt(summarizerVariance(m2, W, W2)));
      if (rawYStd === 0) {
        if (fitInt || yMean === 0) {
          return { coefficients: new Float64Array(d), intercept: yMean, scale: 1, diagInvAtWA: Float64Array.of(0), objectiveHistory: [0] };
        }
        if (this.getRegParam() !== 0) throw new Error(`${spec.stage}: The standard deviation of the label is zero. Model cannot be regularized.`);
      }
      const yStd = rawYStd > 0 ? rawYStd : Math.abs(yMean);
      const invStd = std.map((s) => (s !== 0 ? 1 / s : 0));
      const scaledMean = mean.map((m, j) => m * invStd[j]);
      const effectiveRegParam = isHuber ? this.getRegParam() : this.getRegParam() / yStd;
      const l1 = this.getElasticNetParam() * effectiveRegParam;
      const l2 = (1 - this.getElasticNetParam()) * effectiveRegParam;
      const regularize = l2Regularization(l2, d, this.getStandardization() ? null : std);
      const opts = { maxIter: this.getMaxIter(), tol: this.getTol() };
      const raw = (beta: Float64Array) => {
        const coef = new Float64Array(d);
        let centering = 0;
        for (let j = 0; j < d; j++) { coef[j] = beta[j] * invStd[j]; centering += beta[j] * scaledMean[j]; }
        return { coef, centering };
      };
      let result: OptimResult;
      if (!isHuber) {
        const f: DiffFunction = async (beta) => {
          const { coef, centering } = raw(beta);
          const params: LeastSquaresParams = { spec, d, coef, offset: fitInt ? yMean / yStd - centering : 0, labelScale: 1 / yStd };
          const acc = await df.treeAggregate(new Float64Array(d + 3), LEAST_SQUARES, addInto, depth, params);
          const w = acc[d + 2], grad = new Float64Array(d);
          for (let j = 0; j < d; j++) grad[j] = (acc[j] * invStd[j] - (fitInt ? acc[d] * scaledMean[j] : 0)) / w;
          return { loss: acc[d + 1] / w + regularize(beta, grad), grad };
        };
        const x0 = new Float64Array(d);
        result = this.getElasticNetParam() === 0 || effectiveRegParam === 0
          ? await minimizeLBFGS(f, x0, opts)
          : await minimizeOWLQN(f, x0, (j) => (this.getStandardization() ? l1 : std[j] !== 0 ? l1 / std[j] : 0), opts);
        const coefficients = result.x.map((b, j) => (std[j] !== 0 ? (b * yStd) / std[j] : 0));
        let intercept = 0;
        if (fitInt) { intercept = yMean; for (let j = 0; j < d; j++) intercept -= coefficients[j] * mean[j]; }
        return { coefficients, intercept, scale: 1, diagInvAtWA: Float64Array.of(0), objectiveHistory: result.objectiveHistory };
      }
      // Huber: parameters [β (d), intercept (with fitIntercept), σ]; σ > 0 through a bound.
      const dim = d + (fitInt ? 1 : 0) + 1;
      const epsilon = this.getEpsilon();
      const f: DiffFunction = async (theta) => {
        const { coef, centering } = raw(theta);
        const params: HuberParams = { spec, d, coef, offset: fitInt ? theta[d] - centering : 0, sigma: theta[dim - 1], epsilon };
        const acc = await df.treeAggregate(new Float64Array(d + 4), HUBER, addInto, depth, params);
        const w = acc[d + 3], grad = new Float64Array(dim);
        for (let j = 0; j < d; j++) grad[j] = (acc[j] * invStd[j] - (fitInt ? acc[d] * scaledMean[j] : 0)) / w;
        if (fitInt) grad[d] = acc[d] / w;
        grad[dim - 1] = acc[d + 1] / w;
        return { loss: acc[d + 2] / w + regularize(theta, grad), grad };
      };
      // Spark starts Huber from all ones, the intercept adapted to the centered problem.
      const x0 = new Float64Array(dim).fill(1);
      if (fitInt) for (let j = 0; j < d; j++) x0[d] += scaledMean[j];
      const lower = new Float64Array(dim).fill(-Infinity), upper = new Float64Array(dim).fill(Infinity);
      lower[dim - 1] = Number.MIN_VALUE;
      result = await minimizeLBFGSB(f, x0, lower, upper, opts);
      const theta = result.x;
      const coefficients = new Float64Array(d);
      let intercept = fitInt ? theta[d] : 0;
      for (let j = 0; j < d; j++) {
        coefficients[j] = theta[j] * invStd[j];
        if (fitInt) intercept -= theta[j] * scaledMean[j];
      }
      return { coefficients, intercept, scale: theta[dim - 1], diagInvAtWA: Float64Array.of(0), objectiveHistory: result.objectiveHistory };
    } finally {
      if (cacheHere) df.unpersist();
    }
  }
}

/**
 * Spark's L2Regularization over the first `n` parameters: ½λΣβ² (or ½λΣβ²/σ² without
 * standardization, skipping σ = 0), added to `grad` in place; returns the penalty. `stdOf` maps a
 * parameter index to its feature's σ.
 */
export function l2Regularization(
  lambda: number, n: number, std: Float64Array | null, stdOf: (i: number) => number = (i) => std![i],
): (x: Float64Array, grad: Float64Array) => number {
  if (lambda === 0) return () => 0;
  return (x, grad) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const b = x[i];
      if (std === null) {
        sum += b * b;
        grad[i] += lambda * b;
      } else {
        const s = stdOf(i);
        if (s === 0) continue;
        const t = b / (s * s);
        sum += b * t;
        grad[i] += lambda * t;
      }
    }
    return 0.5 * lambda * sum;
  };
}

// Spark's data/ for LinearRegressionModel (2.3+): one row (intercept, coefficients, scale); before
// 2.3 there was no scale column, which then reads as 1.
registerStage(LinearRegressionModel, {
  save: (model, out) => out.writeData(dataTable({
    intercept: doubleColumn([model.intercept]), coefficients: vectorColumn([model.coefficients]), scale: doubleColumn([model.scale]),
  })),
  async load(ctx) {
    const data = (await ctx.readData()).requireRows(1);
    const intercept = data.double('intercept'), coefficients = data.vector('coefficients').toDense();
    const scale = data.columns.includes('scale') ? data.double('scale') : 1;
    return ctx.construct(() => new LinearRegressionModel(coefficients, intercept, scale));
  },
});
registerStage(LinearRegression);
