// What CrossValidator and TrainValidationSplit share (Spark's `ValidatorParams`): the estimator,
// its param maps and the evaluator as params, schema validation, fitting and evaluating a set of
// param maps with bounded parallelism, and picking the best metric.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { Evaluator } from '../evaluation/evaluator.js';
import type { ParamKind } from '../pipeline/param.js';
import { ParamMap } from '../pipeline/params-map.js';
import { Params, ParamSpec } from '../pipeline/params.js';
import { Estimator, type Model } from '../pipeline/stage.js';

function stageKind<T>(name: string, description: string, accepts: (v: unknown) => v is T, format: (v: T) => string): ParamKind<T> {
  return {
    name,
    description,
    accepts,
    toJSON() {
      throw new TypeError(`${description} has no JSON encoding; a tuning stage saves it in its own directory`);
    },
    fromJSON() {
      throw new TypeError(`${description} has no JSON encoding; a tuning stage loads it from its own directory`);
    },
    format,
  };
}

export const estimatorKind = stageKind<Estimator>(
  'Estimator', 'an Estimator', (v): v is Estimator => v instanceof Estimator, (v) => v.uid);
export const evaluatorKind = stageKind<Evaluator>(
  'Evaluator', 'an Evaluator', (v): v is Evaluator => v instanceof Evaluator, (v) => v.uid);
export const paramMapsKind = stageKind<readonly ParamMap[]>(
  'ParamMap[]',
  'an array of ParamMaps',
  (v): v is readonly ParamMap[] => Array.isArray(v) && v.every((m) => m instanceof ParamMap),
  (v) => `[${v.map((m) => m.toString()).join(', ')}]`,
);

/** Spark's `ValidatorParams` (without seed, whose default depends on the class). */
export const validatorSpecs = {
  estimator: new ParamSpec(estimatorKind, 'estimator for selection'),
  estimatorParamMaps: new ParamSpec(paramMapsKind, 'param maps for the estimator'),
  evaluator: new ParamSpec(evaluatorKind, 'evaluator used to select hyper-parameters that maximize the validated metric'),
};

/** The typed view of a validator's params that the helpers below need. */
export interface ValidatorLike extends Params {
  getEstimator(): Estimator;
  getEstimatorParamMaps(): readonly ParamMap[];
  getEvaluator(): Evaluator;
}

/**
 * Spark's `transformSchemaImpl`: the param maps must be non-empty and the estimator, copied with
 * each map, must accept the schema; returns the schema for the first map. Reads no data.
 */
export function validatorTransformSchema(v: ValidatorLike, schema: StructType): StructType {
  for (const name of ['estimator', 'evaluator', 'estimatorParamMaps']) {
    if (!v.isDefined(v.getParam(name))) throw new Error(`${v.uid}: param ${name} must be set before fitting`);
  }
  const maps = v.getEstimatorParamMaps();
  if (maps.length === 0) throw new Error(`${v.uid}: Validator requires non-empty estimatorParamMaps`);
  const est = v.getEstimator();
  for (const pm of maps.slice(1)) est.copy(pm).transformSchema(schema);
  return est.copy(maps[0]).transformSchema(schema);
}

/** Runs the tasks with at most `limit` running at once; results in task order; the first error rejects. */
export async function runBounded<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < tasks.length) {
      const i = next++;
      try {
        results[i] = await tasks[i]();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker);
  const settled = await Promise.allSettled(workers);
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results;
}

/**
 * Fits the estimator with every map on `train` and evaluates each model on `validation` (Spark's
 * per-split loop), both cached for the duration as Spark does; returns the metrics in map order
 * and the models.
 */
export async function fitAndEvaluate(
  v: ValidatorLike, train: DataFrame, validation: DataFrame, parallelism: number,
): Promise<{ metrics: number[]; models: Model[] }> {
  const est = v.getEstimator();
  const evaluator = v.getEvaluator();
  const maps = v.getEstimatorParamMaps();
  const models: Model[] = new Array(maps.length);
  train.cache();
  validation.cache();
  try {
    const metrics = await runBounded(
      maps.map((pm, index) => async () => {
        const model = (await est.fit(train, pm)) as Model;
        models[index] = model;
        return evaluator.evaluate(model.transform(validation, pm));
      }),
      parallelism,
    );
    return { metrics, models };
  } finally {
    train.unpersist();
    validation.unpersist();
  }
}

/** The estimator fitted on the whole data with the map of the best metric (the validators' last step). */
export async function fitBest(v: ValidatorLike, df: DataFrame, metrics: readonly number[]): Promise<Model> {
  const best = bestIndex(metrics, v.getEvaluator().isLargerBetter());
  return (await v.getEstimator().fit(df, v.getEstimatorParamMaps()[best])) as Model;
}

/** The index of the best metric (the first on ties, as Scala's maxBy/minBy); NaN never wins over a number. */
export function bestIndex(metrics: readonly number[], largerIsBetter: boolean): number {
  let best = 0;
  for (let i = 1; i < metrics.length; i++) {
    const m = metrics[i];
    const b = metrics[best];
    if (Number.isNaN(m)) continue;
    if (Number.isNaN(b) || (largerIsBetter ? m > b : m < b)) best = i;
  }
  return best;
}

/** Spark's `StatCounter.stdev`: the population standard deviation. */
export function populationStd(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return NaN;
  const mean = values.reduce((s, x) => s + x, 0) / n;
  return Math.sqrt(values.reduce((s, x) => s + (x - mean) * (x - mean), 0) / n);
}

/** Copies of the estimator and evaluator (each with `extra`), as Spark's validators' `copy`. */
export function copyEstimatorAndEvaluator<P extends Params>(copied: P, extra: ParamMap): P {
  const c = copied as unknown as ValidatorLike;
  const est = c.getParam('estimator');
  const ev = c.getParam('evaluator');
  if (c.isDefined(est)) c.set(est, c.getEstimator().copy(extra));
  if (c.isDefined(ev)) c.set(ev, c.getEvaluator().copy(extra));
  return copied;
}
