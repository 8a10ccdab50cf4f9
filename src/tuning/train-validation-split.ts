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
import { collectSubModels, parallelism, seed } from '../pipeline/shared-params.js';
import { Estimator, Model } from '../pipeline/stage.js';
import { bestIndex, copyEstimatorAndEvaluator, fitAndEvaluate, validatorSpecs, validatorTransformSchema } from './validator-params.js';

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
    const maps = this.getEstimatorParamMaps();
    const ratio = this.getTrainRatio();
    const [training, validation] = df.randomSplit([ratio, 1 - ratio], this.getSeed()) as [DataFrame, DataFrame];
    training.cache();
    validation.cache();
    let result: Awaited<ReturnType<typeof fitAndEvaluate>>;
    try {
      result = await fitAndEvaluate(this, training, validation, this.getParallelism());
    } finally {
      training.unpersist();
      validation.unpersist();
    }
    const best = bestIndex(result.metrics, this.getEvaluator().isLargerBetter());
    const bestModel = (await this.getEstimator().fit(df, maps[best])) as Model;
    const model = new TrainValidationSplitModel(bestModel, result.metrics, this.uid);
    if (this.getCollectSubModels()) model.setSubModels(result.models);
    return this.copyValues(model).setParent(this);
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    return copyEstimatorAndEvaluator(this.defaultCopy(extra), extra);
  }
}

export class TrainValidationSplitModel extends withParams(Model, tvsSpecs) {
  static readonly sparkClassName = 'org.apache.spark.ml.tuning.TrainValidationSplitModel';

  static load(path: string, options?: LoadOptions): Promise<TrainValidationSplitModel> {
    return readStage(TrainValidationSplitModel, path, options);
  }

  readonly bestModel: Model;
  /** The evaluator's metric on the validation set for each param map. */
  readonly validationMetrics: readonly number[];
  #subModels: Model[] | null = null;

  constructor(bestModel: Model, validationMetrics: readonly number[], uid?: string) {
    super(uid);
    if (!(bestModel instanceof Model)) throw new TypeError(`TrainValidationSplitModel: bestModel must be a Model, got ${String(bestModel)}`);
    this.bestModel = bestModel;
    this.validationMetrics = Object.freeze([...validationMetrics]);
  }

  /** The model of every param map, when fitted with collectSubModels. */
  get subModels(): Model[] {
    if (this.#subModels === null) {
      throw new Error(`${this.uid}: subModels are not available: fit the TrainValidationSplit with collectSubModels = true (or load a model saved with them)`);
    }
    return this.#subModels;
  }

  hasSubModels(): boolean {
    return this.#subModels !== null;
  }

  setSubModels(subModels: Model[] | null): this {
    this.#subModels = subModels;
    return this;
  }

  transformSchema(schema: StructType): StructType {
    return this.bestModel.transformSchema(schema);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return this.bestModel.transform(df);
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = new TrainValidationSplitModel(this.bestModel.copy(extra), this.validationMetrics, this.uid)
      .setSubModels(this.#subModels ? [...this.#subModels] : null);
    const out = this.copyValues(copied, extra) as this;
    if (this.parent) out.setParent(this.parent);
    return out;
  }
}
