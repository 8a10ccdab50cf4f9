import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CrossValidator, CrossValidatorModel, LinearRegression, LinearRegressionModel, ParamGridBuilder, Pipeline,
  RegressionEvaluator, TrainValidationSplit, TrainValidationSplitModel, VectorAssembler, Vectors, load, type Row,
} from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const session = useSessions(['local[2]']);
let root: string;
beforeAll(async () => { root = await mkdtemp(join(tmpdir(), 'quiver-tuning-')); });
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

function rows(n = 40): Row[] {
  return Array.from({ length: n }, (_, i) => {
    const a = Math.sin(i), b = Math.cos(i * 0.5);
    return { a, b, features: Vectors.dense([a, b]), label: 2 + a - 4 * b };
  });
}

const metadata = async (dir: string): Promise<Record<string, any>> =>
  JSON.parse((await readFile(join(dir, 'metadata', 'part-00000'), 'utf8')).trim());

async function predictions(model: { transform(df: any): any }, df: any): Promise<unknown[]> {
  return (await model.transform(df).select('prediction').collect()).map((r: Row) => r.prediction);
}

describe('tuning persistence', () => {
  it('CrossValidatorModel: Spark layout, save → load → transform identical', async () => {
    const df = session('local[2]').createDataFrame(rows());
    const lr = new LinearRegression();
    const evaluator = new RegressionEvaluator({ metricName: 'mae' });
    const grid = new ParamGridBuilder().addGrid(lr.regParam, [1, 0]).addGrid(lr.fitIntercept).build();
    const cv = new CrossValidator({ estimator: lr, estimatorParamMaps: grid, evaluator, numFolds: 2, seed: 5, collectSubModels: true });
    const model = await cv.fit(df);
    const path = join(root, 'cvModel');
    await model.save(path);

    const meta = await metadata(path);
    expect(meta.class).toBe('org.apache.spark.ml.tuning.CrossValidatorModel');
    expect(meta.avgMetrics).toEqual([...model.avgMetrics]);
    expect(meta.stdMetrics).toEqual([...model.stdMetrics]);
    expect(meta.persistSubModels).toBe(true);
    expect(meta.paramMap.numFolds).toBe(2);
    expect(meta.paramMap.seed).toBe(5);
    expect(meta.paramMap.estimator).toBeUndefined();
    expect(meta.paramMap.estimatorParamMaps).toHaveLength(4);
    expect(meta.paramMap.estimatorParamMaps[0]).toEqual([
      { parent: lr.uid, name: 'regParam', value: '1', isJson: 'true' },
      { parent: lr.uid, name: 'fitIntercept', value: 'true', isJson: 'true' },
    ]);
    expect((await metadata(join(path, 'estimator'))).class).toBe('org.apache.spark.ml.regression.LinearRegression');
    expect((await metadata(join(path, 'evaluator'))).class).toBe('org.apache.spark.ml.evaluation.RegressionEvaluator');
    expect((await metadata(join(path, 'bestModel'))).class).toBe('org.apache.spark.ml.regression.LinearRegressionModel');
    expect((await metadata(join(path, 'subModels', 'fold1', '3'))).uid).toBe(lr.uid);

    const loaded = await load<CrossValidatorModel>(path);
    expect(loaded).toBeInstanceOf(CrossValidatorModel);
    expect(loaded.uid).toBe(model.uid);
    expect(loaded.avgMetrics).toEqual(model.avgMetrics);
    expect(loaded.stdMetrics).toEqual(model.stdMetrics);
    expect(loaded.getEstimatorParamMaps()).toHaveLength(4);
    const est = loaded.getEstimator() as LinearRegression;
    expect(loaded.getEstimatorParamMaps()[2].get(est.regParam)).toBe(1);
    expect(loaded.getEstimatorParamMaps()[2].get(est.fitIntercept)).toBe(false);
    expect((loaded.getEvaluator() as RegressionEvaluator).getMetricName()).toBe('mae');
    expect(loaded.subModels).toHaveLength(2);
    expect(await predictions(loaded, df)).toEqual(await predictions(model, df));
    expect(await CrossValidatorModel.load(path)).toBeInstanceOf(CrossValidatorModel);
  });

  it('CrossValidator round-trips and fits the same; grid params of pipeline stages resolve', async () => {
    const df = session('local[2]').createDataFrame(rows());
    const assembler = new VectorAssembler({ inputCols: ['a', 'b'], outputCol: 'f2' });
    const lr = new LinearRegression({ featuresCol: 'f2' });
    const pipeline = new Pipeline({ stages: [assembler, lr] });
    const grid = new ParamGridBuilder().addGrid(lr.regParam, [0.5, 0]).build();
    const cv = new CrossValidator({ estimator: pipeline, estimatorParamMaps: grid, evaluator: new RegressionEvaluator(), seed: 9 });
    const path = join(root, 'cv');
    await cv.save(path);
    const loaded = await CrossValidator.load(path);
    expect(loaded.uid).toBe(cv.uid);
    expect(loaded.getSeed()).toBe(9);
    const [m1, m2] = [await cv.fit(df), await loaded.fit(df)];
    expect(m2.avgMetrics).toEqual(m1.avgMetrics);
    expect(await predictions(m2, df)).toEqual(await predictions(m1, df));
  });

  it('TrainValidationSplit and its model round-trip', async () => {
    const df = session('local[2]').createDataFrame(rows());
    const lr = new LinearRegression();
    const grid = new ParamGridBuilder().addGrid(lr.regParam, [1, 0]).build();
    const tvs = new TrainValidationSplit({ estimator: lr, estimatorParamMaps: grid, evaluator: new RegressionEvaluator(), trainRatio: 0.6 });
    const tvsPath = join(root, 'tvs');
    await tvs.save(tvsPath);
    const tvsLoaded = await TrainValidationSplit.load(tvsPath);
    expect(tvsLoaded.getTrainRatio()).toBe(0.6);

    const model = await tvs.fit(df);
    const path = join(root, 'tvsModel');
    await model.save(path);
    const meta = await metadata(path);
    expect(meta.validationMetrics).toEqual([...model.validationMetrics]);
    expect(meta.persistSubModels).toBe(false);
    const loaded = await load<TrainValidationSplitModel>(path);
    expect(loaded).toBeInstanceOf(TrainValidationSplitModel);
    expect(loaded.validationMetrics).toEqual(model.validationMetrics);
    expect(loaded.bestModel).toBeInstanceOf(LinearRegressionModel);
    expect(await predictions(loaded, df)).toEqual(await predictions(model, df));
    await expect(model.write().option('persistSubModels', 'true').save(join(root, 'x'))).rejects.toThrow(/collectSubModels/);
  });

  it('refuses to save grid params that belong to no stage of the validator', async () => {
    const lr = new LinearRegression();
    const other = new LinearRegression();
    const grid = new ParamGridBuilder().addGrid(other.regParam, [1]).build();
    const cv = new CrossValidator({ estimator: lr, estimatorParamMaps: grid, evaluator: new RegressionEvaluator() });
    await expect(cv.save(join(root, 'bad'))).rejects.toThrow(/extraneous Param.*regParam/);
  });
});
