// bench/recommendation: explicit ALS on `ratings` (1,000,000 distinct (user, item, rating) triples
// over 50,000 users × 10,000 items from a rank-10 model plus noise), rank 10, 10 iterations,
// regParam 0.1, on local[2]; a NumPy ALS (vectorised normal equations per user and item, same
// rank, iterations and λ·n regularisation, items solved first) on the same data in the same run;
// then recommendForAllUsers(10) on the fitted model. Training RMSE of both is computed here. NumPy
// starts from Quiver's initial user factors: after 10 iterations the RMSE still depends on the
// random start by several percent, so equal RMSE needs an equal start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeData, RecordBatch, Schema, Field, Float64, Int32, Struct, Table } from 'apache-arrow';
import { Session, ALS } from '../dist/index.js';
import { print, round, timeMedian } from './common.mjs';
import { peerPython } from './peers.mjs';

const numRatings = Number(process.env.RATINGS ?? 1_000_000), numUsers = 50_000, numItems = 10_000, trueRank = 10, noise = 0.1;
const rank = 10, maxIter = 10, regParam = 0.1, partitions = Number(process.env.PARTITIONS ?? 4), runs = 3;

function uniforms(seed) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

function ratingsData(seed) {
  const u = uniforms(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const scale = 1 / Math.sqrt(Math.sqrt(trueRank)); // ratings of unit variance before noise
  const U = Float64Array.from({ length: numUsers * trueRank }, () => gauss() * scale);
  const V = Float64Array.from({ length: numItems * trueRank }, () => gauss() * scale);
  const seen = new Set();
  const users = new Int32Array(numRatings), items = new Int32Array(numRatings), ratings = new Float64Array(numRatings);
  for (let n = 0; n < numRatings;) {
    const a = Math.floor(u() * numUsers), b = Math.floor(u() * numItems), key = a * numItems + b;
    if (seen.has(key)) continue;
    seen.add(key);
    let s = 0;
    for (let t = 0; t < trueRank; t++) s += U[a * trueRank + t] * V[b * trueRank + t];
    users[n] = a; items[n] = b; ratings[n] = s + noise * gauss();
    n++;
  }
  return { users, items, ratings };
}

function table({ users, items, ratings }) {
  const n = users.length;
  const fields = [new Field('user', new Int32(), false), new Field('item', new Int32(), false), new Field('rating', new Float64(), false)];
  const children = [
    makeData({ type: new Int32(), length: n, data: users }), makeData({ type: new Int32(), length: n, data: items }),
    makeData({ type: new Float64(), length: n, data: ratings }),
  ];
  const schema = new Schema(fields);
  return new Table(new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, children })));
}

const data = ratingsData(7);

// --- Quiver ------------------------------------------------------------------------------------
async function quiver() {
  const spark = Session.builder().master('local[2]').create();
  try {
    const df = spark.createDataFrame(table(data), { numPartitions: partitions }).cache();
    await df.count();
    const als = new ALS({ rank, maxIter, regParam, seed: 1 });
    const fit = await timeMedian(() => als.fit(df), runs, 1);
    const model = fit.result;
    const predictions = await model.transform(df).select('rating', 'prediction').toArrow();
    const r = predictions.getChild('rating').toArray(), p = predictions.getChild('prediction').toArray();
    let sq = 0;
    for (let i = 0; i < r.length; i++) sq += (r[i] - p[i]) ** 2;
    const recommend = await timeMedian(() => model.recommendForAllUsers(10).count(), runs, 1);
    // The initial user factors (a fit with maxIter 0 returns them, as in Spark), so NumPy starts from the same point.
    const init = await new ALS({ rank, maxIter: 0, regParam, seed: 1 }).fit(df);
    const initTable = await init.userFactors.toArrow();
    return {
      initialUsers: { ids: initTable.getChild('id').toArray(), factors: initTable.getChild('features').data[0].children[0].values },
      seconds: round(fit.seconds), all: fit.all.map((x) => round(x)), threads: spark.engine.parallelism, partitions,
      rmse: Math.sqrt(sq / r.length),
      // One row per user (Spark's shape), each with its 10 recommendations.
      recommendForAllUsers10: { seconds: round(recommend.seconds), all: recommend.all.map((x) => round(x)), users: recommend.result },
    };
  } finally {
    await spark.stop();
  }
}

// --- NumPy ALS ---------------------------------------------------------------------------------
const NUMPY = `
import json, sys, time
import numpy as np
path, nu, ni, k, iters, reg, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
u = np.fromfile(path + '.users', dtype=np.int32); i = np.fromfile(path + '.items', dtype=np.int32); r = np.fromfile(path + '.ratings', dtype=np.float64)
init_ids = np.fromfile(path + '.init_ids', dtype=np.int32); init_factors = np.fromfile(path + '.init_factors', dtype=np.float64).reshape(-1, k)

class Side:
    """Ratings sorted by this side's id, with the start of every entity's segment."""
    def __init__(self, own, other, r, n):
        order = np.argsort(own, kind='stable')
        self.own, self.other, self.r, self.n = own[order], other[order], r[order], n
        self.starts = np.flatnonzero(np.r_[True, self.own[1:] != self.own[:-1]])
        self.count = np.bincount(self.own, minlength=n)

    def solve(self, Y, reg, chunk=100000):
        """Per entity: (Y_jᵀY_j + λ·n_j·I) x = Y_jᵀ r_j, all at once with einsum, reduceat and a batched solve."""
        k = Y.shape[1]
        A = np.zeros((self.n, k, k)); B = np.zeros((self.n, k))
        step = max(1, len(self.starts) * chunk // len(self.own))
        bounds = list(self.starts[::step]) + [len(self.own)]
        for s, e in zip(bounds[:-1], bounds[1:]):
            Yo = Y[self.other[s:e]]
            seg = self.starts[(self.starts >= s) & (self.starts < e)] - s
            ids = self.own[s + seg]
            A[ids] = np.add.reduceat(np.einsum('ni,nj->nij', Yo, Yo), seg)
            B[ids] = np.add.reduceat(Yo * self.r[s:e, None], seg)
        diag = np.arange(k)
        A[:, diag, diag] += reg * self.count[:, None] + (self.count == 0)[:, None]  # unrated: x = 0
        return np.linalg.solve(A, B[:, :, None])[:, :, 0]

def als():
    X = np.zeros((nu, k)); X[init_ids] = init_factors   # Quiver's initial user factors (unit Gaussian vectors)
    users, items = Side(u, i, r, nu), Side(i, u, r, ni)
    for _ in range(iters):
        Y = items.solve(X, reg)
        X = users.solve(Y, reg)
    return X, Y

times = []
for run in range(runs + 1):
    t0 = time.perf_counter(); X, Y = als(); t = time.perf_counter() - t0
    if run > 0: times.append(t)   # the first run warms up
times.sort()
rmse = float(np.sqrt(np.mean((np.einsum('ij,ij->i', X[u], Y[i]) - r) ** 2)))
print(json.dumps({"seconds": times[len(times) // 2], "all": times, "rmse": rmse, "numpy": np.__version__}))
`;

function numpy(initialUsers) {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-bench-'));
  try {
    const base = join(dir, 'ratings');
    const parts = [['users', data.users], ['items', data.items], ['ratings', data.ratings],
      ['init_ids', initialUsers.ids], ['init_factors', initialUsers.factors]];
    for (const [suffix, arr] of parts) {
      writeFileSync(`${base}.${suffix}`, Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength));
    }
    const r = spawnSync(peerPython, ['-c', NUMPY, base, String(numUsers), String(numItems), String(rank), String(maxIter), String(regParam), String(runs)], {
      encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' },
    });
    if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').slice(-3).join(' ') };
    const out = JSON.parse(r.stdout);
    return { seconds: round(out.seconds), all: out.all.map((x) => round(x)), threads: 2, numpy: out.numpy, rmse: out.rmse };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { initialUsers, ...q } = await quiver();
const np = numpy(initialUsers);
print({
  bench: 'recommendation', algorithm: 'ALS', ratings: numRatings, users: numUsers, items: numItems, rank, maxIter, regParam, implicitPrefs: false,
  master: 'local[2]', loadAverage: loadavg().map((x) => round(x, 2)),
  quiver: { ...q, rmse: round(q.rmse, 6) },
  numpyALS: np.error ? np : { ...np, rmse: round(np.rmse, 6) },
  ratios: { numpySecondsOverQuiver: np.error ? null : round(np.seconds / q.seconds), rmseVsNumpy: np.error ? null : round((q.rmse - np.rmse) / np.rmse, 3) },
  targets: { numpySecondsOverQuiverAtLeast: 2, recommendForAllUsers10SecondsBelow: 10 },
});
