import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/dataframe/session.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Vectors, type DenseVector } from '../../src/linalg/vectors.js';
import { DecisionTreeRegressor } from '../../src/regression/decision-tree.js';
import { RandomForestRegressor } from '../../src/regression/random-forest.js';
import { GBTRegressor } from '../../src/regression/gbt.js';

const spark = Session.builder().master('local[2]').create();
const inline = Session.builder().master('inline').create();
afterAll(async () => { await spark.stop(); await inline.stop(); });

type Pt = [number, number[]];
function frame(pts: Pt[], numPartitions = 2, s: Session = spark): DataFrame {
  return s.createDataFrame(pts.map(([label, x]) => ({ label, features: Vectors.dense(x) })), { numPartitions });
}

function data(n: number, seed = 1): Pt[] {
  let s = seed;
  const u = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296; };
  return Array.from({ length: n }, (): Pt => {
    const x = [u(), u(), u()];
    return [3 * Math.sin(3 * x[0]) + 2 * x[1] * x[1] + 0.2 * (u() - 0.5), x];
  });
}

describe('GBTRegressor', () => {
  it('starts from the mean label (weight 1); the next tree fits the residuals, scaled by stepSize', async () => {
    const pts = data(300);
    const df = frame(pts);
    const m = await new GBTRegressor({ maxIter: 2, maxDepth: 3, stepSize: 0.4 }).fit(df);
    expect(m.treeWeights).toEqual([1, 0.4]);
    const mean = pts.reduce((s, [y]) => s + y, 0) / pts.length;
    expect(m.trees[0].numNodes).toBe(1);
    expect(m.trees[0].rootNode.prediction).toBeCloseTo(mean, 12);
    // Squared loss: the Newton step is the mean residual, so tree 1 is the variance tree on y - mean.
    const residuals = frame(pts.map(([y, x]): Pt => [y - mean, x]));
    const t1 = await new DecisionTreeRegressor({ maxDepth: 3 }).fit(residuals);
    const a = m.trees[1].tree, b = t1.tree;
    expect(Array.from(a.feature)).toEqual(Array.from(b.feature));
    expect(Array.from(a.threshold)).toEqual(Array.from(b.threshold));
    for (let i = 0; i < b.numNodes; i++) expect(a.prediction[i]).toBeCloseTo(b.prediction[i], 10);
    for (const [, x] of pts.slice(0, 20)) {
      const v = Vectors.dense(x);
      expect(m.predict(v)).toBeCloseTo(mean + 0.4 * t1.predict(v), 10);
    }
  });

  it('absolute loss: later trees predict mean signs of residuals; errors fall; transform equals predict', async () => {
    const pts = data(400, 2);
    const df = frame(pts);
    const m = await new GBTRegressor({ maxIter: 12, maxDepth: 3, lossType: 'absolute', stepSize: 0.3 }).fit(df);
    for (const t of m.trees.slice(1)) for (const v of t.tree.prediction) expect(Math.abs(v)).toBeLessThanOrEqual(1 + 1e-12);
    expect(Math.abs(m.trees[0].rootNode.prediction)).toBeGreaterThan(1);
    const errors = await m.evaluateEachIteration(df);
    expect(errors[11]).toBeLessThan(errors[1]);
    const direct = pts.reduce((s, [y, x]) => s + Math.abs(y - m.predict(Vectors.dense(x))), 0) / pts.length;
    expect(errors[11]).toBeCloseTo(direct, 10);
    const rows = await m.transform(df).limit(30).collect();
    for (const r of rows) expect(m.predict(r.features as DenseVector)).toBe(r.prediction);
  });

  it('squared loss: the training error after each tree falls, and fits are reproducible across masters', async () => {
    const pts = data(600, 3);
    const a = await new GBTRegressor({ maxIter: 20, maxDepth: 4, subsamplingRate: 0.8, featureSubsetStrategy: 'onethird' }).fit(frame(pts, 3));
    const b = await new GBTRegressor({ maxIter: 20, maxDepth: 4, subsamplingRate: 0.8, featureSubsetStrategy: 'onethird' }).fit(frame(pts, 1, inline));
    expect(a.toDebugString.split('\n').slice(1)).toEqual(b.toDebugString.split('\n').slice(1));
    const errors = await a.evaluateEachIteration(frame(pts));
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThanOrEqual(errors[i - 1] * 1.05);
    expect(errors[19]).toBeLessThan(0.7 * errors[0]);
    expect(a.featureImportances.toArray().reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });
});

describe('RandomForestRegressor', () => {
  it('predicts the mean of its trees and matches transform; onethird of the features per node by default', async () => {
    const pts = data(500, 4);
    const df = frame(pts);
    const m = await new RandomForestRegressor({ numTrees: 6, maxDepth: 5, seed: 9, leafCol: 'leaf' }).fit(df);
    const rows = await m.transform(df).limit(40).collect();
    for (const r of rows) {
      const x = r.features as DenseVector;
      const mean = m.trees.reduce((s, t) => s + t.predict(x), 0) / 6;
      expect(r.prediction).toBeCloseTo(mean, 12);
      expect(m.predict(x)).toBe(r.prediction);
      expect((r.leaf as DenseVector).size).toBe(6);
    }
    expect(m.toDebugString.split('\n')[0]).toBe(`RandomForestRegressionModel: uid=${m.uid}, numTrees=6, numFeatures=3`);
    // With one feature per node, some root splits use other features than the strongest.
    expect(new Set(m.trees.map((t) => t.rootNode.split!.featureIndex)).size).toBeGreaterThan(1);
  });
});
