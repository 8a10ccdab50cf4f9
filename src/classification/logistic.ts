// Spark's LogisticRegression: binomial or multinomial (softmax), elastic-net regularization, bounds.
// fit = one pass of statistics (checks, feature means and σ, label histogram), then L-BFGS (OWL-QN
// with an L1 part, L-BFGS-B with bounds) in standardized space with virtual centering, where every
// evaluation of the objective is one treeAggregate pass of a named kernel.
import type { DataFrame } from '../dataframe/dataframe.js';
import { SourceNode } from '../dataframe/logical.js';
import { StorageLevel } from '../dataframe/storage.js';
import type { StructType } from '../dataframe/types.js';
import { addInto } from '../engine/aggregate.js';
import { attributeOf, numValuesOf, vectorSizeOf } from '../feature/attributes.js';
import { DenseMatrix } from '../linalg/matrix.js';
import { DenseVector } from '../linalg/vectors.js';
import { minimizeLBFGS, minimizeLBFGSB, minimizeOWLQN, type DiffFunction } from '../optim/index.js';
import { withParams } from '../pipeline/params-mixin.js';
import { constructWithUid, type ParamValues } from '../pipeline/params.js';
import { optionalColumn } from '../pipeline/shared-params.js';
import { Estimator } from '../pipeline/stage.js';
import { Identifiable } from '../pipeline/uid.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import type { InstanceSpec } from '../regression/linear-instances.js';
import { l2Regularization } from '../regression/linear.js';
import { INSTANCE_STATS, mergeInstanceStats, summarizerVariance, zeroInstanceStats } from '../regression/linear.kernels.js';
import { logisticParams, withThresholds } from './logistic-params.js';
import { BINARY_LOGISTIC, MULTINOMIAL_LOGISTIC, type BinaryLogisticParams, type MultinomialLogisticParams } from './logistic.kernels.js';
import { logisticSchema, LogisticRegressionModel } from './logistic-model.js';
import { BinaryLogisticRegressionTrainingSummary, LogisticRegressionTrainingSummary } from './logistic-summary.js';

interface Fitted { coefficients: Float64Array; intercepts: Float64Array; objectiveHistory: number[] }

export class LogisticRegression extends withParams(withThresholds(Estimator<LogisticRegressionModel>), logisticParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.classification.LogisticRegression';

  static load(path: string, options?: LoadOptions): Promise<LogisticRegression> {
    return loadStage(LogisticRegression, path, options);
  }

  constructor(params: ParamValues<LogisticRegression> = {}) {
    super(Identifiable.randomUID('logreg'));
    this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    return logisticSchema('LogisticRegression', this, schema, true, optionalColumn(this, this.weightCol));
  }

  private get usingBounds(): boolean {
    return this.isSet(this.lowerBoundsOnCoefficients) || this.isSet(this.upperBoundsOnCoefficients) ||
      this.isSet(this.lowerBoundsOnIntercepts) || this.isSet(this.upperBoundsOnIntercepts);
  }

  private isMultinomialFor(numClasses: number): boolean {
    switch (this.getFamily().toLowerCase()) {
      case 'binomial':
        if (numClasses !== 1 && numClasses !== 2) throw new Error(`Binomial family only supports 1 or 2 outcome classes but found ${numClasses}.`);
        return false;
      case 'multinomial': return true;
      default: return numClasses > 2;
    }
  }

  protected async fitImpl(input: DataFrame): Promise<LogisticRegressionModel> {
    const stage = 'LogisticRegression';
    const field = input.schema.field(this.getFeaturesCol());
    const labelField = input.schema.field(this.getLabelCol());
    const labelAttr = attributeOf(labelField);
    const metaClasses = labelAttr ? numValuesOf(labelAttr) : undefined;
    const spec: InstanceSpec = {
      stage, features: field.name, sparse: field.type.kind === 'vector' && field.type.encoding === 'sparse',
      d: vectorSizeOf(field) ?? -1, label: labelField.name, weight: optionalColumn(this, this.weightCol) ?? null,
    };
    const depth = this.getAggregationDepth();
    const cols = [spec.features, spec.label!, ...(spec.weight ? [spec.weight] : [])];
    // Every evaluation re-reads the data: keep a computed lineage in memory while fitting, as Spark does.
    const cacheHere = input.storageLevel === StorageLevel.NONE && !(input.node instanceof SourceNode);
    const df = cacheHere ? input.select(...cols).cache() : input;
    try {
      const stats = await df.treeAggregate(zeroInstanceStats(spec.d), INSTANCE_STATS, mergeInstanceStats, depth, {
        spec, classification: true, numClasses: metaClasses ?? null,
      });
      if (stats.count === 0) throw new Error(`${stage}: the DataFrame is empty; there is nothing to fit`);
      if (!(stats.weightSum > 0)) throw new Error(`${stage}: the sum of weights in column '${spec.weight}' is 0; there is nothing to fit`);
      const d = stats.d;
      spec.d = d;
      const histogram = stats.histogram;
      let numClasses = histogram.length;
      if (metaClasses !== undefined) {
        if (metaClasses < histogram.length) throw new Error(`Specified number of classes ${metaClasses} was less than the number of unique labels ${histogram.length}.`);
        numClasses = metaClasses;
      }
      const multinomial = this.isMultinomialFor(numClasses);
      const K = multinomial ? numClasses : 1;
      if (this.usingBounds) this.checkBounds(K, d);
      if (this.isDefined(this.thresholds) && this.getThresholds().length !== numClasses) {
        throw new Error(`${stage}.train() called with non-matching numClasses and thresholds.length. numClasses=${numClasses}, but thresholds has length ${this.getThresholds().length}`);
      }
      let fitted: Fitted;
      const isConstantLabel = histogram.filter((c) => c !== 0).length === 1;
      if (this.getFitIntercept() && isConstantLabel && !this.usingBounds) {
        // All labels are one class: zero coefficients and an infinite intercept, no training.
        const intercepts = new Float64Array(K);
        if (multinomial) intercepts[histogram.findIndex((c) => c !== 0)] = Infinity;
        else intercepts[0] = numClasses === 2 ? Infinity : -Infinity;
        fitted = { coefficients: new Float64Array(K * d), intercepts, objectiveHistory: [0] };
      } else {
        const mean = stats.mean;
        const std = stats.m2.map((m2) => Math.sqrt(summarizerVariance(m2, stats.weightSum, stats.weightSqSum)));
        fitted = await this.train(df, spec, d, K, multinomial, histogram, mean, std);
      }
      const model = constructWithUid(this.uid, () => new LogisticRegressionModel(
        DenseMatrix.fromRowMajor(K, d, fitted.coefficients), new DenseVector(fitted.intercepts), multinomial ? numClasses : 2, multinomial,
      ));
      this.copyValues(model);
      const [summaryModel, probability, prediction] = model.summaryModel();
      const weight = spec.weight ?? 'weightCol';
      const args = [summaryModel.transform(input), probability, prediction, this.getLabelCol(), this.getFeaturesCol(), weight, fitted.objectiveHistory] as const;
      return model.setSummary(numClasses <= 2 ? new BinaryLogisticRegressionTrainingSummary(...args) : new LogisticRegressionTrainingSummary(...args));
    } finally {
      if (cacheHere) df.unpersist();
    }
  }

  /** Optimisation in standardized space; returns K×d row-major coefficients in the original space. */
  private async train(
    df: DataFrame, spec: InstanceSpec, d: number, K: number, multinomial: boolean, histogram: number[],
    mean: Float64Array, std: Float64Array,
  ): Promise<Fitted> {
    const fitInt = this.getFitIntercept();
    const depth = this.getAggregationDepth();
    const invStd = std.map((s) => (s !== 0 ? 1 / s : 0));
    const scaledMean = mean.map((m, j) => m * invStd[j]);
    const dK = d * K;
    const n = dK + (fitInt ? K : 0);
    const bounds = this.usingBounds ? this.createBounds(K, d, n, std) : null;
    // Centering is virtual: the intercept absorbs −Σ β·μ/σ. Only possible when nothing bounds the intercepts.
    const fitWithMean = fitInt && (!bounds || [...bounds.lower.subarray(dK)].every((v) => v === -Infinity) && [...bounds.upper.subarray(dK)].every((v) => v === Infinity));
    const regParam = this.getRegParam(), alpha = this.getElasticNetParam();
    const regularize = l2Regularization((1 - alpha) * regParam, dK, this.getStandardization() ? null : std, (i) => std[Math.floor(i / K)]);

    // Layout (Spark's): coefficient (class c, feature j) at j·K + c, then the K intercepts.
    const x0 = new Float64Array(n);
    if (fitInt && multinomial) {
      const raw = histogram.map((h) => Math.log1p(h));
      const rawMean = raw.reduce((s, v) => s + v, 0) / raw.length;
      // Spark sets the classes the histogram covers (labels up to the largest seen) and leaves the rest 0.
      for (let c = 0; c < raw.length; c++) x0[dK + c] = raw[c] - rawMean;
    } else if (fitInt) {
      const b = Math.log((histogram[1] ?? 0) / histogram[0]);
      x0[dK] = Number.isNaN(b) ? 0 : b;
    }
    if (bounds) for (let i = 0; i < n; i++) x0[i] = Math.min(Math.max(x0[i], bounds.lower[i]), bounds.upper[i]);
    const adapt = (x: Float64Array, sign: number) => {
      for (let c = 0; c < K; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += x[j * K + c] * scaledMean[j];
        x[dK + c] += sign * s;
      }
    };
    if (fitWithMean) adapt(x0, 1);

    const f: DiffFunction = multinomial
      ? async (x) => {
        const coef = new Float64Array(dK), offsets = new Float64Array(K);
        for (let j = 0; j < d; j++) for (let c = 0; c < K; c++) coef[j * K + c] = x[j * K + c] * invStd[j];
        if (fitInt) {
          for (let c = 0; c < K; c++) {
            let s = 0;
            if (fitWithMean) for (let j = 0; j < d; j++) s += x[j * K + c] * scaledMean[j];
            offsets[c] = x[dK + c] - s;
          }
        }
        const params: MultinomialLogisticParams = { spec, d, k: K, coef, offsets };
        const acc = await df.treeAggregate(new Float64Array(dK + K + 2), MULTINOMIAL_LOGISTIC, addInto, depth, params);
        const w = acc[dK + K + 1], grad = new Float64Array(n);
        for (let j = 0; j < d; j++) {
          for (let c = 0; c < K; c++) {
            grad[j * K + c] = (acc[j * K + c] * invStd[j] - (fitWithMean ? acc[dK + c] * scaledMean[j] : 0)) / w;
          }
        }
        if (fitInt) for (let c = 0; c < K; c++) grad[dK + c] = acc[dK + c] / w;
        return { loss: acc[dK + K] / w + regularize(x, grad), grad };
      }
      : async (x) => {
        const coef = new Float64Array(d);
        let s = 0;
        for (let j = 0; j < d; j++) { coef[j] = x[j] * invStd[j]; s += x[j] * scaledMean[j]; }
        const params: BinaryLogisticParams = { spec, d, coef, offset: fitInt ? x[d] - (fitWithMean ? s : 0) : 0 };
        const acc = await df.treeAggregate(new Float64Array(d + 3), BINARY_LOGISTIC, addInto, depth, params);
        const w = acc[d + 2], grad = new Float64Array(n);
        for (let j = 0; j < d; j++) grad[j] = (acc[j] * invStd[j] - (fitWithMean ? acc[d] * scaledMean[j] : 0)) / w;
        if (fitInt) grad[d] = acc[d] / w;
        return { loss: acc[d + 1] / w + regularize(x, grad), grad };
      };

    const opts = { maxIter: this.getMaxIter(), tol: this.getTol() };
    let result;
    if (alpha === 0 || regParam === 0) {
      result = bounds ? await minimizeLBFGSB(f, x0, bounds.lower, bounds.upper, opts) : await minimizeLBFGS(f, x0, opts);
    } else {
      const l1 = alpha * regParam, standardize = this.getStandardization();
      result = await minimizeOWLQN(f, x0, (i) => {
        if (fitInt && i >= dK) return 0; // the intercepts are not penalised
        if (standardize) return l1;
        const s = std[Math.floor(i / K)];
        return s !== 0 ? l1 / s : 0;
      }, opts);
    }
    const x = result.x.slice();
    if (fitWithMean) adapt(x, -1);

    // Back to the original space, K×d row-major.
    const coefficients = new Float64Array(K * d);
    for (let c = 0; c < K; c++) for (let j = 0; j < d; j++) coefficients[c * d + j] = std[j] !== 0 ? x[j * K + c] / std[j] : 0;
    const intercepts = new Float64Array(K);
    if (fitInt) for (let c = 0; c < K; c++) intercepts[c] = x[dK + c];
    if (multinomial && !bounds) {
      // Without a pivot class the softmax is not identifiable: center as glmnet does.
      if (regParam === 0) {
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let c = 0; c < K; c++) s += coefficients[c * d + j];
          for (let c = 0; c < K; c++) coefficients[c * d + j] -= s / K;
        }
      }
      if (fitInt) {
        const m = intercepts.reduce((a, v) => a + v, 0) / K;
        for (let c = 0; c < K; c++) intercepts[c] -= m;
      }
    }
    return { coefficients, intercepts, objectiveHistory: result.objectiveHistory };
  }

  /** Spark's assertBoundConstrainedOptimizationParamsValid. */
  private checkBounds(K: number, d: number): void {
    if (this.getRegParam() !== 0 && this.getElasticNetParam() !== 0) {
      throw new Error(`Fitting under bound constrained optimization only supports L2 regularization, but got elasticNetParam = ${this.getElasticNetParam()}.`);
    }
    const matrix = (m: DenseMatrix | undefined, what: string) => {
      if (m && (m.numRows !== K || m.numCols !== d)) {
        throw new Error(`The shape of ${what} must be compatible with (1, number of features) for binomial regression, or (number of classes, number of features) for multinomial regression, but found: (${m.numRows}, ${m.numCols}).`);
      }
    };
    const vector = (v: DenseVector | undefined, what: string) => {
      if (!v) return;
      if (!this.getFitIntercept()) throw new Error(`Please set ${what} only when fitIntercept is true.`);
      if (v.size !== K) throw new Error(`The size of ${what} must be equal to 1 for binomial regression, or the number of classes for multinomial regression, but found: ${v.size}.`);
    };
    matrix(this.get(this.lowerBoundsOnCoefficients), 'lowerBoundsOnCoefficients');
    matrix(this.get(this.upperBoundsOnCoefficients), 'upperBoundsOnCoefficients');
    vector(this.get(this.lowerBoundsOnIntercepts), 'lowerBoundsOnIntercepts');
    vector(this.get(this.upperBoundsOnIntercepts), 'upperBoundsOnIntercepts');
    const lc = this.get(this.lowerBoundsOnCoefficients), uc = this.get(this.upperBoundsOnCoefficients);
    if (lc && uc) {
      for (let i = 0; i < K; i++) for (let j = 0; j < d; j++) {
        if (!(lc.get(i, j) <= uc.get(i, j))) throw new Error('LowerBoundsOnCoefficients should always be less than or equal to upperBoundsOnCoefficients');
      }
    }
    const li = this.get(this.lowerBoundsOnIntercepts), ui = this.get(this.upperBoundsOnIntercepts);
    if (li && ui) {
      for (let c = 0; c < K; c++) if (!(li.values[c] <= ui.values[c])) throw new Error('LowerBoundsOnIntercepts should always be less than or equal to upperBoundsOnIntercepts');
    }
  }

  /** Bounds in standardized space, in the optimizer's layout (coefficient bounds scale by σ). */
  private createBounds(K: number, d: number, n: number, std: Float64Array): { lower: Float64Array; upper: Float64Array } {
    const lower = new Float64Array(n).fill(-Infinity), upper = new Float64Array(n).fill(Infinity);
    const lc = this.get(this.lowerBoundsOnCoefficients), uc = this.get(this.upperBoundsOnCoefficients);
    const li = this.get(this.lowerBoundsOnIntercepts), ui = this.get(this.upperBoundsOnIntercepts);
    for (let i = 0; i < n; i++) {
      const c = i % K, j = Math.floor(i / K);
      if (j < d) {
        // A constant feature (σ = 0) does not enter the model: a finite bound pins it at 0.
        const scale = (b: number) => (std[j] === 0 ? (Number.isFinite(b) ? 0 : b) : b * std[j]);
        if (lc) lower[i] = scale(lc.get(c, j));
        if (uc) upper[i] = scale(uc.get(c, j));
      } else {
        if (li) lower[i] = li.values[c];
        if (ui) upper[i] = ui.values[c];
      }
    }
    return { lower, upper };
  }
}

registerStage(LogisticRegression);

export { LogisticRegressionModel };
