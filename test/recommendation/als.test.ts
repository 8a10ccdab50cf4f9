import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/dataframe/session.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { Row } from '../../src/dataframe/rows.js';
import { formatShow } from '../../src/dataframe/show.js';
import { gaussian, randomStream, type Rng } from '../../src/linalg/random.js';
import { javaStringHashCode } from '../../src/pipeline/shared-params.js';
import { ALS, ALSModel, CholeskySolver, NNLSSolver, NormalEquation } from '../../src/recommendation/index.js';
import { hashGaussian, rowKey } from '../../src/clustering/row-random.js';
import { referenceALS, type Rating } from './als-reference.js';

const local = Session.builder().master('local[2]').create();
const inline = Session.builder().master('inline').create();
afterAll(async () => { await local.stop(); await inline.stop(); });

const close = (a: ArrayLike<number>, b: ArrayLike<number>, rtol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(b[i])));
};

/** Spark ALSSuite.genFactors: distinct random int ids (sorted), factors uniform in [a, b). */
function genFactors(size: number, rank: number, rng: Rng, a = -1, b = 1): [number, number[]][] {
  const ids = new Set<number>();
  while (ids.size < size) ids.add((Math.floor(rng() * 2 ** 32) | 0));
  return [...ids].sort((x, y) => x - y).map((id) => [id, Array.from({ length: rank }, () => a + rng() * (b - a))]);
}

const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);

/** Spark ALSSuite.genExplicitTestData: 60% of the entries for training (with noise), 30% for test. */
function genExplicit(numUsers: number, numItems: number, rank: number, noiseStd = 0, seed = 11) {
  const rng = randomStream(seed, 'als-explicit');
  const users = genFactors(numUsers, rank, rng), items = genFactors(numItems, rank, rng);
  const training: Rating[] = [], test: Rating[] = [];
  for (const [u, uf] of users) {
    for (const [i, vf] of items) {
      const x = rng();
      if (x >= 0.9) continue;
      const r = dot(uf, vf);
      if (x < 0.6) training.push({ user: u, item: i, rating: r + noiseStd * gaussian(rng) });
      else test.push({ user: u, item: i, rating: r });
    }
  }
  return { training, test };
}

/** Spark ALSSuite.genImplicitTestData: positive entries observed with probability 0.8, others 0.2. */
function genImplicit(numUsers: number, numItems: number, rank: number, noiseStd = 0, seed = 11) {
  const rng = randomStream(seed, 'als-implicit');
  const users = genFactors(numUsers, rank, rng), items = genFactors(numItems, rank, rng);
  const training: Rating[] = [], test: Rating[] = [];
  for (const [u, uf] of users) {
    for (const [i, vf] of items) {
      const r = dot(uf, vf);
      if (!(rng() < (r > 0 ? 0.8 : 0.2))) continue;
      const x = rng();
      if (x >= 0.9) continue;
      if (x < 0.6) training.push({ user: u, item: i, rating: r + noiseStd * gaussian(rng) });
      else test.push({ user: u, item: i, rating: r });
    }
  }
  return { training, test };
}

const frame = (spark: Session, rows: Rating[] | Row[], numPartitions = 2) =>
  spark.createDataFrame(rows as Row[], { numPartitions, schema: { user: 'int', item: 'int', rating: 'double' } });

async function testRMSE(model: ALSModel, test: Rating[], implicitPrefs = false, alpha = 1): Promise<number> {
  const preds = await model.transform(frame(local, test)).collect();
  let sum = 0, weight = 0;
  for (const r of preds) {
    const rating = r.rating as number, p = r.prediction as number;
    if (implicitPrefs) {
      // Spark's testALS for implicit feedback: ratings and predictions clipped to [0, 1], weighted by confidence.
      const c = 1 + alpha * Math.abs(rating);
      const e = Math.max(Math.min(p, 1), 0) - Math.max(Math.min(rating, 1), 0);
      sum += c * e * e; weight += c;
    } else {
      sum += (rating - p) ** 2; weight += 1;
    }
  }
  return Math.sqrt(sum / weight);
}

const fitALS = (training: Rating[], params: ConstructorParameters<typeof ALS>[0], spark = local, parts = 2) =>
  new ALS({ numUserBlocks: 2, numItemBlocks: 3, seed: 0, ...params }).fit(frame(spark, training, parts));

const factorsOf = async (df: DataFrame) => new Map((await df.collect()).map((r) => [r.id as number, Array.from((r.features as { values: Float64Array }).values)]));

describe('ALS params (Spark ALSSuite defaults and validation)', () => {
  it('has Spark defaults', () => {
    const als = new ALS();
    expect(als.getRank()).toBe(10);
    expect(als.getMaxIter()).toBe(10);
    expect(als.getRegParam()).toBe(0.1);
    expect(als.getNumUserBlocks()).toBe(10);
    expect(als.getNumItemBlocks()).toBe(10);
    expect(als.getImplicitPrefs()).toBe(false);
    expect(als.getAlpha()).toBe(1.0);
    expect(als.getNonnegative()).toBe(false);
    expect([als.getUserCol(), als.getItemCol(), als.getRatingCol(), als.getPredictionCol()]).toEqual(['user', 'item', 'rating', 'prediction']);
    expect(als.getCheckpointInterval()).toBe(10);
    expect(als.getIntermediateStorageLevel()).toBe('MEMORY_AND_DISK');
    expect(als.getFinalStorageLevel()).toBe('MEMORY_AND_DISK');
    expect(als.getColdStartStrategy()).toBe('nan');
    expect(als.getBlockSize()).toBe(4096);
    expect(als.getSeed()).toBe(javaStringHashCode('org.apache.spark.ml.recommendation.ALS'));
  });

  it('rejects invalid values', () => {
    expect(() => new ALS({ rank: 0 })).toThrow(/rank/);
    expect(() => new ALS({ numUserBlocks: 0 })).toThrow(/numUserBlocks/);
    expect(() => new ALS({ alpha: -1 })).toThrow(/alpha/);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => new ALS({ coldStartStrategy: 'zero' })).toThrow(/coldStartStrategy/);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => new ALS({ intermediateStorageLevel: 'NONE' })).toThrow(/intermediateStorageLevel/);
    // 'NaN' is outside the type's spellings (lower, upper, capitalised) but passes at run time, as in Spark.
    for (const s of ['nan', 'NaN', 'Nan', 'drop', 'DROP', 'Drop']) expect(new ALS({ coldStartStrategy: s as 'nan' }).getColdStartStrategy()).toBe(s);
  });
});

describe('normal equations and solvers (Spark ALSSuite)', () => {
  it('builds AᵀCA and AᵀCb ("normal equation construction")', () => {
    const ne0 = new NormalEquation(2).add([1, 2], 3).add([4, 5], 12, 2);
    close(ne0.packedAta(), [33, 42, 54], 1e-12);
    close(ne0.atb, [51, 66], 1e-12);
    ne0.merge(new NormalEquation(2).add([7, 8], 9));
    close(ne0.packedAta(), [82, 98, 118], 1e-12);
    close(ne0.atb, [114, 138], 1e-12);
    expect(() => ne0.add([1], 2)).toThrow();
    expect(() => ne0.add([1, 2, 3], 4)).toThrow();
    expect(() => ne0.add([1, 2], 0, -1)).toThrow();
    expect(() => ne0.merge(new NormalEquation(3))).toThrow();
    ne0.reset();
    expect(ne0.ata.every((v) => v === 0) && ne0.atb.every((v) => v === 0)).toBe(true);
  });

  it('addRows equals one add per row', () => {
    const rng = randomStream(3, 'ne');
    const k = 7, n = 13;
    const Y = Float64Array.from({ length: n * k }, () => rng() - 0.5), b = Float64Array.from({ length: n }, () => rng()), c = Float64Array.from({ length: n }, () => rng());
    const a = new NormalEquation(k).addRows(n, Y, b, c);
    const e = new NormalEquation(k);
    for (let i = 0; i < n; i++) {
      // add(y, b, c) weights only the outer product, as Spark's NormalEquation does.
      e.add(Y.subarray(i * k, (i + 1) * k), 0, c[i]);
      for (let j = 0; j < k; j++) e.atb[j] += b[i] * Y[i * k + j];
    }
    close(a.packedAta(), e.packedAta(), 1e-12);
    close(a.atb, e.atb, 1e-12);
  });

  it('solves by Cholesky ("CholeskySolver": lstsq and λ = 1.5 expected values from NumPy)', () => {
    const ne0 = new NormalEquation(2).add([1, 2], 4).add([1, 3], 9).add([1, 4], 16);
    const ne1 = new NormalEquation(2).merge(ne0);
    const chol = new CholeskySolver();
    close(chol.solve(ne0, 0), [-8.333333, 6.0], 1e-6);
    expect(ne0.ata.every((v) => v === 0) && ne0.atb.every((v) => v === 0)).toBe(true);
    close(chol.solve(ne1, 1.5), [-0.1155556, 3.28], 1e-6);
  });

  it('NNLS gives the Cholesky solution when that is nonnegative, else the constrained optimum', () => {
    const positive = () => new NormalEquation(2).add([1, 0], 2).add([0, 1], 3).add([1, 1], 5);
    close(new NNLSSolver().solve(positive(), 0.5), new CholeskySolver().solve(positive(), 0.5), 1e-9);
    // Spark's CholeskySolver case has the unconstrained minimiser (-8.33, 6): with x ≥ 0 the optimum has
    // x0 = 0 and x1 = Σ a1·b / (Σ a1² + λ) = 99 / (29 + λ).
    const make = () => new NormalEquation(2).add([1, 2], 4).add([1, 3], 9).add([1, 4], 16);
    for (const lambda of [0, 1.5]) close(new NNLSSolver().solve(make(), lambda), [0, 99 / (29 + lambda)], 1e-9);
  });
});

describe('ALS top-k recommendations on fixed factors (Spark ALSSuite getALSModel)', () => {
  const model = () => new ALSModel(2,
    { ids: [0, 1, 2], factors: [6, 4, 3, 4, 3, 6] },
    { ids: [3, 4, 5, 6], factors: [5, 6, 6, 2, 3, 6, 4, 1] }, local);
  const byUser: Record<number, [number, number][]> = {
    0: [[3, 54], [4, 44], [5, 42], [6, 28]], 1: [[3, 39], [5, 33], [4, 26], [6, 16]], 2: [[3, 51], [5, 45], [4, 30], [6, 18]],
  };
  const byItem: Record<number, [number, number][]> = {
    3: [[0, 54], [2, 51], [1, 39]], 4: [[0, 44], [2, 30], [1, 26]], 5: [[2, 45], [0, 42], [1, 33]], 6: [[0, 28], [2, 18], [1, 16]],
  };
  // Spark's shape: one row per source id with its recommendations, an array of (dst, rating) structs.
  type Recommendations<S extends string> = { [K in S]: number } & { recommendations: Row[] };
  const grouped = async (df: DataFrame, src: string, dst: string) => {
    const out: Record<number, [number, number][]> = {};
    for (const r of await df.collect<Recommendations<typeof src>>()) {
      expect(out[r[src]]).toBeUndefined();
      out[r[src]] = r.recommendations.map((e) => [e[dst] as number, e.rating as number]);
    }
    return out;
  };
  const upTo = (m: Record<number, [number, number][]>, n: number, keys?: number[]) =>
    Object.fromEntries(Object.entries(m).filter(([k]) => !keys || keys.includes(Number(k))).map(([k, v]) => [k, v.slice(0, n)]));

  it('recommendForAllUsers with k <, = and > the number of items', async () => {
    for (const k of [2, 4, 6]) {
      const df = model().recommendForAllUsers(k);
      expect(df.columns).toEqual(['user', 'recommendations']);
      expect(await grouped(df, 'user', 'item')).toEqual(upTo(byUser, k));
    }
  });

  it("has Spark's schema, printSchema tree and show() form", async () => {
    const df = model().recommendForAllUsers(2);
    expect(df.schema.treeString()).toBe([
      'root',
      ' |-- user: integer (nullable = false)',
      ' |-- recommendations: array (nullable = true)',
      ' |    |-- element: struct (containsNull = true)',
      ' |    |    |-- item: integer (nullable = true)',
      ' |    |    |-- rating: double (nullable = true)', // Spark: float (Quiver has no float type)
      '',
    ].join('\n'));
    expect(df.numPartitions()).toBe((await df.plans()).length);
    const rows = await df.orderBy('user').collect();
    expect(rows[0]).toEqual({ user: 0, recommendations: [{ item: 3, rating: 54 }, { item: 4, rating: 44 }] });
    const text = formatShow(df.schema, rows, { numRows: 20, truncate: 0, vertical: false });
    expect(text.split('\n')[3]).toBe('|0   |[{3, 54.0}, {4, 44.0}]|');
  });

  it('recommendForUserSubset', async () => {
    const subset = local.createDataFrame([{ user: 0 }, { user: 2 }, { user: 2 }, { user: 99 }]);
    for (const k of [2, 4, 6]) expect(await grouped(model().recommendForUserSubset(subset, k), 'user', 'item')).toEqual(upTo(byUser, k, [0, 2]));
  });

  it('recommendForAllItems with k <, = and > the number of users, and recommendForItemSubset', async () => {
    for (const k of [2, 3, 4]) {
      const df = model().recommendForAllItems(k);
      expect(df.columns).toEqual(['item', 'recommendations']);
      expect(await grouped(df, 'item', 'user')).toEqual(upTo(byItem, k));
    }
    const subset = local.createDataFrame([{ item: 5 }]);
    expect(await grouped(model().recommendForItemSubset(subset, 2), 'item', 'user')).toEqual(upTo(byItem, 2, [5]));
  });

  it('is the brute-force top-k of a larger random model, with no full score matrix', async () => {
    const rng = randomStream(5, 'topk');
    const rank = 5, nu = 37, ni = 301;
    // Float32-exact factors: the model keeps its factors at float precision, as Spark's does.
    const uf = Array.from({ length: nu * rank }, () => Math.fround(rng() - 0.5)), vf = Array.from({ length: ni * rank }, () => Math.fround(rng() - 0.5));
    const m = new ALSModel(rank, { ids: Array.from({ length: nu }, (_, i) => 1000 - i), factors: uf }, { ids: Array.from({ length: ni }, (_, i) => i * 3), factors: vf }, local);
    const got = await grouped(m.recommendForAllUsers(10), 'user', 'item');
    for (let u = 0; u < nu; u++) {
      const scores = Array.from({ length: ni }, (_, i) => [i * 3, dot(uf.slice(u * rank, (u + 1) * rank), vf.slice(i * rank, (i + 1) * rank))] as [number, number]);
      scores.sort((a, b) => b[1] - a[1]);
      const g = got[1000 - u];
      expect(g.map((x) => x[0])).toEqual(scores.slice(0, 10).map((x) => x[0]));
      close(g.map((x) => x[1]), scores.slice(0, 10).map((x) => x[1]), 1e-12);
    }
  });
});

describe('ALS fit', () => {
  it('recovers an exactly rank-r rating matrix to RMSE < 1e-3', async () => {
    for (const rank of [1, 3]) {
      const { training, test } = genExplicit(60, 50, rank);
      const model = await fitALS(training, { rank, maxIter: 15, regParam: 1e-7 });
      expect(await testRMSE(model, training)).toBeLessThan(1e-3);
      expect(await testRMSE(model, test)).toBeLessThan(1e-3);
    }
  });

  // Spark's testALS passes maxIter but never sets it: every case there runs the default 10 iterations.
  it('matches Spark ALSSuite accuracy targets ("exact rank-1", "approximate rank-2", block settings, more blocks than ratings)', async () => {
    const exact = genExplicit(20, 40, 1);
    for (const rank of [1, 2]) expect(await testRMSE(await fitALS(exact.training, { rank, regParam: 1e-5 }), exact.test)).toBeLessThan(0.001);
    const approx = genExplicit(20, 40, 2, 0.01);
    for (const rank of [2, 3]) expect(await testRMSE(await fitALS(approx.training, { rank, regParam: 0.01 }), approx.test)).toBeLessThan(0.03);
    for (const [numUserBlocks, numItemBlocks] of [[1, 1], [1, 2], [2, 1], [2, 2]]) {
      const m = await fitALS(approx.training, { rank: 3, regParam: 0.01, numUserBlocks, numItemBlocks });
      expect(await testRMSE(m, approx.test)).toBeLessThan(0.03);
    }
    const tiny = genExplicit(4, 4, 1);
    expect(await testRMSE(await fitALS(tiny.training, { rank: 1, regParam: 1e-4, numUserBlocks: 5, numItemBlocks: 5 }), tiny.test)).toBeLessThan(0.002);
  });

  it('equals a literal unblocked ALS (explicit and naive implicit feedback)', async () => {
    const { training } = genExplicit(30, 25, 2, 0.05, 4);
    for (const implicitPrefs of [false, true]) {
      const rank = 3, seed = 9, maxIter = 3, regParam = 0.05, alpha = 2;
      const model = await new ALS({ rank, maxIter, regParam, implicitPrefs, alpha, seed, numUserBlocks: 3, numItemBlocks: 2 }).fit(frame(local, training));
      const key = rowKey(seed, 'als', 'init', 'user');
      const init = new Map<number, number[]>();
      for (const u of new Set(training.map((r) => r.user))) {
        const v = Array.from({ length: rank }, (_, t) => hashGaussian(key, u * rank + t));
        const nrm = Math.hypot(...v);
        init.set(u, v.map((x) => x / nrm));
      }
      const ref = referenceALS(training, init, new Map(), { rank, maxIter, regParam, implicitPrefs, alpha });
      const users = await factorsOf(model.userFactors), items = await factorsOf(model.itemFactors);
      expect(users.size).toBe(ref.users.size);
      // Training runs in double; the model keeps float32 factors (as Spark's), hence float precision here.
      for (const [id, f] of ref.users) close(users.get(id)!, f, 2e-7);
      for (const [id, f] of ref.items) close(items.get(id)!, f, 2e-7);
    }
  });

  it('implicit feedback reaches Spark\'s target and distinguishes negative from zero feedback', async () => {
    const { training, test } = genImplicit(20, 40, 2, 0.01);
    const model = await fitALS(training, { rank: 2, regParam: 0.01, implicitPrefs: true });
    expect(await testRMSE(model, test, true)).toBeLessThan(0.3);
    // Spark ALSSuite "implicit feedback regression": a -3 and a 0 give different factors.
    const withNeg = [{ user: 0, item: 0, rating: 1 }, { user: 1, item: 1, rating: 1 }, { user: 0, item: 1, rating: -3 }];
    const withZero = [{ user: 0, item: 0, rating: 1 }, { user: 1, item: 1, rating: 1 }, { user: 0, item: 1, rating: 0 }];
    const a = await fitALS(withNeg, { rank: 1, maxIter: 5, regParam: 0.01, implicitPrefs: true });
    const b = await fitALS(withZero, { rank: 1, maxIter: 5, regParam: 0.01, implicitPrefs: true });
    for (const side of ['userFactors', 'itemFactors'] as const) {
      const fa = await factorsOf(a[side]), fb = await factorsOf(b[side]);
      for (const [id, v] of fa) expect(v).not.toEqual(fb.get(id));
    }
  });

  it('keeps factors nonnegative with nonnegative = true', async () => {
    const { training } = genImplicit(20, 40, 2, 0.01);
    const model = await fitALS(training, { rank: 2, maxIter: 4, nonnegative: true });
    for (const df of [model.userFactors, model.itemFactors]) {
      for (const v of (await factorsOf(df)).values()) expect(v.every((x) => x >= 0)).toBe(true);
    }
  });

  it('gives bit-identical factors for any input partitioning and thread count', async () => {
    const { training } = genExplicit(40, 30, 3, 0.1, 7);
    const base = await fitALS(training, { rank: 4, maxIter: 3 });
    const ref = await factorsOf(base.userFactors);
    for (const [spark, parts] of [[inline, 1], [local, 5], [inline, 3]] as [Session, number][]) {
      expect(await factorsOf((await fitALS(training, { rank: 4, maxIter: 3 }, spark, parts)).userFactors)).toEqual(ref);
    }
  });

  it('accepts int, long and double ids and fails clearly on fractional or out-of-range ids', async () => {
    const rows = [{ user: 0, item: 0, rating: 3 }, { user: 1, item: 1, rating: 5 }, { user: 0, item: 1, rating: 2 }];
    const preds: number[] = [];
    for (const t of ['int', 'long', 'double']) {
      const df = local.createDataFrame(rows, { schema: { user: t, item: t, rating: 'double' } });
      const m = await new ALS({ rank: 1, maxIter: 1, seed: 1 }).fit(df);
      preds.push((await m.transform(df).collect())[0].prediction as number);
    }
    expect(preds[1]).toBe(preds[0]);
    expect(preds[2]).toBe(preds[0]);
    const msg = /either out of Integer range or contained a fractional part/;
    const bad = (user: number) => local.createDataFrame([...rows, { user, item: 0, rating: 1 }], { schema: { user: 'double', item: 'int', rating: 'double' } });
    await expect(new ALS({ rank: 1 }).fit(bad(1.5))).rejects.toThrow(msg);
    await expect(new ALS({ rank: 1 }).fit(bad(2 ** 31))).rejects.toThrow(msg);
    await expect(new ALS({ rank: 1 }).fit(bad(-(2 ** 31) - 1))).rejects.toThrow(msg);
    const big = local.createDataFrame([{ user: 0, item: 2 ** 31, rating: 1 }], { schema: { user: 'int', item: 'long', rating: 'double' } });
    await expect(new ALS({ rank: 1 }).fit(big)).rejects.toThrow(msg);
    const model = await new ALS({ rank: 1, maxIter: 1 }).fit(frame(local, rows));
    await expect(model.transform(bad(2 ** 31).select('user', 'item')).collect()).rejects.toThrow(msg);
    await expect(new ALS().fit(local.createDataFrame([{ user: 'a', item: 1, rating: 1 }]))).rejects.toThrow(/user must be of type numeric/);
  });

  it('handles empty partitions and more blocks than entities', async () => {
    const rows = [{ user: 5, item: 1, rating: 3 }, { user: -7, item: 2, rating: 1 }, { user: 5, item: 2, rating: 2 }];
    const model = await new ALS({ rank: 2, maxIter: 3, numUserBlocks: 4, numItemBlocks: 6 }).fit(frame(local, rows, 6));
    expect(await model.userFactors.count()).toBe(2);
    expect(await model.itemFactors.count()).toBe(2);
    expect(Number.isFinite(model.predict(-7, 2))).toBe(true);
  });

  it('fails clearly on empty input, null ids and non-finite ratings', async () => {
    const rows = [{ user: 0, item: 0, rating: 3 }, { user: 1, item: 1, rating: 5 }];
    await expect(new ALS().fit(frame(local, rows).limit(0))).rejects.toThrow(/no ratings/);
    await expect(new ALS().fit(frame(local, [...rows, { user: null, item: 1, rating: 1 }]))).rejects.toThrow(/column user holds null/);
    await expect(new ALS().fit(frame(local, [...rows, { user: 2, item: 1, rating: NaN }]))).rejects.toThrow(/ratings must be finite/);
  });

  it('predicts NaN for unknown users and items, or drops them (Spark "ALS cold start")', async () => {
    const { training } = genExplicit(4, 4, 1);
    const model = await new ALS({ maxIter: 1, rank: 1 }).fit(frame(local, training));
    const knownUser = Math.max(...training.map((r) => r.user)), knownItem = Math.max(...training.map((r) => r.item));
    const test = local.createDataFrame([
      { user: knownUser + 10, item: knownItem + 20 }, { user: knownUser, item: knownItem + 20 },
      { user: knownUser + 10, item: knownItem }, { user: knownUser, item: knownItem },
    ]);
    const nan = (await model.transform(test).collect()).map((r) => r.prediction as number);
    expect(nan.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(nan[3])).toBe(false);
    expect(nan[3]).toBeCloseTo(model.predict(knownUser, knownItem), 12);
    const dropped = (await model.setColdStartStrategy('DROP').transform(test).collect()).map((r) => r.prediction as number);
    expect(dropped).toEqual([nan[3]]);
  });

  it('exposes rank, factor DataFrames and a copy with the same uid', async () => {
    const { training } = genExplicit(10, 12, 2);
    const model = await fitALS(training, { rank: 2, maxIter: 2 });
    expect(model.rank).toBe(2);
    expect(model.userFactors.columns).toEqual(['id', 'features']);
    expect(await model.userFactors.count()).toBe(new Set(training.map((r) => r.user)).size);
    expect(await model.itemFactors.count()).toBe(new Set(training.map((r) => r.item)).size);
    expect(model.copy().uid).toBe(model.uid);
    expect(await factorsOf(model.copy().itemFactors)).toEqual(await factorsOf(model.itemFactors));
    expect(model.hasParent()).toBe(true);
  });
});
