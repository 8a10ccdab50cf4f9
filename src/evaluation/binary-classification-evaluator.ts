// Spark's BinaryClassificationEvaluator: area under the ROC or PR curve of a score column.
// One pass counts weighted positives and negatives per distinct score in each partition; the
// driver merges the sorted per-partition lists, bins them (numBins) and integrates the curves.
import type { DataFrame } from '../dataframe/dataframe.js';
import { isNumeric, typeName, type StructType } from '../dataframe/types.js';
import { withParams } from '../pipeline/params-mixin.js';
import { optionalColumn, labelCol, rawPredictionCol, weightCol } from '../pipeline/shared-params.js';
import { ParamSpec, type ParamValues } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { BinaryClassificationMetrics, mergeAllScoreCounts } from '../stat/binary-metrics.js';
import { BINARY_COUNTS, type BinaryCountsParams, type BinaryCountsPartial } from './binary.kernels.js';
import { mergeProblems, type Problems } from './columns.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { Evaluator } from './evaluator.js';

const metricNames = ['areaUnderROC', 'areaUnderPR'] as const;
export type BinaryMetricName = (typeof metricNames)[number];

export class BinaryClassificationEvaluator extends withParams(Evaluator, {
  metricName: ParamSpec.choice('metric name in evaluation (areaUnderROC|areaUnderPR)', metricNames, { default: 'areaUnderROC' }),
  numBins: ParamSpec.int(
    'Number of bins to down-sample the curves (ROC curve, PR curve) in area computation. ' +
      'If 0, no down-sampling will occur. Must be >= 0.',
    { default: 1000, validator: ParamValidators.gtEq(0) },
  ),
  rawPredictionCol,
  labelCol,
  weightCol,
}) {
  static override readonly sparkClassName = 'org.apache.spark.ml.evaluation.BinaryClassificationEvaluator';

  static load(path: string, options?: LoadOptions): Promise<BinaryClassificationEvaluator> {
    return loadStage(BinaryClassificationEvaluator, path, options);
  }

  constructor(params: ParamValues<BinaryClassificationEvaluator> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  override validateSchema(schema: StructType): void {
    // Spark takes a double or a vector; any numeric score works here (rows infer integers as int).
    const raw = this.requireColumn(schema, this.getRawPredictionCol(), 'rawPrediction');
    if (!isNumeric(raw.type) && raw.type.kind !== 'vector') {
      throw this.fail(`rawPrediction column '${raw.name}' must be of type numeric or vector but was actually of type ${typeName(raw.type)}`);
    }
    this.requireNumeric(schema, this.getLabelCol(), 'label');
    const w = optionalColumn(this, this.weightCol);
    if (w !== undefined) this.requireNumeric(schema, w, 'weight');
  }

  /** The metrics behind `evaluate` (Spark's `getMetrics`): curves, thresholds and both areas. */
  async getMetrics(df: DataFrame): Promise<BinaryClassificationMetrics> {
    this.validateSchema(df.schema);
    const params: BinaryCountsParams = {
      scoreCol: this.getRawPredictionCol(),
      scoreIsVector: df.schema.field(this.getRawPredictionCol()).type.kind === 'vector',
      labelCol: this.getLabelCol(),
      weightCol: optionalColumn(this, this.weightCol) ?? null,
    };
    const partials = await df.mapPartitions<BinaryCountsPartial>(BINARY_COUNTS, params);
    const problems: Problems = {};
    let rows = 0;
    for (const part of partials) { mergeProblems(problems, part.problems); rows += part.rows; }
    this.throwIfProblems(problems);
    this.throwIfEmpty(rows);
    return new BinaryClassificationMetrics(mergeAllScoreCounts(partials), this.getNumBins());
  }

  protected override async evaluateImpl(df: DataFrame): Promise<number> {
    const metrics = await this.getMetrics(df);
    return this.getMetricName() === 'areaUnderPR' ? metrics.areaUnderPR() : metrics.areaUnderROC();
  }

  override toString(): string {
    return `BinaryClassificationEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, numBins=${this.getNumBins()}`;
  }
}

registerStage(BinaryClassificationEvaluator);
