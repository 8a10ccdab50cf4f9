import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Session } from '../../src/dataframe/session.js';
import { lit } from '../../src/dataframe/column.js';
import { Vectors, type DenseVector } from '../../src/linalg/vectors.js';
import { gaussian, randomStream } from '../../src/linalg/random.js';
import { javaStringHashCode } from '../../src/pipeline/shared-params.js';
import { KMeans, KMeansModel } from '../../src/clustering/index.js';
import { nearest, referenceLloyd } from './kmeans-reference.js';

const local = Session.builder().master('local[2]').create();
const inline = Session.builder().master('inline').create();
afterAll(async () => { await local.stop(); await inline.stop(); });

const frame = (spark: Session, points: number[][], numPartitions = 2, extra?: (i: number) => Record<string, unknown>) =>
  spark.createDataFrame(points.map((p, i) => ({ features: Vectors.dense(p), ...(extra ? extra(i) : {}) })), { numPartitions });

const sortRows = (rows: number[][]) => [...rows].sort((a, b) => { for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return a[j] - b[j]; return 0; });
const arrays = (vs: DenseVector[]) => vs.map((v) => Array.from(v.values));

/** Gaussian blobs: `k` centers in [-10, 10]^d, unit noise. */
function blobs(n: number, d: number, k: number, seed: number): number[][] {
  const rng = randomStream(seed, 'test-blobs');
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => 20 * rng() - 10));
  return Array.from({ length: n }, (_, i) => centers[i % k].map((c) => c + gaussian(rng)));
}

describe('KMeans params (Spark KMeansSuite "default parameters", "parameters validation")', () => {
  it('has Spark defaults', () => {
    const km = new KMeans();
    expect(km.getK()).toBe(2);
    expect(km.getMaxIter()).toBe(20);
    expect(km.getTol()).toBe(1e-4);
    expect(km.getInitMode()).toBe('k-means||');
    expect(km.getInitSteps()).toBe(2);
    expect(km.getDistanceMeasure()).toBe('euclidean');
    expect(km.getFeaturesCol()).toBe('features');
    expect(km.getPredictionCol()).toBe('prediction');
    expect(km.getSeed()).toBe(javaStringHashCode('org.apache.spark.ml.clustering.KMeans'));
    expect(km.isDefined(km.weightCol)).toBe(false);
  });

  it('rejects invalid values', () => {
    expect(() => new KMeans({ k: 1 })).toThrow(/k given invalid value 1.*> 1/);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => new KMeans().setInitMode('no_such_mode')).toThrow(/initMode/);
    expect(() => new KMeans().setInitSteps(0)).toThrow(/initSteps/);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => new KMeans().setDistanceMeasure('manhattan')).toThrow(/distanceMeasure/);
    expect(() => new KMeans().setMaxIter(-1)).toThrow(/maxIter/);
  });

  it('checks the schema before touching data', async () => {
    const df = local.createDataFrame([{ x: 1.0, features: Vectors.dense([1, 2]) }]);
    await expect(new KMeans({ featuresCol: 'nope' }).fit(df)).rejects.toThrow(/nope/);
    await expect(new KMeans({ featuresCol: 'x' }).fit(df)).rejects.toThrow(/must be of type vector/);
    await expect(new KMeans({ predictionCol: 'x' }).fit(df)).rejects.toThrow(/x already exists/);
  });
});

describe('KMeans on Spark KMeansSuite cases', () => {
  it('fit, transform and summary (Spark: 50 rows of 5 distinct points, k = 5, numIter 1)', async () => {
    // KMeansSuite.generateKMeansData(spark, 50, 3, 5): row i holds (i % 5) in every dimension.
    const points = Array.from({ length: 50 }, (_, r) => new Array(3).fill((r + 1) % 5));
    const df = frame(local, points);
    const model = await new KMeans({ k: 5, seed: 1, predictionCol: 'kmeans_prediction' }).fit(df);
    expect(model.clusterCenters()).toHaveLength(5);
    expect(sortRows(arrays(model.clusterCenters()))).toEqual([0, 1, 2, 3, 4].map((v) => [v, v, v]));
    const rows = await model.transform(df).collect();
    expect(new Set(rows.map((r) => r.kmeans_prediction))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(model.hasParent()).toBe(true);
    const s = model.summary;
    expect(s.predictionCol).toBe('kmeans_prediction');
    expect(s.featuresCol).toBe('features');
    expect(await s.predictions.count()).toBe(50);
    expect(s.cluster.columns).toEqual(['kmeans_prediction']);
    expect(s.trainingCost).toBeLessThan(0.1);
    expect(s.clusterSizes).toEqual([10, 10, 10, 10, 10]);
    expect(s.k).toBe(5);
    expect(s.numIter).toBe(1);
  });

  it("one cluster's center is the mean of its points (Spark mllib 'single cluster': (1,3,4))", async () => {
    const points = [[1, 2, 6], [1, 3, 0], [1, 4, 6], [100, 100, 100]];
    for (const initMode of ['k-means||', 'random'] as const) {
      for (const seed of [1, 2, 3]) {
        const model = await new KMeans({ k: 2, initMode, seed }).fit(frame(local, points));
        const centers = sortRows(arrays(model.clusterCenters()));
        expect(centers[0][0]).toBeCloseTo(1, 12);
        expect(centers[0][1]).toBeCloseTo(3, 12);
        expect(centers[0][2]).toBeCloseTo(4, 12);
        expect(centers[1]).toEqual([100, 100, 100]);
      }
    }
  });

  it("no distinct points gives one center (Spark mllib 'no distinct points')", async () => {
    const points = [[1, 2, 3], [1, 2, 3], [1, 2, 3]];
    for (const initMode of ['k-means||', 'random'] as const) {
      const model = await new KMeans({ k: 2, initMode }).fit(frame(local, points));
      expect(arrays(model.clusterCenters())).toEqual([[1, 2, 3]]);
      expect(model.summary.clusterSizes).toEqual([3, 0]);
    }
  });

  it("more clusters than points gives one center per point (Spark mllib 'more clusters than points')", async () => {
    const points = [[1, 2, 3], [1, 3, 4]];
    for (const initMode of ['k-means||', 'random'] as const) {
      const model = await new KMeans({ k: 3, initMode }).fit(frame(local, points));
      expect(sortRows(arrays(model.clusterCenters()))).toEqual(points);
    }
  });

  it("k-means|| on 5 distinct points returns those points (Spark mllib 'k-means|| initialization')", async () => {
    const points = [[1, 2, 6], [1, 3, 0], [1, 4, 6], [1, 0, 1], [1, 1, 1]];
    for (const maxIter of [1, 10]) {
      for (const seed of [1, 7, 42]) {
        const model = await new KMeans({ k: 5, maxIter, seed }).fit(frame(local, points));
        expect(sortRows(arrays(model.clusterCenters()))).toEqual(sortRows(points));
      }
    }
  });

  it("separates two well-separated groups (Spark mllib 'two clusters', 3 partitions)", async () => {
    const points = [[0, 0], [0, 0.1], [0.1, 0], [9, 0], [9, 0.2], [9.2, 0]];
    for (const initMode of ['k-means||', 'random'] as const) {
      for (const seed of [1, 2, 3, 4]) {
        const df = frame(local, points, 3);
        const model = await new KMeans({ k: 2, initMode, seed }).fit(df);
        const p = (await model.transform(df).collect()).map((r) => r.prediction);
        expect(p[0]).toBe(p[1]); expect(p[1]).toBe(p[2]);
        expect(p[3]).toBe(p[4]); expect(p[4]).toBe(p[5]);
        expect(p[0]).not.toBe(p[3]);
      }
    }
  });

  it("cosine distance groups by direction and yields unit centers (Spark KMeansSuite 'KMeans with cosine distance')", async () => {
    const points = [[1, 1], [10, 10], [1, 0.5], [10, 4.4], [-1, 1], [-100, 90]];
    const df = frame(local, points);
    const model = await new KMeans({ k: 3, seed: 42, tol: 1e-6, distanceMeasure: 'cosine' }).fit(df);
    const p = (await model.transform(df).collect()).map((r) => r.prediction as number);
    expect(new Set(p).size).toBe(3);
    expect(p[0]).toBe(p[1]);
    expect(p[2]).toBe(p[3]);
    expect(p[4]).toBe(p[5]);
    for (const c of model.clusterCenters()) expect(Math.hypot(...c.values)).toBeCloseTo(1, 6);
  });

  it("cosine on a zero vector fails clearly (Spark: 'Cosine distance is not defined for zero-length vectors')", async () => {
    const df = frame(local, [[0, 0], [10, 10], [1, 0.5]]);
    await expect(new KMeans({ k: 2, distanceMeasure: 'cosine' }).fit(df)).rejects.toThrow(/Cosine distance is not defined for zero-length vectors/);
    const model = new KMeansModel([Vectors.dense([1, 0]), Vectors.dense([0, 1])], undefined, { distanceMeasure: 'cosine' });
    expect(() => model.predict(Vectors.dense([0, 0]))).toThrow(/zero-length/);
  });
});

describe('KMeans against a literal Lloyd reference (Hamerly pruning changes nothing)', () => {
  it('matches a full-scan Lloyd from the same initial centers, for both measures and with weights', async () => {
    const points = blobs(600, 4, 6, 11);
    const weights = points.map((_, i) => 0.5 + (i % 7) / 3);
    for (const measure of ['euclidean', 'cosine'] as const) {
      for (const weighted of [false, true]) {
        const initial = [points[0], points[1], points[2], points[3], points[10], points[50]];
        const ref = referenceLloyd(points, weighted ? weights : null, initial, 30, 1e-6, measure);
        const df = frame(local, points, 3, weighted ? (i) => ({ w: weights[i] }) : undefined);
        const km = new KMeans({ k: 6, maxIter: 30, tol: 1e-6, distanceMeasure: measure, ...(weighted ? { weightCol: 'w' } : {}) })
          .setInitialModel(new KMeansModel(initial.map((c) => Vectors.dense(c))));
        const model = await km.fit(df);
        const centers = arrays(model.clusterCenters());
        centers.forEach((c, j) => c.forEach((v, t) => expect(v).toBeCloseTo(ref.centers[j][t], 9)));
        expect(model.summary.numIter).toBe(ref.numIter);
        expect(model.summary.trainingCost).toBeCloseTo(ref.cost, 6);
        model.summary.objectiveHistory.forEach((c, t) => expect(c).toBeCloseTo(ref.history[t], 6));
        const sizes = new Array(6).fill(0);
        for (const x of points) sizes[nearest(x, ref.centers, measure)]++;
        expect(model.summary.clusterSizes).toEqual(sizes);
      }
    }
  });

  it('weight 2 on a row equals the row twice (Spark KMeansSuite "Weighted KMeans")', async () => {
    const points = blobs(200, 3, 4, 5);
    const initial = points.slice(0, 4).map((c) => Vectors.dense(c));
    const twice = [...points, ...points.slice(0, 50)];
    const weighted = await new KMeans({ k: 4, weightCol: 'w' }).setInitialModel(new KMeansModel(initial))
      .fit(frame(local, points, 2, (i) => ({ w: i < 50 ? 2 : 1 })));
    const duplicated = await new KMeans({ k: 4 }).setInitialModel(new KMeansModel(initial)).fit(frame(local, twice, 2));
    arrays(weighted.clusterCenters()).forEach((c, j) => c.forEach((v, t) => expect(v).toBeCloseTo(duplicated.clusterCenters()[j].values[t], 9)));
    expect(weighted.summary.trainingCost).toBeCloseTo(duplicated.summary.trainingCost, 6);
  });
});

describe('KMeans properties', () => {
  it('cost never rises between iterations', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 2, max: 6 }), fc.constantFrom('euclidean', 'cosine'), fc.constantFrom('k-means||', 'random'),
      async (seed, k, distanceMeasure, initMode) => {
        const points = blobs(150, 3, 5, seed).map((p) => p.map((v) => v + 0.01));
        const model = await new KMeans({ k, seed, distanceMeasure, initMode, maxIter: 15, tol: 0 }).fit(frame(local, points, 3));
        const h = model.summary.objectiveHistory;
        for (let t = 1; t < h.length; t++) expect(h[t]).toBeLessThanOrEqual(h[t - 1] * (1 + 1e-12) + 1e-12);
      },
    ), { numRuns: 12 });
  });

  it('gives the same centers for any partition count and thread count with a fixed seed', async () => {
    const points = blobs(900, 5, 7, 3);
    const fit = async (spark: Session, parts: number, initMode: 'k-means||' | 'random') => {
      const df = frame(spark, points, parts).cache();
      const model = await new KMeans({ k: 7, seed: 99, initMode }).fit(df);
      df.unpersist();
      return model;
    };
    for (const initMode of ['k-means||', 'random'] as const) {
      const base = await fit(local, 2, initMode);
      for (const [spark, parts] of [[inline, 1], [local, 7], [inline, 3], [local, 1]] as [Session, number][]) {
        const other = await fit(spark, parts, initMode);
        expect(other.summary.numIter).toBe(base.summary.numIter);
        expect(other.summary.clusterSizes).toEqual(base.summary.clusterSizes);
        other.clusterCenters().forEach((c, j) => c.values.forEach((v, t) => expect(v).toBeCloseTo(base.clusterCenters()[j].values[t], 10)));
      }
    }
  });

  it('predict agrees with transform and with a full scan of the centers', async () => {
    const points = blobs(300, 3, 4, 8);
    const df = frame(local, points);
    for (const distanceMeasure of ['euclidean', 'cosine'] as const) {
      const model = await new KMeans({ k: 4, distanceMeasure }).fit(df);
      const rows = await model.transform(df).collect();
      const centers = arrays(model.clusterCenters());
      rows.forEach((r, i) => {
        expect(r.prediction).toBe(model.predict(r.features as DenseVector));
        expect(r.prediction).toBe(nearest(points[i], centers, distanceMeasure as 'euclidean' | 'cosine'));
      });
    }
  });
});

describe('KMeans input handling', () => {
  it('fits sparse vectors as their dense equivalents', async () => {
    const points = blobs(120, 4, 3, 21).map((p) => p.map((v, j) => (j === 3 ? 0 : v)));
    const dense = frame(local, points);
    const sparse = local.createDataFrame(points.map((p) => ({ features: Vectors.dense(p).toSparse() })), { numPartitions: 2 });
    const a = await new KMeans({ k: 3, seed: 4 }).fit(dense);
    const b = await new KMeans({ k: 3, seed: 4 }).fit(sparse);
    expect(arrays(b.clusterCenters())).toEqual(arrays(a.clusterCenters()));
    expect((await b.transform(sparse).collect()).map((r) => r.prediction)).toEqual((await a.transform(dense).collect()).map((r) => r.prediction));
  });

  it('fails clearly on null vectors, non-finite values, bad weights and empty input', async () => {
    const withNull = local.createDataFrame([{ features: Vectors.dense([1, 2]) }, { features: null }], { schema: { features: 'vector' } });
    await expect(new KMeans().fit(withNull)).rejects.toThrow(/null vector/);
    await expect(new KMeans().fit(frame(local, [[1, NaN], [2, 3]]))).rejects.toThrow(/NaN.*finite/);
    await expect(new KMeans({ weightCol: 'w' }).fit(frame(local, [[1, 2], [2, 3]], 1, (i) => ({ w: i - 1 })))).rejects.toThrow(/weight column 'w'.*>= 0/);
    const empty = frame(local, [[1, 2]]).filter(lit(false));
    await expect(new KMeans().fit(empty)).rejects.toThrow(/no rows/);
  });

  it('checks the initial model against k and the data', async () => {
    const m3 = new KMeansModel([Vectors.dense([0, 0]), Vectors.dense([1, 1]), Vectors.dense([2, 2])]);
    expect(() => new KMeans({ k: 2 }).setInitialModel(m3)).toThrow(/mismatched cluster count/);
    const m2 = new KMeansModel([Vectors.dense([0, 0, 0]), Vectors.dense([1, 1, 1])]);
    await expect(new KMeans({ k: 2 }).setInitialModel(m2).fit(frame(local, [[1, 2], [3, 4]]))).rejects.toThrow(/3 features but the data has 2/);
  });

  it('handles empty partitions (more partitions than rows)', async () => {
    const points = [[1, 1], [1, 1.2], [8, 8]];
    for (const initMode of ['k-means||', 'random'] as const) {
      const model = await new KMeans({ k: 2, initMode }).fit(frame(local, points, 7));
      expect(sortRows(arrays(model.clusterCenters()))).toEqual([[1, 1.1], [8, 8]]);
      expect([...model.summary.clusterSizes].sort()).toEqual([1, 2]);
    }
  });

  it('maxIter 0 keeps the initial centers', async () => {
    const init = [Vectors.dense([0, 0]), Vectors.dense([5, 5])];
    const model = await new KMeans({ k: 2, maxIter: 0 }).setInitialModel(new KMeansModel(init)).fit(frame(local, [[1, 1], [4, 4], [6, 6]]));
    expect(arrays(model.clusterCenters())).toEqual([[0, 0], [5, 5]]);
    expect(model.summary.numIter).toBe(0);
    expect(model.summary.clusterSizes).toEqual([1, 2]);
  });

  it('copy keeps the uid, the centers and the summary', async () => {
    const model = await new KMeans({ k: 2 }).fit(frame(local, [[1, 1], [4, 4], [6, 6]]));
    const copy = model.copy();
    expect(copy.uid).toBe(model.uid);
    expect(arrays(copy.clusterCenters())).toEqual(arrays(model.clusterCenters()));
    expect(copy.summary).toBe(model.summary);
  });
});
