import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Session } from '../../src/dataframe/session.js';
import { DenseMatrix, Matrices } from '../../src/linalg/matrix.js';
import { Vectors, type DenseVector } from '../../src/linalg/vectors.js';
import { gaussian, randomStream } from '../../src/linalg/random.js';
import { javaStringHashCode } from '../../src/pipeline/shared-params.js';
import { GaussianMixture, GaussianMixtureModel, MultivariateGaussian } from '../../src/clustering/index.js';
import { unpackUpperTriangular } from '../../src/clustering/gmm.js';
import { fileSystemFor, load, readDataDir } from '../../src/persistence/index.js';
import { expectSameParams } from '../helpers/params.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { referenceEM, type RefMixture } from './gmm-reference.js';

const local = Session.builder().master('local[2]').create();
const inline = Session.builder().master('inline').create();
afterAll(async () => { await local.stop(); await inline.stop(); });
const { fresh } = useTempDir('quiver-gmm-');

const frame = (spark: Session, points: number[][], numPartitions = 2, extra?: (i: number) => Record<string, unknown>) =>
  spark.createDataFrame(points.map((p, i) => ({ features: Vectors.dense(p), ...(extra ? extra(i) : {}) })), { numPartitions });

/** Gaussian blobs: `k` centers in [-10, 10]^d, noise of standard deviation `sd`. */
function blobs(n: number, d: number, k: number, seed: number, sd = 1): number[][] {
  const rng = randomStream(seed, 'test-gmm-blobs');
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => 20 * rng() - 10));
  return Array.from({ length: n }, (_, i) => centers[i % k].map((c) => c + sd * gaussian(rng)));
}

const covRows = (m: DenseMatrix) => Array.from({ length: m.numRows }, (_, i) => Array.from({ length: m.numCols }, (_, j) => m.get(i, j)));
const asRef = (m: GaussianMixtureModel): RefMixture => ({
  weights: m.weights, means: m.gaussians.map((g) => Array.from(g.mean.values)), covs: m.gaussians.map((g) => covRows(g.cov)),
});
const modelOf = (weights: number[], means: number[][], covs: number[][][]) =>
  new GaussianMixtureModel(weights, means.map((mu, j) => new MultivariateGaussian(Vectors.dense(mu), Matrices.dense(mu.length, mu.length, covs[j].flat()))));

/** Relative closeness (absolute near zero). */
function expectClose(actual: number[], expected: number[], rtol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(expected[i]))));
}
function expectSameMixture(a: RefMixture, b: RefMixture, rtol: number): void {
  expectClose(a.weights, b.weights, rtol);
  expectClose(a.means.flat(), b.means.flat(), rtol);
  expectClose(a.covs.flat(2), b.covs.flat(2), rtol);
}
/** Spark's GaussianMixtureSuite.modelEquals: components sorted by weight, absTol 1e-3. */
function expectSparkEquals(actual: GaussianMixtureModel, weights: number[], means: number[][], covs: number[][], tol = 1e-3): void {
  const order = actual.weights.map((w, j) => [w, j]).sort((a, b) => a[0] - b[0]).map(([, j]) => j);
  const want = weights.map((w, j) => [w, j]).sort((a, b) => a[0] - b[0]).map(([, j]) => j);
  order.forEach((j, r) => {
    const e = want[r];
    expect(Math.abs(actual.weights[j] - weights[e])).toBeLessThan(tol);
    Array.from(actual.gaussians[j].mean.values).forEach((v, t) => expect(Math.abs(v - means[e][t])).toBeLessThan(tol));
    Array.from(actual.gaussians[j].cov.toArray()).forEach((v, t) => expect(Math.abs(v - covs[e][t])).toBeLessThan(tol));
  });
}

// GaussianMixtureSuite's data sets.
const denseData = [-5.1971, -2.5359, -3.8220, -5.2211, -5.0602, 4.7118, 6.8989, 3.4592, 4.6322, 5.7048, 4.6567, 5.5026, 4.5605, 5.2043, 6.2734].map((v) => [v]);
const rData = [
  [-0.6264538, 0.1836433], [-0.8356286, 1.5952808], [0.3295078, -0.8204684], [0.4874291, 0.7383247], [0.5757814, -0.3053884],
  [1.5117812, 0.3898432], [-0.6212406, -2.2146999], [11.1249309, 9.9550664], [9.9838097, 10.9438362], [10.8212212, 10.5939013],
  [10.9189774, 10.7821363], [10.0745650, 8.0106483], [10.6198257, 9.9438713], [9.8442045, 8.5292476], [9.5218499, 10.4179416],
];
const SPARK_SEED = 538009335;

describe('GaussianMixture params (Spark GaussianMixtureSuite "default parameters", "parameters validation")', () => {
  it('has Spark defaults', () => {
    const gm = new GaussianMixture();
    expect(gm.getK()).toBe(2);
    expect(gm.getMaxIter()).toBe(100);
    expect(gm.getTol()).toBe(0.01);
    expect(gm.getAggregationDepth()).toBe(2);
    expect(gm.getFeaturesCol()).toBe('features');
    expect(gm.getPredictionCol()).toBe('prediction');
    expect(gm.getProbabilityCol()).toBe('probability');
    expect(gm.getSeed()).toBe(javaStringHashCode('org.apache.spark.ml.clustering.GaussianMixture'));
    expect(gm.isDefined(gm.weightCol)).toBe(false);
    expect(gm.initialModel).toBeNull();
  });

  it('rejects invalid values', () => {
    expect(() => new GaussianMixture({ k: 1 })).toThrow(/k given invalid value 1.*> 1/);
    expect(() => new GaussianMixture().setMaxIter(-1)).toThrow(/maxIter/);
    expect(() => new GaussianMixture().setAggregationDepth(1)).toThrow(/aggregationDepth/);
    expect(() => new GaussianMixture({ k: 9 }).setInitialModel(modelOf([0.5, 0.5], [[1], [2]], [[[1]], [[1]]]))).toThrow(/mismatched cluster count/);
  });

  it('unpacks upper-triangular storage as Spark (GaussianMixtureSuite "upper triangular matrix unpacking")', () => {
    const packed = Float64Array.from([1.0, 2.5, 2.0, 3.8, 7.2, 3.0, 0.9, 3.8, 1.0, 4.0]);
    expect(Array.from(unpackUpperTriangular(4, packed))).toEqual([1.0, 2.5, 3.8, 0.9, 2.5, 2.0, 7.2, 3.8, 3.8, 7.2, 3.0, 1.0, 0.9, 3.8, 1.0, 4.0]);
  });
});

describe("GaussianMixture on Spark GaussianMixtureSuite's data", () => {
  // Spark's expected model (from the suite): weights 2/3, 1/3; means 5.1604, -4.3673; variances 0.86644, 1.1098.
  const uniWeights = [2 / 3, 1 / 3], uniMeans = [[5.1604], [-4.3673]], uniCovs = [[0.86644], [1.1098]];

  it('univariate dense/sparse data with two clusters', async () => {
    const dense = frame(local, denseData);
    const sparse = local.createDataFrame(denseData.map((p) => ({ features: Vectors.dense(p).toSparse() })), { numPartitions: 2 });
    for (const df of [dense, sparse]) {
      const model = await new GaussianMixture({ k: 2, seed: SPARK_SEED }).fit(df);
      expectSparkEquals(model, uniWeights, uniMeans, uniCovs);
    }
  });

  it('univariate data with two clusters and an initial model', async () => {
    const init = modelOf([0.5, 0.5], [[5], [-3]], [[[1]], [[1]]]);
    const model = await new GaussianMixture({ k: 2 }).setInitialModel(init).fit(frame(local, denseData));
    expectSparkEquals(model, uniWeights, uniMeans, uniCovs);
  });

  it('multivariate data, as R mixtools mvnormalmixEM (the suite\'s expected values)', async () => {
    const model = await new GaussianMixture({ k: 2, seed: SPARK_SEED }).fit(frame(local, rData));
    expectSparkEquals(model, [0.5333333, 0.4666667], [[10.363673, 9.897081], [0.11731091, -0.06192351]],
      [[0.2961543, 0.1607830, 0.160783, 1.008878], [0.62049934, 0.06880802, 0.06880802, 1.27431874]]);
    expect(Math.abs(model.summary.logLikelihood - -46.89499)).toBeLessThan(1e-5);
  });

  it('fit, transform and summary (Spark: 50 rows of 5 distinct points, k = 5, maxIter 2)', async () => {
    const points = Array.from({ length: 50 }, (_, r) => new Array(3).fill((r + 1) % 5));
    const df = frame(local, points);
    const model = await new GaussianMixture({ k: 5, maxIter: 2, predictionCol: 'gm_prediction', probabilityCol: 'gm_probability', seed: 1 }).fit(df);
    expect(model.hasParent()).toBe(true);
    expect(model.weights).toHaveLength(5);
    expect(model.gaussians).toHaveLength(5);
    const rows = await model.transform(df).collect();
    for (const r of rows) {
      const p = Array.from((r.gm_probability as DenseVector).values);
      expect(r.gm_prediction).toBe(p.indexOf(Math.max(...p)));
      expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
    }
    const s = model.summary;
    expect([s.predictionCol, s.probabilityCol, s.featuresCol]).toEqual(['gm_prediction', 'gm_probability', 'features']);
    expect(await s.predictions.count()).toBe(50);
    expect(s.predictions.columns).toEqual(expect.arrayContaining(['gm_prediction', 'gm_probability', 'features']));
    expect(s.cluster.columns).toEqual(['gm_prediction']);
    expect(s.probability.columns).toEqual(['gm_probability']);
    expect(s.clusterSizes).toHaveLength(5);
    expect(s.clusterSizes.reduce((a, b) => a + b, 0)).toBe(50);
    // clusterSizes counts the summary's own predictions.
    const counted = new Array(5).fill(0);
    for (const r of await s.cluster.collect()) counted[r.gm_prediction as number]++;
    expect(s.clusterSizes).toEqual(counted);
    expect(s.numIter).toBe(2);
    expect(s.k).toBe(5);
    expect(model.copy().hasSummary).toBe(true);
    model.setSummary(null);
    expect(model.hasSummary).toBe(false);
    expect(() => model.summary).toThrow(/No training summary/);
  });

  it('gaussiansDF: one row per Gaussian with its mean and covariance (Spark\'s mean, cov columns)', async () => {
    const model = modelOf([0.25, 0.75], [[1, 2], [3, 4]], [[[2, 0.5], [0.5, 1]], [[1, 0], [0, 3]]]);
    const rows = await model.gaussiansDF(local).collect();
    expect(rows.map((r) => Array.from((r.mean as DenseVector).values))).toEqual([[1, 2], [3, 4]]);
    expect(rows.map((r) => r.cov)).toEqual([{ numRows: 2, numCols: 2, values: [2, 0.5, 0.5, 1] }, { numRows: 2, numCols: 2, values: [1, 0, 0, 3] }]);
  });

  it('prediction on a single instance matches transform (Spark "prediction on single instance")', async () => {
    const df = frame(local, rData);
    const model = await new GaussianMixture({ seed: 123 }).fit(df);
    for (const r of await model.transform(df).collect()) {
      expect(model.predict(r.features as DenseVector)).toBe(r.prediction);
      expect(Array.from(model.predictProbability(r.features as DenseVector).values)).toEqual(Array.from((r.probability as DenseVector).values));
    }
  });

  it('constant instance weights give the unweighted model (Spark "GMM support instance weighting")', async () => {
    const points = blobs(60, 2, 3, 7);
    const unweighted = await new GaussianMixture({ k: 3, maxIter: 20, seed: SPARK_SEED }).fit(frame(local, points));
    for (const w of [1, 10, 100]) {
      const weighted = await new GaussianMixture({ k: 3, maxIter: 20, seed: SPARK_SEED, weightCol: 'weight' }).fit(frame(local, points, 2, () => ({ weight: w })));
      expectSameMixture(asRef(weighted), asRef(unweighted), 1e-9);
    }
  });
});

describe('GaussianMixture against a slow EM reference (plain loops, Cholesky densities)', () => {
  const points = blobs(90, 3, 3, 11, 1.5);
  const init = modelOf([0.2, 0.3, 0.5], [points[0], points[1], points[2]],
    [[[4, 0.5, 0], [0.5, 4, 0.2], [0, 0.2, 4]], [[3, 0, 0], [0, 3, 0], [0, 0, 3]], [[5, -1, 0], [-1, 5, 0], [0, 0, 5]]]);

  it('matches the reference to 1e-9 after 12 iterations, and its log-likelihood', async () => {
    const model = await new GaussianMixture({ k: 3, maxIter: 12, tol: 0 }).setInitialModel(init).fit(frame(local, points, 3));
    const ref = referenceEM(points, asRef(init), 12, 0);
    expect(model.summary.numIter).toBe(ref.numIter);
    expectSameMixture(asRef(model), ref.mixture, 1e-9);
    expectClose([model.summary.logLikelihood], [ref.ll], 1e-9);
  });

  it('matches the weighted reference, and integer weights equal repeated rows', async () => {
    const w = points.map((_, i) => (i % 3) + 1);
    const model = await new GaussianMixture({ k: 3, maxIter: 8, tol: 0, weightCol: 'w' }).setInitialModel(init).fit(frame(local, points, 2, (i) => ({ w: w[i] })));
    const ref = referenceEM(points, asRef(init), 8, 0, w);
    expectSameMixture(asRef(model), ref.mixture, 1e-9);
    const repeated = points.flatMap((p, i) => new Array(w[i]).fill(p));
    const dup = await new GaussianMixture({ k: 3, maxIter: 8, tol: 0 }).setInitialModel(init).fit(frame(local, repeated, 2));
    expectSameMixture(asRef(dup), ref.mixture, 1e-9);
  });

  it("stops as Spark: when the log-likelihood moves by at most tol (maxIter 0 returns the initial mixture)", async () => {
    const df = frame(inline, points, 2);
    const model = await new GaussianMixture({ k: 3, tol: 1e-3 }).setInitialModel(init).fit(df);
    const ref = referenceEM(points, asRef(init), 100, 1e-3);
    expect(model.summary.numIter).toBe(ref.numIter);
    const h = model.summary.logLikelihoodHistory;
    expect(Math.abs(h[h.length - 1] - h[h.length - 2])).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(h[h.length - 2] - h[h.length - 3])).toBeGreaterThan(1e-3);
    const none = await new GaussianMixture({ k: 3, maxIter: 0 }).setInitialModel(init).fit(df);
    expectSameMixture(asRef(none), asRef(init), 0);
    expect(none.summary.numIter).toBe(0);
  });
});

describe('GaussianMixture initialisation (Spark initRandom)', () => {
  it('uniform weights without a weight column, diagonal covariances, means inside the data range', async () => {
    const points = blobs(40, 3, 2, 5);
    const model = await new GaussianMixture({ k: 4, maxIter: 0, seed: 3 }).fit(frame(local, points));
    expect(model.weights).toEqual([0.25, 0.25, 0.25, 0.25]);
    for (const g of model.gaussians) {
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== j) expect(g.cov.get(i, j)).toBe(0);
      for (let t = 0; t < 3; t++) {
        const col = points.map((p) => p[t]);
        expect(g.mean.values[t]).toBeGreaterThanOrEqual(Math.min(...col));
        expect(g.mean.values[t]).toBeLessThanOrEqual(Math.max(...col));
        expect(g.cov.get(t, t)).toBeGreaterThan(0);
      }
    }
  });
});

describe('GaussianMixture property: the log-likelihood never decreases across EM iterations', () => {
  it('holds on random mixtures (fast-check, seed 20261207)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 30, max: 80 }),
      async (seed, d, k, n) => {
        const points = blobs(n, d, k, seed, 2);
        const model = await new GaussianMixture({ k, maxIter: 15, tol: 0, seed }).fit(frame(inline, points, 2));
        const h = model.summary.logLikelihoodHistory;
        for (let i = 1; i < h.length; i++) expect(h[i]).toBeGreaterThanOrEqual(h[i - 1] - 1e-9 * Math.abs(h[i - 1]));
      }), { seed: 20261207, numRuns: 12 });
  });
});

describe('GaussianMixture partition and master independence', () => {
  it('gives the same model for 1, 2 and 4 partitions, on local[2] and inline', async () => {
    const points = blobs(120, 2, 3, 21);
    const base = await new GaussianMixture({ k: 3, seed: 9 }).fit(frame(inline, points, 1));
    for (const [spark, parts] of [[inline, 2], [inline, 4], [local, 1], [local, 2], [local, 4]] as const) {
      const m = await new GaussianMixture({ k: 3, seed: 9 }).fit(frame(spark, points, parts));
      expect(m.summary.numIter).toBe(base.summary.numIter);
      expectSameMixture(asRef(m), asRef(base), 1e-9);
      expect(m.summary.clusterSizes).toEqual(base.summary.clusterSizes);
    }
  });
});

describe('GaussianMixtureModel persistence', () => {
  it("save -> load: Spark's layout (one row of weights, mus, sigmas), identical transform", async () => {
    const df = frame(local, rData);
    const model = await new GaussianMixture({ k: 2, seed: 4, predictionCol: 'myPrediction', probabilityCol: 'myProbability', maxIter: 5 }).fit(df);
    const path = fresh('gmm-model');
    await model.save(path);
    const meta = JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8'));
    expect(meta.class).toBe('org.apache.spark.ml.clustering.GaussianMixtureModel');
    expect(meta.paramMap).toMatchObject({ k: 2, seed: 4, predictionCol: 'myPrediction', probabilityCol: 'myProbability', maxIter: 5 });
    const data = await readDataDir(fileSystemFor(path), path);
    expect(data.schema.fields.map((f) => f.name)).toEqual(['weights', 'mus', 'sigmas']);
    expect(data.numRows).toBe(1);
    const loaded = await GaussianMixtureModel.load(path);
    expectSameParams(model, loaded);
    expect(loaded.uid).toBe(model.uid);
    expect(loaded.weights).toEqual(model.weights);
    expect(loaded.gaussians.map((g) => Array.from(g.cov.toArray()))).toEqual(model.gaussians.map((g) => Array.from(g.cov.toArray())));
    expect(await loaded.transform(df).collect()).toEqual(await model.transform(df).collect());
    expect((await load<GaussianMixtureModel>(path)).weights).toEqual(model.weights);
  });

  it('the estimator saves its params', async () => {
    const gm = new GaussianMixture({ k: 3, maxIter: 2, tol: 0.01, predictionCol: 'myPrediction', probabilityCol: 'myProbability' });
    const path = fresh('gmm');
    await gm.save(path);
    expectSameParams(gm, await GaussianMixture.load(path));
  });
});

describe('GaussianMixture bad input', () => {
  it('checks the schema before touching data', async () => {
    const df = local.createDataFrame([{ x: 1.0, features: Vectors.dense([1, 2]) }]);
    await expect(new GaussianMixture({ featuresCol: 'nope' }).fit(df)).rejects.toThrow(/nope/);
    await expect(new GaussianMixture({ featuresCol: 'x' }).fit(df)).rejects.toThrow(/must be of type vector/);
    await expect(new GaussianMixture({ predictionCol: 'x' }).fit(df)).rejects.toThrow(/x already exists/);
    await expect(new GaussianMixture({ probabilityCol: 'x' }).fit(df)).rejects.toThrow(/x already exists/);
  });

  it('names a null vector, a non-finite value, a bad weight, too few rows', async () => {
    const rows = blobs(10, 2, 2, 1).map((p) => ({ features: Vectors.dense(p) as DenseVector | null, w: 1 }));
    const withNull = [...rows, { features: null, w: 1 }];
    await expect(new GaussianMixture().fit(local.createDataFrame(withNull, { numPartitions: 2 }))).rejects.toThrow(/features column 'features' holds a null vector/);
    const nan = [...rows, { features: Vectors.dense([NaN, 1]), w: 1 }];
    await expect(new GaussianMixture().fit(local.createDataFrame(nan))).rejects.toThrow(/holds NaN.*must be finite/);
    const neg = [...rows, { features: Vectors.dense([0, 1]), w: -1 }];
    await expect(new GaussianMixture({ weightCol: 'w' }).fit(local.createDataFrame(neg))).rejects.toThrow(/weight column 'w' must hold finite values >= 0/);
    await expect(new GaussianMixture({ k: 4 }).fit(frame(local, [[1, 2], [3, 4], [5, 6]]))).rejects.toThrow(/3 row\(s\) but k is 4/);
  });

  it('refuses more than 46340 features (Spark "gmm fails on high dimensional data")', async () => {
    const size = 46341 + 1;
    const df = local.createDataFrame([
      { features: Vectors.sparse(size, [0, 4], [3, 8]) }, { features: Vectors.sparse(size, [1, 5], [4, 9]) },
    ]);
    await expect(new GaussianMixture().fit(df)).rejects.toThrow(/cannot handle more than 46340 features/);
  });

  it('refuses a degenerate covariance with a clear error, and a model of mismatched size', async () => {
    const same = frame(local, new Array(12).fill([1, 1]));
    await expect(new GaussianMixture({ k: 2 }).fit(same)).rejects.toThrow(/Covariance matrix has no non-zero singular values/);
    const model = modelOf([0.5, 0.5], [[1], [2]], [[[1]], [[1]]]);
    expect(() => model.predict(Vectors.dense([1, 2]))).toThrow(/expected a vector of size 1 but got 2/);
    await expect(new GaussianMixture({ k: 2 }).setInitialModel(model).fit(frame(local, rData))).rejects.toThrow(/initial model's Gaussians have 1 features but the data has 2/);
  });
});
