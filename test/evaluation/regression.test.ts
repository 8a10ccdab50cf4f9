import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RegressionEvaluator, RegressionMetrics, type Row } from '../../src/index.js';
import { MASTERS, expectClose, useSessions, type Master } from './sessions.js';

const { df } = useSessions();

/** Spark's RegressionMetricsSuite tolerance: absTol 1e-5. */
const SPARK = { atol: 1e-5 };

async function allMetrics(master: Master, rows: Row[], parts: number, params: { weightCol?: string; throughOrigin?: boolean } = {}) {
  const data = df(master, rows, parts, { prediction: 'double', label: 'double', ...(params.weightCol ? { [params.weightCol]: 'double' } : {}) });
  const out: Record<string, number> = {};
  for (const metricName of ['rmse', 'mse', 'r2', 'mae', 'var'] as const) out[metricName] = await new RegressionEvaluator({ ...params, metricName }).evaluate(data);
  return out;
}

function expectMetrics(actual: Record<string, number>, expected: Record<string, number>, tol: { rtol?: number; atol?: number } = SPARK): void {
  for (const [k, v] of Object.entries(expected)) expectClose(actual[k], v, tol, k);
}

const obs = [77, 85, 62, 55, 63, 88, 57, 81, 51];

describe("RegressionEvaluator (Spark's RegressionMetricsSuite, absTol 1e-5)", () => {
  it('unbiased (intercept) predictor, values verified in R', async () => {
    const preds = [72.08, 91.88, 65.48, 52.28, 62.18, 81.98, 58.88, 78.68, 55.58];
    const rows = preds.map((prediction, i) => ({ prediction, label: obs[i] }));
    for (const master of MASTERS) {
      for (const parts of [1, 2, 4]) {
        expectMetrics(await allMetrics(master, rows, parts), { var: 157.3, mae: 3.7355556, mse: 17.539511, rmse: 4.18802, r2: 0.89968225 });
      }
    }
  });

  it('biased (no intercept) predictor with throughOrigin, values verified in R', async () => {
    const preds = [72.12, 99.17, 63.11, 45.08, 58.6, 85.65, 54.09, 81.14, 49.58];
    const rows = preds.map((prediction, i) => ({ prediction, label: obs[i] }));
    for (const master of MASTERS) {
      expectMetrics(await allMetrics(master, rows, 2, { throughOrigin: true }),
        { var: 294.88167, mae: 4.5888889, mse: 39.958711, rmse: 6.3212903, r2: 0.99185395 });
    }
  });

  it('complete fitting', async () => {
    const rows = obs.map((y) => ({ prediction: y, label: y }));
    expectMetrics(await allMetrics('local[2]', rows, 2), { var: 174.83951, mae: 0, mse: 0, rmse: 0, r2: 1 });
  });

  it('the four-point examples (unbiased, biased) and unit weights give the same numbers', async () => {
    const unbiased = [[2.25, 3.0], [-0.25, -0.5], [1.75, 2.0], [7.75, 7.0]].map(([prediction, label]) => ({ prediction, label, w: 1 }));
    const biased = [[2.5, 3.0], [0.0, -0.5], [2.0, 2.0], [8.0, 7.0]].map(([prediction, label]) => ({ prediction, label }));
    for (const master of MASTERS) {
      const expected = { var: 8.79687, mae: 0.5, mse: 0.3125, rmse: 0.55901, r2: 0.95717 };
      expectMetrics(await allMetrics(master, unbiased, 2), expected);
      expectMetrics(await allMetrics(master, unbiased, 2, { weightCol: 'w' }), expected);
      expectMetrics(await allMetrics(master, biased, 2), { var: 8.85937, mae: 0.5, mse: 0.375, rmse: 0.61237, r2: 0.94860 });
    }
  });

  it('weighted samples (Spark 3 values: weightSum denominators, SStot = variance(y)·(Σw - 1)), checked by hand', async () => {
    // Σw = 0.5, Σw² = 0.075: variance(y) = 2.555 / (0.5 - 0.15) = 7.3, so SStot = 7.3·(0.5 - 1) and r2 > 1.
    const rows = [[2.25, 3.0, 0.1], [-0.25, -0.5, 0.2], [1.75, 2.0, 0.15], [7.75, 7.0, 0.05]].map(([prediction, label, w]) => ({ prediction, label, w }));
    for (const master of MASTERS) {
      expectMetrics(await allMetrics(master, rows, 2, { weightCol: 'w' }), { var: 5.2425, mae: 0.4, mse: 0.2125, rmse: 0.46098, r2: 1.02910 });
    }
  });
});

/** Spark's formulas written out over the rows (two-pass, no merging): the slow reference. */
function reference(rows: readonly { p: number; y: number; w: number }[], throughOrigin: boolean): Record<string, number> {
  const W = rows.reduce((s, r) => s + r.w, 0), W2 = rows.reduce((s, r) => s + r.w * r.w, 0);
  const yMean = rows.reduce((s, r) => s + r.w * r.y, 0) / W;
  const sq = rows.reduce((s, r) => s + r.w * (r.y - r.p) ** 2, 0);
  const ssTot = (rows.reduce((s, r) => s + r.w * (r.y - yMean) ** 2, 0) / (W - W2 / W)) * (W - 1);
  const ssY = rows.reduce((s, r) => s + r.w * r.y * r.y, 0);
  return {
    mse: sq / W, rmse: Math.sqrt(sq / W), mae: rows.reduce((s, r) => s + r.w * Math.abs(r.y - r.p), 0) / W,
    var: rows.reduce((s, r) => s + r.w * (r.p - yMean) ** 2, 0) / W, r2: 1 - sq / (throughOrigin ? ssY : ssTot),
  };
}

describe('RegressionEvaluator on random data', () => {
  const rowArb = fc.record({ p: fc.double({ min: -100, max: 100, noNaN: true }), y: fc.double({ min: -100, max: 100, noNaN: true }), w: fc.double({ min: 0.5, max: 5, noNaN: true }) });
  it("agrees with Spark's formulas over the rows for every metric, any partitioning, both masters (rtol 1e-9)", async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowArb, { minLength: 3, maxLength: 40 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom(...MASTERS), fc.boolean(), async (rows, parts, master, throughOrigin) => {
      fc.pre(new Set(rows.map((r) => r.y)).size > 1);
      const actual = await allMetrics(master, rows.map((r) => ({ prediction: r.p, label: r.y, w: r.w })), parts, { weightCol: 'w', throughOrigin });
      expectMetrics(actual, reference(rows, throughOrigin), { rtol: 1e-9, atol: 1e-9 });
    }), { numRuns: 25 });
  });

  it('is numerically stable far from the origin (labels around 1e9) and identical for inline and local[2]', async () => {
    const rows: Row[] = Array.from({ length: 1000 }, (_, i) => ({ label: 1e9 + Math.sin(i), prediction: 1e9 + Math.sin(i) + 0.1 * Math.cos(3 * i) }));
    const ys = rows.map((r) => (r.label as number) - 1e9), ps = rows.map((r) => (r.prediction as number) - 1e9);
    const shifted = reference(ys.map((y, i) => ({ y, p: ps[i], w: 1 })), false);
    const results = [];
    for (const master of MASTERS) results.push(await allMetrics(master, rows, 5));
    expect(results[0]).toEqual(results[1]);
    // Shifting labels and predictions together leaves every metric unchanged; the 1e9 offset costs ~1e-7 absolute in the inputs.
    expectMetrics(results[0], { r2: shifted.r2, var: shifted.var, mse: shifted.mse }, { rtol: 1e-5, atol: 1e-6 });
  });

  it('RegressionMetrics.fromRows equals the DataFrame pass', async () => {
    const rows = [[2.25, 3.0, 0.1], [-0.25, -0.5, 0.2], [1.75, 2.0, 0.15], [7.75, 7.0, 0.05]] as const;
    const m = RegressionMetrics.fromRows(rows);
    const viaDf = await new RegressionEvaluator({ weightCol: 'w' }).getMetrics(df('inline', rows.map(([prediction, label, w]) => ({ prediction, label, w })), 1));
    expectClose(viaDf.r2, m.r2, { rtol: 1e-14 }, 'r2');
    expectClose(viaDf.explainedVariance, m.explainedVariance, { rtol: 1e-14 }, 'var');
  });
});

describe('RegressionEvaluator errors and params', () => {
  it('rejects mistyped columns before any pass, NaN predictions, bad weights, empty input and zero total weight', async () => {
    const e = new RegressionEvaluator({ weightCol: 'w' });
    await expect(e.evaluate(df('inline', [{ label: 1, prediction: 'a', w: 1 }], 1))).rejects.toThrow(/prediction column 'prediction' must be of type numeric .* string/);
    await expect(e.evaluate(df('inline', [{ label: 1, pred: 1, w: 1 }], 1))).rejects.toThrow(/prediction column 'prediction' does not exist. Available columns: \[label, pred, w\]/);
    const rows = [{ label: 1, prediction: NaN, w: 1 }, { label: 1, prediction: 2, w: Infinity }, { label: 1, prediction: 2, w: null }];
    await expect(e.evaluate(df('local[2]', rows, 3, { label: 'double', prediction: 'double', w: 'double' }))).rejects.toThrow(
      /1 row where prediction column 'prediction' is NaN; 1 row where weight column 'w' is negative or infinite; 1 row where weight column 'w' is null\. .*weights must be finite and >= 0; models such as ALS predict NaN for unseen ids: set their coldStartStrategy to 'drop'/);
    await expect(e.evaluate(df('local[2]', [{ label: 1, prediction: 1, w: 1 }], 2).limit(0))).rejects.toThrow(/the DataFrame is empty/);
    await expect(e.evaluate(df('inline', [{ label: 1, prediction: 1, w: 0 }], 1, { label: 'double', prediction: 'double', w: 'double' }))).rejects.toThrow(/total weight of the rows is 0/);
  });

  it('accepts int and long columns (Spark casts numeric labels to double)', async () => {
    const data = df('local[2]', [{ label: 1, prediction: 2 }, { label: 3, prediction: 3 }], 2, { label: 'long', prediction: 'int' });
    expect(await new RegressionEvaluator({ metricName: 'mse' }).evaluate(data)).toBe(0.5);
  });

  it("has Spark's params, defaults and isLargerBetter", () => {
    const e = new RegressionEvaluator();
    expect([e.getMetricName(), e.getThroughOrigin(), e.getPredictionCol(), e.getLabelCol()]).toEqual(['rmse', false, 'prediction', 'label']);
    expect((['rmse', 'mse', 'r2', 'mae', 'var'] as const).map((m) => e.setMetricName(m).isLargerBetter())).toEqual([false, false, true, false, true]);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => e.setMetricName('mape')).toThrow(/must be one of \[mse, rmse, r2, mae, var\]/);
    expect(RegressionEvaluator.sparkClassName).toBe('org.apache.spark.ml.evaluation.RegressionEvaluator');
    expect(String(e.setMetricName('r2'))).toBe(`RegressionEvaluator: uid=${e.uid}, metricName=r2, throughOrigin=false`);
  });
});
