// Spark's MulticlassClassificationEvaluator: one pass builds the weighted confusion counts keyed by
// (label, prediction) (plus log-loss sums when asked); every metric is read off them on the driver.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { withParams } from '../pipeline/params-mixin.js';
import { ParamSpec, type ParamValues } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { labelCol, optionalColumn, predictionCol, probabilityCol, weightCol } from '../pipeline/shared-params.js';
import { mergeProblems, type Problems } from './columns.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { Evaluator } from './evaluator.js';
import { MulticlassMetrics, type ConfusionEntry } from './multiclass-metrics.js';
import { CONFUSION, type ConfusionParams, type ConfusionPartial, type LogLossSums } from './multiclass.kernels.js';

const metricNames = [
  'f1', 'accuracy', 'weightedPrecision', 'weightedRecall', 'weightedTruePositiveRate', 'weightedFalsePositiveRate',
  'weightedFMeasure', 'truePositiveRateByLabel', 'falsePositiveRateByLabel', 'precisionByLabel', 'recallByLabel',
  'fMeasureByLabel', 'logLoss', 'hammingLoss',
] as const;
export type MulticlassMetricName = (typeof metricNames)[number];
const byLabel = metricNames.filter((m) => m.endsWith('ByLabel'));

export class MulticlassClassificationEvaluator extends withParams(Evaluator, {
  metricName: ParamSpec.choice(`metric name in evaluation (${metricNames.join('|')})`, metricNames, { default: 'f1' }),
  metricLabel: ParamSpec.double(
    `The class whose metric will be computed in (${byLabel.join('|')}). Must be >= 0. The default value is 0.`,
    { default: 0, validator: ParamValidators.gtEq(0) },
  ),
  beta: ParamSpec.double(
    'The beta value, which controls precision vs recall weighting, used in (weightedFMeasure|fMeasureByLabel). ' +
      'Must be > 0. The default value is 1.',
    { default: 1, validator: ParamValidators.gt(0) },
  ),
  eps: ParamSpec.double(
    'log-loss is undefined for p=0 or p=1, so probabilities are clipped to max(eps, min(1 - eps, p)).',
    { default: 1e-15, validator: ParamValidators.inRange(0, 0.5, false, false) },
  ),
  predictionCol,
  labelCol,
  weightCol,
  probabilityCol,
}) {
  static override readonly sparkClassName = 'org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator';

  static load(path: string, options?: LoadOptions): Promise<MulticlassClassificationEvaluator> {
    return loadStage(MulticlassClassificationEvaluator, path, options);
  }

  constructor(params: ParamValues<MulticlassClassificationEvaluator> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  override isLargerBetter(): boolean {
    const m = this.getMetricName();
    return !(m === 'weightedFalsePositiveRate' || m === 'falsePositiveRateByLabel' || m === 'logLoss' || m === 'hammingLoss');
  }

  override validateSchema(schema: StructType): void {
    this.requireNumeric(schema, this.getPredictionCol(), 'prediction');
    this.requireNumeric(schema, this.getLabelCol(), 'label');
    const w = optionalColumn(this, this.weightCol);
    if (w !== undefined) this.requireNumeric(schema, w, 'weight');
    if (this.getMetricName() === 'logLoss') {
      if (!schema.has(this.getProbabilityCol())) {
        throw this.fail(`probabilityCol is needed to compute logLoss, but column '${this.getProbabilityCol()}' does not exist. ` +
          `Available columns: [${schema.fieldNames.join(', ')}]`);
      }
      this.requireVector(schema, this.getProbabilityCol(), 'probability');
    }
  }

  /**
   * The metrics behind `evaluate` (Spark's `getMetrics`). Log-loss sums are computed when the
   * probability column exists (with this evaluator's eps).
   */
  async getMetrics(df: DataFrame): Promise<MulticlassMetrics> {
    this.validateSchema(df.schema);
    const prob = this.getProbabilityCol();
    const params: ConfusionParams = {
      predictionCol: this.getPredictionCol(),
      labelCol: this.getLabelCol(),
      weightCol: optionalColumn(this, this.weightCol) ?? null,
      probabilityCol: df.schema.has(prob) && df.schema.field(prob).type.kind === 'vector' ? prob : null,
      eps: this.getEps(),
    };
    const partials = await df.mapPartitions<ConfusionPartial>(CONFUSION, params);
    const problems: Problems = {};
    let rows = 0;
    const entries: ConfusionEntry[] = [];
    const logLoss: LogLossSums | null = params.probabilityCol ? { lossSum: 0, weightSum: 0, invalidLabels: 0, nullProbabilities: 0 } : null;
    for (const part of partials) {
      mergeProblems(problems, part.problems);
      rows += part.rows;
      for (let k = 0; k < part.labels.length; k++) entries.push([part.labels[k], part.predictions[k], part.weights[k]]);
      if (logLoss && part.logLoss) {
        logLoss.lossSum += part.logLoss.lossSum;
        logLoss.weightSum += part.logLoss.weightSum;
        logLoss.invalidLabels += part.logLoss.invalidLabels;
        logLoss.nullProbabilities += part.logLoss.nullProbabilities;
      }
    }
    this.throwIfProblems(problems);
    this.throwIfEmpty(rows);
    const metrics = new MulticlassMetrics(entries, logLoss, params.eps);
    if (!(metrics.weightSum > 0)) throw this.fail('the total weight of the rows is 0: there is nothing to evaluate');
    return metrics;
  }

  protected override async evaluateImpl(df: DataFrame): Promise<number> {
    const m = await this.getMetrics(df);
    const label = this.getMetricLabel(), beta = this.getBeta();
    try {
      switch (this.getMetricName()) {
        case 'accuracy': return m.accuracy;
        case 'weightedPrecision': return m.weightedPrecision;
        case 'weightedRecall': return m.weightedRecall;
        case 'weightedTruePositiveRate': return m.weightedTruePositiveRate;
        case 'weightedFalsePositiveRate': return m.weightedFalsePositiveRate;
        case 'weightedFMeasure': return m.weightedFMeasure(beta);
        case 'truePositiveRateByLabel': return m.truePositiveRate(label);
        case 'falsePositiveRateByLabel': return m.falsePositiveRate(label);
        case 'precisionByLabel': return m.precision(label);
        case 'recallByLabel': return m.recall(label);
        case 'fMeasureByLabel': return m.fMeasure(label, beta);
        case 'hammingLoss': return m.hammingLoss;
        case 'logLoss': return m.logLoss();
        default: return m.weightedFMeasure(1);
      }
    } catch (e) {
      throw this.fail(`${this.getMetricName()}: ${(e as Error).message}`);
    }
  }

  override toString(): string {
    return `MulticlassClassificationEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, ` +
      `metricLabel=${this.getMetricLabel()}, beta=${this.getBeta()}, eps=${this.getEps()}`;
  }
}

registerStage(MulticlassClassificationEvaluator);
