// Spark's CrossValidator: k-fold cross validation over a grid of param maps; the best map (by the
// evaluator's average metric over the folds) is refitted on the whole data.
import type { DataFrame } from '../dataframe/dataframe.js';
import { col } from '../dataframe/column.js';
import { SampleNode } from '../dataframe/logical.js';
import type { StructType } from '../dataframe/types.js';
import type { LoadOptions } from '../pipeline/ml-writable.js';
import { readStage } from '../pipeline/ml-writable.js';
import { ParamMap } from '../pipeline/params-map.js';
import { ParamSpec, type ParamValues } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { withParams } from '../pipeline/params-mixin.js';
import { collectSubModels, parallelism, seed, seedNumber } from '../pipeline/shared-params.js';
import { Estimator, Model } from '../pipeline/stage.js';
import { ValidatorModel } from './validator-model.js';
import {
  copyEstimatorAndEvaluator, fitAndEvaluate, fitBest, populationStd, validatorSpecs, validatorTransformSchema,
} from './validator-params.js';

const CV_CLASS = 'org.apache.spark.ml.tuning.CrossValidator';

/** Spark's `CrossValidatorParams`. */
const cvSpecs = {
  ...validatorSpecs,
  seed: seed(CV_CLASS),
  numFolds: ParamSpec.int('number of folds for cross validation (>= 2)', { default: 3, validator: ParamValidators.gtEq(2) }),
  foldCol: ParamSpec.string(
    'the column name of user specified fold number. Once this is specified, CrossValidator won\'t do random k-fold ' +
      'split. Note that this column should be integer type with range [0, numFolds) and Spark will throw exception on ' +
      'out-of-range fold numbers.',
    { default: '' },
  ),
};

const isIntegral = (kind: string): boolean => kind === 'int' || kind === 'long';

function checkFoldColType(uid: string, schema: StructType, foldCol: string): void {
  if (foldCol === '') return;
  if (!schema.has(foldCol)) {
    throw new Error(`${uid}: foldCol '${foldCol}' does not exist. Available columns: [${schema.fieldNames.join(', ')}]`);
  }
  const kind = schema.field(foldCol).type.kind;
  if (!isIntegral(kind)) {
    throw new Error(`${uid}: the specified foldCol '${foldCol}' must be of integer type (int or long), but got ${kind}`);
  }
}

/** `[training, validation]` per fold, as Spark's `MLUtils.kFold` (random cells from one seed, or the fold column). */
export async function kFold(df: DataFrame, numFolds: number, seedValue: number, foldCol: string, uid: string): Promise<[DataFrame, DataFrame][]> {
  if (foldCol !== '') {
    const fc = col(foldCol);
    const bad = df.filter(fc.isNull().or(fc.lt(0)).or(fc.ge(numFolds)));
    const badRows = await bad.select(foldCol).limit(5).collect();
    if (badRows.length > 0) {
      const values = badRows.map((r) => String(r[foldCol] ?? 'null'));
      throw new Error(
        `${uid}: fold numbers in foldCol '${foldCol}' must be in range [0, ${numFolds}), but got ${values.join(', ')}` +
          `${badRows.length === 5 ? ', ...' : ''}`,
      );
    }
    return Array.from({ length: numFolds }, (_, fold) => [df.filter(fc.ne(fold)), df.filter(fc.eq(fold))]);
  }
  // Cell bounds as randomSplit computes them; one seed for every cell, so the validation cells
  // partition the rows and each training set is exactly the complement of its validation cell.
  const bounds = [0];
  for (let i = 0; i < numFolds; i++) bounds.push(bounds[i] + 1 / numFolds);
  bounds[numFolds] = 1;
  const cell = (lb: number, ub: number): DataFrame => df.withNode(new SampleNode(df.node, lb, ub, false, seedValue));
  return Array.from({ length: numFolds }, (_, fold) => {
    const lb = bounds[fold], ub = bounds[fold + 1];
    const parts = [...(lb > 0 ? [cell(0, lb)] : []), ...(ub < 1 ? [cell(ub, 1)] : [])];
    const training = parts.length === 1 ? parts[0] : parts[0].union(parts[1]);
    return [training, cell(lb, ub)];
  });
}

export class CrossValidator extends withParams(Estimator<CrossValidatorModel>, {
  ...cvSpecs,
  parallelism,
  collectSubModels,
}) {
  static readonly sparkClassName = CV_CLASS;

  static load(path: string, options?: LoadOptions): Promise<CrossValidator> {
    return readStage(CrossValidator, path, options);
  }

  constructor(params: ParamValues<CrossValidator> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    checkFoldColType(this.uid, schema, this.getFoldCol());
    return validatorTransformSchema(this, schema);
  }

  protected async fitImpl(df: DataFrame): Promise<CrossValidatorModel> {
    const maps = this.getEstimatorParamMaps();
    const numFolds = this.getNumFolds();
    const collect = this.getCollectSubModels();
    const splits = await kFold(df, numFolds, seedNumber(this.getSeed()), this.getFoldCol(), this.uid);
    const foldMetrics: number[][] = [];
    const subModels: Model[][] = [];
    for (const [training, validation] of splits) {
      const { metrics, models } = await fitAndEvaluate(this, training, validation, this.getParallelism());
      foldMetrics.push(metrics);
      if (collect) subModels.push(models);
    }
    const avgMetrics = maps.map((_, j) => foldMetrics.reduce((s, m) => s + m[j], 0) / numFolds);
    const stdMetrics = maps.map((_, j) => populationStd(foldMetrics.map((m) => m[j])));
    const bestModel = await fitBest(this, df, avgMetrics);
    const model = new CrossValidatorModel(bestModel, avgMetrics, stdMetrics, this.uid);
    if (collect) model.setSubModels(subModels);
    return this.copyValues(model).setParent(this);
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    return copyEstimatorAndEvaluator(this.defaultCopy(extra), extra);
  }
}

export class CrossValidatorModel extends withParams(ValidatorModel<Model[][]>, cvSpecs) {
  static readonly sparkClassName = 'org.apache.spark.ml.tuning.CrossValidatorModel';

  static load(path: string, options?: LoadOptions): Promise<CrossValidatorModel> {
    return readStage(CrossValidatorModel, path, options);
  }

  /** The evaluator's metric for each param map, averaged over the folds. */
  readonly avgMetrics: readonly number[];
  /** The population standard deviation of each param map's metric over the folds (Spark 3.x). */
  readonly stdMetrics: readonly number[];

  constructor(bestModel: Model, avgMetrics: readonly number[], stdMetrics: readonly number[] = [], uid?: string) {
    super(bestModel, 'CrossValidator', uid);
    this.avgMetrics = Object.freeze([...avgMetrics]);
    this.stdMetrics = Object.freeze([...stdMetrics]);
  }

  protected withBestModel(bestModel: Model): this {
    return new CrossValidatorModel(bestModel, this.avgMetrics, this.stdMetrics, this.uid) as this;
  }
}
