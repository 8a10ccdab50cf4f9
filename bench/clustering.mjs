// bench/clustering: K-Means on the hard case — 1,000,000 rows × 10 features from 10 overlapping
// Gaussian clusters (centers uniform in [-2, 2]^10, standard deviations 1 to 2), cached — k = 10,
// 20 iterations with tol 0 (every iteration runs: the clusters overlap, so assignments keep
// moving and Hamerly's bounds prune little), k-means|| init, on local[2]; scikit-learn's KMeans
// (lloyd, n_init 1, tol 0, 2 threads) and ml-kmeans on the same data in the same run. Inertia of
// every result is computed here, by one rule, at its final centers. ROWS=200000 for the small case.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeData, RecordBatch, Schema, Field, FixedSizeList, Float64, Struct, Table } from 'apache-arrow';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { Session, KMeans } from '../dist/index.js';
import { print, round, timeMedian } from './common.mjs';
import { peerPython } from './peers.mjs';

const n = Number(process.env.ROWS ?? 1_000_000), d = 10, k = 10, maxIter = 20, partitions = Number(process.env.PARTITIONS ?? 4);
const runs = 3;

/** xorshift32 uniforms on [0, 1). */
function uniforms(seed) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

/** Overlapping clusters: centers uniform in [-2, 2]^d, cluster c's noise Gaussian with sd 1 + c/(clusters-1), points dealt round-robin. */
function overlapping(rows, dims, clusters, seed) {
  const u = uniforms(seed);
  const centers = Float64Array.from({ length: clusters * dims }, () => 4 * u() - 2);
  const values = new Float64Array(rows * dims);
  for (let i = 0; i < rows; i++) {
    const c = i % clusters, sd = 1 + c / (clusters - 1);
    for (let j = 0; j < dims; j++) {
      const g = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
      values[i * dims + j] = centers[c * dims + j] + sd * g;
    }
  }
  return values;
}

function table(values, dims) {
  const rows = values.length / dims;
  const type = new FixedSizeList(dims, new Field('item', new Float64(), false));
  const child = makeData({ type: new Float64(), length: values.length, data: values });
  const col = makeData({ type, length: rows, child });
  const schema = new Schema([new Field('features', type, false)]);
  return new Table(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows, children: [col] })));
}

/** Σ min_j ‖x − c_j‖² over all rows (what scikit-learn reports as inertia_). */
function inertia(values, dims, centers) {
  const kk = centers.length / dims;
  let total = 0;
  for (let o = 0; o < values.length; o += dims) {
    let best = Infinity;
    for (let c = 0; c < kk; c++) {
      let s = 0;
      for (let j = 0; j < dims; j++) { const t = values[o + j] - centers[c * dims + j]; s += t * t; }
      if (s < best) best = s;
    }
    total += best;
  }
  return total;
}

const values = overlapping(n, d, k, 42);

// --- Quiver ------------------------------------------------------------------------------------
async function quiver() {
  const spark = Session.builder().master('local[2]').create();
  try {
    const df = spark.createDataFrame(table(values, d), { numPartitions: partitions }).cache();
    await df.count();
    const km = new KMeans({ k, maxIter, tol: 0, seed: 1 });
    const t = await timeMedian(() => km.fit(df), runs, 1);
    const model = t.result;
    const centers = Float64Array.from(model.clusterCenters().flatMap((c) => Array.from(c.values)));
    return {
      seconds: round(t.seconds), all: t.all.map((x) => round(x)), threads: spark.engine.parallelism, partitions,
      numIter: model.summary.numIter, inertia: inertia(values, d, centers), trainingCost: model.summary.trainingCost,
    };
  } finally {
    await spark.stop();
  }
}

// --- scikit-learn ------------------------------------------------------------------------------
const SKLEARN = `
import json, sys, time
import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits
n, d, k, max_iter, runs = (int(a) for a in sys.argv[2:7])
X = np.fromfile(sys.argv[1], dtype=np.float64).reshape(n, d)
times, model = [], None
with threadpool_limits(limits=2):
    KMeans(n_clusters=k, n_init=1, max_iter=max_iter, tol=0, algorithm="lloyd", random_state=0).fit(X)  # warm-up
    for r in range(runs):
        t0 = time.perf_counter()
        model = KMeans(n_clusters=k, n_init=1, max_iter=max_iter, tol=0, algorithm="lloyd", random_state=0).fit(X)
        times.append(time.perf_counter() - t0)
times.sort()
import sklearn
print(json.dumps({"seconds": times[len(times) // 2], "all": times, "n_iter": int(model.n_iter_), "inertia": float(model.inertia_),
                  "centers": model.cluster_centers_.ravel().tolist(), "version": sklearn.__version__}))
`;

function sklearn() {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-bench-'));
  try {
    const file = join(dir, 'points.f64');
    writeFileSync(file, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    const r = spawnSync(peerPython, ['-c', SKLEARN, file, String(n), String(d), String(k), String(maxIter), String(runs)], {
      encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' },
    });
    if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').slice(-3).join(' ') };
    const out = JSON.parse(r.stdout);
    return {
      seconds: round(out.seconds), all: out.all.map((x) => round(x)), threads: 2, version: out.version, numIter: out.n_iter,
      inertia: inertia(values, d, Float64Array.from(out.centers)), reportedInertia: out.inertia,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- ml-kmeans ---------------------------------------------------------------------------------
function mlKmeansRun() {
  const rows = Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * d, (i + 1) * d)));
  const t0 = performance.now();
  const result = mlKmeans(rows, k, { maxIterations: maxIter, seed: 1, initialization: 'kmeans++' });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds: round(seconds), runs: 1, threads: 1, numIter: result.iterations, inertia: inertia(values, d, Float64Array.from(result.centroids.flat())) };
}

const q = await quiver();
const sk = sklearn();
const ml = process.env.SKIP_ML_KMEANS ? { skipped: true } : mlKmeansRun();
const rel = (a, b) => round((a - b) / b, 3);
print({
  bench: 'clustering', algorithm: 'KMeans', data: 'overlapping', rows: n, features: d, k, maxIter, tol: 0, initMode: 'k-means||', master: 'local[2]', loadAverage: loadavg().map((x) => round(x, 2)),
  quiver: { ...q, inertia: round(q.inertia, 8), trainingCost: round(q.trainingCost, 8) },
  sklearn: sk.error ? sk : { ...sk, inertia: round(sk.inertia, 8), reportedInertia: round(sk.reportedInertia, 8) },
  mlKmeans: ml.skipped ? ml : { ...ml, inertia: round(ml.inertia, 8) },
  ratios: {
    sklearnSecondsOverQuiver: sk.error ? null : round(sk.seconds / q.seconds),
    mlKmeansSecondsOverQuiver: ml.skipped ? null : round(ml.seconds / q.seconds),
    inertiaVsSklearn: sk.error ? null : rel(q.inertia, sk.inertia),
    inertiaVsMlKmeans: ml.skipped ? null : rel(q.inertia, ml.inertia),
  },
  targets: { quiverSecondsAtMostSklearn: true, inertiaWithin: 0.001 },
});
