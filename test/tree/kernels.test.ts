import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/dataframe/session.js';
import { Vectors } from '../../src/linalg/vectors.js';
import { trainForest, type ForestOptions } from '../../src/tree/forest.js';
import { trainGBT, type GbtOptions } from '../../src/tree/gbt.js';
import type { TreeNodes } from '../../src/tree/nodes.js';
import { chunkGroups, rowRanges } from '../../src/tree/learner.js';
import { setRowMajorLimit } from '../../src/tree/learner.kernels.js';

const spark = Session.builder().master('local[2]').create();
afterAll(async () => { await spark.stop(); });

function data(n: number, classes: number, weighted: boolean) {
  let s = 17;
  const u = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296; };
  return spark.createDataFrame(Array.from({ length: n }, (_, i) => {
    const x = Array.from({ length: 9 }, u); // an odd count: the kernels take features two at a time
    const f = Math.sin(5 * x[0]) + x[1] * x[2] + 0.3 * u();
    const label = classes === 0 ? f : Math.min(classes - 1, Math.floor(((f + 1) / 2.5) * classes));
    return { label: Math.max(0, label), features: Vectors.dense(x), w: weighted ? 0.5 + u() : 1, held: i % 5 === 0 };
  }), { numPartitions: 3 });
}

const same = (a: TreeNodes[], b: TreeNodes[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((t, i) => {
    expect(t.subtreeToString(0)).toBe(b[i].subtreeToString(0));
    expect(Array.from(t.stats)).toEqual(Array.from(b[i].stats));
    expect(Array.from(t.gain)).toEqual(Array.from(b[i].gain));
  });
};

const base = {
  featuresCol: 'features', labelCol: 'label', maxDepth: 7, maxBins: 32, minInstancesPerNode: 1, minWeightFractionPerNode: 0,
  minInfoGain: 0, maxMemoryInMB: 256, seed: 3, categorical: {},
};

describe('the WebAssembly and JavaScript kernels grow the same trees, bit for bit', () => {
  const forests: [string, Partial<ForestOptions>, number, boolean][] = [
    ['gini decision tree (hist mode)', { impurity: 'gini', numTrees: 1 }, 2, false],
    ['weighted entropy decision tree (raw counts in the bins)', { impurity: 'entropy', numTrees: 1, weightCol: 'w' }, 3, true],
    ['variance decision tree', { impurity: 'variance', numTrees: 1 }, 0, false],
    ['random forest (local mode, deep levels built column by column)', { impurity: 'gini', numTrees: 5, featureSubsetStrategy: 'sqrt', bootstrap: true, maxDepth: 10 }, 2, false],
    ['weighted regression forest', { impurity: 'variance', numTrees: 4, featureSubsetStrategy: 'onethird', bootstrap: true, weightCol: 'w' }, 0, true],
  ];
  for (const [name, opts, classes, weighted] of forests) {
    it(name, async () => {
      const df = data(3000, classes, weighted);
      const o = { ...base, classification: classes > 0, numTrees: 1, featureSubsetStrategy: 'all', bootstrap: false, subsamplingRate: 1, impurity: 'gini', ...opts } as ForestOptions;
      same((await trainForest(df, { ...o, wasm: true })).trees, (await trainForest(df, { ...o, wasm: false })).trees);
    });
  }

  const boosts: [string, Partial<GbtOptions>, number][] = [
    ['logistic GBT (hessians in the bins), subsampled', { classification: true, lossType: 'logistic', subsamplingRate: 0.7 }, 2],
    ['squared-loss GBT (unit hessians)', { classification: false, lossType: 'squared' }, 0],
    ['absolute-loss GBT, weighted', { classification: false, lossType: 'absolute', weightCol: 'w' }, 0],
    ['logistic GBT with validation rows and early stopping', { classification: true, lossType: 'logistic', validationIndicatorCol: 'held', subsamplingRate: 0.8 }, 2],
    ['softmax GBT (one tree per class, local mode)', { classification: true, lossType: 'logistic' }, 4],
  ];
  for (const [name, opts, classes] of boosts) {
    it(name, async () => {
      const df = data(2500, classes, !!opts.weightCol);
      const o = { ...base, maxDepth: 4, maxIter: 6, stepSize: 0.3, subsamplingRate: 1, featureSubsetStrategy: 'all', validationTol: 0.01, ...opts } as GbtOptions;
      const a = await trainGBT(df, { ...o, wasm: true }), b = await trainGBT(df, { ...o, wasm: false });
      same(a.trees, b.trees);
      expect(a.weights).toEqual(b.weights);
      expect(a.validationErrors).toEqual(b.validationErrors);
      if (opts.validationIndicatorCol) expect(a.validationErrors.length).toBeGreaterThan(0);
    });
  }
});

describe('column-major histograms (many nodes) match row-major ones', () => {
  it('in both kernels, for every statistics layout', async () => {
    // Inline, so that the limit set here is the one the kernels see.
    const inline = Session.builder().master('inline').create();
    try {
      const df = inline.createDataFrame(Array.from({ length: 1500 }, (_, i) => {
        const x = Array.from({ length: 6 }, (_, j) => ((i * (j + 3) * 7919) % 1000) / 1000);
        return { label: i % 3, y: x[0] * x[1] + x[2], features: Vectors.dense(x), w: 1 + (i % 4) };
      }), { numPartitions: 2 });
      const cases: Partial<ForestOptions>[] = [
        { classification: true, impurity: 'gini', numTrees: 4, featureSubsetStrategy: 'sqrt', bootstrap: true },
        { classification: true, impurity: 'entropy', numTrees: 1, weightCol: 'w' },
        { classification: false, impurity: 'variance', labelCol: 'y', numTrees: 4, featureSubsetStrategy: 'onethird', bootstrap: true, weightCol: 'w' },
      ];
      for (const c of cases) {
        const o = { ...base, maxDepth: 8, featureSubsetStrategy: 'all', bootstrap: false, subsamplingRate: 1, ...c } as ForestOptions;
        const rows = await trainForest(df, o);
        const previous = setRowMajorLimit(0);
        try {
          same((await trainForest(df, { ...o, wasm: true })).trees, rows.trees);
          same((await trainForest(df, { ...o, wasm: false })).trees, rows.trees);
        } finally {
          setRowMajorLimit(previous);
        }
      }
      const o: GbtOptions = { ...base, labelCol: 'y', classification: false, lossType: 'squared', maxDepth: 4, maxIter: 4, stepSize: 0.3, subsamplingRate: 1, featureSubsetStrategy: 'all', validationTol: 0.01 };
      const rows = await trainGBT(df, o);
      const previous = setRowMajorLimit(0);
      try {
        same((await trainGBT(df, o)).trees, rows.trees);
      } finally {
        setRowMajorLimit(previous);
      }
    } finally {
      await inline.stop();
    }
  });
});

describe('row ranges', () => {
  it('depend on the row count only, cover every row once, and group consecutively for any task count', () => {
    for (const n of [0, 10, 32768, 32769, 200000, 10_000_000]) {
      const r = rowRanges(n);
      expect(r[0][0]).toBe(0);
      expect(r[r.length - 1][1]).toBe(n);
      for (let i = 1; i < r.length; i++) expect(r[i][0]).toBe(r[i - 1][1]);
      for (const tasks of [1, 2, 3, 7, 500]) {
        const flat = chunkGroups(r, tasks).flat();
        expect(flat.map(([a, b]) => [a, b])).toEqual(r);
        expect(flat.map((c) => c[2])).toEqual(r.map((_, i) => i));
      }
    }
  });
});
