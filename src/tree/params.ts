// Spark's tree params (DecisionTreeParams, TreeEnsembleParams, RandomForestParams, GBTParams), declared
// once with Spark's docs, defaults and validators. Stages pick the sets they have.
import { ParamSpec, type AnyCase } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { ParamKinds, type JsonValue, type ParamKind } from '../pipeline/param.js';
import * as shared from '../pipeline/shared-params.js';

const { gtEq, inRange, custom } = ParamValidators;

/** Feature index -> number of categories, as a plain object (`{ 0: 3, 4: 2 }`). */
export type CategoricalFeatures = Readonly<Record<string, number>>;

const categoricalFeaturesKind: ParamKind<CategoricalFeatures> = {
  name: 'map<int,int>',
  description: 'an object mapping feature indices (integers >= 0) to numbers of categories (integers >= 1)',
  accepts(v: unknown): v is CategoricalFeatures {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    return Object.entries(v).every(([k, n]) => /^\d+$/.test(k) && Number.isInteger(n) && (n as number) >= 1);
  },
  toJSON: (v) => ({ ...v }) as JsonValue,
  fromJSON(j) {
    if (!categoricalFeaturesKind.accepts(j)) throw new TypeError(`expected ${categoricalFeaturesKind.description}, got ${JSON.stringify(j)}`);
    return { ...(j as CategoricalFeatures) };
  },
  format: (v) => `{${Object.entries(v).map(([k, n]) => `${k}: ${n}`).join(', ')}}`,
};

export const SUPPORTED_FEATURE_SUBSET_STRATEGIES = ['auto', 'all', 'onethird', 'sqrt', 'log2'] as const;

/** Spark's TreeEnsembleParams validator: a named strategy, an integer in [1, n] or a fraction in (0, 1]. */
export function isValidFeatureSubsetStrategy(v: string): boolean {
  const s = v.toLowerCase();
  if ((SUPPORTED_FEATURE_SUBSET_STRATEGIES as readonly string[]).includes(s)) return true;
  if (/^[0-9]+$/.test(s)) return Number(s) > 0;
  if (/^[0-9]*\.[0-9]+$|^[0-9]+\.[0-9]*$/.test(s)) { const x = Number(s); return x > 0 && x <= 1; }
  return false;
}

export const treeParams = {
  featuresCol: shared.featuresCol,
  labelCol: shared.labelCol,
  predictionCol: shared.predictionCol,
  weightCol: shared.weightCol,
  leafCol: shared.leafCol,
  checkpointInterval: shared.checkpointInterval.withDefault(10),
  maxDepth: ParamSpec.int(
    'Maximum depth of the tree. (Nonnegative) E.g., depth 0 means 1 leaf node; depth 1 means 1 internal node + 2 leaf nodes. Must be in range [0, 30].',
    { default: 5, validator: inRange(0, 30) },
  ),
  maxBins: ParamSpec.int(
    'Max number of bins for discretizing continuous features. Must be at least 2 and at least number of categories for any categorical feature.',
    { default: 32, validator: gtEq(2) },
  ),
  minInstancesPerNode: ParamSpec.int(
    'Minimum number of instances each child must have after split. If a split causes the left or right child to have fewer than minInstancesPerNode, the split will be discarded as invalid. Must be at least 1.',
    { default: 1, validator: gtEq(1) },
  ),
  minWeightFractionPerNode: ParamSpec.double(
    'Minimum fraction of the weighted sample count that each child must have after split. If a split causes the fraction of the total weight in the left or right child to be less than minWeightFractionPerNode, the split will be discarded as invalid. Should be in the interval [0.0, 0.5).',
    { default: 0, validator: inRange(0, 0.5, true, false) },
  ),
  minInfoGain: ParamSpec.double('Minimum information gain for a split to be considered at a tree node.', {
    default: 0, validator: gtEq(0),
  }),
  maxMemoryInMB: ParamSpec.int('Maximum memory in MB allocated to histogram aggregation.', { default: 256, validator: gtEq(0) }),
  cacheNodeIds: ParamSpec.boolean(
    'If false, the algorithm will pass trees to executors to match instances with nodes. If true, the algorithm will cache node IDs for each instance. Caching can speed up training of deeper trees. (Quiver always keeps node IDs per row; the value is accepted for compatibility.)',
    { default: false },
  ),
};

/**
 * Quiver's own param, on the tree estimators only (Spark takes categorical features from the column
 * metadata alone). It has no default, so it is written to metadata only when set: an estimator that
 * does not use it, and every tree model, save exactly the params Spark's loaders accept.
 */
export const categoricalFeatures = new ParamSpec(categoricalFeaturesKind,
  'Categorical features of the features vector: feature index -> number of categories (values 0 .. n-1). Merged with the nominal attributes in the features column metadata (e.g. from StringIndexer); unlisted features are continuous. Unset: none beyond the metadata. (Quiver only: an estimator with it set cannot be loaded by Spark.)');

/** Params Quiver's tree models saved before they matched Spark's (ignored when loading those saves). */
export const QUIVER_ONLY_MODEL_PARAMS = ['categoricalFeatures'] as const;

export const classifierParams = {
  rawPredictionCol: shared.rawPredictionCol,
  probabilityCol: shared.probabilityCol,
  thresholds: shared.thresholds,
};

export const classificationImpurity = ParamSpec.caseInsensitiveChoice(
  'Criterion used for information gain calculation (case-insensitive). Supported options: entropy, gini',
  ['entropy', 'gini'], { default: 'gini' },
);

export const regressionImpurity = ParamSpec.caseInsensitiveChoice(
  'Criterion used for information gain calculation (case-insensitive). Supported options: variance',
  ['variance'], { default: 'variance' },
);

export const varianceCol = shared.varianceCol;

/** A named strategy (any case), an integer count ('10') or a fraction ('0.5'): `${number}` lets numbers through. */
export type FeatureSubsetStrategy = AnyCase<(typeof SUPPORTED_FEATURE_SUBSET_STRATEGIES)[number]> | `${number}`;

export function featureSubsetStrategy(defaultValue: FeatureSubsetStrategy): ParamSpec<FeatureSubsetStrategy> {
  return new ParamSpec<FeatureSubsetStrategy>(ParamKinds.string as ParamKind<string> as ParamKind<FeatureSubsetStrategy>,
    'The number of features to consider for splits at each tree node. Supported options: auto, all, onethird, sqrt, log2, (0.0-1.0], [1-n].',
    { default: defaultValue, validator: custom(isValidFeatureSubsetStrategy, 'one of [auto, all, onethird, sqrt, log2], (0.0-1.0] or [1-n]') },
  );
}

export const subsamplingRate = ParamSpec.double(
  'Fraction of the training data used for learning each decision tree, in range (0, 1].',
  { default: 1, validator: inRange(0, 1, false, true) },
);

export const randomForestParams = {
  numTrees: ParamSpec.int('Number of trees to train (at least 1)', { default: 20, validator: gtEq(1) }),
  bootstrap: ParamSpec.boolean('Whether bootstrap samples are used when building trees.', { default: true }),
  subsamplingRate,
  featureSubsetStrategy: featureSubsetStrategy('auto'),
};

export const gbtParams = {
  maxIter: shared.maxIter.withDefault(20),
  stepSize: ParamSpec.double(
    'Step size (a.k.a. learning rate) in interval (0, 1] for shrinking the contribution of each estimator.',
    { default: 0.1, validator: inRange(0, 1, false, true) },
  ),
  validationTol: ParamSpec.double(
    'Threshold for stopping early when fit with validation is used. If the error rate on the validation input changes by less than the validationTol, then learning will stop early (before `maxIter`). This parameter is ignored when fit without validation is used.',
    { default: 0.01, validator: gtEq(0) },
  ),
  validationIndicatorCol: shared.validationIndicatorCol,
  subsamplingRate,
  featureSubsetStrategy: featureSubsetStrategy('all'),
  impurity: ParamSpec.caseInsensitiveChoice(
    'Criterion used for information gain calculation (case-insensitive). Supported options: variance. GBTs always grow regression trees on gradients; the param exists for Spark compatibility.',
    ['variance'], { default: 'variance' },
  ),
};

export function lossType<const O extends string>(options: readonly O[], defaultValue: NoInfer<O>): ParamSpec<AnyCase<O>> {
  return ParamSpec.caseInsensitiveChoice(
    `Loss function which GBT tries to minimize (case-insensitive). Supported options: ${options.join(', ')}`, options, { default: defaultValue },
  );
}

/**
 * Spark's numFeaturesPerNode: 'auto' is 'all' for one tree, else 'sqrt' (classification) or
 * 'onethird' (regression); integers are capped at n; fractions round up.
 */
export function featuresPerNode(strategy: string, numFeatures: number, numTrees: number, classification: boolean): number {
  let s = strategy.toLowerCase();
  if (s === 'auto') s = numTrees === 1 ? 'all' : classification ? 'sqrt' : 'onethird';
  switch (s) {
    case 'all': return numFeatures;
    case 'sqrt': return Math.ceil(Math.sqrt(numFeatures));
    case 'log2': return Math.max(1, Math.ceil(Math.log(numFeatures) / Math.log(2)));
    case 'onethird': return Math.ceil(numFeatures / 3);
  }
  if (/^[0-9]+$/.test(s) && Number(s) > 0) return Math.min(Number(s), numFeatures);
  const x = Number(s);
  if (x > 0 && x <= 1) return Math.ceil(x * numFeatures);
  throw new Error(`featureSubsetStrategy '${strategy}' is not supported. Supported values: auto, all, onethird, sqrt, log2, (0.0-1.0], [1-n].`);
}

