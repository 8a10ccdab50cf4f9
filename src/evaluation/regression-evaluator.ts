// Spark's RegressionEvaluator: rmse, mse, r2, mae and explained variance from one treeAggregate
// pass of weighted sums.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { withParams } from '../pipeline/params-mixin.js';
import { ParamSpec, type ParamValues } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { labelCol, optionalColumn, predictionCol, weightCol } from '../pipeline/shared-params.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { Evaluator } from './evaluator.js';
import { RegressionMetrics } from './regression-metrics.js';
import { REGRESSION_SUMS, mergeRegressionSums, zeroRegressionSums, type RegressionParams } from './regression.kernels.js';

const metricNames = ['mse', 'rmse', 'r2', 'mae', 'var'] as const;
export type RegressionMetricName = (typeof metricNames)[number];

export class RegressionEvaluator extends withParams(Evaluator, {
  metricName: ParamSpec.choice(`metric name in evaluation (${metricNames.join('|')})`, metricNames, { default: 'rmse' }),
  throughOrigin: ParamSpec.boolean('Whether the regression is through the origin.', { default: false }),
  predictionCol,
  labelCol,
  weightCol,
}) {
  static override readonly sparkClassName = 'org.apache.spark.ml.evaluation.RegressionEvaluator';

  static load(path: string, options?: LoadOptions): Promise<RegressionEvaluator> {
    return loadStage(RegressionEvaluator, path, options);
  }

  constructor(params: ParamValues<RegressionEvaluator> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  override isLargerBetter(): boolean {
    const m = this.getMetricName();
    return m === 'r2' || m === 'var';
  }

  override validateSchema(schema: StructType): void {
    this.requireNumeric(schema, this.getPredictionCol(), 'prediction');
    this.requireNumeric(schema, this.getLabelCol(), 'label');
    const w = optionalColumn(this, this.weightCol);
    if (w !== undefined) this.requireNumeric(schema, w, 'weight');
  }

  /** The metrics behind `evaluate` (Spark's `getMetrics`). */
  async getMetrics(df: DataFrame): Promise<RegressionMetrics> {
    this.validateSchema(df.schema);
    const params: RegressionParams = {
      predictionCol: this.getPredictionCol(),
      labelCol: this.getLabelCol(),
      weightCol: optionalColumn(this, this.weightCol) ?? null,
    };
    const sums = await df.treeAggregate(zeroRegressionSums(), REGRESSION_SUMS, mergeRegressionSums, 2, params);
    this.throwIfProblems(sums.problems);
    this.throwIfEmpty(sums.rows);
    if (!(sums.weightSum > 0)) throw this.fail('the total weight of the rows is 0: there is nothing to evaluate');
    return new RegressionMetrics(sums, this.getThroughOrigin());
  }

  protected override async evaluateImpl(df: DataFrame): Promise<number> {
    const m = await this.getMetrics(df);
    switch (this.getMetricName()) {
      case 'mse': return m.meanSquaredError;
      case 'r2': return m.r2;
      case 'mae': return m.meanAbsoluteError;
      case 'var': return m.explainedVariance;
      default: return m.rootMeanSquaredError;
    }
  }

  override toString(): string {
    return `RegressionEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, throughOrigin=${this.getThroughOrigin()}`;
  }
}

registerStage(RegressionEvaluator);
