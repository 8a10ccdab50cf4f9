/**
 * The four evaluators beside real Apache Spark: on the same prediction rows (Spark's own models'
 * output on the shared table, carried to Quiver value for value), Quiver's evaluators give Spark's
 * numbers; and an evaluator saved by either side is loaded by the other with the same params.
 */
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  BinaryClassificationEvaluator, ClusteringEvaluator, load, MulticlassClassificationEvaluator, RegressionEvaluator,
  type DataFrame, type Row,
} from '../../src/index.js';
import type { Evaluator } from '../../src/evaluation/evaluator.js';
import { useSession } from '../helpers/sessions.js';
import { expectClose, expectSameParamValues, measured, writeTable, type Tolerance } from './data.js';
import { useSparkDriver } from './harness.js';

const { spark, scratch, fresh } = useSparkDriver();
const quiver = useSession('local[2]');

/** The prediction frames, as Spark computed them (P[name] in the driver), rebuilt in Quiver. */
const frames: Record<string, DataFrame> = {};
const PREDICTIONS = {
  // Binary: a logistic regression's raw scores (distinct), and a coarse score with many ties (x3 on a
  // grid of 8 values), which exercises how both group equal scores on the curves.
  binary: `LogisticRegression(maxIter=50, regParam=0.05).fit(T).transform(T).select('id', 'label', 'w', 'rawPrediction', 'probability', 'prediction')`,
  tied: `T.select('id', 'label', 'w', F.col('x3').alias('score'))`,
  multi: `LogisticRegression(family='multinomial', labelCol='label3', maxIter=50, regParam=0.05).fit(T).transform(T).select('id', 'label3', 'w', 'probability', 'prediction')`,
  regression: `LinearRegression(labelCol='y', regParam=0.5).fit(T).transform(T).select('id', 'y', 'w', 'prediction')`,
  clusters: `KMeans(k=3, seed=1).fit(T).transform(T).select('id', 'features', 'w', F.col('prediction').cast('double').alias('prediction'))`,
} as const;

beforeAll(async () => {
  const tablePath = join(scratch(), 'table.parquet');
  await writeTable(quiver(), tablePath, 300, 14);
  const all = await spark().run<Record<string, Row[]>>(`T = table(args['path']).cache()
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.regression import LinearRegression
from pyspark.ml.clustering import KMeans
from pyspark.ml.evaluation import *
P = {${Object.entries(PREDICTIONS).map(([k, v]) => `'${k}': ${v}.orderBy('id').cache()`).join(', ')}}
result = {k: rows(v) for k, v in P.items()}`, { path: tablePath });
  for (const [name, rows] of Object.entries(all)) frames[name] = quiver().createDataFrame(rows, { numPartitions: 2 });
});

// A metric is a sum over 300 rows (and a division or a square root): the same terms summed in
// another order, 1e-12 relative.
const METRIC: Tolerance = { rel: 1e-12, abs: 1e-15 };

/** Spark's `python` evaluator and Quiver's `ours` on the predictions `frame`: the same number. */
async function sameMetric(frame: keyof typeof PREDICTIONS, python: string, ours: Evaluator, what: string, pythonIsValue = false): Promise<number> {
  const theirs = await spark().run<number>(pythonIsValue ? `result = ${python}` : `result = ${python}.evaluate(P['${frame}'])`);
  const value = await ours.evaluate(frames[frame]!);
  expectClose([value], [theirs], METRIC, what);
  measured(ours.constructor.name, what, Math.abs(value - theirs));
  return theirs;
}

describe('BinaryClassificationEvaluator', () => {
  for (const metricName of ['areaUnderROC', 'areaUnderPR'] as const) {
    for (const weighted of [false, true]) {
      const w = weighted ? ", weightCol='w'" : '';
      it(`${metricName}${weighted ? ', weighted' : ''}: distinct scores, tied scores, and numBins 10 (down-sampled curve)`, async () => {
        await sameMetric('binary', `BinaryClassificationEvaluator(metricName='${metricName}'${w})`,
          new BinaryClassificationEvaluator({ metricName, ...(weighted ? { weightCol: 'w' } : {}) }), `${metricName}${weighted ? ' weighted' : ''}`);
        await sameMetric('tied', `BinaryClassificationEvaluator(metricName='${metricName}', rawPredictionCol='score'${w})`,
          new BinaryClassificationEvaluator({ metricName, rawPredictionCol: 'score', ...(weighted ? { weightCol: 'w' } : {}) }), `${metricName}${weighted ? ' weighted' : ''}, tied scores`);
        // Down-sampling: Spark chunks the sorted scores partition by partition of its sorted RDD (a
        // short last bin in each), so its binned areas depend on its default parallelism; Quiver
        // chunks the whole sorted list once, on any partitioning. They agree when Spark sorts into
        // one partition (one_sorted_partition, oracle.py); the README states the difference.
        const binned = new BinaryClassificationEvaluator({ metricName, numBins: 10, ...(weighted ? { weightCol: 'w' } : {}) });
        await sameMetric('binary', `one_sorted_partition(lambda: BinaryClassificationEvaluator(metricName='${metricName}', numBins=10${w}).evaluate(P['binary']))`, binned, `${metricName}${weighted ? ' weighted' : ''}, numBins 10 (Spark: one sorted partition)`, true);
        const partitioned = await spark().run<number>(`result = BinaryClassificationEvaluator(metricName='${metricName}', numBins=10${w}).evaluate(P['binary'])`);
        measured('BinaryClassificationEvaluator', `${metricName}${weighted ? ' weighted' : ''}, numBins 10: Spark on its 2 sorted partitions differs by`, Math.abs(partitioned - await binned.evaluate(frames.binary!)));
      });
    }
  }
});

describe('MulticlassClassificationEvaluator', () => {
  const metrics = ['f1', 'accuracy', 'weightedPrecision', 'weightedRecall', 'weightedFMeasure', 'logLoss', 'hammingLoss'] as const;
  for (const weighted of [false, true]) {
    it(`${metrics.join(', ')}, and by label (class 2)${weighted ? ', weighted' : ''}`, async () => {
      const w = weighted ? ", weightCol='w'" : '';
      for (const metricName of metrics) {
        await sameMetric('multi', `MulticlassClassificationEvaluator(metricName='${metricName}', labelCol='label3'${w})`,
          new MulticlassClassificationEvaluator({ metricName, labelCol: 'label3', ...(weighted ? { weightCol: 'w' } : {}) }), `${metricName}${weighted ? ' weighted' : ''}`);
      }
      for (const metricName of ['precisionByLabel', 'recallByLabel', 'fMeasureByLabel', 'truePositiveRateByLabel', 'falsePositiveRateByLabel'] as const) {
        await sameMetric('multi', `MulticlassClassificationEvaluator(metricName='${metricName}', metricLabel=2.0, beta=0.5, labelCol='label3'${w})`,
          new MulticlassClassificationEvaluator({ metricName, metricLabel: 2, beta: 0.5, labelCol: 'label3', ...(weighted ? { weightCol: 'w' } : {}) }), `${metricName} (label 2, beta 0.5)${weighted ? ' weighted' : ''}`);
      }
    });
  }
});

describe('RegressionEvaluator', () => {
  const metrics = ['rmse', 'mse', 'mae', 'r2', 'var'] as const;
  for (const weighted of [false, true]) {
    it(`${metrics.join(', ')}, r2 through the origin${weighted ? ', weighted' : ''}`, async () => {
      const w = weighted ? ", weightCol='w'" : '';
      for (const metricName of metrics) {
        await sameMetric('regression', `RegressionEvaluator(metricName='${metricName}', labelCol='y'${w})`,
          new RegressionEvaluator({ metricName, labelCol: 'y', ...(weighted ? { weightCol: 'w' } : {}) }), `${metricName}${weighted ? ' weighted' : ''}`);
      }
      await sameMetric('regression', `RegressionEvaluator(metricName='r2', throughOrigin=True, labelCol='y'${w})`,
        new RegressionEvaluator({ metricName: 'r2', throughOrigin: true, labelCol: 'y', ...(weighted ? { weightCol: 'w' } : {}) }), `r2 through origin${weighted ? ' weighted' : ''}`);
    });
  }
});

describe('ClusteringEvaluator', () => {
  for (const distanceMeasure of ['squaredEuclidean', 'cosine'] as const) {
    it(`silhouette, ${distanceMeasure}, unweighted and weighted`, async () => {
      await sameMetric('clusters', `ClusteringEvaluator(distanceMeasure='${distanceMeasure}')`,
        new ClusteringEvaluator({ distanceMeasure }), `silhouette ${distanceMeasure}`);
      await sameMetric('clusters', `ClusteringEvaluator(distanceMeasure='${distanceMeasure}', weightCol='w')`,
        new ClusteringEvaluator({ distanceMeasure, weightCol: 'w' }), `silhouette ${distanceMeasure} weighted`);
    });
  }
});

describe('evaluators saved by one side, loaded by the other', () => {
  const cases: [string, string, () => Evaluator, keyof typeof PREDICTIONS][] = [
    ['BinaryClassificationEvaluator', `BinaryClassificationEvaluator(metricName='areaUnderPR', numBins=0, weightCol='w')`,
      () => new BinaryClassificationEvaluator({ metricName: 'areaUnderPR', numBins: 0, weightCol: 'w' }), 'binary'],
    ['MulticlassClassificationEvaluator', `MulticlassClassificationEvaluator(metricName='logLoss', labelCol='label3', eps=1e-9)`,
      () => new MulticlassClassificationEvaluator({ metricName: 'logLoss', labelCol: 'label3', eps: 1e-9 }), 'multi'],
    ['RegressionEvaluator', `RegressionEvaluator(metricName='mae', labelCol='y', weightCol='w')`,
      () => new RegressionEvaluator({ metricName: 'mae', labelCol: 'y', weightCol: 'w' }), 'regression'],
    ['ClusteringEvaluator', `ClusteringEvaluator(distanceMeasure='cosine')`,
      () => new ClusteringEvaluator({ distanceMeasure: 'cosine' }), 'clusters'],
  ];
  for (const [name, python, make, frame] of cases) {
    it(`${name}: Spark saves → Quiver loads, Quiver saves → Spark loads (same params, same metric)`, async () => {
      const sparkPath = fresh('spark-evaluator');
      const saved = await spark().run<{ params: Record<string, unknown>; uid: string; value: number }>(`e = ${python}
e.write().overwrite().save(args['path'])
result = {'uid': e.uid, 'params': param_values(e), 'value': e.evaluate(P['${frame}'])}`, { path: sparkPath });
      const ours = await load<Evaluator>(sparkPath);
      expect(ours.uid).toBe(saved.uid);
      expectSameParamValues(ours, saved.params);
      expectClose([await ours.evaluate(frames[frame]!)], [saved.value], METRIC, `${name} loaded from Spark`);

      const mine = make();
      const quiverPath = fresh('quiver-evaluator');
      await (mine as Evaluator & { save(p: string): Promise<void> }).save(quiverPath);
      const loaded = await spark().run<{ params: Record<string, unknown>; uid: string; value: number }>(`e = spark_class(args['cls']).load(args['path'])
result = {'uid': e.uid, 'params': param_values(e), 'value': e.evaluate(P['${frame}'])}`, { cls: `org.apache.spark.ml.evaluation.${name}`, path: quiverPath });
      expect(loaded.uid).toBe(mine.uid);
      expectSameParamValues(mine, loaded.params);
      expectClose([await mine.evaluate(frames[frame]!)], [loaded.value], METRIC, `${name} Spark loaded`);
    });
  }
});
