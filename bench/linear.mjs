// bench/linear: LogisticRegression, LinearRegression (normal and l-bfgs), PCA (k = 5) and
// StandardScaler (fit + transform) on generated 1M × 20 data cached in local[2], each timed as the
// median of 3 fits; scikit-learn (2 threads) on the same data in the same run when the peers' Python (bench/peers.mjs)
// has it, and mljs's ml-logistic-regression. Prints times, ratios and both sides' quality metrics.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeData, RecordBatch, Schema, Field, FixedSizeList, Float64, Struct, Table } from 'apache-arrow';
import {
  Session, LogisticRegression, LinearRegression, PCA, StandardScaler,
} from '../dist/index.js';
import { print, round, timeMedian } from './common.mjs';
import { peerPython } from './peers.mjs';

const n = Number(process.env.ROWS ?? 1_000_000), d = 20, partitions = 8, runs = 3;
const master = process.env.MASTER ?? 'local[2]';

// --- data ---------------------------------------------------------------------------------------

/** A seeded xorshift128+ uniform stream in (0, 1). */
function uniforms(seed) {
  let s0 = (seed * 2654435761) >>> 0 || 1, s1 = 362436069;
  return () => {
    let x = s0;
    const y = s1;
    s0 = y; x ^= x << 23; x ^= x >>> 17; x ^= y ^ (y >>> 26); s1 = x >>> 0;
    return (((s0 + s1) >>> 0) + 0.5) / 4294967296;
  };
}

/**
 * n × d correlated Gaussian features (x_j = z_j + 0.6·x_{j−1}, plus offsets j mod 4); `score` = x·β + b
 * with b centring the score; a standard Gaussian `noise` and a uniform `u` per row.
 */
function generate(seed) {
  const next = uniforms(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
  const X = new Float64Array(n * d), score = new Float64Array(n), noise = new Float64Array(n), u = new Float64Array(n);
  const beta = Float64Array.from({ length: d }, (_, j) => ((j % 3) - 1) * (0.3 + 0.05 * j));
  const b = 0.3 - beta.reduce((a, v, j) => a + v * (j % 4), 0);
  for (let i = 0; i < n; i++) {
    let prev = 0, s = b;
    for (let j = 0; j < d; j++) {
      const v = gaussian() + 0.6 * prev;
      prev = v;
      X[i * d + j] = v + (j % 4);
      s += X[i * d + j] * beta[j];
    }
    score[i] = s;
    noise[i] = gaussian();
    u[i] = next();
  }
  return { X, score, noise, u };
}

function table(X, label) {
  const type = new FixedSizeList(d, new Field('item', new Float64(), false));
  const features = makeData({ type, length: n, child: makeData({ type: new Float64(), length: n * d, data: X }) });
  const labels = makeData({ type: new Float64(), length: n, data: label });
  const schema = new Schema([new Field('features', type, false), new Field('label', new Float64(), false)]);
  return new Table(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children: [features, labels] })));
}

const { X, score, noise, u } = generate(7);
// cls: labels drawn from the logistic model; reg: the linear score plus Gaussian noise.
const yCls = new Float64Array(n), yReg = new Float64Array(n);
for (let i = 0; i < n; i++) {
  yCls[i] = u[i] < 1 / (1 + Math.exp(-score[i])) ? 1 : 0;
  yReg[i] = score[i] + 0.5 * noise[i];
}

// --- Quiver ---------------------------------------------------------------------------------------

async function quiver() {
  const spark = Session.builder().master(master).create();
  try {
    const cls = spark.createDataFrame(table(X, yCls), { numPartitions: partitions }).cache();
    const reg = spark.createDataFrame(table(X, yReg), { numPartitions: partitions }).cache();
    await cls.count();
    await reg.count();
    const out = { threads: spark.engine.parallelism };

    const lr = await timeMedian(() => new LogisticRegression({ maxIter: 100, tol: 1e-6, regParam: 0 }).fit(cls), runs);
    const lrModel = lr.result;
    const h = lrModel.summary.objectiveHistory;
    out.logisticRegression = {
      seconds: round(lr.seconds), all: lr.all.map((t) => round(t)), iterations: lrModel.summary.totalIterations,
      logLoss: h[h.length - 1],
    };

    for (const solver of ['normal', 'l-bfgs']) {
      const t = await timeMedian(() => new LinearRegression({ solver }).fit(reg), runs);
      out[`linearRegression_${solver}`] = {
        seconds: round(t.seconds), all: t.all.map((x) => round(x)), rmse: await t.result.summary.rootMeanSquaredError(),
        iterations: t.result.summary.totalIterations,
      };
    }

    const pca = await timeMedian(() => new PCA({ k: 5, inputCol: 'features', outputCol: 'pca' }).fit(reg), runs);
    out.pca = {
      seconds: round(pca.seconds), all: pca.all.map((x) => round(x)),
      explainedVariance: Array.from(pca.result.explainedVariance.values),
      explainedVarianceTotal: pca.result.explainedVariance.values.reduce((a, b) => a + b, 0),
    };

    if (StandardScaler) {
      const sc = await timeMedian(async () => {
        const model = await new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true }).fit(reg);
        await model.transform(reg).count(); // runs the transform on every row
        return model;
      }, runs);
      out.standardScaler = { seconds: round(sc.seconds), all: sc.all.map((x) => round(x)) };
    }
    return out;
  } finally {
    await spark.stop();
  }
}

// --- scikit-learn -------------------------------------------------------------------------------

const SKLEARN = `
import json, sys, time, numpy as np
from threadpoolctl import threadpool_limits
from sklearn.linear_model import LogisticRegression, LinearRegression
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import log_loss
import sklearn
d, n, runs = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(sys.argv[1] + '/X.bin', dtype='<f8').reshape(n, d)
yc = np.fromfile(sys.argv[1] + '/ycls.bin', dtype='<f8')
yr = np.fromfile(sys.argv[1] + '/yreg.bin', dtype='<f8')
def median(f):
    f()
    ts, r = [], None
    for _ in range(runs):
        t0 = time.perf_counter(); r = f(); ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2], ts, r
out = {'version': sklearn.__version__}
with threadpool_limits(limits=2):
    t, ts, m = median(lambda: LogisticRegression(penalty=None, solver='lbfgs', max_iter=100).fit(X, yc))
    out['logisticRegression'] = {'seconds': t, 'all': ts, 'iterations': int(m.n_iter_[0]), 'logLoss': log_loss(yc, m.predict_proba(X))}
    t, ts, m = median(lambda: LinearRegression().fit(X, yr))
    out['linearRegression'] = {'seconds': t, 'all': ts, 'rmse': float(np.sqrt(np.mean((yr - m.predict(X)) ** 2)))}
    t, ts, m = median(lambda: PCA(n_components=5, svd_solver='full').fit(X))
    out['pca'] = {'seconds': t, 'all': ts, 'explainedVariance': m.explained_variance_ratio_.tolist(), 'explainedVarianceTotal': float(m.explained_variance_ratio_.sum())}
    t, ts, m = median(lambda: StandardScaler().fit_transform(X))
    out['standardScaler'] = {'seconds': t, 'all': ts}
print(json.dumps(out))
`;

function sklearn() {
  const probe = spawnSync(peerPython, ['-c', 'import sklearn, threadpoolctl'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: `${peerPython} has no scikit-learn (npm run bench:setup installs it)` };
  const dir = mkdtempSync(join(tmpdir(), 'quiver-bench-'));
  try {
    writeFileSync(join(dir, 'X.bin'), new Uint8Array(X.buffer));
    writeFileSync(join(dir, 'ycls.bin'), new Uint8Array(yCls.buffer));
    writeFileSync(join(dir, 'yreg.bin'), new Uint8Array(yReg.buffer));
    const env = { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2', MKL_NUM_THREADS: '2' };
    const r = spawnSync(peerPython, ['-c', SKLEARN, dir, String(d), String(n), String(runs)], { encoding: 'utf8', env, maxBuffer: 1 << 24 });
    if (r.status !== 0) return { failed: r.stderr.slice(-2000) };
    return JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- mljs ---------------------------------------------------------------------------------------

/**
 * ml-logistic-regression: batch gradient descent on ml-matrix (one-vs-all, so two classifiers for
 * two classes; no intercept, so a column of ones is appended). One step costs seconds at 1M rows and
 * its default is 50,000 steps, so it runs `MLJS_STEPS` steps (default 2) and reports the time per
 * step; the comparison is against as many of its steps as Quiver made passes (same work, which
 * still leaves gradient descent far from converged).
 */
async function mljs() {
  const steps = Number(process.env.MLJS_STEPS ?? 2);
  const { default: MLLogisticRegression } = await import('ml-logistic-regression');
  const { Matrix } = await import('ml-matrix');
  const rows = Array.from({ length: n }, (_, i) => [...X.subarray(i * d, (i + 1) * d), 1]);
  const features = new Matrix(rows);
  const target = Matrix.columnVector(Array.from(yCls));
  const model = new MLLogisticRegression({ numSteps: steps, learningRate: 1e-7 });
  const t0 = performance.now();
  model.train(features, target);
  const seconds = (performance.now() - t0) / 1000;
  // Log-loss of its class-1 scores (its classifier 1 is trained one-vs-all on class 1 = 0 after relabelling).
  const w = model.classifiers[1].weights.to1DArray();
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let z = w[d];
    for (let j = 0; j < d; j++) z += X[i * d + j] * w[j];
    const p1 = 1 - 1 / (1 + Math.exp(-z));
    const p = Math.min(Math.max(yCls[i] === 1 ? p1 : 1 - p1, 1e-15), 1);
    loss -= Math.log(p);
  }
  return { steps, seconds: round(seconds), secondsPerStep: round(seconds / steps), logLossAfterSteps: loss / n, defaultSteps: 50000 };
}

// --- run ----------------------------------------------------------------------------------------

const q = await quiver();
const sk = sklearn();
const ml = process.env.MLJS === '0' ? { skipped: 'MLJS=0' } : await mljs();
const ratio = (ours, theirs) => (theirs && ours ? round(ours / theirs) : null);
const rel = (a, b) => (a !== undefined && b !== undefined ? Number(((a - b) / Math.abs(b)).toExponential(2)) : null);
print({
  bench: 'linear', rows: n, features: d, partitions, master, threads: q.threads, runs,
  quiver: q,
  sklearn: sk,
  mljs: ml,
  ratios: {
    note: 'quiver seconds / peer seconds (below 1 = Quiver faster)',
    logisticRegression: ratio(q.logisticRegression.seconds, sk.logisticRegression?.seconds),
    linearRegression_normal: ratio(q.linearRegression_normal.seconds, sk.linearRegression?.seconds),
    linearRegression_lbfgs: ratio(q['linearRegression_l-bfgs'].seconds, sk.linearRegression?.seconds),
    pca: ratio(q.pca.seconds, sk.pca?.seconds),
    standardScaler: ratio(q.standardScaler?.seconds, sk.standardScaler?.seconds),
    logisticRegression_vs_mljs: ml.secondsPerStep
      ? round(q.logisticRegression.seconds / (ml.secondsPerStep * (q.logisticRegression.iterations + 1))) : null,
  },
  quality: {
    note: '(quiver − sklearn) / |sklearn|; negative = Quiver better for losses',
    logLoss: rel(q.logisticRegression.logLoss, sk.logisticRegression?.logLoss),
    rmse_normal: rel(q.linearRegression_normal.rmse, sk.linearRegression?.rmse),
    rmse_lbfgs: rel(q['linearRegression_l-bfgs'].rmse, sk.linearRegression?.rmse),
    pcaExplainedVariance: rel(q.pca.explainedVarianceTotal, sk.pca?.explainedVarianceTotal),
  },
  targets: { everyJobRatioAtMost: 1, qualityRelative: 1e-4, logisticRegressionVsMljsAtMost: 0.1 },
});
