import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClusteringEvaluator, Vectors, type Row } from '../../src/index.js';
import { IRIS } from './iris.js';
import { MASTERS, expectClose, useSessions } from './sessions.js';

const { df } = useSessions();

const irisRows = (sparse: boolean, labelType: 'int' | 'double' = 'int'): Row[] => IRIS.map(([label, ...x]) => ({
  label: labelType === 'int' ? label : label + 0.5,
  features: sparse ? Vectors.sparse(4, [0, 1, 2, 3], x) : Vectors.dense(x),
}));

describe("ClusteringEvaluator on iris (Spark's ClusteringEvaluatorSuite, relTol 1e-5; values from scikit-learn)", () => {
  it('squared Euclidean silhouette 0.6564679231, dense and sparse, 1 to 7 partitions, inline and local[2]', async () => {
    const evaluator = new ClusteringEvaluator({ predictionCol: 'label' });
    for (const master of MASTERS) {
      for (const [sparse, parts] of [[false, 1], [false, 3], [true, 2], [true, 7]] as const) {
        expectClose(await evaluator.evaluate(df(master, irisRows(sparse), parts)), 0.6564679231, { rtol: 1e-5 }, `sqEuclidean sparse=${sparse} parts=${parts}`);
      }
    }
  });

  it('cosine silhouette 0.7222369298', async () => {
    const evaluator = new ClusteringEvaluator({ predictionCol: 'label', distanceMeasure: 'cosine' });
    for (const master of MASTERS) {
      for (const [sparse, parts] of [[false, 2], [true, 5]] as const) {
        expectClose(await evaluator.evaluate(df(master, irisRows(sparse), parts)), 0.7222369298, { rtol: 1e-5 }, `cosine sparse=${sparse} parts=${parts}`);
      }
    }
  });

  it('takes cluster ids of any numeric type', async () => {
    const v = await new ClusteringEvaluator({ predictionCol: 'label' }).evaluate(df('local[2]', irisRows(false, 'double'), 2));
    expectClose(v, 0.6564679231, { rtol: 1e-5 }, 'double cluster ids');
  });

  it('number of clusters must be greater than one', async () => {
    for (const distanceMeasure of ['squaredEuclidean', 'cosine'] as const) {
      const setosa = df('local[2]', irisRows(false).filter((r) => r.label === 0), 2);
      await expect(new ClusteringEvaluator({ predictionCol: 'label', distanceMeasure }).evaluate(setosa)).rejects.toThrow(/Number of clusters must be greater than one/);
    }
  });
});

type Point = { x: number[]; c: number; w: number };
const sqDist = (a: number[], b: number[]) => a.reduce((s, ai, j) => s + (ai - b[j]) ** 2, 0);
const cosDist = (a: number[], b: number[]) => {
  const dot = a.reduce((s, ai, j) => s + ai * b[j], 0), na = Math.hypot(...a), nb = Math.hypot(...b);
  return 1 - dot / (na * nb);
};

/** The silhouette by its O(N²) definition, weighted as Spark weighs it: mean distances over the other points' weights. */
function slowSilhouette(points: readonly Point[], dist: (a: number[], b: number[]) => number): number {
  let num = 0, den = 0;
  for (let i = 0; i < points.length; i++) {
    const sums = new Map<number, number>(), weights = new Map<number, number>();
    for (let j = 0; j < points.length; j++) {
      if (j === i) continue;
      const p = points[j];
      sums.set(p.c, (sums.get(p.c) ?? 0) + p.w * dist(points[i].x, p.x));
      weights.set(p.c, (weights.get(p.c) ?? 0) + p.w);
    }
    let s = 0;
    const own = points[i].c;
    if ((weights.get(own) ?? 0) > 0) {
      const a = sums.get(own)! / weights.get(own)!;
      let b = Infinity;
      for (const [c, w] of weights) if (c !== own && w > 0) b = Math.min(b, sums.get(c)! / w);
      s = a < b ? 1 - a / b : a > b ? b / a - 1 : 0;
    }
    num += s * points[i].w;
    den += points[i].w;
  }
  return num / den;
}

describe('ClusteringEvaluator on random data', () => {
  // Distinct points on an integer lattice (distinct directions for cosine): Spark's O(N·k) formulas
  // cancel large terms, so identical points at distance 0 would only compare rounding noise.
  const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));
  const direction = (x: number[]) => { const g = x.reduce(gcd, 0); return x.map((v) => v / g).join(','); };
  const coordinate = fc.integer({ min: 1, max: 10 }).chain((v) => fc.constantFrom(v, -v));
  const pointsArb = (cosine: boolean) => fc.integer({ min: 1, max: 4 }).chain((d) => fc.uniqueArray(
    fc.record({
      x: fc.array(coordinate, { minLength: d, maxLength: d }),
      c: fc.integer({ min: 0, max: 3 }),
      w: fc.oneof(fc.constant(1), fc.double({ min: 0.1, max: 4, noNaN: true })),
    }),
    { minLength: 2, maxLength: 30, selector: (p) => (cosine ? direction(p.x) : p.x.join(',')) },
  )).filter((pts) => new Set(pts.map((p) => p.c)).size > 1);
  const caseArb = fc.constantFrom('squaredEuclidean', 'cosine').chain((distanceMeasure) =>
    fc.tuple(fc.constant(distanceMeasure), pointsArb(distanceMeasure === 'cosine')));

  it('equals the O(N²) definition for both distances, dense or sparse, weighted or not, any partitioning (rtol 1e-9)', async () => {
    await fc.assert(fc.asyncProperty(caseArb, fc.integer({ min: 1, max: 5 }), fc.constantFrom(...MASTERS), fc.boolean(), fc.boolean(),
      async ([distanceMeasure, points], parts, master, sparse, weighted) => {
        const rows = points.map((p) => ({
          features: sparse ? Vectors.sparse(p.x.length, p.x.map((_, j) => j), p.x) : Vectors.dense(p.x),
          prediction: p.c, weight: p.w,
        }));
        const ref = weighted ? points : points.map((p) => ({ ...p, w: 1 }));
        const evaluator = new ClusteringEvaluator({ distanceMeasure, ...(weighted ? { weightCol: 'weight' } : {}) });
        const expected = slowSilhouette(ref, distanceMeasure === 'cosine' ? cosDist : sqDist);
        expectClose(await evaluator.evaluate(df(master, rows, parts, { features: 'vector', prediction: 'int', weight: 'double' })), expected, { rtol: 1e-9, atol: 1e-9 }, 'silhouette');
      }), { numRuns: 40 });
  });

  it('gives the same bits for inline and local[2] with the same partitioning', async () => {
    const rows: Row[] = Array.from({ length: 600 }, (_, i) => ({ features: Vectors.dense([Math.sin(i), Math.cos(3 * i), (i % 7) / 7]), prediction: i % 4 }));
    const [a, b] = await Promise.all(MASTERS.map((m) => new ClusteringEvaluator().evaluate(df(m, rows, 4))));
    expect(a).toBe(b);
  });

  it('skips sparse zeros correctly: a sparse vector with few stored entries equals its dense form', async () => {
    const rows = [[0, 0, 3], [0, 1, 0], [5, 0, 0], [4, 0, 1], [0, 0, 2.5], [0, 2, 0.1]].map((x, i) => ({ x, c: i % 2 }));
    for (const distanceMeasure of ['squaredEuclidean', 'cosine'] as const) {
      const dense = await new ClusteringEvaluator({ distanceMeasure }).evaluate(df('inline', rows.map((r) => ({ features: Vectors.dense(r.x), prediction: r.c })), 2));
      const sparse = await new ClusteringEvaluator({ distanceMeasure }).evaluate(df('local[2]', rows.map((r) => ({
        features: Vectors.sparse(3, r.x.flatMap((v, j) => (v === 0 ? [] : [j])), r.x.filter((v) => v !== 0)), prediction: r.c,
      })), 2, { features: 'vector', prediction: 'int' }));
      expectClose(sparse, dense, { rtol: 1e-12 }, distanceMeasure);
      expectClose(dense, slowSilhouette(rows.map((r) => ({ ...r, w: 1 })), distanceMeasure === 'cosine' ? cosDist : sqDist), { rtol: 1e-12 }, 'O(N²)');
    }
  });
});

describe('ClusteringEvaluator errors and params', () => {
  it('rejects mistyped columns before any pass', async () => {
    const data = df('inline', [{ features: 1, prediction: 0, name: 'a' }], 1);
    await expect(new ClusteringEvaluator().evaluate(data)).rejects.toThrow(/features column 'features' must be of type vector but was actually of type int/);
    const data2 = df('inline', [{ features: Vectors.dense([1]), prediction: 'a' }], 1);
    await expect(new ClusteringEvaluator().evaluate(data2)).rejects.toThrow(/prediction column 'prediction' must be of type numeric/);
  });

  it('rejects null features, zero vectors under cosine, NaN cluster ids, negative weights and empty input', async () => {
    const rows = [
      { features: Vectors.dense([1, 2]), prediction: 0, w: 1 }, { features: null, prediction: 1, w: 1 },
      { features: Vectors.dense([0, 0]), prediction: 1, w: 1 }, { features: Vectors.dense([1, 1]), prediction: NaN, w: 1 },
      { features: Vectors.dense([1, 1]), prediction: 1, w: -1 },
    ];
    const data = df('local[2]', rows, 2, { features: 'vector', prediction: 'double', w: 'double' });
    await expect(new ClusteringEvaluator({ distanceMeasure: 'cosine', weightCol: 'w' }).evaluate(data)).rejects.toThrow(
      /1 row where features column 'features' is null.*1 row where features column 'features' holds a zero vector \(cosine distance is undefined\)/);
    await expect(new ClusteringEvaluator({ weightCol: 'w' }).evaluate(data)).rejects.toThrow(/prediction column 'prediction' is NaN.*weight column 'w' is negative or infinite/);
    await expect(new ClusteringEvaluator().evaluate(df('local[2]', [{ features: Vectors.dense([1]), prediction: 0 }], 2).limit(0))).rejects.toThrow(/the DataFrame is empty/);
  });

  it('rejects vectors of different sizes', async () => {
    const rows = [{ features: Vectors.sparse(2, [0], [1]), prediction: 0 }, { features: Vectors.sparse(3, [0], [2]), prediction: 1 }];
    await expect(new ClusteringEvaluator().evaluate(df('local[2]', rows, 1))).rejects.toThrow(/vectors of different sizes/);
    await expect(new ClusteringEvaluator().evaluate(df('local[2]', rows, 2))).rejects.toThrow(/vectors of different sizes \(2 and 3\)/);
  });

  it("has Spark's params and defaults", () => {
    const e = new ClusteringEvaluator();
    expect([e.getMetricName(), e.getDistanceMeasure(), e.getFeaturesCol(), e.getPredictionCol(), e.isLargerBetter()]).toEqual(['silhouette', 'squaredEuclidean', 'features', 'prediction', true]);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => e.setDistanceMeasure('euclidean')).toThrow(/must be one of \[squaredEuclidean, cosine\]/);
    expect(ClusteringEvaluator.sparkClassName).toBe('org.apache.spark.ml.evaluation.ClusteringEvaluator');
    expect(String(e)).toBe(`ClusteringEvaluator: uid=${e.uid}, metricName=silhouette, distanceMeasure=squaredEuclidean`);
  });
});
