/**
 * A retried task cannot change a model. Every card algorithm is fitted twice on local[2]: once
 * undisturbed, once with executor threads dying right after a kernel's side effects (shared state
 * written, result not yet posted) on chosen calls of each kernel that touches shared state. The
 * models must be identical: the same transform output to the last bit, the same trees, centers and
 * factors. The expected value is the undisturbed fit, on the same partitioning and threads.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ALS, DecisionTreeClassifier, GBTClassifier, GBTRegressor, KMeans, LinearRegression, LogisticRegression, PCA,
  RandomForestClassifier, RandomForestRegressor, Session, StandardScaler, Vectors, type DataFrame,
} from '../../src/index.js';
import { faultModuleUrl } from '../helpers/fault-module.js';

interface Fitted { transform(df: DataFrame): DataFrame; toDebugString?: string; clusterCenters?: () => unknown }
type Fit = (df: DataFrame) => Promise<Fitted>;

let dir: string;
let undisturbed: Session;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quiver-faults-'));
  undisturbed = Session.builder().appName('undisturbed').master('local[2]').create();
});
afterAll(async () => {
  await undisturbed?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Deterministic rows: 4 features, a nonlinear 3-class rule with noise, a regression target, ratings. */
function rows(n: number): Record<string, unknown>[] {
  let s = 12345;
  const u = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296; };
  return Array.from({ length: n }, (_, i) => {
    const x = [u(), u(), u(), u()];
    const f = Math.sin(4 * x[0]) + x[1] * x[2] - 0.5 * x[3] + 0.3 * (u() - 0.5);
    return {
      features: Vectors.dense(x), binary: f > 0.55 ? 1 : 0, multi: f < 0.3 ? 0 : f < 0.7 ? 1 : 2, y: 3 * f + 0.1 * u(),
      user: i % 37, item: (i * 7) % 23, rating: 1 + ((i * 13) % 5) + u(), validation: i % 5 === 0,
    };
  });
}

const frame = (spark: Session) => spark.createDataFrame(rows(3000), { numPartitions: 4 });

/** Everything a model shows, to the last bit: its transform of the training rows, trees, centers. */
async function fingerprint(model: Fitted, df: DataFrame): Promise<string> {
  const out = await model.transform(df).collect();
  // toDebugString's first line names the model's uid, which differs between any two fits.
  const trees = model.toDebugString?.split('\n').slice(1).join('\n') ?? null;
  return JSON.stringify({ out, trees, centers: model.clusterCenters?.() ?? null });
}

/**
 * Fits undisturbed and with kills after the given calls (1 = the first, counted over all the fits)
 * of each named kernel on partition 0; checks that every planned kill happened (the kernel was
 * called that often) and that each model is identical to its undisturbed twin.
 */
export async function expectSameModel(kills: Record<string, number[]>, fits: Fit | Fit[], mode: 'exit' | 'oom' = 'exit'): Promise<void> {
  const all = Array.isArray(fits) ? fits : [fits];
  const expected: string[] = [];
  for (const fit of all) expected.push(await fingerprint(await fit(frame(undisturbed)), frame(undisturbed)));
  const faulted = Session.builder().appName('faulted').master('local[2]').config('quiver.worker.heapMb', 256).create();
  try {
    const counters: [string, string, number][] = [];
    for (const [kernel, at] of Object.entries(kills)) {
      const counter = join(dir, `${kernel}-${counters.length}-${Date.now()}`);
      counters.push([kernel, counter, Math.max(...at)]);
      await faulted.addKernelModule(faultModuleUrl({ kernels: [kernel], at, counter, mode }));
    }
    const actual: string[] = [];
    for (const fit of all) actual.push(await fingerprint(await fit(frame(faulted)), frame(undisturbed)));
    for (const [kernel, counter, last] of counters) {
      const calls = (await stat(counter).catch(() => ({ size: 0 }))).size;
      expect(calls, `${kernel} was called ${calls} times on partition 0, fewer than the kills planned`).toBeGreaterThanOrEqual(last);
    }
    actual.forEach((a, i) => expect(a, `fit ${i}`).toBe(expected[i]));
  } finally {
    await faulted.stop();
  }
}

// Three passes per tree at maxDepth 3 (root, two levels): call 4 is the second tree's root pass,
// whose prelude adds the first tree to the predictions.
describe('a retried task cannot change a model', () => {
  it('GBT classifier (binary): kills after tree passes, including one whose prelude updates the predictions', async () => {
    await expectSameModel({ 'tree.pass': [2, 4, 5] }, (df) =>
      new GBTClassifier({ labelCol: 'binary', maxIter: 4, maxDepth: 3, seed: 7, subsamplingRate: 0.8 }).fit(df));
  }, 120_000);

  it('GBT classifier with validation (the final update pass), multiclass (one tree per class and round), regressor', async () => {
    await expectSameModel({ 'tree.gbtUpdate': [1], 'tree.pass': [3, 8, 14] }, [
      (df) => new GBTClassifier({ labelCol: 'binary', maxIter: 3, maxDepth: 2, seed: 3, validationIndicatorCol: 'validation' }).fit(df),
      (df) => new GBTClassifier({ labelCol: 'multi', maxIter: 3, maxDepth: 2, seed: 9, subsamplingRate: 0.7 }).fit(df),
      (df) => new GBTRegressor({ labelCol: 'y', maxIter: 3, maxDepth: 3, seed: 1, lossType: 'absolute' }).fit(df),
    ]);
  }, 120_000);

  it('decision tree and random forests: binning, bagging and tree passes', async () => {
    await expectSameModel({ 'tree.bin': [1], 'tree.bag': [1], 'tree.pass': [2, 6, 9] }, [
      (df) => new DecisionTreeClassifier({ labelCol: 'multi', maxDepth: 4 }).fit(df),
      (df) => new RandomForestClassifier({ labelCol: 'multi', numTrees: 4, maxDepth: 4, seed: 5 }).fit(df),
      (df) => new RandomForestRegressor({ labelCol: 'y', numTrees: 3, maxDepth: 3, seed: 2 }).fit(df),
    ]);
  }, 120_000);

  it('K-Means (k-means|| initialisation, Lloyd iterations), euclidean and cosine', async () => {
    // kmeans.initSample only reads the state (and runs only when a partition's list of likely picks falls short).
    await expectSameModel({ 'kmeans.initCost': [1, 2, 4], 'kmeans.initCount': [1], 'kmeans.lloyd': [1, 3, 10] }, [
      (df) => new KMeans({ k: 5, seed: 11, maxIter: 6 }).fit(df) as unknown as Promise<Fitted>,
      (df) => new KMeans({ k: 4, seed: 3, maxIter: 5, distanceMeasure: 'cosine' }).fit(df) as unknown as Promise<Fitted>,
    ]);
  }, 120_000);

  it('logistic and linear regression, PCA, StandardScaler, ALS', async () => {
    await expectSameModel({
      'logistic.multinomial': [3], 'logistic.binary': [2], 'linear.gram': [1], 'linear.leastSquares': [2],
      'feature.pcaScatter': [1], 'stat.moments': [1], 'als.build': [1], 'als.solve': [2],
    }, [
      (df) => new LogisticRegression({ labelCol: 'multi', maxIter: 15, regParam: 0.01 }).fit(df),
      (df) => new LogisticRegression({ labelCol: 'binary', maxIter: 15 }).fit(df),
      (df) => new LinearRegression({ labelCol: 'y', solver: 'normal' }).fit(df),
      (df) => new LinearRegression({ labelCol: 'y', solver: 'l-bfgs', regParam: 0.1, elasticNetParam: 0.5 }).fit(df),
      (df) => new PCA({ inputCol: 'features', outputCol: 'pca', k: 2 }).fit(df),
      (df) => new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true }).fit(df),
      (df) => new ALS({ userCol: 'user', itemCol: 'item', ratingCol: 'rating', rank: 3, maxIter: 3, numUserBlocks: 2, numItemBlocks: 2, seed: 4 }).fit(df),
    ]);
  }, 180_000);

  it('dies of running out of memory the same way (GBT)', async () => {
    await expectSameModel({ 'tree.pass': [4] }, (df) =>
      new GBTClassifier({ labelCol: 'binary', maxIter: 3, maxDepth: 3, seed: 7 }).fit(df), 'oom');
  }, 120_000);
});
