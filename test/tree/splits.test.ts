import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { continuousThresholds } from '../../src/tree/dataset.js';
import {
  impurityOf, multiclassCategories, predictionOf, SplitSearch, statsLayout, type FeatureMeta,
} from '../../src/tree/impurity.js';
import { featuresPerNode, isValidFeatureSubsetStrategy } from '../../src/tree/params.js';
import { featureImportances, TreeNodes, type TreeNodesInit } from '../../src/tree/nodes.js';
import { featureSubset, poissonTable } from '../../src/tree/random.js';

/** Distinct sorted values with summed weights, as the driver builds them from the sample. */
function thresholds(samples: number[], numBins: number, weights?: number[]): number[] {
  const m = new Map<number, number>();
  samples.forEach((v, i) => m.set(v, (m.get(v) ?? 0) + (weights ? weights[i] : 1)));
  const values = [...m.keys()].sort((a, b) => a - b);
  const w = values.map((v) => m.get(v)!);
  const total = w.reduce((s, x) => s + x, 0);
  return Array.from(continuousThresholds(Float64Array.from(values), Float64Array.from(w), numBins - 1, total));
}

describe('continuous split candidates (Spark RandomForestSuite "find splits for a continuous feature")', () => {
  it('uses midpoints when there are few distinct values (SPARK-16957)', () => {
    expect(thresholds([0, 1, 0, 0, 1, 0, 1, 1], 3)).toEqual([0.5]);
    expect(thresholds([0, 0, 1, 1, 2, 2, 3, 3], 3)).toEqual([0.5, 2.5]);
  });

  it('returns fewer, distinct splits when there are not enough candidates', () => {
    expect(thresholds([1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3], 5)).toEqual([1.5, 2.5]);
  });

  it('places splits by weighted quantiles when most samples sit at the minimum or the maximum', () => {
    expect(thresholds([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 5], 3)).toEqual([2.5, 3.5]);
    expect(thresholds([0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], 2)).toEqual([1.5]);
  });

  it('gives 5 distinct splits for 6 bins of uniform samples, and none for a constant feature', () => {
    const xs = Array.from({ length: 10000 }, (_, i) => Math.sin(i * 12.9898) * 0.5 + 0.5);
    const s = thresholds(xs, 6);
    expect(s).toHaveLength(5);
    expect(new Set(s).size).toBe(5);
    expect(thresholds([3, 3, 3], 6)).toEqual([]);
  });

  it('does not depend on the scale of the weights (Spark: 10 random values, weights 1, 0.001, 1000)', () => {
    const xs = Array.from({ length: 10 }, (_, i) => Math.abs(Math.sin(i * 78.233 + 1)));
    const unit = thresholds(xs, 6);
    expect(thresholds(xs, 6, xs.map(() => 0.001))).toEqual(unit);
    expect(thresholds(xs, 6, xs.map(() => 1000))).toEqual(unit);
  });

  it('does not depend on the scale of the weights when scaling is exact (property, powers of two)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 60 }), fc.constantFrom(2 ** -10, 2 ** 10), (xs, scale) => {
      const w = xs.map((_, i) => 1 + (i % 3));
      expect(thresholds(xs, 6, w.map((x) => x * scale))).toEqual(thresholds(xs, 6, w));
    }));
  });
});

describe('categorical splits and feature subsets', () => {
  it("extracts categories from a number as Spark's extractMultiClassCategories (13 -> {0, 2, 3})", () => {
    expect(multiclassCategories(13, 10)).toEqual([0, 2, 3]);
  });

  it("sizes feature subsets as Spark's numFeaturesPerNode (RandomForestSuite subsampling features)", () => {
    const n = 50;
    expect(featuresPerNode('auto', n, 1, true)).toBe(n);
    expect(featuresPerNode('auto', n, 2, true)).toBe(Math.ceil(Math.sqrt(n)));
    expect(featuresPerNode('auto', n, 2, false)).toBe(Math.ceil(n / 3));
    expect(featuresPerNode('sqrt', n, 1, true)).toBe(8);
    expect(featuresPerNode('log2', n, 1, true)).toBe(6);
    expect(featuresPerNode('onethird', n, 1, true)).toBe(17);
    for (const s of ['.1', '.10', '0.10', '0.1', '0.9', '1.0']) expect(featuresPerNode(s, n, 1, true)).toBe(Math.ceil(Number(s) * n));
    for (const s of ['1', '10', '100', '1000', '10000']) expect(featuresPerNode(s, n, 1, true)).toBe(Math.min(Number(s), n));
    for (const s of ['-.1', '-.10', '-0.10', '.0', '0.0', '1.1', '0', 'half']) expect(isValidFeatureSubsetStrategy(s)).toBe(false);
  });

  it('draws k distinct sorted features, the same for the same (seed, tree, node)', () => {
    const a = featureSubset(7, 3, 11, 20, 5);
    expect(Array.from(a)).toEqual(Array.from(featureSubset(7, 3, 11, 20, 5)));
    expect(new Set(a).size).toBe(5);
    expect(Array.from(a)).toEqual([...a].sort((x, y) => x - y));
    expect(Array.from(featureSubset(7, 3, 12, 20, 5))).not.toEqual(Array.from(a));
  });

  it('has Poisson(1) cumulative probabilities ending at 1', () => {
    const t = poissonTable(1);
    expect(t[0]).toBeCloseTo(Math.exp(-1), 15);
    expect(t[1]).toBeCloseTo(2 * Math.exp(-1), 15);
    expect(t[t.length - 1]).toBe(1);
  });
});

describe('impurities (closed forms)', () => {
  it('gini, entropy and variance of known stats', () => {
    const g = statsLayout('gini', 3, false), e = statsLayout('entropy', 3, false), v = statsLayout('variance', 0, false);
    const counts = Float64Array.of(1, 2, 1);
    expect(impurityOf(g, counts, 0)).toBeCloseTo(1 - (1 / 16 + 4 / 16 + 1 / 16), 15);
    expect(impurityOf(e, counts, 0)).toBeCloseTo(1.5, 15);
    expect(predictionOf(g, counts, 0)).toBe(1);
    // labels 1, 2, 3, 6: mean 3, variance (4 + 1 + 0 + 9) / 4
    expect(impurityOf(v, Float64Array.of(4, 12, 50), 0)).toBeCloseTo(3.5, 14);
    expect(predictionOf(v, Float64Array.of(4, 12, 50), 0)).toBe(3);
  });

  it("Newton gain equals Spark's variance gain when hessians are 1", () => {
    // Targets y with gradient g = -y and unit hessian: histogram bins of one feature.
    const ys = [[1, 2], [2], [7, 9, 8]];
    const newton = statsLayout('newton', 0, false, false), variance = statsLayout('variance', 0, false);
    const meta: FeatureMeta = { numBins: Int32Array.of(3), arity: Int32Array.of(0), unordered: Uint8Array.of(0) };
    const rules = { minInstancesPerNode: 1, minWeightPerNode: 0, minInfoGain: 0 };
    const hn = new Float64Array(6), hv = new Float64Array(9);
    ys.forEach((bin, b) => bin.forEach((y) => { hn[b * 2] -= y; hn[b * 2 + 1] += 1; hv[b * 3] += 1; hv[b * 3 + 1] += y; hv[b * 3 + 2] += y * y; }));
    const a = new SplitSearch(newton, meta, rules).find(hn, 0, null, null, null);
    const b = new SplitSearch(variance, meta, rules).find(hv, 0, null, null, null);
    expect(a.bin).toBe(b.bin);
    expect(a.gain).toBeCloseTo(b.gain, 12);
  });
});

function leaf(stats: number[], prediction: number): TreeNodesInit {
  return {
    feature: Int32Array.of(-1), threshold: Float64Array.of(NaN), left: Int32Array.of(-1), right: Int32Array.of(-1),
    prediction: Float64Array.of(prediction), impurity: Float64Array.of(0), gain: Float64Array.of(-1), rawCount: Float64Array.of(0),
    stats: Float64Array.from(stats), statsSize: stats.length, categories: [null], numCategories: Int32Array.of(-1), classification: true,
  };
}

/** Parent over two subtrees, in pre-order (Spark's TreeTests.buildParentNode: parent stats = left + right). */
function parent(left: TreeNodesInit, right: TreeNodesInit, feature: number, threshold: number): TreeNodesInit {
  const K = left.statsSize, nl = left.feature.length, nr = right.feature.length;
  const s = new Float64Array(K);
  for (let k = 0; k < K; k++) s[k] = left.stats[k] + right.stats[k];
  const gini = (x: ArrayLike<number>) => { const w = Array.from(x).reduce((a, b) => a + b, 0); return 1 - Array.from(x).reduce((a, c) => a + (c / w) ** 2, 0); };
  const wl = Array.from(left.stats.subarray(0, K)).reduce((a, b) => a + b, 0), wr = Array.from(right.stats.subarray(0, K)).reduce((a, b) => a + b, 0);
  const gain = gini(s) - (wl / (wl + wr)) * gini(left.stats.subarray(0, K)) - (wr / (wl + wr)) * gini(right.stats.subarray(0, K));
  const shift = (a: Int32Array, by: number) => Int32Array.from(a, (x) => (x < 0 ? x : x + by));
  return {
    feature: Int32Array.of(feature, ...left.feature, ...right.feature),
    threshold: Float64Array.of(threshold, ...left.threshold, ...right.threshold),
    left: Int32Array.of(1, ...shift(left.left, 1), ...shift(right.left, 1 + nl)),
    right: Int32Array.of(1 + nl, ...shift(left.right, 1), ...shift(right.right, 1 + nl)),
    prediction: Float64Array.of(0, ...left.prediction, ...right.prediction),
    impurity: Float64Array.of(gini(s), ...left.impurity, ...right.impurity),
    gain: Float64Array.of(gain, ...left.gain, ...right.gain),
    rawCount: new Float64Array(1 + nl + nr),
    stats: Float64Array.of(...s, ...left.stats, ...right.stats), statsSize: K,
    categories: [null, ...left.categories, ...right.categories], numCategories: new Int32Array(1 + nl + nr).fill(-1), classification: true,
  };
}

describe('feature importances (Spark RandomForestSuite "computeFeatureImportance, featureImportances")', () => {
  const gini = (c: number[]) => { const w = c.reduce((a, b) => a + b, 0); return 1 - c.reduce((a, x) => a + (x / w) ** 2, 0); };
  const left = leaf([3, 2, 1], 0), right = leaf([1, 2, 5], 2), left2 = leaf([1, 6, 1], 0);
  const p = parent(left, right, 0, 0.5);
  const gp = parent(left2, p, 1, 1.0);
  const pc = [4, 4, 6], gc = [5, 10, 7];
  const f0 = gini(pc) * 14 - (gini([3, 2, 1]) * 6 + gini([1, 2, 5]) * 8);
  const f1 = gini(gc) * 22 - (gini([1, 6, 1]) * 8 + gini(pc) * 14);

  it('is gain × weighted count per split node', () => {
    expect(new TreeNodes(p).importances(new Map()).get(0)).toBeCloseTo(f0, 12);
    const full = new TreeNodes(gp).importances(new Map());
    expect(full.get(0)).toBeCloseTo(f0, 12);
    expect(full.get(1)).toBeCloseTo(f1, 12);
  });

  it('normalises per tree, sums over trees, then normalises', () => {
    const { indices, values } = featureImportances([new TreeNodes(p), new TreeNodes(gp)], 2);
    expect(Array.from(indices)).toEqual([0, 1]);
    expect(values[0]).toBeCloseTo((1 + f0 / (f0 + f1)) / 2, 12);
    expect(values[1]).toBeCloseTo(f1 / (f0 + f1) / 2, 12);
  });
});
