import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Session } from '../../src/dataframe/session.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Vectors, DenseVector } from '../../src/linalg/vectors.js';
import { DecisionTreeClassifier, DecisionTreeClassificationModel } from '../../src/classification/decision-tree.js';
import { trainForest, type ForestOptions } from '../../src/tree/forest.js';
import type { Node } from '../../src/tree/nodes.js';

const local = Session.builder().master('local[2]').create();
const inline = Session.builder().master('inline').create();
afterAll(async () => { await local.stop(); await inline.stop(); });

type Pt = [number, number[], number?];
function frame(spark: Session, pts: Pt[], numPartitions = 2): DataFrame {
  return spark.createDataFrame(pts.map(([label, x, w]) => ({ label, features: Vectors.dense(x), weight: w ?? 1 })), { numPartitions });
}

const base: Omit<ForestOptions, 'impurity' | 'classification'> = {
  featuresCol: 'features', labelCol: 'label', maxDepth: 5, maxBins: 32, minInstancesPerNode: 1, minWeightFractionPerNode: 0,
  minInfoGain: 0, maxMemoryInMB: 256, seed: 42, categorical: {}, numTrees: 1, featureSubsetStrategy: 'all', bootstrap: false, subsamplingRate: 1,
};

const debugBody = (s: string) => s.split('\n').slice(1).join('\n');

function leaves(n: Node): Node[] { return n.isLeaf ? [n] : [...leaves(n.leftChild!), ...leaves(n.rightChild!)]; }

describe('DecisionTreeClassifier: Spark RandomForestSuite worked cases', () => {
  it('splits a categorical root and makes pure children leaves ("Avoid aggregation on the last level", "if impurity is 0.0")', async () => {
    const df = frame(local, [[0, [1, 0, 0]], [1, [0, 1, 1]], [0, [2, 0, 0]], [1, [0, 2, 1]]]);
    for (const maxDepth of [1, 5]) {
      const m = await new DecisionTreeClassifier({ maxDepth, categoricalFeatures: { 0: 3 } }).fit(df);
      const root = m.rootNode;
      expect(root.isLeaf).toBe(false);
      expect(root.impurity).toBeGreaterThan(0);
      expect(root.split).toEqual({ featureIndex: 0, leftCategories: [1, 2], numCategories: 3 });
      expect(root.leftChild!.prediction).toBe(0);
      expect(root.rightChild!.prediction).toBe(1);
      expect(root.leftChild!.impurity).toBe(0);
      expect(root.rightChild!.impurity).toBe(0);
      expect(m.numNodes).toBe(3);
    }
  });

  it('trains a single leaf with impurity -1 on constant features ("train with constant features")', async () => {
    const df = frame(local, Array.from({ length: 5 }, (): Pt => [1, [0, 0, 0]]));
    const m = await new DecisionTreeClassifier({ maxDepth: 2, maxBins: 5, categoricalFeatures: { 0: 1, 1: 5 } }).fit(df);
    expect(m.rootNode.impurity).toBe(-1);
    expect(m.depth).toBe(0);
    expect(m.rootNode.prediction).toBe(1);
  });

  it('orders categories by the class-1 weight ("Use soft prediction for binary classification with ordered categorical features")', async () => {
    const pts: Pt[] = [[0, [0]], [0, [0]], [0, [0]], [1, [0]], [0, [1]], [0, [1]], [0, [1]], [0, [1]], [0, [2]], [0, [2]], [0, [2]], [1, [2]]];
    const fitted = await trainForest(frame(local, pts), { ...base, classification: true, impurity: 'gini', maxDepth: 1, maxBins: 3, categorical: { 0: 3 }, prune: false });
    expect(fitted.trees[0].split(0)).toEqual({ featureIndex: 0, leftCategories: [1], numCategories: 3 });
  });

  it('prunes sibling leaves with equal predictions: 7 nodes become 5 ("SPARK-3159 tree model redundancy - classification")', async () => {
    const pts: Pt[] = [[0, [0, 1]], [1, [0, 1]], [0, [0, 0]], [1, [1, 0]], [0, [1, 0]], [1, [1, 1]]];
    const df = frame(local, pts);
    const opts = { ...base, classification: true, impurity: 'gini' as const, maxDepth: 4 };
    const pruned = (await trainForest(df, opts)).trees[0];
    const unpruned = (await trainForest(df, { ...opts, prune: false })).trees[0];
    expect(pruned.numNodes).toBe(5);
    expect(unpruned.numNodes).toBe(7);
    expect(leaves(pruned.node()).reduce((s, l) => s + l.rawCount, 0)).toBe(pts.length);
  });

  it('honours minWeightFractionPerNode and minInstancesPerNode ("minWeightFraction and minInstancesPerNode")', async () => {
    const df = frame(local, [[0, [0], 1], [0, [0], 1], [0, [0], 1], [0, [0], 1], [1, [1], 0.1]]);
    // 0.5 is outside the param's range [0, 0.5) but Spark's test sets it on the strategy directly.
    const opts = { ...base, classification: true, impurity: 'gini' as const, maxDepth: 3, weightCol: 'weight' };
    expect((await trainForest(df, { ...opts, minWeightFractionPerNode: 0.5 })).trees[0].depth).toBe(0);
    const fit = (p: Record<string, number>) => new DecisionTreeClassifier({ maxDepth: 3, weightCol: 'weight', ...p }).fit(df);
    expect((await fit({ minWeightFractionPerNode: 0.4 })).depth).toBe(0);
    expect((await fit({ minWeightFractionPerNode: 0 })).depth).toBe(1);
    expect((await fit({ minInstancesPerNode: 2 })).depth).toBe(0);
    expect((await fit({ minInstancesPerNode: 1 })).depth).toBe(1);
  });

  it('builds the same second level with one node per pass ("Second level node building with vs. without groups")', async () => {
    // Spark's DecisionTreeSuite.generateOrderedLabeledPoints.
    const pts = Array.from({ length: 1000 }, (_, i): Pt => [i < 100 ? 0 : i < 500 ? 1 : i < 900 ? 0 : 1, [i, 1000 - i]]);
    const df = frame(local, pts, 3);
    const one = await new DecisionTreeClassifier({ impurity: 'entropy', maxDepth: 3, maxBins: 100, maxMemoryInMB: 1000 }).fit(df);
    const many = await new DecisionTreeClassifier({ impurity: 'entropy', maxDepth: 3, maxBins: 100, maxMemoryInMB: 0 }).fit(df);
    for (const side of ['leftChild', 'rightChild'] as const) {
      const a = one.rootNode[side]!, b = many.rootNode[side]!;
      expect(a.gain).toBeGreaterThan(0);
      expect(a.split).toEqual(b.split);
      expect(a.impurity).toBe(b.impurity);
      expect(Array.from(a.impurityStats)).toEqual(Array.from(b.impurityStats));
      expect(a.prediction).toBe(b.prediction);
    }
    expect(one.toDebugString.split('\n').slice(1)).toEqual(many.toDebugString.split('\n').slice(1));
  });

  it('grows the same whole tree with one node pair per pass, pure leaves included (maxMemoryInMB 0)', async () => {
    // Pure leaves appear early: a leaf's rows must stay reachable while its sibling waits for a later pass.
    const pts = Array.from({ length: 1500 }, (_, i): Pt => {
      const a = (i % 37) / 37, b = ((i * 7) % 41) / 41, c = ((i * 13) % 43) / 43;
      return [a < 0.2 ? 0 : b > 0.8 ? 1 : (a + b + c + ((i * 31) % 7) / 20) > 1.4 ? 1 : 0, [a, b, c]];
    });
    const df = frame(local, pts, 3);
    const whole = await new DecisionTreeClassifier({ maxDepth: 8 }).fit(df);
    const paired = await new DecisionTreeClassifier({ maxDepth: 8, maxMemoryInMB: 0 }).fit(df);
    expect(whole.numNodes).toBeGreaterThan(20);
    expect(debugBody(paired.toDebugString)).toBe(debugBody(whole.toDebugString));
    expect(Array.from(paired.tree.stats)).toEqual(Array.from(whole.tree.stats));
  });

  it('finds 99 splits for 1000 distinct values with maxBins 100 ("Binary classification with continuous features: split calculation")', async () => {
    const pts = Array.from({ length: 1000 }, (_, i): Pt => [1, [i, 999 - i]]);
    const { prepareDataset } = await import('../../src/tree/dataset.js');
    const ds = await prepareDataset(frame(local, pts), { featuresCol: 'features', labelCol: 'label', classification: true, maxBins: 100, seed: 42 });
    expect(ds.thresholds[0]).toHaveLength(99);
    expect(ds.meta.numBins[0]).toBe(100);
    ds.destroy();
  });
});

describe('DecisionTreeClassifier: model and outputs', () => {
  // Separable by a depth-2 tree that greedy splitting finds: label = a > 0.5 and b > 0.5.
  const xor = Array.from({ length: 400 }, (_, i): Pt => {
    const a = ((i * 7) % 10) / 10, b = ((i * 3 + Math.floor(i / 10)) % 10) / 10;
    return [a > 0.5 && b > 0.5 ? 1 : 0, [a, b, (i % 7) / 7]];
  });

  it('reaches training accuracy 1 when a depth-2 tree separates the data, and prints Spark\'s debug string', async () => {
    const df = frame(local, xor);
    const m = await new DecisionTreeClassifier({ maxDepth: 2 }).fit(df);
    const rows = await m.transform(df).collect();
    expect(rows.every((r) => r.prediction === r.label)).toBe(true);
    expect(m.depth).toBe(2);
    expect(m.numClasses).toBe(2);
    expect(m.numFeatures).toBe(3);
    expect(m.toDebugString).toBe([
      `DecisionTreeClassificationModel: uid=${m.uid}, depth=2, numNodes=5, numClasses=2, numFeatures=3`,
      '  If (feature 0 <= 0.55)', '   Predict: 0.0', '  Else (feature 0 > 0.55)',
      '   If (feature 1 <= 0.55)', '    Predict: 0.0', '   Else (feature 1 > 0.55)', '    Predict: 1.0', ''].join('\n'));
    const imp = m.featureImportances;
    expect(imp.size).toBe(3);
    expect(imp.toArray()[2]).toBe(0);
    expect(imp.toArray().reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });

  it('single-row predict, predictRaw, predictProbability and predictLeaf equal transform (property over rows)', async () => {
    const df = frame(local, xor);
    const m = await new DecisionTreeClassifier({ maxDepth: 4, leafCol: 'leaf' }).fit(df);
    const rows = await m.transform(df).collect();
    for (const r of rows) {
      const x = r.features as DenseVector;
      expect(m.predict(x)).toBe(r.prediction);
      expect(Array.from(m.predictRaw(x).toArray())).toEqual(Array.from((r.rawPrediction as DenseVector).values));
      expect(Array.from(m.predictProbability(x).toArray())).toEqual(Array.from((r.probability as DenseVector).values));
      expect(m.predictLeaf(x)).toBe(r.leaf);
    }
    // Leaves are numbered in pre-order from 0.
    const leafIds = new Set(rows.map((r) => r.leaf as number));
    expect(Math.min(...leafIds)).toBe(0);
    expect(Math.max(...leafIds)).toBeLessThan(m.numNodes);
  });

  it('is the same model for any partition count and for inline and local[2] (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 5 }), async (parts) => {
      const a = await new DecisionTreeClassifier({ maxDepth: 5, impurity: 'entropy' }).fit(frame(local, xor, parts));
      const b = await new DecisionTreeClassifier({ maxDepth: 5, impurity: 'entropy' }).fit(frame(inline, xor, 6 - parts));
      expect(a.toDebugString.split('\n').slice(1)).toEqual(b.toDebugString.split('\n').slice(1));
      expect(Array.from(a.tree.stats)).toEqual(Array.from(b.tree.stats));
    }), { numRuns: 4 });
  });

  it('supports multiclass labels with unordered categorical features (subsets of categories)', async () => {
    const pts = Array.from({ length: 300 }, (_, i): Pt => [i % 3, [i % 3 === 2 ? 0 : 1 + (i % 2), (i * 13) % 5]]);
    const m = await new DecisionTreeClassifier({ maxDepth: 3, categoricalFeatures: { 0: 3 } }).fit(frame(local, pts));
    expect(m.numClasses).toBe(3);
    const split = m.rootNode.split as { leftCategories: number[] };
    expect(split.leftCategories).toBeDefined();
    const rows = await m.transform(frame(local, pts)).select('label', 'prediction', 'probability').collect();
    expect((rows[0].probability as DenseVector).size).toBe(3);
  });

  it('copies keep the trees and params; thresholds change predictions as Spark\'s probability2prediction', async () => {
    const df = frame(local, xor);
    const m = await new DecisionTreeClassifier({ maxDepth: 1 }).fit(df);
    const c = m.copy();
    expect(c).toBeInstanceOf(DecisionTreeClassificationModel);
    expect(c.uid).toBe(m.uid);
    expect(c.toDebugString).toBe(m.toDebugString);
    const x = Vectors.dense([0.9, 0.9, 0]);
    const p = m.predictProbability(x).toArray();
    // Class 0 needs p0 / t0 > p1 / t1.
    m.setThresholds([1e-9, 1]);
    expect(m.predict(x)).toBe(p[0] > 0 ? 0 : 1);
    const out = await m.transform(frame(local, [[0, [0.9, 0.9, 0]]])).first();
    expect(out!.prediction).toBe(m.predict(x));
  });

  it('validates the schema before reading data', () => {
    const df = local.createDataFrame([{ label: 'a', features: Vectors.dense([1]) }]);
    expect(() => new DecisionTreeClassifier().transformSchema(df.schema)).toThrow(/label must be of type numeric/);
    const df2 = local.createDataFrame([{ label: 1, f: 2 }]);
    expect(() => new DecisionTreeClassifier({ featuresCol: 'f' }).transformSchema(df2.schema)).toThrow(/f must be of type vector/);
    expect(() => new DecisionTreeClassifier({ maxDepth: 31 })).toThrow(/maxDepth given invalid value 31/);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => new DecisionTreeClassifier({ impurity: 'variance' })).toThrow(/impurity/);
  });
});
