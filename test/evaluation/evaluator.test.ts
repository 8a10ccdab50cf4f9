import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BinaryClassificationEvaluator, ClusteringEvaluator, Evaluator, MulticlassClassificationEvaluator, RegressionEvaluator,
} from '../../src/index.js';
import { load } from '../../src/persistence/index.js';
import { ParamMap } from '../../src/pipeline/params-map.js';
import { useSessions } from './sessions.js';

const { df } = useSessions();

let root = '';
beforeAll(async () => { root = await mkdtemp(join(tmpdir(), 'quiver-evaluation-')); });
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

const all = () => [
  new BinaryClassificationEvaluator(), new MulticlassClassificationEvaluator(), new RegressionEvaluator(), new ClusteringEvaluator(),
];

describe('Evaluator', () => {
  it('every evaluator is an Evaluator with a uid, Spark class name, documented params and a copy keeping the uid', () => {
    for (const e of all()) {
      expect(e).toBeInstanceOf(Evaluator);
      expect(e.uid).toMatch(new RegExp(`^${e.constructor.name}_[0-9a-f]{12}$`));
      expect((e.constructor as typeof Evaluator).sparkClassName).toBe(`org.apache.spark.ml.evaluation.${e.constructor.name}`);
      expect(e.explainParams()).toContain('metricName: metric name in evaluation');
      const copy = e.copy();
      expect(copy).not.toBe(e);
      expect(copy.uid).toBe(e.uid);
      expect(copy.paramMapJSON()).toEqual(e.paramMapJSON());
    }
  });

  it('constructor params are validated; unknown names are rejected', () => {
    expect(new RegressionEvaluator({ metricName: 'mae', labelCol: 'y' }).getLabelCol()).toBe('y');
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => new RegressionEvaluator({ metricName: 'auc' })).toThrow(/metricName given invalid value auc/);
    expect(() => new RegressionEvaluator({ nope: 1 } as never)).toThrow(/has no param named 'nope'/);
  });

  it('evaluate(df, extra) uses a copy with the extra params and leaves the evaluator as it was', async () => {
    const data = df('local[2]', [{ label: 1, prediction: 2 }, { label: 3, prediction: 3 }, { label: 0, prediction: 0 }], 2);
    const e = new RegressionEvaluator();
    const rmse = await e.evaluate(data);
    const mae = await e.evaluate(data, ParamMap.of(e.metricName.w('mae')));
    expect([rmse, mae]).toEqual([Math.sqrt(1 / 3), 1 / 3]);
    expect(e.getMetricName()).toBe('rmse');
    // An extra map for another stage's params changes nothing here.
    expect(await e.evaluate(data, ParamMap.of(new RegressionEvaluator().metricName.w('mae')))).toBe(rmse);
  });

  it('saves params-only metadata in Spark\'s layout and loads back, by class and through load(path)', async () => {
    const stages = [
      new BinaryClassificationEvaluator({ rawPredictionCol: 'myRawPrediction', labelCol: 'myLabel', metricName: 'areaUnderPR' }),
      new MulticlassClassificationEvaluator({ metricName: 'fMeasureByLabel', metricLabel: 2, beta: 0.5, weightCol: 'w' }),
      new RegressionEvaluator({ metricName: 'r2', throughOrigin: true }),
      new ClusteringEvaluator({ predictionCol: 'myPrediction', featuresCol: 'myLabel', distanceMeasure: 'cosine' }),
    ];
    const loaders = [BinaryClassificationEvaluator.load, MulticlassClassificationEvaluator.load, RegressionEvaluator.load, ClusteringEvaluator.load];
    for (const [i, stage] of stages.entries()) {
      const path = join(root, `evaluator-${i}`);
      await stage.save(path);
      const meta = JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8'));
      expect(meta.class).toBe((stage.constructor as typeof Evaluator).sparkClassName);
      expect(meta.uid).toBe(stage.uid);
      expect(meta.paramMap).toEqual(stage.paramMapJSON());
      expect(meta.defaultParamMap).toEqual(stage.defaultParamMapJSON());
      for (const loaded of [await loaders[i](path), await load<Evaluator>(path)]) {
        expect(loaded.constructor).toBe(stage.constructor);
        expect(loaded.uid).toBe(stage.uid);
        expect(loaded.paramMapJSON()).toEqual(stage.paramMapJSON());
        expect(loaded.isLargerBetter()).toBe(stage.isLargerBetter());
      }
      await expect(stage.save(path)).rejects.toThrow();
      await stage.write().overwrite().save(path);
    }
    const meta = JSON.parse(await readFile(join(root, 'evaluator-1', 'metadata', 'part-00000'), 'utf8'));
    expect(meta.paramMap).toEqual({ metricName: 'fMeasureByLabel', metricLabel: 2, beta: 0.5, weightCol: 'w' });
    expect(meta.defaultParamMap).toMatchObject({ metricName: 'f1', metricLabel: 0, beta: 1, eps: 1e-15, predictionCol: 'prediction', labelCol: 'label', probabilityCol: 'probability' });
    await expect(RegressionEvaluator.load(join(root, 'evaluator-0'))).rejects.toThrow(/BinaryClassificationEvaluator/);
  });

  it('an empty weightCol means unit weights, as in Spark', async () => {
    const data = df('inline', [{ label: 1, prediction: 2 }, { label: 3, prediction: 3 }], 1);
    expect(await new RegressionEvaluator({ weightCol: '', metricName: 'mse' }).evaluate(data)).toBe(0.5);
  });
});
