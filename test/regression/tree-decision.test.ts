import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/dataframe/session.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Vectors, type DenseVector } from '../../src/linalg/vectors.js';
import { DecisionTreeRegressor } from '../../src/regression/decision-tree.js';
import { trainForest } from '../../src/tree/forest.js';

const spark = Session.builder().master('local[2]').create();
afterAll(async () => { await spark.stop(); });

type Pt = [number, number[], number?];
function frame(pts: Pt[], numPartitions = 2): DataFrame {
  return spark.createDataFrame(pts.map(([label, x, w]) => ({ label, features: Vectors.dense(x), weight: w ?? 1 })), { numPartitions });
}

describe('DecisionTreeRegressor', () => {
  it('prunes sibling leaves with equal predictions: 5 nodes become 3 ("SPARK-3159 tree model redundancy - regression")', async () => {
    const pts: Pt[] = [[0, [0, 1]], [1, [0, 1]], [0, [0, 0]], [0, [1, 0]], [1, [1, 1]], [0, [1, 1]], [0.5, [1, 1]]];
    const opts = {
      featuresCol: 'features', labelCol: 'label', maxDepth: 4, maxBins: 32, minInstancesPerNode: 1, minWeightFractionPerNode: 0, minInfoGain: 0,
      maxMemoryInMB: 256, seed: 42, categorical: {}, classification: false, impurity: 'variance' as const, numTrees: 1, featureSubsetStrategy: 'all',
      bootstrap: false, subsamplingRate: 1,
    };
    const pruned = (await trainForest(frame(pts), opts)).trees[0];
    const unpruned = (await trainForest(frame(pts), { ...opts, prune: false })).trees[0];
    expect(pruned.numNodes).toBe(3);
    expect(unpruned.numNodes).toBe(5);
  });

  it('fits a piecewise-constant target exactly, with leaf means, variances and Spark\'s stats', async () => {
    // y = 10 if x0 > 0.45 else (x1 > 0.25 ? 3 : -2): a depth-2 tree.
    const pts = Array.from({ length: 200 }, (_, i): Pt => {
      const a = (i % 10) / 10, b = (Math.floor(i / 10) % 10) / 10;
      return [a > 0.45 ? 10 : b > 0.25 ? 3 : -2, [a, b]];
    });
    const df = frame(pts, 3);
    const m = await new DecisionTreeRegressor({ maxDepth: 3, varianceCol: 'variance' }).fit(df);
    expect(m.depth).toBe(2);
    const rows = await m.transform(df).collect();
    for (const r of rows) {
      expect(r.prediction).toBe(r.label);
      expect(r.variance).toBe(0);
      expect(m.predict(r.features as DenseVector)).toBe(r.prediction);
    }
    const root = m.rootNode;
    // Spark's variance stats: [count, sum, sum of squares].
    const ys = pts.map((p) => p[0]);
    expect(Array.from(root.impurityStats)).toEqual([200, ys.reduce((s, y) => s + y, 0), ys.reduce((s, y) => s + y * y, 0)]);
    const mean = ys.reduce((s, y) => s + y, 0) / 200;
    expect(root.impurity).toBeCloseTo(ys.reduce((s, y) => s + (y - mean) ** 2, 0) / 200, 10);
    expect(root.prediction).toBeCloseTo(mean, 12);
    expect(m.toDebugString.split('\n')[0]).toBe(`DecisionTreeRegressionModel: uid=${m.uid}, depth=2, numNodes=5, numFeatures=2`);
  });

  it('predicts weighted means in leaves (closed form)', async () => {
    const pts: Pt[] = [[1, [0], 1], [3, [0], 3], [10, [1], 2], [20, [1], 2]];
    const m = await new DecisionTreeRegressor({ weightCol: 'weight', maxDepth: 1 }).fit(frame(pts));
    expect(m.predict(Vectors.dense([0]))).toBeCloseTo((1 * 1 + 3 * 3) / 4, 12);
    expect(m.predict(Vectors.dense([1]))).toBeCloseTo(15, 12);
    expect(m.predictVariance(Vectors.dense([0]))).toBeCloseTo((1 * 1 + 3 * 9) / 4 - 2.5 ** 2, 12);
    expect(m.rootNode.rawCount).toBe(4);
  });

  it('splits ordered categorical features by the mean label', async () => {
    const pts = Array.from({ length: 60 }, (_, i): Pt => [[5, 1, 12][i % 3], [i % 3]]);
    const m = await new DecisionTreeRegressor({ maxDepth: 1, categoricalFeatures: { 0: 3 } }).fit(frame(pts));
    // Categories sorted by mean: 1 (1), 0 (5), 2 (12); the best split is {1, 0} | {2}.
    expect(m.rootNode.split).toEqual({ featureIndex: 0, leftCategories: [0, 1], numCategories: 3 });
    expect(m.toDebugString).toContain('If (feature 0 in {0.0,1.0})');
    expect(m.toDebugString).toContain('Else (feature 0 not in {0.0,1.0})');
    expect(m.predict(Vectors.dense([2]))).toBe(12);
  });
});
