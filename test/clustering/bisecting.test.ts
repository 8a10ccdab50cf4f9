import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Session } from '../../src/dataframe/session.js';
import { Vectors, type DenseVector } from '../../src/linalg/vectors.js';
import { gaussian, randomStream } from '../../src/linalg/random.js';
import { javaStringHashCode } from '../../src/pipeline/shared-params.js';
import { BisectingKMeans, BisectingKMeansModel, type ClusteringTreeNode } from '../../src/clustering/index.js';
import { fileSystemFor, load, readDataDir } from '../../src/persistence/index.js';
import { expectSameParams } from '../helpers/params.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { referenceBisecting, refLeaves, type RefNode } from './bisecting-reference.js';

const local = Session.builder().master('local[2]').create();
const inline = Session.builder().master('inline').create();
afterAll(async () => { await local.stop(); await inline.stop(); });
const { fresh } = useTempDir('quiver-bisecting-');

const frame = (spark: Session, points: number[][], numPartitions = 2, extra?: (i: number) => Record<string, unknown>) =>
  spark.createDataFrame(points.map((p, i) => ({ features: Vectors.dense(p), ...(extra ? extra(i) : {}) })), { numPartitions });

function blobs(n: number, d: number, k: number, seed: number, sd = 1): number[][] {
  const rng = randomStream(seed, 'test-bisecting-blobs');
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => 20 * rng() - 10));
  return Array.from({ length: n }, (_, i) => centers[i % k].map((c) => c + sd * gaussian(rng)));
}

const leaves = (n: ClusteringTreeNode): ClusteringTreeNode[] => (n.children.length === 0 ? [n] : n.children.flatMap(leaves));
const internals = (n: ClusteringTreeNode): ClusteringTreeNode[] => (n.children.length === 0 ? [] : [n, ...n.children.flatMap(internals)]);
const shape = (n: ClusteringTreeNode | RefNode): unknown => ({ size: n.size, children: n.children.map(shape) });
const centersOf = (n: ClusteringTreeNode): number[] => [...Array.from(n.center.values), ...n.children.flatMap(centersOf)];
const refCenters = (n: RefNode): number[] => [...n.center, ...n.children.flatMap(refCenters)];
const costsOf = (n: ClusteringTreeNode): number[] => [n.cost, ...n.children.flatMap(costsOf)];
const refCosts = (n: RefNode): number[] => [n.cost, ...n.children.flatMap(refCosts)];
function expectClose(actual: number[], expected: number[], rtol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(expected[i]))));
}

describe('BisectingKMeans params (Spark BisectingKMeansSuite "default parameters")', () => {
  it('has Spark defaults and validates', () => {
    const b = new BisectingKMeans();
    expect(b.getK()).toBe(4);
    expect(b.getMaxIter()).toBe(20);
    expect(b.getMinDivisibleClusterSize()).toBe(1.0);
    expect(b.getDistanceMeasure()).toBe('euclidean');
    expect(b.getFeaturesCol()).toBe('features');
    expect(b.getPredictionCol()).toBe('prediction');
    expect(b.getSeed()).toBe(javaStringHashCode('org.apache.spark.ml.clustering.BisectingKMeans'));
    expect(() => new BisectingKMeans({ k: 1 })).toThrow(/k given invalid value 1/);
    expect(() => new BisectingKMeans({ minDivisibleClusterSize: 0 })).toThrow(/minDivisibleClusterSize/);
  });
});

describe("BisectingKMeans on spark.mllib BisectingKMeansSuite's cases", () => {
  it('1D data: (0..7) splits into (0,1) (2,3) (4,5) (6,7), cost 8·0.5² = 2 (closed form)', async () => {
    const points = [0, 1, 2, 3, 4, 5, 6, 7].map((v) => [v]);
    const df = frame(local, points);
    const model = await new BisectingKMeans({ k: 4, maxIter: 1, seed: 1 }).fit(df);
    expect(model.numClusters).toBe(4);
    expect(Math.abs((await model.computeCost(df)) - 2.0)).toBeLessThan(1e-12);
    expect(Math.abs(model.summary.trainingCost - 2.0)).toBeLessThan(1e-12);
    const p = points.map((x) => model.predict(Vectors.dense(x)));
    for (const [a, b] of [[0, 1], [2, 3], [4, 5], [6, 7]]) expect(p[a]).toBe(p[b]);
    expect(new Set(p).size).toBe(4);
    expect(model.clusterCenters().map((c) => c.values[0]).sort((a, b) => a - b)).toEqual([0.5, 2.5, 4.5, 6.5]);
    expect(model.summary.clusterSizes).toEqual([2, 2, 2, 2]);
    expect(model.summary.numIter).toBe(1);
  });

  it('points all identical: one leaf, nothing is divisible', async () => {
    const model = await new BisectingKMeans({ k: 2, seed: 1 }).fit(frame(local, new Array(10).fill([1, 2])));
    expect(model.numClusters).toBe(1);
    expect(model.summary.trainingCost).toBe(0);
    expect(model.summary.clusterSizes).toEqual([10, 0]);
  });

  it('fit, transform and summary (Spark: 50 rows of 5 distinct points, k = 5)', async () => {
    const points = Array.from({ length: 50 }, (_, r) => new Array(3).fill((r + 1) % 5));
    const df = frame(local, points);
    const model = await new BisectingKMeans({ k: 5, seed: 1, predictionCol: 'bkm_prediction' }).fit(df);
    expect(model.hasParent()).toBe(true);
    const rows = await model.transform(df).collect();
    for (const r of rows) expect(r.bkm_prediction).toBe(model.predict(r.features as DenseVector));
    const s = model.summary;
    expect(s.cluster.columns).toEqual(['bkm_prediction']);
    expect(s.clusterSizes).toHaveLength(5);
    expect(s.clusterSizes.reduce((a, b) => a + b, 0)).toBe(50);
    expect(s.numIter).toBe(20);
    expect(model.numClusters).toBe(5);
    expect(s.trainingCost).toBeLessThan(1e-9);
  });

  it('minDivisibleClusterSize: a cluster smaller than it is not split', async () => {
    // 10 points near 0 and 10 near 100: after the first split, each half (10 rows) is divisible at 10 but not at 11.
    const points = [...Array.from({ length: 10 }, (_, i) => [i]), ...Array.from({ length: 10 }, (_, i) => [100 + i])];
    expect((await new BisectingKMeans({ k: 4, maxIter: 5, seed: 1, minDivisibleClusterSize: 10 }).fit(frame(local, points))).numClusters).toBe(4);
    expect((await new BisectingKMeans({ k: 4, maxIter: 5, seed: 1, minDivisibleClusterSize: 11 }).fit(frame(local, points))).numClusters).toBe(2);
    expect((await new BisectingKMeans({ k: 4, maxIter: 5, seed: 1, minDivisibleClusterSize: 0.55 }).fit(frame(local, points))).numClusters).toBe(2);
  });

  it('constant instance weights give the unweighted tree (Spark "Comparing with and without weightCol")', async () => {
    const points = blobs(60, 2, 4, 3);
    const plain = await new BisectingKMeans({ k: 4, seed: 2 }).fit(frame(local, points));
    const weighted = await new BisectingKMeans({ k: 4, seed: 2, weightCol: 'w' }).fit(frame(local, points, 2, () => ({ w: 2.5 })));
    expect(shape(weighted.root)).toEqual(shape(plain.root));
    expectClose(centersOf(weighted.root), centersOf(plain.root), 1e-12);
    expectClose([weighted.summary.trainingCost], [2.5 * plain.summary.trainingCost], 1e-12);
  });
});

describe('BisectingKMeans against a slow reference (plain loops over all rows)', () => {
  for (const [name, k, maxIter, minDiv] of [['k = 5, maxIter 20', 5, 20, 1], ['k = 6, maxIter 2, minDivisibleClusterSize 0.2', 6, 2, 0.2]] as const) {
    it(`builds the reference's tree: ${name}`, async () => {
      const points = blobs(80, 3, 5, 17, 2);
      const model = await new BisectingKMeans({ k, maxIter, seed: 5, minDivisibleClusterSize: minDiv }).fit(frame(local, points, 3));
      const ref = referenceBisecting(points, k, maxIter, 5, minDiv);
      expect(shape(model.root)).toEqual(shape(ref));
      expectClose(centersOf(model.root), refCenters(ref), 1e-9);
      expectClose(costsOf(model.root), refCosts(ref), 1e-9);
      expectClose([model.summary.trainingCost], [refLeaves(ref).reduce((s, l) => s + l.cost, 0)], 1e-9);
    });
  }
});

describe('BisectingKMeans properties (fast-check, seed 20261207)', () => {
  it('k leaves on spread data; every split lowers the cost of the rows it divides; sizes add up; trainingCost is the leaves\' cost', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 20, max: 60 }),
      async (seed, d, k, n) => {
        const points = blobs(n, d, 3, seed, 1.5);
        const model = await new BisectingKMeans({ k, maxIter: 20, seed }).fit(frame(inline, points, 2));
        expect(model.numClusters).toBe(k);
        // The rows reaching each internal node (plain descent here), and their cost before and after its split.
        const sq = (x: number[], c: DenseVector) => x.reduce((s, v, t) => s + (v - c.values[t]) ** 2, 0);
        const before = new Map<ClusteringTreeNode, number>(), after = new Map<ClusteringTreeNode, number>();
        for (const x of points) {
          let node = model.root;
          while (node.children.length > 0) {
            const next = node.children.reduce((a, b) => (sq(x, b.center) < sq(x, a.center) ? b : a));
            before.set(node, (before.get(node) ?? 0) + sq(x, node.center));
            after.set(node, (after.get(node) ?? 0) + sq(x, next.center));
            node = next;
          }
        }
        for (const node of internals(model.root)) expect(after.get(node) ?? 0).toBeLessThanOrEqual((before.get(node) ?? 0) * (1 + 1e-12));
        // Spark's own per-cluster costs: the children's together below their parent's.
        for (const node of internals(model.root)) expect(node.children.reduce((s, c) => s + c.cost, 0)).toBeLessThanOrEqual(node.cost * (1 + 1e-12));
        expect(model.summary.clusterSizes.reduce((a, b) => a + b, 0)).toBe(n);
        expect(Math.abs(model.summary.trainingCost - leaves(model.root).reduce((s, l) => s + l.cost, 0))).toBeLessThan(1e-9);
      }), { seed: 20261207, numRuns: 12 });
  });
});

describe('BisectingKMeans partition and master independence', () => {
  it('gives the same tree for 1, 2 and 4 partitions, on local[2] and inline', async () => {
    const points = blobs(100, 2, 5, 29);
    const base = await new BisectingKMeans({ k: 5, seed: 3 }).fit(frame(inline, points, 1));
    for (const [spark, parts] of [[inline, 2], [inline, 4], [local, 1], [local, 2], [local, 4]] as const) {
      const m = await new BisectingKMeans({ k: 5, seed: 3 }).fit(frame(spark, points, parts));
      expect(shape(m.root)).toEqual(shape(base.root));
      expectClose(centersOf(m.root), centersOf(base.root), 1e-9);
      expect(m.summary.clusterSizes).toEqual(base.summary.clusterSizes);
    }
  });
});

describe('BisectingKMeans on sparse vectors', () => {
  it('builds the same tree as on the dense vectors (Spark "dense/sparse")', async () => {
    const points = blobs(40, 4, 3, 31).map((p) => p.map((v, t) => (t === 3 ? 0 : v)));
    const dense = await new BisectingKMeans({ k: 3, seed: 2 }).fit(frame(local, points));
    const sparse = await new BisectingKMeans({ k: 3, seed: 2 }).fit(local.createDataFrame(points.map((p) => ({ features: Vectors.dense(p).toSparse() })), { numPartitions: 2 }));
    expect(shape(sparse.root)).toEqual(shape(dense.root));
    expect(centersOf(sparse.root)).toEqual(centersOf(dense.root));
  });
});

describe('BisectingKMeans with the cosine distance', () => {
  it('unit-length centers; points go to the leaf of closest direction', async () => {
    const rng = randomStream(4, 'cosine');
    const dirs = [[1, 0], [0, 1], [-1, -1]];
    const points = Array.from({ length: 60 }, (_, i) => {
      const scale = 1 + 5 * rng(); // one length per point: only its direction matters
      return dirs[i % 3].map((v) => (v + 0.05 * gaussian(rng)) * scale);
    });
    const model = await new BisectingKMeans({ k: 3, seed: 1, distanceMeasure: 'cosine' }).fit(frame(local, points));
    for (const c of model.clusterCenters()) expect(Math.abs(Math.hypot(...c.values) - 1)).toBeLessThan(1e-12);
    const p = points.map((x) => model.predict(Vectors.dense(x)));
    for (let i = 3; i < 60; i++) expect(p[i]).toBe(p[i % 3]);
    await expect(new BisectingKMeans({ distanceMeasure: 'cosine' }).fit(frame(local, [[0, 0], [1, 1]]))).rejects.toThrow(/zero-length/);
  });
});

describe('BisectingKMeansModel persistence', () => {
  it("save -> load: Spark's layout (spark.mllib's model under data/), identical transform", async () => {
    const points = blobs(50, 2, 3, 8);
    const df = frame(local, points);
    const model = await new BisectingKMeans({ k: 3, seed: 4, predictionCol: 'myPrediction' }).fit(df);
    const path = fresh('bkm-model');
    await model.save(path);
    const meta = JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8'));
    expect(meta.class).toBe('org.apache.spark.ml.clustering.BisectingKMeansModel');
    const inner = JSON.parse(await readFile(join(path, 'data', 'metadata', (await readdir(join(path, 'data', 'metadata'))).find((f) => f.startsWith('part-'))!), 'utf8'));
    expect(inner).toEqual({ class: 'org.apache.spark.mllib.clustering.BisectingKMeansModel', version: '3.0', rootId: -1, distanceMeasure: 'euclidean', trainingCost: model.trainingCost });
    const data = await readDataDir(fileSystemFor(path), join(path, 'data')); // reads <dir>/data
    expect(data.schema.fields.map((f) => f.name)).toEqual(['index', 'size', 'center', 'norm', 'cost', 'height', 'children']);
    expect(data.numRows).toBe(5);
    const loaded = await BisectingKMeansModel.load(path);
    expectSameParams(model, loaded);
    expect(loaded.trainingCost).toBe(model.trainingCost);
    expect(loaded.clusterCenters()).toEqual(model.clusterCenters());
    expect(await loaded.transform(df).collect()).toEqual(await model.transform(df).collect());
    expect((await load<BisectingKMeansModel>(path)).numClusters).toBe(3);
  });

  it('the estimator saves its params', async () => {
    const b = new BisectingKMeans({ k: 3, maxIter: 2, minDivisibleClusterSize: 0.3, distanceMeasure: 'cosine' });
    const path = fresh('bkm');
    await b.save(path);
    expectSameParams(b, await BisectingKMeans.load(path));
  });
});

describe('BisectingKMeans bad input', () => {
  it('names a null vector, an empty frame, maxIter 0 and a used output column', async () => {
    const rows = [{ features: Vectors.dense([1, 2]) as DenseVector | null }, { features: null }];
    await expect(new BisectingKMeans().fit(local.createDataFrame(rows))).rejects.toThrow(/null vector/);
    await expect(new BisectingKMeans({ maxIter: 0 }).fit(frame(local, [[1], [2]]))).rejects.toThrow(/maxIter must be at least 1/);
    await expect(new BisectingKMeans({ predictionCol: 'features' }).fit(frame(local, [[1], [2]]))).rejects.toThrow(/features already exists/);
    const model = await new BisectingKMeans({ k: 2 }).fit(frame(local, [[1], [2], [5]]));
    expect(() => model.predict(Vectors.dense([1, 2]))).toThrow(/expected a vector of size 1 but got 2/);
  });
});
