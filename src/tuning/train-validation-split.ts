// Spark's TrainValidationSplit: one random train/validation split, every param map fitted on the
// training part and evaluated on the validation part; the best map is refitted on the whole data.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import type { LoadOptions } from '../pipeline/ml-writable.js';
import { readStage } from '../pipeline/ml-writable.js';
import { ParamMap } from '../pipeline/params-map.js';
import { withParams } from '../pipeline/params-mixin.js';
import { ParamSpec, type ParamValues } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { collectSubModels, parallelism, seed, seedNumber } from '../pipeline/shared-params.js';
import { Estimator, Model } from '../pipeline/stage.js';
import { ValidatorModel } from './validator-model.js';
import { copyEstimatorAndEvaluator, fitAndEvaluate, fitBest, validatorSpecs, validatorTransformSchema } from './validator-params.js';

const TVS_CLASS = 'org.apache.spark.ml.tuning.TrainValidationSplit';

/** Spark's `TrainValidationSplitParams`. */
const tvsSpecs = {
  ...validatorSpecs,
  seed: seed(TVS_CLASS),
  trainRatio: ParamSpec.double('ratio between training set and validation set (>= 0 && <= 1)', {
    default: 0.75,
    validator: ParamValidators.inRange(0, 1),
  }),
};

export class TrainValidationSplit extends withParams(Estimator<TrainValidationSplitModel>, {
  ...tvsSpecs,
  parallelism,
  collectSubModels,
}) {
  static readonly sparkClassName = TVS_CLASS;

  static load(path: string, options?: LoadOptions): Promise<TrainValidationSplit> {
    return readStage(TrainValidationSplit, path, options);
  }

  constructor(params: ParamValues<TrainValidationSplit> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    return validatorTransformSchema(this, schema);
  }

  protected async fitImpl(df: DataFrame): Promise<TrainValidationSplitModel> {
    const ratio = this.getTrainRatio();
    const [training, validation] = df.randomSplit([ratio, 1 - ratio], seedNumber(this.getSeed())) as [DataFrame, DataFrame];
    const { metrics, models } = await fitAndEvaluate(this, training, validation, this.getParallelism());
    const bestModel = await fitBest(this, df, metrics);
    const model = new TrainValidationSplitModel(bestModel, metrics, this.uid);
    if (this.getCollectSubModels()) model.setSubModels(models);
    return this.copyValues(model).setParent(this);
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    return copyEstimatorAndEvaluator(this.defaultCopy(extra), extra);
  }
}

export class TrainValidationSplitModel extends withParams(ValidatorModel<Model[]>, tvsSpecs) {
  static readonly sparkClassName = 'org.apache.spark.ml.tuning.TrainValidationSplitModel';

  static load(path: string, options?: LoadOptions): Promise<TrainValidationSplitModel> {
    return readStage(TrainValidationSplitModel, path, options);
  }

  /** The evaluator's metric on the validation set for each param map. */
  readonly validationMetrics: readonly number[];

  constructor(bestModel: Model, validationMetrics: readonly number[], uid?: string) {
    super(bestModel, 'TrainValidationSplit', uid);
    this.validationMetrics = Object.freeze([...validationMetrics]);
  }

  protected withBestModel(bestModel: Model): this {
    return new TrainValidationSplitModel(bestModel, this.validationMetrics, this.uid) as this;
  }
}
