// Spark's LogisticRegressionModel: K×d coefficients (K = 1 for binomial) and intercepts; scoring one
// vector (predict, predictRaw, predictProbability) or a DataFrame (rawPrediction, probability,
// prediction columns through a column mapper); the training summary and evaluate(df).
import type { DataFrame } from '../dataframe/dataframe.js';
import { denseVectorType, type StructType } from '../dataframe/types.js';
import { DenseMatrix } from '../linalg/matrix.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { withParams } from '../pipeline/params-mixin.js';
import { constructWithUid, type ParamValues } from '../pipeline/params.js';
import { optionalColumn } from '../pipeline/shared-params.js';
import { Model, ParamMap } from '../pipeline/stage.js';
import { Identifiable } from '../pipeline/uid.js';
import { booleanColumn, dataTable, intColumn, loadStage, matrixColumn, registerStage, vectorColumn, type LoadOptions } from '../persistence/index.js';
import { requireAbsent, requirePredictorInputs, rowInstances } from '../regression/linear-instances.js';
import { logisticParams, withThresholds } from './logistic-params.js';
import { LOGISTIC_PREDICT, logisticScoresInto, type LogisticPredictParams } from './logistic.kernels.js';
import type { RowStep } from '../pipeline/row-scorer.js';
import {
  BinaryLogisticRegressionSummary, BinaryLogisticRegressionTrainingSummary, LogisticRegressionSummary,
  LogisticRegressionTrainingSummary,
} from './logistic-summary.js';

type Stage = {
  getFeaturesCol(): string; getLabelCol(): string; getPredictionCol(): string; getRawPredictionCol(): string;
  getProbabilityCol(): string;
};

/** Spark's ProbabilisticClassifier schema: features a vector, label (and weight) numeric when fitting, new output columns. */
export function logisticSchema(
  stage: string, p: Stage, schema: StructType, fitting: boolean, weight: string | undefined, numClasses?: number, numFeatures?: number,
): StructType {
  requirePredictorInputs(stage, p, schema, fitting, weight, numFeatures);
  let out = schema;
  const vectorOut = (name: string, role: string) => {
    if (name === '') return;
    requireAbsent(stage, out, name, role);
    out = out.add(numClasses === undefined
      ? { name, type: { kind: 'vector', encoding: 'sparse' }, nullable: true }
      : { name, type: denseVectorType(numClasses), nullable: true });
  };
  vectorOut(p.getRawPredictionCol(), 'rawPredictionCol');
  vectorOut(p.getProbabilityCol(), 'probabilityCol');
  if (p.getPredictionCol() !== '') {
    requireAbsent(stage, out, p.getPredictionCol(), 'predictionCol');
    out = out.add({ name: p.getPredictionCol(), type: { kind: 'double' }, nullable: true });
  }
  return out;
}

export class LogisticRegressionModel extends withParams(withThresholds(Model), logisticParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.classification.LogisticRegressionModel';

  static load(path: string, options?: LoadOptions): Promise<LogisticRegressionModel> {
    return loadStage(LogisticRegressionModel, path, options);
  }

  #summary: (LogisticRegressionTrainingSummary | BinaryLogisticRegressionTrainingSummary) | null = null;
  readonly numClasses: number;

  /**
   * @param coefficientMatrix K×d (K = 1 for binomial models), row-major
   * @param interceptVector K intercepts
   */
  constructor(
    readonly coefficientMatrix: DenseMatrix = DenseMatrix.fromRowMajor(1, 0, new Float64Array(0)),
    readonly interceptVector: DenseVector = new DenseVector(new Float64Array(1)),
    numClasses?: number,
    readonly isMultinomial = false,
    params: ParamValues<LogisticRegressionModel> = {},
  ) {
    super(Identifiable.randomUID('logreg'));
    if (coefficientMatrix.numRows !== interceptVector.size) {
      throw new Error(`Dimension mismatch! Expected coefficientMatrix.numRows == interceptVector.size, but ${coefficientMatrix.numRows} != ${interceptVector.size}`);
    }
    this.numClasses = numClasses ?? (isMultinomial ? interceptVector.size : 2);
    this.setParamsFromObject(params);
  }

  get numFeatures(): number { return this.coefficientMatrix.numCols; }

  /** Binomial models: the coefficients of class 1. */
  get coefficients(): DenseVector {
    if (this.isMultinomial) throw new Error('Multinomial models contain a matrix of coefficients, use coefficientMatrix instead.');
    return new DenseVector(this.coefficientMatrix.rowMajorValues());
  }

  /** Binomial models: the intercept of class 1. */
  get intercept(): number {
    if (this.isMultinomial) throw new Error('Multinomial models contain a vector of intercepts, use interceptVector instead.');
    return this.interceptVector.values[0];
  }

  get hasSummary(): boolean { return this.#summary !== null; }

  /** The training summary; throws when the model was not fitted in this process (e.g. loaded). */
  get summary(): LogisticRegressionTrainingSummary | BinaryLogisticRegressionTrainingSummary {
    if (!this.#summary) throw new Error(`No training summary available for this LogisticRegressionModel (${this.uid})`);
    return this.#summary;
  }

  /** The training summary of a binary model (numClasses ≤ 2). */
  get binarySummary(): BinaryLogisticRegressionTrainingSummary {
    const s = this.summary;
    if (s instanceof BinaryLogisticRegressionTrainingSummary) return s;
    throw new Error(`Cannot create a binary summary for a non-binary model(numClasses=${this.numClasses}), use summary instead.`);
  }

  setSummary(summary: LogisticRegressionTrainingSummary | BinaryLogisticRegressionTrainingSummary | null): this {
    this.#summary = summary;
    return this;
  }

  // --- single-vector scoring ----------------------------------------------------------------

  private checkSize(op: string, features: Vector): void {
    if (features.size !== this.numFeatures) {
      throw new Error(`LogisticRegressionModel.${op}: the vector has size ${features.size}, but the model has ${this.numFeatures} features`);
    }
  }

  /** Binomial: [−m, m] with m = x·β + b; multinomial: the K margins. */
  predictRaw(features: Vector): DenseVector {
    this.checkSize('predictRaw', features);
    const m = this.coefficientMatrix.multiply(features).values;
    for (let k = 0; k < m.length; k++) m[k] += this.interceptVector.values[k];
    return this.isMultinomial ? new DenseVector(m) : new DenseVector(Float64Array.of(-m[0], m[0]));
  }

  predictProbability(features: Vector): DenseVector {
    return this.raw2probability(this.predictRaw(features));
  }

  /** The predicted class: the binary threshold, or the class maximising probability/threshold. */
  predict(features: Vector): number {
    this.checkSize('predict', features);
    if (!this.isMultinomial) {
      const m = features.dot(this.coefficients) + this.intercept;
      return 1 / (1 + Math.exp(-m)) > this.getThreshold() ? 1 : 0;
    }
    const raw = this.predictRaw(features);
    return this.isDefined(this.thresholds) ? this.probability2prediction(this.raw2probability(raw)) : raw.argmax();
  }

  private raw2probability(raw: DenseVector): DenseVector {
    const v = raw.values.slice();
    if (!this.isMultinomial) {
      v[0] = 1 / (1 + Math.exp(-v[0]));
      v[1] = 1 - v[0];
      return new DenseVector(v);
    }
    let max = -Infinity;
    for (const x of v) if (x > max) max = x;
    let sum = 0;
    for (let k = 0; k < v.length; k++) { v[k] = Math.exp(v[k] - max); sum += v[k]; }
    for (let k = 0; k < v.length; k++) v[k] /= sum;
    return new DenseVector(v);
  }

  private probability2prediction(p: DenseVector): number {
    const t = this.getThresholds();
    let best = -Infinity, arg = 0;
    for (let k = 0; k < p.size; k++) {
      const scaled = p.values[k] / t[k];
      if (scaled > best) { best = scaled; arg = k; }
    }
    return arg;
  }

  /** Binomial thresholds on probability(1) and on rawPrediction(1) (Spark's _binaryThresholds). */
  private binaryThresholds(): [number, number] {
    const t = this.getThreshold();
    return [t, t === 0 ? -Infinity : t === 1 ? Infinity : Math.log(t / (1 - t))];
  }

  // --- DataFrames -----------------------------------------------------------------------------

  transformSchema(schema: StructType): StructType {
    return logisticSchema('LogisticRegressionModel', this, schema, false, undefined, this.numClasses, this.numFeatures);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const params = this.predictParams(df.schema);
    if (!params.raw && !params.probability && !params.prediction) return df;
    const added = this.transformSchema(df.schema).fields.slice(df.schema.length);
    return df.withMappedColumns(LOGISTIC_PREDICT, params, added);
  }

  /**
   * One row at a time (PipelineModel.rowScorer): the same scoring function as transform's, on a
   * one-row block; a row's vectors are reused by the next row.
   */
  compileRow(schema: StructType): RowStep {
    this.transformSchema(schema);
    const p = this.predictParams(schema);
    const numClasses = p.multinomial ? p.k : 2;
    const raw = new Float64Array(numClasses), prob = new Float64Array(numClasses), pred = new Float64Array(1), margin = new Float64Array(1);
    const rawVector = new DenseVector(raw), probVector = new DenseVector(prob);
    const { inst, load } = rowInstances(p.d, 'LogisticRegressionModel', p.column);
    const cols = { raw: this.getRawPredictionCol(), probability: this.getProbabilityCol(), prediction: this.getPredictionCol() };
    return (row) => {
      const present = load(row[p.column]);
      if (present) logisticScoresInto(inst, p, raw, prob, pred, margin);
      if (p.raw) row[cols.raw] = present ? rawVector : null;
      if (p.probability) row[cols.probability] = present ? probVector : null;
      if (p.prediction) row[cols.prediction] = present ? pred[0] : null;
      return true;
    };
  }

  private predictParams(schema: StructType): LogisticPredictParams {
    const field = schema.field(this.getFeaturesCol());
    const thresholds = this.isMultinomial && this.isDefined(this.thresholds) ? [...this.getThresholds()] : null;
    if (thresholds && thresholds.length !== this.numClasses) {
      throw new Error(`LogisticRegressionModel.transform() called with non-matching numClasses and thresholds.length. numClasses=${this.numClasses}, but thresholds has length ${thresholds.length}`);
    }
    const params: LogisticPredictParams = {
      column: field.name,
      sparse: field.type.kind === 'vector' && field.type.encoding === 'sparse',
      d: this.numFeatures,
      k: this.coefficientMatrix.numRows,
      coef: this.coefficientMatrix.transpose().rowMajorValues().slice(), // d×K row-major
      intercepts: this.interceptVector.values,
      multinomial: this.isMultinomial,
      raw: this.getRawPredictionCol() !== '',
      probability: this.getProbabilityCol() !== '',
      prediction: this.getPredictionCol() !== '',
      binaryThresholds: this.isMultinomial ? [0.5, 0] : this.binaryThresholds(),
      thresholds,
    };
    return params;
  }

  /** Metrics of the model on another DataFrame (computed when first read). */
  evaluate(df: DataFrame): LogisticRegressionSummary | BinaryLogisticRegressionSummary {
    const [model, probability, prediction] = this.summaryModel();
    const predictions = model.transform(df);
    const weight = optionalColumn(this, this.weightCol) ?? 'weightCol';
    return this.numClasses > 2
      ? new LogisticRegressionSummary(predictions, probability, prediction, this.getLabelCol(), this.getFeaturesCol(), weight)
      : new BinaryLogisticRegressionSummary(predictions, probability, prediction, this.getLabelCol(), this.getFeaturesCol(), weight);
  }

  /** This model, or a copy with generated probability/prediction columns when those are empty (Spark's findSummaryModel). */
  summaryModel(): [LogisticRegressionModel, string, string] {
    let model: LogisticRegressionModel = this;
    let probability = this.getProbabilityCol(), prediction = this.getPredictionCol();
    if (probability === '') {
      probability = `probability_${Identifiable.randomUID('').slice(1)}`;
      model = model.copy().setProbabilityCol(probability);
    }
    if (prediction === '') {
      prediction = `prediction_${Identifiable.randomUID('').slice(1)}`;
      model = model.copy().setPredictionCol(prediction);
    }
    return [model, probability, prediction];
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = constructWithUid(this.uid, () => new LogisticRegressionModel(this.coefficientMatrix, this.interceptVector, this.numClasses, this.isMultinomial));
    copied.parent = this.parent;
    copied.#summary = this.#summary;
    return this.copyValues(copied, extra) as this;
  }

  override toString(): string {
    return `LogisticRegressionModel: uid=${this.uid}, numClasses=${this.numClasses}, numFeatures=${this.numFeatures}`;
  }
}

// Spark's data/ for LogisticRegressionModel (2.1+): one row (numClasses, numFeatures, interceptVector,
// coefficientMatrix, isMultinomial).
registerStage(LogisticRegressionModel, {
  save: (model, out) => out.writeData(dataTable({
    numClasses: intColumn([model.numClasses]),
    numFeatures: intColumn([model.numFeatures]),
    interceptVector: vectorColumn([model.interceptVector]),
    coefficientMatrix: matrixColumn([model.coefficientMatrix]),
    isMultinomial: booleanColumn([model.isMultinomial]),
  })),
  async load(ctx) {
    const data = (await ctx.readData()).requireRows(1);
    const numClasses = data.int('numClasses'), numFeatures = data.int('numFeatures');
    const intercepts = data.vector('interceptVector').toDense(), coefficients = data.matrix('coefficientMatrix');
    const isMultinomial = data.boolean('isMultinomial');
    if (coefficients.numCols !== numFeatures || coefficients.numRows !== intercepts.size) {
      throw new Error(`${ctx.path}: corrupt model data (data/): coefficientMatrix is ${coefficients.numRows}×${coefficients.numCols} ` +
        `but numFeatures is ${numFeatures} and interceptVector has size ${intercepts.size}`);
    }
    return ctx.construct(() => new LogisticRegressionModel(coefficients, intercepts, numClasses, isMultinomial));
  },
});
