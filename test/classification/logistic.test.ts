import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { Session } from '../../src/dataframe/session.js';
import { LogisticRegression, LogisticRegressionModel } from '../../src/classification/logistic.js';
import { BinaryLogisticRegressionTrainingSummary } from '../../src/classification/logistic-summary.js';
import { DenseMatrix } from '../../src/linalg/matrix.js';
import { DenseVector, Vectors, type Vector } from '../../src/linalg/vectors.js';
import { gaussian, randomStream } from '../../src/linalg/random.js';
import type { Row } from '../../src/dataframe/rows.js';
import { useSparkAndInline } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { expectClose } from '../helpers/close.js';

const { spark, inline } = useSparkAndInline();
const { freshDir } = useTempDir('quiver-logreg-');

/** Doctest matching: `-1.080...` means the printed value starts with those digits. */
function expectDocValue(actual: number, published: string): void {
  const decimals = published.split('.')[1].length;
  expect(Math.trunc(actual * 10 ** decimals) / 10 ** decimals, `${actual} vs ${published}...`).toBe(Number(published));
}

// --- slow references ------------------------------------------------------------------------

interface Data { X: number[][]; y: number[]; w: number[] }

/** Spark's feature σ: weighted, unbiased (denominator W − Σw²/W). */
function sparkStd(data: Data): number[] {
  const { X, w } = data;
  const W = w.reduce((a, b) => a + b, 0), W2 = w.reduce((a, b) => a + b * b, 0);
  return X[0].map((_, j) => {
    const mean = X.reduce((s, x, i) => s + w[i] * x[j], 0) / W;
    const m2 = X.reduce((s, x, i) => s + w[i] * (x[j] - mean) ** 2, 0);
    return Math.sqrt(m2 / (W - W2 / W));
  });
}

/** Solves A·x = b by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length, M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/**
 * Newton's method on Spark's binomial objective: (1/W)Σ w·logloss + ½λΣ(β_j·s_j)², s = σ with
 * standardization, else 1. Returns [β..., b].
 */
function newtonLogistic(data: Data, lambda: number, standardization: boolean, fitIntercept = true): number[] {
  const { X, y, w } = data;
  const d = X[0].length, W = w.reduce((a, b) => a + b, 0);
  const s = standardization ? sparkStd(data) : X[0].map(() => 1);
  let theta = new Array<number>(d + 1).fill(0);
  if (!fitIntercept) {
    // The intercept held at 0: solve the d×d system and append 0.
    for (let it = 0; it < 50; it++) {
      const g = new Array<number>(d).fill(0);
      const H = Array.from({ length: d }, () => new Array<number>(d).fill(0));
      X.forEach((x, i) => {
        const z = x.reduce((a, v, j) => a + v * theta[j], 0);
        const p = 1 / (1 + Math.exp(-z));
        for (let a = 0; a < d; a++) {
          g[a] += (w[i] * (p - y[i]) * x[a]) / W;
          for (let b = 0; b < d; b++) H[a][b] += (w[i] * p * (1 - p) * x[a] * x[b]) / W;
        }
      });
      for (let j = 0; j < d; j++) { g[j] += lambda * s[j] * s[j] * theta[j]; H[j][j] += lambda * s[j] * s[j]; }
      const step = solve(H, g);
      for (let j = 0; j < d; j++) theta[j] -= step[j];
    }
    return theta;
  }
  for (let it = 0; it < 50; it++) {
    const g = new Array<number>(d + 1).fill(0);
    const H = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    X.forEach((x, i) => {
      const xe = [...x, 1];
      const z = xe.reduce((a, v, j) => a + v * theta[j], 0);
      const p = 1 / (1 + Math.exp(-z));
      for (let a = 0; a <= d; a++) {
        g[a] += (w[i] * (p - y[i]) * xe[a]) / W;
        for (let b = 0; b <= d; b++) H[a][b] += (w[i] * p * (1 - p) * xe[a] * xe[b]) / W;
      }
    });
    for (let j = 0; j < d; j++) { g[j] += lambda * s[j] * s[j] * theta[j]; H[j][j] += lambda * s[j] * s[j]; }
    const step = solve(H, g);
    theta = theta.map((t, j) => t - step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-14) break;
  }
  return theta;
}

/** Generated binary data: correlated features with offsets, labels from a logistic model. */
function binaryData(n: number, seed: number): Data {
  const rng = randomStream(seed, 'logistic-test');
  const X: number[][] = [], y: number[] = [], w: number[] = [];
  for (let i = 0; i < n; i++) {
    const z0 = gaussian(rng), z1 = gaussian(rng), z2 = gaussian(rng);
    const x = [3 + z0, -2 + 0.5 * z0 + z1, 10 + 2 * z2];
    const p = 1 / (1 + Math.exp(-(0.8 * x[0] - 1.2 * x[1] + 0.3 * x[2] - 6)));
    X.push(x);
    y.push(rng() < p ? 1 : 0);
    w.push(0.5 + rng());
  }
  return { X, y, w };
}

function rowsOf(data: Data, sparse = false): Row[] {
  return data.X.map((x, i) => ({
    features: sparse ? Vectors.dense(x).toSparse() : Vectors.dense(x), label: data.y[i], weight: data.w[i],
  }));
}

function theta(m: LogisticRegressionModel): number[] {
  return [...m.coefficients.values, m.intercept];
}

// The weighted 4-row example of the PySpark LogisticRegression documentation.
const docRows = () => [
  { label: 1.0, weight: 1.0, features: Vectors.dense([0.0, 5.0]) },
  { label: 0.0, weight: 2.0, features: Vectors.dense([1.0, 2.0]) },
  { label: 1.0, weight: 3.0, features: Vectors.dense([2.0, 1.0]) },
  { label: 0.0, weight: 4.0, features: Vectors.dense([3.0, 3.0]) },
];

describe('LogisticRegression: the PySpark documentation example', () => {
  it('gives the published coefficients, intercept and predictions (weightCol, regParam 0.01)', async () => {
    const bdf = spark().createDataFrame(docRows());
    // More partitions than rows: empty partitions change nothing.
    const sevenParts = await new LogisticRegression({ weightCol: 'weight', regParam: 0.01 }).fit(spark().createDataFrame(docRows(), { numPartitions: 7 }));
    const blor = new LogisticRegression({ weightCol: 'weight' });
    expect(blor.getRegParam()).toBe(0);
    blor.setRegParam(0.01);
    blor.setMaxIter(10);
    expect(blor.getMaxIter()).toBe(10);
    blor.clear(blor.maxIter);
    const model = await blor.fit(bdf);
    // Published: coefficients DenseVector([-1.080..., -0.646...]), intercept 3.112...
    expectDocValue(model.coefficients.get(0), '-1.080');
    expectDocValue(model.coefficients.get(1), '-0.646');
    expectDocValue(model.intercept, '3.112');
    // The optimum itself, by Newton's method on the same objective.
    const data: Data = { X: [[0, 5], [1, 2], [2, 1], [3, 3]], y: [1, 0, 1, 0], w: [1, 2, 3, 4] };
    expectClose(theta(model), newtonLogistic(data, 0.01, true), { atol: 1e-5 }, 'vs Newton');
    expectClose(theta(sevenParts), theta(model), { atol: 1e-12 }, '7 partitions');

    // The training summary keeps the predictions of the model as fitted (Spark's re-reads the model's
    // threshold lazily), so evaluate() is compared before the threshold changes.
    expect(await model.evaluate(bdf).accuracy()).toBe(await model.summary.accuracy());
    model.setProbabilityCol('newProbability');
    expect(model.getMaxBlockSizeInMB()).toBe(0);
    model.setThreshold(0.1);
    expect(model.getThreshold()).toBe(0.1);
    const test0 = Vectors.dense([-1.0, 1.0]);
    expect(model.predict(test0)).toBe(1);
    const raw = model.predictRaw(test0);
    expectDocValue(raw.get(0), '-3.54');
    expectDocValue(raw.get(1), '3.54');
    const prob = model.predictProbability(test0);
    expect(prob.get(0)).toBeCloseTo(0.028, 3); // published: DenseVector([0.028, 0.972])
    expect(prob.get(1)).toBeCloseTo(0.972, 3);
    const [result] = await model.transform(spark().createDataFrame([{ features: test0 }])).collect();
    expect(result.prediction).toBe(1);
    expectDocValue((result.newProbability as DenseVector).get(0), '0.02');
    expectDocValue((result.rawPrediction as DenseVector).get(0), '-3.54');
    const [sp] = await model.transform(spark().createDataFrame([{ features: Vectors.sparse(2, [0], [1.0]) }])).collect();
    expect(sp.prediction).toBe(1);
    expectDocValue((sp.rawPrediction as DenseVector).get(0), '-2.03');
    expectDocValue((sp.rawPrediction as DenseVector).get(1), '2.03');
  });

  it('fits the multinomial lasso of the documentation (sample_multiclass_classification_data, regParam 0.1, elasticNetParam 1)', async () => {
    const path = fileURLToPath(new URL('./fixtures/sample_multiclass_classification_data.txt', import.meta.url));
    const mdf = await spark().read.libsvm(path);
    const model = await new LogisticRegression({ regParam: 0.1, elasticNetParam: 1.0, family: 'multinomial' }).fit(mdf);
    // Published: SparseMatrix(3, 4, [0, 1, 2, 3], [3, 2, 1], [1.87..., -2.75..., -0.50...], 1): row-major,
    // one nonzero per class; interceptVector DenseVector([0.04..., -0.42..., 0.37...]).
    const C = model.coefficientMatrix;
    expect([C.numRows, C.numCols]).toEqual([3, 4]);
    const nonzero = [[0, 3], [1, 2], [2, 1]];
    for (let c = 0; c < 3; c++) for (let j = 0; j < 4; j++) {
      if (!nonzero.some(([a, b]) => a === c && b === j)) expect(C.get(c, j)).toBe(0);
    }
    expectDocValue(C.get(0, 3), '1.87');
    expectDocValue(C.get(1, 2), '-2.75');
    expectDocValue(C.get(2, 1), '-0.50');
    expectDocValue(model.interceptVector.get(0), '0.04');
    expectDocValue(model.interceptVector.get(1), '-0.42');
    expectDocValue(model.interceptVector.get(2), '0.37');
    expect(model.numClasses).toBe(3);
    expect(() => model.coefficients).toThrow(/use coefficientMatrix instead/);
    expect(() => model.binarySummary).toThrow(/non-binary model/);
    expect(await model.summary.labels()).toEqual([0, 1, 2]);
    expect(await model.summary.accuracy()).toBeGreaterThan(0.8);
  });
});

describe('LogisticRegression: against slow references', () => {
  it('binomial without and with L2 regularization, standardization on and off, equals Newton', async () => {
    const data = binaryData(150, 1);
    const df = spark().createDataFrame(rowsOf(data), { numPartitions: 3 });
    for (const [regParam, standardization, fitIntercept] of [[0, true, true], [0.05, true, true], [0.05, false, true], [0.02, true, false]] as const) {
      const m = await new LogisticRegression({ weightCol: 'weight', regParam, standardization, fitIntercept, tol: 1e-10 }).fit(df);
      expectClose(theta(m), newtonLogistic(data, regParam, standardization, fitIntercept), { atol: 2e-5 }, `reg ${regParam} std ${standardization} intercept ${fitIntercept}`);
      const h = m.summary.objectiveHistory;
      expect(m.summary.totalIterations).toBe(h.length - 1);
      for (let i = 1; i < h.length; i++) expect(h[i]).toBeLessThanOrEqual(h[i - 1] + 1e-15);
    }
  });

  it('binomial lasso (OWL-QN) equals proximal gradient on the standardized objective', async () => {
    const data = binaryData(120, 2);
    const df = spark().createDataFrame(rowsOf(data), { numPartitions: 2 });
    const lambda = 0.02;
    const m = await new LogisticRegression({ weightCol: 'weight', regParam: lambda, elasticNetParam: 1, tol: 1e-12, maxIter: 500 }).fit(df);
    const s = sparkStd(data);
    // Proximal gradient (ISTA) in standardized coordinates u_j = β_j·σ_j, intercept unpenalised.
    const { X, y, w } = data, W = w.reduce((a, b) => a + b, 0), d = 3;
    const mean = s.map((_, j) => X.reduce((a, x, i) => a + w[i] * x[j], 0) / W);
    const Z = X.map((x) => x.map((v, j) => (v - mean[j]) / s[j]));
    let u = [0, 0, 0], b = 0;
    const step = 1;
    for (let it = 0; it < 20000; it++) {
      const gu = [0, 0, 0];
      let gb = 0;
      Z.forEach((z, i) => {
        const p = 1 / (1 + Math.exp(-(z.reduce((a, v, j) => a + v * u[j], 0) + b)));
        const r = (w[i] * (p - y[i])) / W;
        for (let j = 0; j < d; j++) gu[j] += r * z[j];
        gb += r;
      });
      u = u.map((v, j) => { const t = v - step * gu[j]; return Math.sign(t) * Math.max(Math.abs(t) - step * lambda, 0); });
      b -= step * gb;
    }
    const beta = u.map((v, j) => v / s[j]);
    const intercept = b - beta.reduce((a, v, j) => a + v * mean[j], 0);
    expectClose(theta(m), [...beta, intercept], { atol: 1e-4 }, 'lasso');
  });

  it('multinomial without regularization: zero gradient at the centred solution', async () => {
    const rng = randomStream(5, 'multinomial');
    const X: number[][] = [], y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const x = [gaussian(rng), gaussian(rng) + 1];
      const m = [0.5 * x[0], -x[0] + x[1], 0.3 - x[1]];
      const e = m.map(Math.exp), s = e.reduce((a, v) => a + v, 0);
      const u = rng() * s;
      X.push(x);
      y.push(u < e[0] ? 0 : u < e[0] + e[1] ? 1 : 2);
    }
    const df = spark().createDataFrame(X.map((x, i) => ({ features: Vectors.dense(x), label: y[i] })), { numPartitions: 3 });
    const model = await new LogisticRegression({ tol: 1e-10 }).fit(df);
    expect(model.isMultinomial).toBe(true);
    const C = model.coefficientMatrix, b = model.interceptVector.values;
    // Identifiability centering: columns and intercepts sum to 0.
    for (let j = 0; j < 2; j++) expect(Math.abs(C.get(0, j) + C.get(1, j) + C.get(2, j))).toBeLessThan(1e-12);
    expect(Math.abs(b[0] + b[1] + b[2])).toBeLessThan(1e-12);
    const grad = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    X.forEach((x, i) => {
      const p = model.predictProbability(Vectors.dense(x)).values;
      const xe = [...x, 1];
      for (let c = 0; c < 3; c++) for (let j = 0; j < 3; j++) grad[c][j] += ((p[c] - (y[i] === c ? 1 : 0)) * xe[j]) / X.length;
    });
    for (const g of grad.flat()) expect(Math.abs(g)).toBeLessThan(1e-6);
    const h = model.summary.objectiveHistory;
    for (let i = 1; i < h.length; i++) expect(h[i]).toBeLessThanOrEqual(h[i - 1] + 1e-15);
  });

  it('respects bounds (L-BFGS-B): an upper bound of 0 pins a coefficient, the rest stay optimal', async () => {
    const data = binaryData(150, 3);
    const df = spark().createDataFrame(rowsOf(data), { numPartitions: 2 });
    const free = await new LogisticRegression({ weightCol: 'weight' }).fit(df);
    expect(free.coefficients.get(0)).toBeGreaterThan(0);
    const upper = DenseMatrix.fromRowMajor(1, 3, [0, Infinity, Infinity]);
    const m = await new LogisticRegression({ weightCol: 'weight', upperBoundsOnCoefficients: upper, tol: 1e-10 }).fit(df);
    expect(m.coefficients.get(0)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(m.coefficients.get(0))).toBeLessThan(1e-8);
    // Optimality of the free coordinates: the reference is Newton on the data with feature 0 dropped.
    const reduced = newtonLogistic({ ...data, X: data.X.map((x) => x.slice(1)) }, 0, true);
    // L-BFGS-B stops on Breeze's projected-gradient test (1e-5, in standardized space).
    expectClose([m.coefficients.get(1), m.coefficients.get(2), m.intercept], reduced, { atol: 1e-3 }, 'bounded');
    await expect(new LogisticRegression({ upperBoundsOnCoefficients: DenseMatrix.fromRowMajor(1, 2, [0, 0]) }).fit(df))
      .rejects.toThrow(/shape of upperBoundsOnCoefficients must be compatible/);
  });

  it('bounds a multinomial model: coefficients within bounds, no identifiability centering', async () => {
    const path = fileURLToPath(new URL('./fixtures/sample_multiclass_classification_data.txt', import.meta.url));
    const mdf = await spark().read.libsvm(path);
    const lower = DenseMatrix.fromRowMajor(3, 4, new Array(12).fill(0));
    const m = await new LogisticRegression({ lowerBoundsOnCoefficients: lower, regParam: 0.01 }).fit(mdf);
    expect(m.isMultinomial).toBe(true);
    for (const v of m.coefficientMatrix.rowMajorValues()) expect(v).toBeGreaterThanOrEqual(0);
    expect(Math.max(...m.coefficientMatrix.rowMajorValues())).toBeGreaterThan(0.1);
  });
});

describe('LogisticRegression: Spark behaviours', () => {
  it('a constant label gives zero coefficients and an infinite intercept, without training', async () => {
    const ones = spark().createDataFrame([0, 1, 2, 3].map((v) => ({ features: Vectors.dense([v, 1]), label: 1 })));
    const m1 = await new LogisticRegression().fit(ones);
    expect([...m1.coefficients.values]).toEqual([0, 0]);
    expect(m1.intercept).toBe(Infinity);
    expect(m1.summary.objectiveHistory).toEqual([0]);
    expect(m1.predict(Vectors.dense([5, 5]))).toBe(1);
    const zeros = spark().createDataFrame([0, 1, 2].map((v) => ({ features: Vectors.dense([v, 1]), label: 0 })));
    expect((await new LogisticRegression().fit(zeros)).intercept).toBe(-Infinity);
    const multi = await new LogisticRegression({ family: 'multinomial' }).fit(ones);
    expect([...multi.interceptVector.values]).toEqual([0, Infinity]);
  });

  it('a constant feature gets coefficient 0', async () => {
    const data = binaryData(80, 4);
    data.X.forEach((x) => { x[1] = 7; });
    const df = spark().createDataFrame(rowsOf(data));
    const m = await new LogisticRegression({ weightCol: 'weight' }).fit(df);
    expect(m.coefficients.get(1)).toBe(0);
    const reduced = newtonLogistic({ ...data, X: data.X.map((x) => [x[0], x[2]]) }, 0, true);
    expectClose([m.coefficients.get(0), m.coefficients.get(2), m.intercept], reduced, { atol: 1e-4 });
  });

  it('summary metrics equal direct computations; thresholds steer predictions', async () => {
    const data = binaryData(120, 6);
    const df = spark().createDataFrame(rowsOf(data), { numPartitions: 3 });
    const m = await new LogisticRegression().fit(df); // unweighted
    const s = m.binarySummary;
    expect(s).toBeInstanceOf(BinaryLogisticRegressionTrainingSummary);
    const scores = data.X.map((x) => m.predictProbability(Vectors.dense(x)).get(1));
    const preds = scores.map((p) => (p > 0.5 ? 1 : 0));
    const n = data.y.length;
    expect(await s.accuracy()).toBeCloseTo(preds.filter((p, i) => p === data.y[i]).length / n, 12);
    const tp1 = preds.filter((p, i) => p === 1 && data.y[i] === 1).length;
    expect((await s.precisionByLabel())[1]).toBeCloseTo(tp1 / preds.filter((p) => p === 1).length, 12);
    expect((await s.recallByLabel())[1]).toBeCloseTo(tp1 / data.y.filter((v) => v === 1).length, 12);
    // AUC = P(score of a positive > score of a negative) (Mann–Whitney), exact with < 200 distinct scores.
    let pairs = 0, wins = 0;
    data.y.forEach((yi, i) => data.y.forEach((yj, j) => {
      if (yi === 1 && yj === 0) { pairs++; wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0; }
    }));
    expect(await s.areaUnderROC()).toBeCloseTo(wins / pairs, 12);
    const roc = await s.roc.collect();
    expect(roc[0]).toEqual({ FPR: 0, TPR: 0 });
    expect(roc[roc.length - 1]).toEqual({ FPR: 1, TPR: 1 });
    expect((await s.pr.collect()).length).toBe(n + 1);
    expect(await s.weightedRecall()).toBeCloseTo(await s.accuracy(), 12);
    // Threshold 0 predicts 1 everywhere, threshold 1 nowhere.
    const all = await m.copy().setThreshold(0).transform(df).collect();
    expect(all.every((r) => r.prediction === 1)).toBe(true);
    const none = await m.copy().setThreshold(1).transform(df).collect();
    expect(none.every((r) => r.prediction === 0)).toBe(true);
    // threshold and thresholds are one setting: each clears the other.
    const est = new LogisticRegression().setThresholds([0.4, 0.6]);
    expect(est.getThreshold()).toBeCloseTo(0.6, 12);
    est.setThreshold(0.3);
    expect([...est.getThresholds()]).toEqual([0.7, 0.3]);
  });

  it('gives the same model for 1, 2 or 7 partitions, local[2] or inline, dense or sparse features', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(0, 0.5), async (seed, elasticNetParam) => {
      const data = binaryData(60, seed);
      const fit = (session: Session, parts: number, sparse: boolean) =>
        new LogisticRegression({ weightCol: 'weight', regParam: 0.01, elasticNetParam }).fit(session.createDataFrame(rowsOf(data, sparse), { numPartitions: parts }));
      const ref = theta(await fit(spark(), 1, false));
      for (const [session, parts, sparse] of [[spark(), 2, false], [spark(), 7, true], [inline(), 3, false]] as const) {
        expectClose(theta(await fit(session, parts, sparse)), ref, { atol: 1e-7 }, `${parts} partitions`);
      }
    }), { numRuns: 3 });
  });

  it('wide rows (d > 32, the chunked gemv/gemvT path) fit as the fused narrow path does', async () => {
    const rng = randomStream(11, 'wide');
    const d = 40;
    const rows = Array.from({ length: 120 }, () => {
      const x = Array.from({ length: d }, () => gaussian(rng));
      return { features: Vectors.dense(x), label: rng() < 1 / (1 + Math.exp(-(x[0] - x[1] + 0.5 * x[2]))) ? 1 : 0 };
    });
    const fit = (sparse: boolean) => new LogisticRegression({ regParam: 0.1 }).fit(spark().createDataFrame(
      rows.map((r) => ({ ...r, features: sparse ? r.features.toSparse() : r.features })), { numPartitions: 2 }));
    const dense = await fit(false), sparse = await fit(true);
    expectClose(theta(dense), theta(sparse), { atol: 1e-9 }, 'wide dense vs sparse');
    // The narrow path on the first 3 features agrees with the chunked path on the same 3 (sparse).
    const narrow = (sparse: boolean) => new LogisticRegression({ regParam: 0.1 }).fit(spark().createDataFrame(
      rows.map((r) => ({ label: r.label, features: sparse ? Vectors.dense(r.features.toArray().slice(0, 3)).toSparse() : Vectors.dense(r.features.toArray().slice(0, 3)) }))));
    expectClose(theta(await narrow(false)), theta(await narrow(true)), { atol: 1e-9 }, 'narrow dense vs sparse');
  });

  it('transform agrees with single-vector scoring; copy keeps the summary; toString', async () => {
    const data = binaryData(40, 8);
    const df = spark().createDataFrame(rowsOf(data));
    const m = await new LogisticRegression().fit(df);
    for (const r of await m.transform(df).collect()) {
      const f = r.features as Vector;
      expectClose((r.rawPrediction as DenseVector).values, m.predictRaw(f).values, { atol: 1e-12 });
      expectClose((r.probability as DenseVector).values, m.predictProbability(f).values, { atol: 1e-12 });
      expect(r.prediction).toBe(m.predict(f));
    }
    expect(m.copy().hasSummary).toBe(true);
    expect(m.toString()).toMatch(/numClasses=2, numFeatures=3/);
    const onlyPrediction = m.copy().setRawPredictionCol('').setProbabilityCol('');
    expect(onlyPrediction.transform(df).columns).toEqual(['features', 'label', 'weight', 'prediction']);
  });
});

describe('LogisticRegression: bad input', () => {
  it('names the column and the problem, before any optimisation', async () => {
    const base = () => rowsOf(binaryData(8, 9));
    const cases: [Row[], RegExp, object?][] = [
      [base().map((r, i) => (i === 5 ? { ...r, label: 2 } : r)), /Binomial family only supports 1 or 2 outcome classes but found 3/, { family: 'binomial' }],
      [base().map((r, i) => (i === 5 ? { ...r, label: -1 } : r)), /Labels MUST be in \[0, Int.MaxValue\), but column 'label' at row 1 of partition 1 is -1/],
      [base().map((r, i) => (i === 2 ? { ...r, label: 0.5 } : r)), /Labels MUST be Integers, but column 'label' at row 2 of partition 0 is 0.5/],
      [base().map((r, i) => (i === 1 ? { ...r, label: NaN } : r)), /Labels MUST NOT be Null or NaN, but column 'label' at row 1/],
      [base().map((r, i) => (i === 0 ? { ...r, features: Vectors.dense([1, Infinity, 0]) } : r)), /Vector values MUST NOT be NaN or Infinity, but column 'features' at row 0 of partition 0 has Infinity at index 1/],
      [base().map((r, i) => (i === 6 ? { ...r, weight: -0.5 } : r)), /Weights MUST NOT be Negative or Infinity, but column 'weight' at row 2 of partition 1 is -0.5/],
      [base().map((r, i) => (i === 6 ? { ...r, features: null } : r)), /Vectors MUST NOT be Null, but column 'features' \(featuresCol\) is null at row 2 of partition 1/],
    ];
    for (const [rows, message, extra] of cases) {
      const df = spark().createDataFrame(rows, { numPartitions: 2 });
      await expect(new LogisticRegression({ weightCol: 'weight', ...extra }).fit(df)).rejects.toThrow(message);
    }
    const df = spark().createDataFrame(base());
    await expect(new LogisticRegression().fit(df.limit(0))).rejects.toThrow(/empty/);
    await expect(new LogisticRegression({ labelCol: 'nope' }).fit(df)).rejects.toThrow(/Column 'nope' does not exist/);
    await expect(new LogisticRegression({ labelCol: 'features' }).fit(df)).rejects.toThrow(/column 'features' \(labelCol\) must be of type numeric/);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => new LogisticRegression({ family: 'poisson' })).toThrow(/family given invalid value poisson/);
    const m = await new LogisticRegression().fit(df);
    expect(() => m.transform(spark().createDataFrame([{ features: Vectors.dense([1, 2]) }]))).toThrow(/holds vectors of size 2, but the model has 3 features/);
    await expect(m.transform(spark().createDataFrame([{ features: Vectors.sparse(4, [0], [1]) }])).collect()).rejects.toThrow(/size 4 at row 0, but the model has 3 features/);
    expect(() => m.predict(Vectors.dense([1]))).toThrow(/the vector has size 1, but the model has 3 features/);
  });
});

describe('LogisticRegression persistence', () => {
  it('save → load → transform is identical for binomial and multinomial models, with Spark\'s data columns', async () => {
    const { readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { load, readDataDir, fileSystemFor } = await import('../../src/persistence/index.js');
    const root = freshDir();
    const est = new LogisticRegression({ weightCol: 'weight', regParam: 0.01, family: 'binomial', upperBoundsOnCoefficients: DenseMatrix.fromRowMajor(1, 2, [1, 2]) });
    est.setThresholds([0.3, 0.7]);
    await est.save(join(root, 'est'));
    const estLoaded = await LogisticRegression.load(join(root, 'est'));
    expect(estLoaded.paramMapJSON()).toEqual(est.paramMapJSON());
    expect(estLoaded.getUpperBoundsOnCoefficients().get(0, 1)).toBe(2);
    expect([...estLoaded.getThresholds()]).toEqual([0.3, 0.7]);
    const binary = spark().createDataFrame(docRows());
    const path = fileURLToPath(new URL('./fixtures/sample_multiclass_classification_data.txt', import.meta.url));
    const multi = await spark().read.libsvm(path);
    for (const [df, model] of [
      [binary, await new LogisticRegression({ weightCol: 'weight', regParam: 0.01 }).fit(binary)],
      [multi, await new LogisticRegression({ regParam: 0.01 }).setThresholds([0.5, 0.2, 0.3]).fit(multi)],
    ] as const) {
      const out = join(root, `model-${model.numClasses}`);
      await model.save(out);
      const meta = JSON.parse(await readFile(join(out, 'metadata', 'part-00000'), 'utf8'));
      expect(meta.class).toBe('org.apache.spark.ml.classification.LogisticRegressionModel');
      expect((await readDataDir(fileSystemFor(out), out)).schema.fields.map((f) => f.name))
        .toEqual(['numClasses', 'numFeatures', 'interceptVector', 'coefficientMatrix', 'isMultinomial']);
      const loaded = await LogisticRegressionModel.load(out);
      expect(loaded.numClasses).toBe(model.numClasses);
      expect(loaded.isMultinomial).toBe(model.isMultinomial);
      expect(Array.from(loaded.coefficientMatrix.rowMajorValues())).toEqual(Array.from(model.coefficientMatrix.rowMajorValues()));
      expect(await loaded.transform(df).collect()).toEqual(await model.transform(df).collect());
      expect(await load(out)).toBeInstanceOf(LogisticRegressionModel);
    }
  });
});
