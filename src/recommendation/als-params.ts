// Spark's ALSModelParams and ALSParams, with their docs, defaults and validators.
import { ParamSpec, type Params } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { checkpointInterval, maxIter, predictionCol, regParam, seed } from '../pipeline/shared-params.js';
import type { Param } from '../pipeline/param.js';
import type { StructType } from '../dataframe/types.js';
import { requireAbsent, requireNumericColumn } from '../feature/shared.js';

const { gt, gtEq, custom } = ParamValidators;

const COLD_START_STRATEGIES = ['nan', 'drop'] as const;
const STORAGE_LEVELS = ['NONE', 'MEMORY_ONLY', 'MEMORY_AND_DISK', 'DISK_ONLY', 'MEMORY_ONLY_2', 'MEMORY_AND_DISK_2', 'MEMORY_ONLY_SER', 'MEMORY_AND_DISK_SER', 'OFF_HEAP'] as const;
type StorageLevelName = (typeof STORAGE_LEVELS)[number];

export const ALS_MODEL_PARAMS = {
  userCol: ParamSpec.string('column name for user ids. Ids must be within the integer value range.', { default: 'user' }),
  itemCol: ParamSpec.string('column name for item ids. Ids must be within the integer value range.', { default: 'item' }),
  predictionCol,
  coldStartStrategy: ParamSpec.caseInsensitiveChoice(
    'strategy for dealing with unknown or new users/items at prediction time. This may be useful in cross-validation or ' +
      'production scenarios, for handling user/item ids the model has not seen in the training data. Supported values: nan,drop.',
    COLD_START_STRATEGIES, { default: 'nan' },
  ),
  blockSize: ParamSpec.int(
    'block size for stacking input data in matrices. Data is stacked within partitions. If block size is more than remaining ' +
      'data in a partition then it is adjusted to the size of this data.',
    { default: 4096, validator: gt(0) },
  ),
};

export const ALS_PARAMS = {
  ...ALS_MODEL_PARAMS,
  rank: ParamSpec.int('rank of the factorization', { default: 10, validator: gtEq(1) }),
  numUserBlocks: ParamSpec.int('number of user blocks', { default: 10, validator: gtEq(1) }),
  numItemBlocks: ParamSpec.int('number of item blocks', { default: 10, validator: gtEq(1) }),
  implicitPrefs: ParamSpec.boolean('whether to use implicit preference', { default: false }),
  alpha: ParamSpec.double('alpha for implicit preference', { default: 1.0, validator: gtEq(0) }),
  ratingCol: ParamSpec.string('column name for ratings', { default: 'rating' }),
  nonnegative: ParamSpec.boolean('whether to use nonnegative constraint for least squares', { default: false }),
  intermediateStorageLevel: ParamSpec.choice("StorageLevel for intermediate datasets. Cannot be 'NONE'.",
    STORAGE_LEVELS.filter((l): l is Exclude<StorageLevelName, 'NONE'> => l !== 'NONE'), { default: 'MEMORY_AND_DISK' }),
  finalStorageLevel: ParamSpec.choice('StorageLevel for ALS model factors.', STORAGE_LEVELS, { default: 'MEMORY_AND_DISK' }),
  maxIter: maxIter.withDefault(10),
  regParam: regParam.withDefault(0.1),
  checkpointInterval: checkpointInterval.withDefault(10),
  seed: seed('org.apache.spark.ml.recommendation.ALS'),
};

type IdParams = Params & { userCol: Param<string>; itemCol: Param<string>; predictionCol: Param<string> };

/** Spark's ALSModel.transformSchema: numeric user and item columns, a new prediction column. */
export function validateModelSchema(stage: IdParams, schema: StructType): StructType {
  requireNumericColumn(schema, stage.getOrDefault(stage.userCol));
  requireNumericColumn(schema, stage.getOrDefault(stage.itemCol));
  const prediction = stage.getOrDefault(stage.predictionCol);
  requireAbsent(schema, prediction);
  return schema.add({ name: prediction, type: { kind: 'double' }, nullable: true });
}
