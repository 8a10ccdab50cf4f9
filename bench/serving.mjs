// bench/serving: scoring single transactions without a DataFrame — PipelineModel.rowScorer over
// VectorAssembler (10 numeric columns) → StandardScaler → GBTClassifier (100 trees, depth 5),
// fitted on 20,000 rows, then 200,000 rows scored one call each on one thread: per-call latency
// p50/p99 and calls per second. Beside it, in the same run, XGBoost's single-row inplace_predict
// (100 trees, depth 5, hist) on the same data through the peers' Python (bench/peers.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, Pipeline, VectorAssembler, StandardScaler, GBTClassifier } from '../dist/index.js';
import { print, randomDoubles, round } from './common.mjs';
import { peerPython } from './peers.mjs';

const d = 10, trainRows = 20_000, scoreRows = Number(process.env.ROWS ?? 200_000);
const cols = Array.from({ length: d }, (_, j) => `x${j}`);
const X = randomDoubles((trainRows + scoreRows) * d, 7);
const label = (i) => (Math.sin(3 * X[i * d]) + X[i * d + 1] * X[i * d + 2] - X[i * d + 3] > 0 ? 1 : 0);
const rowAt = (i) => { const r = {}; for (let j = 0; j < d; j++) r[cols[j]] = X[i * d + j]; return r; };

function percentiles(ns) {
  const s = Float64Array.from(ns).sort();
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))] / 1000;
  return { p50Micros: round(at(0.5)), p99Micros: round(at(0.99)), p999Micros: round(at(0.999)) };
}

async function quiver() {
  const spark = Session.builder().master('local[2]').create();
  try {
    const train = spark.createDataFrame(Array.from({ length: trainRows }, (_, i) => ({ ...rowAt(i), label: label(i) })), { numPartitions: 2 });
    const model = await new Pipeline({ stages: [
      new VectorAssembler({ inputCols: cols, outputCol: 'features' }),
      new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true }),
      new GBTClassifier({ featuresCol: 'scaled', maxIter: 100, maxDepth: 5, seed: 1 }),
    ] }).fit(train);
    const scorer = model.rowScorer(train.schema);
    const inputs = Array.from({ length: scoreRows }, (_, i) => rowAt(trainRows + i));
    for (let i = 0; i < 20_000; i++) scorer.score(inputs[i % scoreRows]); // warm-up (JIT)
    const times = new Float64Array(scoreRows);
    let agree = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < scoreRows; i++) {
      const a = process.hrtime.bigint();
      const out = scorer.score(inputs[i]);
      times[i] = Number(process.hrtime.bigint() - a);
      if (out.prediction === label(trainRows + i)) agree++;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { ...percentiles(times), rowsPerSecond: round(scoreRows / seconds), threads: 1, accuracy: round(agree / scoreRows) };
  } finally {
    await spark.stop();
  }
}

const XGBOOST = `
import json, sys, time
import numpy as np, xgboost as xgb
d, n_train, n_score = (int(a) for a in sys.argv[2:5])
X = np.fromfile(sys.argv[1], dtype=np.float64).reshape(-1, d)
y = ((np.sin(3 * X[:, 0]) + X[:, 1] * X[:, 2] - X[:, 3]) > 0).astype(np.float64)
model = xgb.XGBClassifier(n_estimators=100, max_depth=5, tree_method="hist", n_jobs=1)
model.fit(X[:n_train], y[:n_train])
booster = model.get_booster()
rows = X[n_train:n_train + n_score]
for i in range(min(20000, n_score)): booster.inplace_predict(rows[i:i + 1])
times = np.empty(n_score)
t0 = time.perf_counter()
for i in range(n_score):
    a = time.perf_counter_ns(); booster.inplace_predict(rows[i:i + 1]); times[i] = time.perf_counter_ns() - a
seconds = time.perf_counter() - t0
times.sort()
at = lambda q: float(times[min(n_score - 1, int(q * n_score))]) / 1000
print(json.dumps({"p50Micros": at(0.5), "p99Micros": at(0.99), "p999Micros": at(0.999), "rowsPerSecond": n_score / seconds, "version": xgb.__version__}))
`;

function xgboost() {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-bench-'));
  try {
    const file = join(dir, 'x.f64');
    writeFileSync(file, Buffer.from(X.buffer, X.byteOffset, X.byteLength));
    const r = spawnSync(peerPython, ['-c', XGBOOST, file, String(d), String(trainRows), String(scoreRows)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    if (r.status !== 0) return { skipped: (r.stderr || r.error?.message || 'failed').trim().split('\n').slice(-1)[0] };
    const out = JSON.parse(r.stdout);
    return { p50Micros: round(out.p50Micros), p99Micros: round(out.p99Micros), p999Micros: round(out.p999Micros), rowsPerSecond: round(out.rowsPerSecond), threads: 1, version: out.version };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const q = await quiver();
const x = xgboost();
print({
  bench: 'serving', pipeline: 'VectorAssembler(10) → StandardScaler → GBTClassifier(100 trees, depth 5)', trainRows, scoreRows, loadAverage: loadavg().map((v) => round(v, 2)),
  quiver: q, xgboostInplacePredict: x,
  ratios: { xgboostP99OverQuiver: x.skipped ? null : round(x.p99Micros / q.p99Micros), quiverRowsPerSecondOverXgboost: x.skipped ? null : round(q.rowsPerSecond / x.rowsPerSecond) },
  targets: { p99MicrosAtMost: 20, rowsPerSecondAtLeast: 200_000 },
});
