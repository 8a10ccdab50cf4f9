import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/dataframe/session.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { col } from '../../src/dataframe/column.js';
import { Vectors, type DenseVector } from '../../src/linalg/vectors.js';
import { DecisionTreeClassifier } from '../../src/classification/decision-tree.js';
import { RandomForestClassifier } from '../../src/classification/random-forest.js';
import { GBTClassifier } from '../../src/classification/gbt.js';
import { DecisionTreeRegressor } from '../../src/regression/decision-tree.js';

const local = Session.builder().master('local[2]').create();
const inline = Session.builder().master('inline').create();
afterAll(async () => { await local.stop(); await inline.stop(); });

type Pt = [number, number[], number?];
function frame(spark: Session, pts: Pt[], numPartitions = 2, extra: (i: number) => Record<string, unknown> = () => ({})): DataFrame {
  return spark.createDataFrame(pts.map(([label, x, w], i) => ({ label, features: Vectors.dense(x), weight: w ?? 1, ...extra(i) })), { numPartitions });
}

/** Deterministic noisy two-class data in 4 features. */
function noisy(n: number, seed = 1): Pt[] {
  let s = seed;
  const u = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296; };
  return Array.from({ length: n }, (): Pt => {
    const x = [u(), u(), u(), u()];
    const f = Math.sin(4 * x[0]) + x[1] * x[2] - 0.5 * x[3] + 0.3 * (u() - 0.5);
    return [f > 0.55 ? 1 : 0, x];
  });
}

/** Spark's EnsembleTestHelper.generateOrderedLabeledPoints(numFeatures, numInstances). */
function ordered(numFeatures: number, n: number): Pt[] {
  return Array.from({ length: n }, (_, i): Pt => [i < n / 10 ? 0 : i < n / 2 ? 1 : i < n * 0.9 ? 0 : 1, Array(numFeatures).fill(i)]);
}

const debugBody = (s: string) => s.split('\n').slice(1).join('\n');

describe('RandomForestClassifier', () => {
  it('grows the same trees whatever the weights\' scale (Spark RandomForestSuite "weights at arbitrary scale")', async () => {
    const pts = ordered(3, 10);
    const fit = (w: number) => new RandomForestClassifier({ numTrees: 3, featureSubsetStrategy: 'all', maxDepth: 3, weightCol: 'weight', seed: 42 })
      .fit(frame(local, pts.map(([l, x]): Pt => [l, x, w])));
    const unit = await fit(1);
    expect(debugBody((await fit(0.001)).toDebugString)).toBe(debugBody(unit.toDebugString));
    expect(debugBody((await fit(1000)).toDebugString)).toBe(debugBody(unit.toDebugString));
  });

  it('with one tree, no bootstrap and all features, is the decision tree', async () => {
    const df = frame(local, noisy(500));
    const rf = await new RandomForestClassifier({ numTrees: 1, bootstrap: false, featureSubsetStrategy: 'all', maxDepth: 4 }).fit(df);
    const dt = await new DecisionTreeClassifier({ maxDepth: 4 }).fit(df);
    expect(debugBody(rf.toDebugString)).toBe(`  Tree 0 (weight 1.0):\n${dt.tree.subtreeToString(4)}`);
  });

  it('votes softly: rawPrediction is the sum of the trees\' normalised leaf class counts; outputs match transform', async () => {
    const df = frame(local, noisy(600));
    const m = await new RandomForestClassifier({ numTrees: 7, maxDepth: 4, seed: 3, leafCol: 'leaves' }).fit(df);
    expect(m.trees).toHaveLength(7);
    expect(m.treeWeights).toEqual(Array(7).fill(1));
    expect(m.getNumTrees()).toBe(7);
    expect(m.totalNumNodes).toBe(m.trees.reduce((s, t) => s + t.numNodes, 0));
    const rows = await m.transform(df).limit(50).collect();
    for (const r of rows) {
      const x = r.features as DenseVector;
      const raw = [0, 0];
      for (const t of m.trees) { const p = t.predictProbability(x).toArray(); raw[0] += p[0]; raw[1] += p[1]; }
      const got = (r.rawPrediction as DenseVector).values;
      expect(got[0]).toBeCloseTo(raw[0], 12);
      expect(got[1]).toBeCloseTo(raw[1], 12);
      expect(Array.from(m.predictRaw(x).toArray())).toEqual(Array.from(got));
      expect(Array.from(m.predictProbability(x).toArray())).toEqual(Array.from((r.probability as DenseVector).values));
      expect(m.predict(x)).toBe(r.prediction);
      expect(Array.from(m.predictLeaf(x).toArray())).toEqual(Array.from((r.leaves as DenseVector).values));
    }
    const imp = m.featureImportances.toArray();
    expect(imp.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('is the same forest for any partition count and thread count, in local and hist modes', async () => {
    const pts = noisy(800, 5);
    for (const numTrees of [2, 5]) {
      const a = await new RandomForestClassifier({ numTrees, maxDepth: 6, seed: 11 }).fit(frame(local, pts, 3));
      const b = await new RandomForestClassifier({ numTrees, maxDepth: 6, seed: 11 }).fit(frame(inline, pts, 1));
      expect(debugBody(a.toDebugString)).toBe(debugBody(b.toDebugString));
    }
  });

  it('beats a single tree on held-out noisy data', async () => {
    const train = frame(local, noisy(1500, 2)), test = frame(local, noisy(1000, 9));
    const acc = async (m: { transform(d: DataFrame): DataFrame }) => {
      const rows = await m.transform(test).select('label', 'prediction').collect();
      return rows.filter((r) => r.label === r.prediction).length / rows.length;
    };
    const rf = await new RandomForestClassifier({ numTrees: 30, maxDepth: 8, seed: 1 }).fit(train);
    const dt = await new DecisionTreeClassifier({ maxDepth: 8 }).fit(train);
    expect(await acc(rf)).toBeGreaterThan(await acc(dt));
  });
});

describe('GBTClassifier', () => {
  it('starts from the prior log-odds (weight 1); the next tree is the variance tree on the labels, as Newton steps', async () => {
    const pts = noisy(400, 3);
    const df = frame(local, pts);
    const m = await new GBTClassifier({ maxIter: 3, maxDepth: 2, stepSize: 0.3 }).fit(df);
    expect(m.treeWeights).toEqual([1, 0.3, 0.3]);
    const p = pts.filter(([l]) => l === 1).length / pts.length;
    expect(m.trees[0].numNodes).toBe(1);
    expect(m.trees[0].rootNode.prediction).toBeCloseTo(0.5 * Math.log(p / (1 - p)), 14);
    // At a constant margin every hessian is p(1-p): the splits are those of the variance tree on the
    // labels, and a leaf's value (in F = margin / 2 units) is (mean label - p) / (2 p (1 - p)).
    const dt = await new DecisionTreeRegressor({ maxDepth: 2 }).fit(df);
    const t1 = m.trees[1].tree, ref = dt.tree;
    expect(Array.from(t1.feature)).toEqual(Array.from(ref.feature));
    expect(Array.from(t1.threshold)).toEqual(Array.from(ref.threshold));
    for (let i = 0; i < ref.numNodes; i++) if (ref.feature[i] < 0) expect(t1.prediction[i]).toBeCloseTo((ref.prediction[i] - p) / (2 * p * (1 - p)), 10);
  });

  it('has Spark\'s raw prediction [-F, F] and probability 1/(1+exp(-2F)), equal in predict and transform', async () => {
    const df = frame(local, noisy(500, 4));
    const m = await new GBTClassifier({ maxIter: 10, maxDepth: 3 }).fit(df);
    const rows = await m.transform(df).limit(40).collect();
    for (const r of rows) {
      const x = r.features as DenseVector;
      let F = 0;
      m.trees.forEach((t, i) => { F += m.treeWeights[i] * t.predict(x); });
      const raw = (r.rawPrediction as DenseVector).values, p = (r.probability as DenseVector).values;
      expect(raw[1]).toBeCloseTo(F, 12);
      expect(raw[0]).toBeCloseTo(-F, 12);
      expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-2 * F)), 12);
      expect(r.prediction).toBe(F > 0 ? 1 : 0);
      expect(m.predict(x)).toBe(r.prediction);
      expect(Array.from(m.predictProbability(x).toArray())).toEqual(Array.from(p));
    }
  });

  it('lowers the training log-loss round by round (evaluateEachIteration) and is reproducible across masters', async () => {
    const pts = noisy(1200, 6);
    const a = await new GBTClassifier({ maxIter: 15, maxDepth: 3, seed: 5, subsamplingRate: 0.7 }).fit(frame(local, pts, 3));
    const b = await new GBTClassifier({ maxIter: 15, maxDepth: 3, seed: 5, subsamplingRate: 0.7 }).fit(frame(inline, pts, 1));
    expect(debugBody(a.toDebugString)).toBe(debugBody(b.toDebugString));
    const errors = await a.evaluateEachIteration(frame(local, pts));
    expect(errors).toHaveLength(15);
    expect(errors[14]).toBeLessThan(errors[0]);
    // Spark's LogLoss after all trees, directly.
    let sum = 0;
    for (const [label, x] of pts) {
      const F = Array.from(a.predictRaw(Vectors.dense(x)).toArray())[1];
      sum += 2 * Math.log1p(Math.exp(-2 * (2 * label - 1) * F));
    }
    expect(errors[14]).toBeCloseTo(sum / pts.length, 10);
  });

  it('stops early on the validation rows as Spark does and keeps the trees up to the best round', async () => {
    const pts = noisy(1000, 8);
    const isVal = (i: number) => i % 4 === 0;
    const df = frame(local, pts, 2, (i) => ({ val: isVal(i) }));
    const withVal = await new GBTClassifier({ maxIter: 60, maxDepth: 4, stepSize: 0.5, validationIndicatorCol: 'val', validationTol: 0.01 }).fit(df);
    const trainOnly = await new GBTClassifier({ maxIter: 60, maxDepth: 4, stepSize: 0.5 }).fit(df.filter(col('val').not()));
    const errors = await trainOnly.evaluateEachIteration(df.filter(col('val')));
    // Spark's rule over the validation errors of the uninterrupted run.
    let best = errors[0], bestM = 1;
    for (let m = 1; m < errors.length; m++) {
      if (best - errors[m] < 0.01 * Math.max(errors[m], 0.01)) break;
      if (errors[m] < best) { best = errors[m]; bestM = m + 1; }
    }
    expect(withVal.getNumTrees()).toBe(bestM);
    expect(withVal.getNumTrees()).toBeLessThan(60);
    withVal.trees.forEach((t, i) => expect(t.toDebugString.split('\n').slice(1)).toEqual(trainOnly.trees[i].toDebugString.split('\n').slice(1)));
  });

  it('goes beyond Spark: three classes with the softmax loss, one tree per class per round', async () => {
    const pts = Array.from({ length: 600 }, (_, i): Pt => {
      const a = ((i * 37) % 100) / 100, b = ((i * 53) % 100) / 100;
      return [a < 0.33 ? 0 : b < 0.5 ? 1 : 2, [a, b]];
    });
    const df = frame(local, pts);
    const m = await new GBTClassifier({ maxIter: 8, maxDepth: 3 }).fit(df);
    expect(m.numClasses).toBe(3);
    expect(m.getNumTrees()).toBe(24);
    const rows = await m.transform(df).collect();
    expect(rows.filter((r) => r.prediction === r.label).length / rows.length).toBeGreaterThan(0.97);
    const p = (rows[0].probability as DenseVector).values;
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    const errors = await m.evaluateEachIteration(df);
    expect(errors[23]).toBeLessThan(errors[2]);
  });
});
