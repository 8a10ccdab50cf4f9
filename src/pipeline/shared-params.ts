/**
 * Params many stages share, declared once with Spark's docs, defaults and validators
 * (Spark's `SharedParamsCodeGen`). A stage lists the ones it has:
 *
 *   class KMeans extends withParams(Estimator, { featuresCol, maxIter: maxIter.withDefault(20), ... })
 *
 * Those without a default in Spark's shared trait get theirs from each stage (`withDefault`).
 */
import type { Params } from './params.js';
import { ParamSpec } from './params.js';
import { ParamValidators } from './params-validators.js';
import type { Long, Param } from './param.js';

const { gt, gtEq, inRange, custom } = ParamValidators;

// ---- Columns ----

export const featuresCol = ParamSpec.string('features column name', { default: 'features' });
export const labelCol = ParamSpec.string('label column name', { default: 'label' });
export const predictionCol = ParamSpec.string('prediction column name', { default: 'prediction' });
export const rawPredictionCol = ParamSpec.string('raw prediction (a.k.a. confidence) column name', {
  default: 'rawPrediction',
});
export const probabilityCol = ParamSpec.string(
  'Column name for predicted class conditional probabilities. Note: Not all models output ' +
    'well-calibrated probability estimates! These probabilities should be treated as confidences, ' +
    'not precise probabilities',
  { default: 'probability' },
);
export const varianceCol = ParamSpec.string('Column name for the biased sample variance of prediction');
/** No default: unset or empty means every weight is 1 (see `optionalColumn`). */
export const weightCol = ParamSpec.string(
  'weight column name. If this is not set or empty, we treat all instance weights as 1.0',
);
export const leafCol = ParamSpec.string(
  'Leaf indices column name. Predicted leaf index of each instance in each tree by preorder',
  { default: '' },
);
export const validationIndicatorCol = ParamSpec.string(
  'name of the column that indicates whether each row is for training or for validation. ' +
    'False indicates training; true indicates validation.',
);
export const inputCol = ParamSpec.string('input column name');
export const inputCols = ParamSpec.stringArray('input column names');
/** Spark's default is `${uid}__output`, unique per stage. */
export const outputCol = ParamSpec.string('output column name', {
  defaultFor: (stage: Params) => `${stage.uid}__output`,
});
export const outputCols = ParamSpec.stringArray('output column names');

// ---- Optimization ----

export const maxIter = ParamSpec.int('maximum number of iterations (>= 0)', { validator: gtEq(0) });
export const tol = ParamSpec.double('the convergence tolerance for iterative algorithms (>= 0)', {
  validator: gtEq(0),
});
export const regParam = ParamSpec.double('regularization parameter (>= 0)', { validator: gtEq(0) });
export const elasticNetParam = ParamSpec.double(
  'the ElasticNet mixing parameter, in range [0, 1]. For alpha = 0, the penalty is an L2 penalty. ' +
    'For alpha = 1, it is an L1 penalty',
  { validator: inRange(0, 1) },
);
export const fitIntercept = ParamSpec.boolean('whether to fit an intercept term', { default: true });
export const standardization = ParamSpec.boolean(
  'whether to standardize the training features before fitting the model',
  { default: true },
);
/** The fitting params of LinearRegression and LogisticRegression, with the defaults Spark gives both. */
export const linearFitParams = {
  maxIter: maxIter.withDefault(100),
  regParam: regParam.withDefault(0),
  elasticNetParam: elasticNetParam.withDefault(0),
  tol: tol.withDefault(1e-6),
  fitIntercept,
  standardization,
};
export const stepSize = ParamSpec.double('Step size to be used for each iteration of optimization (> 0)', {
  validator: gt(0),
});
export const aggregationDepth = ParamSpec.int('suggested depth for treeAggregate (>= 2)', {
  default: 2,
  validator: gtEq(2),
});
export const checkpointInterval = ParamSpec.int(
  'set checkpoint interval (>= 1) or disable checkpoint (-1). E.g. 10 means that the cache will get ' +
    'checkpointed every 10 iterations. Note: this setting will be ignored if the checkpoint directory ' +
    'is not set',
  { validator: custom((v: number) => v === -1 || v >= 1, '-1 or >= 1') },
);
export const maxBlockSizeInMB = ParamSpec.double(
  'Maximum memory in MB for stacking input data into blocks. Data is stacked within partitions. If ' +
    'more than remaining data size in a partition then it is adjusted to the data size. Default 0.0 ' +
    'represents choosing optimal value, depends on specific algorithm. Must be >= 0.',
  { default: 0, validator: gtEq(0) },
);
export const relativeError = ParamSpec.double(
  'the relative target precision for the approximate quantile algorithm. Must be in the range [0, 1]',
  { default: 0.001, validator: inRange(0, 1) },
);
export const distanceMeasure = ParamSpec.choice(
  "The distance measure. Supported options: 'euclidean' and 'cosine'", ['euclidean', 'cosine'], { default: 'euclidean' },
);
export const numFeatures = ParamSpec.int('Number of features. Should be greater than 0', {
  default: 262144,
  validator: gt(0),
});
export const parallelism = ParamSpec.int('the number of threads to use when running parallel algorithms (>= 1)', {
  default: 1,
  validator: gtEq(1),
});
export const collectSubModels = ParamSpec.boolean(
  'whether to collect a list of sub-models trained during tuning. If set to false, then only the ' +
    'single best sub-model will be available after fitting. If set to true, then all sub-models will ' +
    'be available. Warning: For large models, collecting all sub-models can cause OOMs',
  { default: false },
);

// ---- Classification ----

export const threshold = ParamSpec.double('threshold in binary classification prediction, in range [0, 1]', {
  validator: inRange(0, 1),
});
export const thresholds = ParamSpec.doubleArray(
  'Thresholds in multi-class classification to adjust the probability of predicting each class. ' +
    'Array must have length equal to the number of classes, with values > 0 excepting that at most ' +
    'one value may be 0. The class with largest value p/t is predicted, where p is the original ' +
    "probability of that class and t is the class's threshold",
  {
    validator: custom(
      (t: readonly number[]) => t.every((x) => x >= 0) && t.filter((x) => x === 0).length <= 1,
      'an array of values >= 0 with at most one 0',
    ),
  },
);

// ---- Params whose options or default depend on the stage ----

/** Spark's default seed: the Java `String.hashCode` of the stage's Spark class name. */
export function seed(sparkClassName: string): ParamSpec<Long> {
  return ParamSpec.long('random seed', { default: javaStringHashCode(sparkClassName) });
}

/** Options differ per stage (e.g. ['skip', 'error', 'keep']); the default is 'error' when allowed. */
export function handleInvalid<const O extends string>(
  options: readonly O[],
  { doc, default: defaultValue }: { doc?: string; default?: NoInfer<O> } = {},
): ParamSpec<O> {
  const fallback = (options as readonly string[]).includes('error') ? ('error' as O) : undefined;
  return ParamSpec.choice(doc ?? `how to handle invalid entries. Supported options: ${options.join(', ')}`, options, {
    default: defaultValue ?? fallback,
  });
}

export function solver<const O extends string>(options: readonly O[], defaultValue?: NoInfer<O>): ParamSpec<O> {
  return ParamSpec.choice(`the solver algorithm for optimization. Supported options: ${options.join(', ')}`, options, { default: defaultValue });
}

export function loss<const O extends string>(options: readonly O[], defaultValue?: NoInfer<O>): ParamSpec<O> {
  return ParamSpec.choice(`the loss function to optimize. Supported options: ${options.join(', ')}`, options, { default: defaultValue });
}

// ---- Helpers ----

/** Java's `String.hashCode` (31-based over UTF-16 code units, wrapping at 32 bits), as a signed int. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** A column param that may be absent: unset or empty means "none", as Spark treats weightCol. */
export function optionalColumn(stage: Params, param: Param<string>): string | undefined {
  if (!stage.isDefined(param)) return undefined;
  const name = stage.getOrDefault(param);
  return name === '' ? undefined : name;
}

/**
 * A seed as the number Quiver's random streams take. Safe integers are themselves; a 64-bit seed
 * (a bigint, e.g. PySpark's default hash) folds its high bits into 53, so every bit counts and the
 * same seed always gives the same streams. (Quiver's streams are its own, never Spark's, whatever
 * the seed: only determinism per seed is promised.)
 */
export function seedNumber(seed: Long): number {
  return typeof seed === 'number' ? seed : Number(BigInt.asIntN(53, seed ^ (seed >> 53n)));
}
