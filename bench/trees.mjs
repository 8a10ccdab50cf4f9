// bench/trees: GBTClassifier (100 trees, depth 5) and RandomForestClassifier (100 trees, depth 10)
// on 200,000 rows × 20 features (a nonlinear function of the first 12 plus noise; 8 pure-noise
// features), scored on 50,000 held-out rows from the same model. In the same run: XGBoost (hist),
// scikit-learn's HistGradientBoostingClassifier and RandomForestClassifier through the peers' Python (bench/peers.mjs),
// and ml-random-forest on a row cap it can finish. Median of RUNS (3) wall-clock fits each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeData, RecordBatch, Schema, Field, FixedSizeList, Float64, Struct, Table } from 'apache-arrow';
import { RandomForestClassifier as MlRandomForest } from 'ml-random-forest';
import { GBTClassifier, RandomForestClassifier, Session } from '../dist/index.js';
import { print, round, timeMedian } from './common.mjs';
import { peerPython } from './peers.mjs';

const n = Number(process.env.ROWS ?? 200_000), nTest = 50_000, d = 20;
const runs = Number(process.env.RUNS ?? 3);
const mlRows = Number(process.env.ML_RF_ROWS ?? 2000);
const threads = 2, partitions = 4;

/** Rows of the benchmark's model: x uniform in [-1, 1]^20, label = [f(x_0..x_11) + N(0, 0.3²) > 0.58]. */
function generate(count, seed) {
  let s = seed >>> 0 || 1;
  const u = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const X = new Float64Array(count * d), y = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const x = X.subarray(i * d, (i + 1) * d);
    for (let j = 0; j < d; j++) x[j] = 2 * u() - 1;
    const f = Math.sin(3 * x[0]) * x[1] + x[2] * x[2] - x[3] * x[4] + 0.5 * Math.abs(x[5]) + Math.cos(2 * x[6]) * x[7]
      + 0.3 * x[8] + x[9] * x[10] - 0.4 * x[11];
    const noise = 0.3 * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    y[i] = f + noise > 0.58 ? 1 : 0;
  }
  return { X, y };
}

function table({ X, y }) {
  const count = y.length;
  const type = new FixedSizeList(d, new Field('item', new Float64(), false));
  const features = makeData({ type, length: count, child: makeData({ type: new Float64(), length: count * d, data: X }) });
  const label = makeData({ type: new Float64(), length: count, data: y });
  const schema = new Schema([new Field('features', type, false), new Field('label', new Float64(), false)]);
  return new Table(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: count, children: [features, label] })));
}

const train = generate(n, 7), test = generate(nTest, 99);

async function quiver() {
  const spark = Session.builder().master(`local[${threads}]`).create();
  try {
    const df = spark.createDataFrame(table(train), { numPartitions: partitions }).cache();
    const held = spark.createDataFrame(table(test), { numPartitions: partitions }).cache();
    await df.count(); await held.count();
    const accuracy = async (model) => {
      const rows = await model.transform(held).select('label', 'prediction').collect();
      return rows.filter((r) => r.label === r.prediction).length / rows.length;
    };
    const job = async (make) => {
      const t = await timeMedian(() => make().fit(df), runs, 1);
      return { seconds: round(t.seconds), best: round(Math.min(...t.all)), all: t.all.map((x) => round(x)), accuracy: round(await accuracy(t.result), 4) };
    };
    return {
      gbt: await job(() => new GBTClassifier({ maxIter: 100, maxDepth: 5, stepSize: 0.1, maxBins: 32, seed: 1 })),
      rf: await job(() => new RandomForestClassifier({ numTrees: 100, maxDepth: 10, seed: 1 })),
    };
  } finally {
    await spark.stop();
  }
}

const PYTHON = String.raw`
import json, sys, time, numpy as np
d, runs, threads = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
load = lambda name: np.fromfile(sys.argv[1] + '/' + name, dtype=np.float64)
Xtr, ytr, Xte, yte = load('Xtr').reshape(-1, d), load('ytr'), load('Xte').reshape(-1, d), load('yte')
out = {}
def job(name, make):
    times, model = [], None
    for _ in range(runs):
        t0 = time.perf_counter(); model = make().fit(Xtr, ytr); times.append(time.perf_counter() - t0)
    out[name] = {'seconds': sorted(times)[len(times) // 2], 'all': times, 'accuracy': float((model.predict(Xte) == yte).mean())}
try:
    import xgboost as xgb
    out['xgboostVersion'] = xgb.__version__
    job('xgboost', lambda: xgb.XGBClassifier(tree_method='hist', n_estimators=100, max_depth=5, learning_rate=0.1, max_bin=32, n_jobs=threads))
except ImportError as e:
    out['xgboost'] = {'error': str(e)}
try:
    import sklearn
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    out['sklearnVersion'] = sklearn.__version__
    job('sklearnHistGradientBoosting', lambda: HistGradientBoostingClassifier(max_iter=100, max_depth=5, early_stopping=False))
    job('sklearnRandomForest', lambda: RandomForestClassifier(n_estimators=100, max_depth=10, n_jobs=threads))
except ImportError as e:
    out['sklearn'] = {'error': str(e)}
print(json.dumps(out))
`;

function python() {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-bench-trees-'));
  try {
    const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(join(dir, 'Xtr'), bytes(train.X)); writeFileSync(join(dir, 'ytr'), bytes(train.y));
    writeFileSync(join(dir, 'Xte'), bytes(test.X)); writeFileSync(join(dir, 'yte'), bytes(test.y));
    const r = spawnSync(peerPython, ['-c', PYTHON, dir, String(d), String(runs), String(threads)], {
      encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: String(threads) },
    });
    if (r.error || r.status !== 0) return { error: (r.error?.message ?? r.stderr).trim().split('\n').slice(-3).join(' ') };
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ml-random-forest (pure JS, one thread) on the first mlRows rows: it does not finish on 200,000. */
function mlRandomForest() {
  const rows = (data, count) => Array.from({ length: count }, (_, i) => Array.from(data.X.subarray(i * d, (i + 1) * d)));
  const X = rows(train, mlRows), y = Array.from(train.y.subarray(0, mlRows));
  const t0 = performance.now();
  const rf = new MlRandomForest({ nEstimators: 100, maxFeatures: Math.ceil(Math.sqrt(d)) / d, treeOptions: { maxDepth: 10 }, seed: 1, useSampleBagging: true, noOOB: true });
  rf.train(X, y);
  const seconds = (performance.now() - t0) / 1000;
  const testRows = Math.min(nTest, 10_000);
  const predicted = rf.predict(rows(test, testRows));
  const accuracy = predicted.filter((p, i) => p === test.y[i]).length / testRows;
  return { rows: mlRows, seconds: round(seconds), accuracy: round(accuracy, 4), note: `one run, ${mlRows} training rows, scored on ${testRows} held-out rows` };
}

const ours = await quiver();
const peers = python();
const ml = mlRandomForest();
const pick = (p) => (p && typeof p.seconds === 'number' ? { seconds: round(p.seconds), best: round(Math.min(...p.all)), all: p.all.map((x) => round(x)), accuracy: round(p.accuracy, 4) } : p);
// Medians, and best runs: on a shared machine a peer's OpenMP threads can stall, so both are shown.
const ratio = (a, b) => (a && b && typeof b.seconds === 'number' ? round(a.seconds / b.seconds) : null);
const bestRatio = (a, b) => (a && b && typeof b.seconds === 'number' ? round(a.best / Math.min(...b.all)) : null);
const gap = (a, b) => (a && b && typeof b.accuracy === 'number' ? round(100 * (a.accuracy - b.accuracy), 3) : null);
print({
  bench: 'trees', rows: n, heldOut: nTest, features: d, threads, partitions, runs,
  positiveRate: round(train.y.reduce((s, v) => s + v, 0) / n, 3),
  versions: { xgboost: peers.xgboostVersion, sklearn: peers.sklearnVersion },
  gbt: {
    quiver: ours.gbt, xgboost: pick(peers.xgboost), sklearnHistGradientBoosting: pick(peers.sklearnHistGradientBoosting),
    timeVsXGBoost: ratio(ours.gbt, peers.xgboost), bestTimeVsXGBoost: bestRatio(ours.gbt, peers.xgboost),
    accuracyPointsVsXGBoost: gap(ours.gbt, peers.xgboost),
    timeVsSklearnHGB: ratio(ours.gbt, peers.sklearnHistGradientBoosting), bestTimeVsSklearnHGB: bestRatio(ours.gbt, peers.sklearnHistGradientBoosting),
  },
  rf: {
    quiver: ours.rf, sklearnRandomForest: pick(peers.sklearnRandomForest), mlRandomForest: ml,
    speedupVsSklearn: peers.sklearnRandomForest?.seconds ? round(peers.sklearnRandomForest.seconds / ours.rf.seconds) : null,
    bestSpeedupVsSklearn: peers.sklearnRandomForest?.seconds ? round(Math.min(...peers.sklearnRandomForest.all) / ours.rf.best) : null,
    accuracyPointsVsSklearn: gap(ours.rf, peers.sklearnRandomForest),
  },
  ...(peers.error ? { pythonError: peers.error } : {}),
  targets: { gbtTimeVsXGBoost: 1.5, gbtAccuracyPointsVsXGBoost: -0.5, rfSpeedupVsSklearn: 5, rfAccuracyPointsVsSklearn: -1 },
});
