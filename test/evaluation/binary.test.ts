import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BinaryClassificationEvaluator, BinaryClassificationMetrics, Vectors, type Row } from '../../src/index.js';
import { areaUnderCurve, type CurvePoint } from '../../src/stat/binary-metrics.js';
import { MASTERS, expectClose, useSessions } from './sessions.js';

const { df } = useSessions();

/** Spark's own tolerance in BinaryClassificationMetricsSuite: absTol 1e-5 on every value. */
const SPARK = { atol: 1e-5 };

function expectCurve(actual: readonly CurvePoint[], expected: readonly CurvePoint[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach(([x, y], i) => {
    expectClose(x, expected[i][0], SPARK, `${what}[${i}].x`);
    expectClose(y, expected[i][1], SPARK, `${what}[${i}].y`);
  });
}

/** Spark's validateMetrics: thresholds, both curves and areas, F1/F2, precision and recall by threshold. */
function validateMetrics(
  m: BinaryClassificationMetrics,
  thresholds: number[], tp: number[], fp: number[], positives: number, negatives: number,
  firstPrecision?: number,
): void {
  const precision = tp.map((t, i) => t / (t + fp[i]));
  const recall = tp.map((t) => t / positives);
  const fpr = fp.map((f) => f / negatives);
  const roc: CurvePoint[] = [[0, 0], ...fpr.map((x, i): CurvePoint => [x, recall[i]]), [1, 1]];
  const pr: CurvePoint[] = [[0, firstPrecision ?? precision[0]], ...recall.map((r, i): CurvePoint => [r, precision[i]])];
  const f = (beta: number) => recall.map((r, i) => { const p = precision[i], b2 = beta * beta; return p + r === 0 ? 0 : ((1 + b2) * p * r) / (b2 * p + r); });
  expect(m.thresholds()).toEqual(thresholds);
  expectCurve(m.roc(), roc, 'roc');
  expectClose(m.areaUnderROC(), areaUnderCurve(roc), SPARK, 'areaUnderROC');
  expectCurve(m.pr(), pr, 'pr');
  expectClose(m.areaUnderPR(), areaUnderCurve(pr), SPARK, 'areaUnderPR');
  expectCurve(m.fMeasureByThreshold(), thresholds.map((t, i): CurvePoint => [t, f(1)[i]]), 'f1');
  expectCurve(m.fMeasureByThreshold(2), thresholds.map((t, i): CurvePoint => [t, f(2)[i]]), 'f2');
  expectCurve(m.precisionByThreshold(), thresholds.map((t, i): CurvePoint => [t, precision[i]]), 'precision');
  expectCurve(m.recallByThreshold(), thresholds.map((t, i): CurvePoint => [t, recall[i]]), 'recall');
}

// Spark's BinaryClassificationMetricsSuite, "binary evaluation metrics" and "... with weights".
const sparkScores: [number, number][] = [[0.1, 0], [0.1, 1], [0.4, 0], [0.6, 0], [0.6, 1], [0.6, 1], [0.8, 1]];
const [w1, w2, w3] = [1.5, 0.7, 0.4];
const sparkWeights = [w1, w2, w1, w3, w2, w2, w1];

describe("BinaryClassificationMetrics (Spark's BinaryClassificationMetricsSuite, absTol 1e-5)", () => {
  it('binary evaluation metrics', () => {
    validateMetrics(BinaryClassificationMetrics.fromScoreAndLabels(sparkScores), [0.8, 0.6, 0.4, 0.1], [1, 3, 3, 4], [0, 1, 2, 3], 4, 3);
  });

  it('binary evaluation metrics with weights', () => {
    const rows = sparkScores.map(([s, l], i) => [s, l, sparkWeights[i]] as const);
    validateMetrics(
      BinaryClassificationMetrics.fromScoreAndLabels(rows, 0), [0.8, 0.6, 0.4, 0.1],
      [w1, w1 + 2 * w2, w1 + 2 * w2, 3 * w2 + w1], [0, w3, w1 + w3, w3 + 2 * w1], 3 * w2 + w1, 2 * w1 + w3,
    );
  });

  it('all examples positive: precision 1, recall 1, fpr 0', () => {
    const m = BinaryClassificationMetrics.fromScoreAndLabels([[0.5, 1], [0.5, 1]]);
    expect(m.thresholds()).toEqual([0.5]);
    expect(m.roc()).toEqual([[0, 0], [0, 1], [1, 1]]);
    expect(m.pr()).toEqual([[0, 1], [1, 1]]);
  });

  it('all examples negative: the PR curve starts at the first precision, (0, 0)', () => {
    const m = BinaryClassificationMetrics.fromScoreAndLabels([[0.5, 0], [0.5, 0]]);
    expect(m.roc()).toEqual([[0, 0], [1, 0], [1, 1]]);
    expect(m.pr()).toEqual([[0, 0], [0, 0]]);
    expect(m.fMeasureByThreshold()).toEqual([[0.5, 0]]);
  });

  it('binary evaluation metrics with downsampling (the bin keeps its last, lowest score)', () => {
    const rows: [number, number][] = [[0.1, 0], [0.2, 0], [0.3, 1], [0.4, 0], [0.5, 0], [0.6, 1], [0.7, 1], [0.8, 0], [0.9, 1]];
    const sorted = (c: CurvePoint[]) => [...c].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const original = BinaryClassificationMetrics.fromScoreAndLabels(rows);
    expect(sorted(original.roc())).toEqual([
      [0, 0], [0, 0.25], [0.2, 0.25], [0.2, 0.5], [0.2, 0.75], [0.4, 0.75], [0.6, 0.75], [0.6, 1], [0.8, 1], [1, 1], [1, 1],
    ]);
    const downsampled = BinaryClassificationMetrics.fromScoreAndLabels(rows, 4);
    expect(sorted(downsampled.roc())).toEqual([[0, 0], [0.2, 0.25], [0.2, 0.75], [0.6, 0.75], [0.8, 1], [1, 1], [1, 1]]);
    expect(sorted(downsampled.recallByThreshold())).toEqual([[0.1, 1], [0.2, 1], [0.4, 0.75], [0.6, 0.75], [0.8, 0.25]]);
  });
});

/** Mann–Whitney U / (P·N) with ties counted half, weighted: the probability a positive outranks a negative. */
function mannWhitneyAUC(rows: readonly { s: number; y: number; w: number }[]): number {
  let num = 0, pos = 0, neg = 0;
  for (const a of rows) if (a.y === 1) pos += a.w; else neg += a.w;
  for (const a of rows) {
    if (a.y !== 1) continue;
    for (const b of rows) if (b.y !== 1) num += a.w * b.w * (a.s > b.s ? 1 : a.s === b.s ? 0.5 : 0);
  }
  return num / (pos * neg);
}

/** The PR area by brute force: at each distinct threshold scan every row (O(N·T)). */
function slowAreaUnderPR(rows: readonly { s: number; y: number; w: number }[]): number {
  const thresholds = [...new Set(rows.map((r) => r.s))].sort((a, b) => b - a);
  const positives = rows.reduce((t, r) => t + (r.y === 1 ? r.w : 0), 0);
  const points: CurvePoint[] = thresholds.map((t) => {
    let tp = 0, fp = 0;
    for (const r of rows) if (r.s >= t) { if (r.y === 1) tp += r.w; else fp += r.w; }
    return [positives === 0 ? 0 : tp / positives, tp + fp === 0 ? 1 : tp / (tp + fp)];
  });
  return areaUnderCurve([[0, points[0][1]], ...points]);
}

const rowsArb = fc.array(
  fc.record({ s: fc.integer({ min: -6, max: 6 }).map((k) => k / 4), y: fc.integer({ min: 0, max: 1 }), w: fc.integer({ min: 1, max: 4 }) }),
  { minLength: 2, maxLength: 60 },
).filter((rows) => rows.some((r) => r.y === 1) && rows.some((r) => r.y === 0));

describe('BinaryClassificationEvaluator', () => {
  it("reproduces Spark's suite areas through a DataFrame, for 1, 2, 3 and 7 partitions, inline and local[2] (atol 1e-12)", async () => {
    const rows = sparkScores.map(([s, l], i) => ({ rawPrediction: s, label: l, weight: sparkWeights[i] }));
    const expected = BinaryClassificationMetrics.fromScoreAndLabels(sparkScores);
    const expectedW = BinaryClassificationMetrics.fromScoreAndLabels(sparkScores.map(([s, l], i) => [s, l, sparkWeights[i]] as const));
    for (const master of MASTERS) {
      for (const parts of [1, 2, 3, 7]) {
        const data = df(master, rows, parts, { rawPrediction: 'double', label: 'double', weight: 'double' });
        const roc = new BinaryClassificationEvaluator();
        const pr = new BinaryClassificationEvaluator({ metricName: 'areaUnderPR' });
        expectClose(await roc.evaluate(data), expected.areaUnderROC(), { atol: 1e-12 }, 'areaUnderROC');
        expectClose(await pr.evaluate(data), expected.areaUnderPR(), { atol: 1e-12 }, 'areaUnderPR');
        roc.setWeightCol('weight');
        pr.setWeightCol('weight');
        expectClose(await roc.evaluate(data), expectedW.areaUnderROC(), { atol: 1e-12 }, 'weighted areaUnderROC');
        expectClose(await pr.evaluate(data), expectedW.areaUnderPR(), { atol: 1e-12 }, 'weighted areaUnderPR');
      }
    }
    // By hand from Spark's curve (0,0),(0,¼),(⅓,¾),(⅔,¾),(1,1),(1,1): AUC = ⅓·½ + ⅓·¾ + ⅓·⅞ = 0.7083…
    expectClose(expected.areaUnderROC(), 17 / 24, { atol: 1e-15 }, 'areaUnderROC by hand');
  });

  it("accepts a double or a vector rawPrediction, dense or sparse (Spark's evaluator suite: areaUnderPR = 1)", async () => {
    const evaluator = new BinaryClassificationEvaluator({ metricName: 'areaUnderPR' });
    for (const master of MASTERS) {
      const dense = df(master, [
        { label: 0, rawPrediction: Vectors.dense([12, 2.5]) },
        { label: 1, rawPrediction: Vectors.dense([1, 3]) },
        { label: 0, rawPrediction: Vectors.dense([10, 2]) },
      ], 2);
      expect(await evaluator.evaluate(dense)).toBe(1);
      const sparse = df(master, [
        { label: 0, rawPrediction: Vectors.sparse(2, [0], [12]) },
        { label: 1, rawPrediction: Vectors.sparse(3, [1], [3]) },
        { label: 0, rawPrediction: Vectors.sparse(2, [0, 1], [10, 2]) },
      ], 2);
      expect(await evaluator.evaluate(sparse)).toBe(1);
      expect(await evaluator.evaluate(df(master, [{ label: 0, rawPrediction: 0 }, { label: 1, rawPrediction: 1 }, { label: 0, rawPrediction: 0 }], 1))).toBe(1);
    }
  });

  it('AUC (numBins 0) is the weighted Mann–Whitney statistic with ties counted half; PR area equals a brute-force scan (atol 1e-12)', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, fc.integer({ min: 1, max: 5 }), fc.constantFrom(...MASTERS), fc.boolean(), async (rows, parts, master, weighted) => {
      const data = df(master, rows.map((r) => ({ rawPrediction: r.s, label: r.y, weight: r.w })), parts, { rawPrediction: 'double', label: 'int', weight: 'double' });
      const ref = weighted ? rows : rows.map((r) => ({ ...r, w: 1 }));
      const evaluator = new BinaryClassificationEvaluator({ numBins: 0, ...(weighted ? { weightCol: 'weight' } : {}) });
      expectClose(await evaluator.evaluate(data), mannWhitneyAUC(ref), { atol: 1e-12 }, 'areaUnderROC');
      expectClose(await evaluator.setMetricName('areaUnderPR').evaluate(data), slowAreaUnderPR(ref), { atol: 1e-12 }, 'areaUnderPR');
    }), { numRuns: 40 });
  });

  it('gives bit-identical areas for 1 and many partitions (integer counts) and for inline and local[2]', async () => {
    const rows: Row[] = Array.from({ length: 3000 }, (_, i) => ({ rawPrediction: Math.round(Math.sin(i * 7.3) * 500) / 100, label: (i * 2654435761) % 7 < 3 ? 1 : 0 }));
    const results = new Set<number>();
    for (const master of MASTERS) {
      for (const parts of [1, 4, 9]) {
        results.add(await new BinaryClassificationEvaluator({ numBins: 0 }).evaluate(df(master, rows, parts, { rawPrediction: 'double', label: 'int' })));
      }
    }
    expect(results.size).toBe(1);
  });

  it('down-samples to numBins (default 1000) exactly as Spark does on one sorted sequence', async () => {
    // 5000 rows with 2500 distinct scores: grouping = floor(2500 / 1000) = 2 scores per bin.
    const rows = Array.from({ length: 5000 }, (_, i) => ({ rawPrediction: (i % 2500) / 2500, label: Math.sin(i) + (i % 2500) / 2500 > 0.6 ? 1 : 0 }));
    const local = BinaryClassificationMetrics.fromScoreAndLabels(rows.map((r) => [r.rawPrediction, r.label] as const), 1000);
    expect(local.numThresholds).toBe(1250);
    const exact = BinaryClassificationMetrics.fromScoreAndLabels(rows.map((r) => [r.rawPrediction, r.label] as const), 0);
    for (const master of MASTERS) {
      const data = df(master, rows, 3, { rawPrediction: 'double', label: 'int' });
      const evaluator = new BinaryClassificationEvaluator();
      expect(evaluator.getNumBins()).toBe(1000);
      const metrics = await evaluator.getMetrics(data);
      expect(metrics.thresholds()).toEqual(local.thresholds());
      expectClose(await evaluator.evaluate(data), local.areaUnderROC(), { atol: 1e-12 }, 'binned areaUnderROC');
      expectClose(await evaluator.evaluate(data, evaluator.extractParamMap().put(evaluator.numBins, 0)), exact.areaUnderROC(), { atol: 1e-12 }, 'exact areaUnderROC');
    }
    // Binning moves the area a little, never much, on a curve this fine.
    expectClose(local.areaUnderROC(), exact.areaUnderROC(), { atol: 1e-3 }, 'binned vs exact');
  });

  it('treats labels > 0.5 as positive, whatever their numeric type', async () => {
    for (const master of MASTERS) {
      const a = await new BinaryClassificationEvaluator().evaluate(df(master, [{ rawPrediction: 0.9, label: 1 }, { rawPrediction: 0.2, label: 0 }, { rawPrediction: 0.5, label: 1 }], 2, { rawPrediction: 'double', label: 'long' }));
      expect(a).toBe(1);
    }
  });

  it('rejects a bad schema before any pass, naming the column and type', async () => {
    const data = df('inline', [{ rawPrediction: 'x', label: 1, s: 0.5, text: 'a' }], 1);
    const e = new BinaryClassificationEvaluator();
    await expect(e.evaluate(data)).rejects.toThrow(/rawPrediction column 'rawPrediction' must be of type numeric or vector but was actually of type string/);
    await expect(e.setRawPredictionCol('missing').evaluate(data)).rejects.toThrow(/column 'missing' does not exist. Available columns: \[rawPrediction, label, s, text\]/);
    await expect(e.setRawPredictionCol('s').setLabelCol('text').evaluate(data)).rejects.toThrow(/label column 'text' must be of type numeric .* string/);
    await expect(e.setLabelCol('label').setWeightCol('text').evaluate(data)).rejects.toThrow(/weight column 'text' must be of type numeric/);
  });

  it('rejects NaN and null scores, null labels, bad weights and short vectors with one error listing them all', async () => {
    const e = new BinaryClassificationEvaluator({ weightCol: 'w' });
    const rows = [
      { rawPrediction: NaN, label: 1, w: 1 }, { rawPrediction: 0.5, label: null, w: 1 }, { rawPrediction: 0.5, label: 0, w: -1 },
      { rawPrediction: 0.5, label: 0, w: NaN }, { rawPrediction: null, label: 0, w: 1 }, { rawPrediction: 0.3, label: 1, w: 1 },
    ];
    for (const master of MASTERS) {
      const err = await e.evaluate(df(master, rows, 3, { rawPrediction: 'double', label: 'double', w: 'double' })).catch((x: Error) => x);
      expect(err).toBeInstanceOf(Error);
      const msg = (err as Error).message;
      expect(msg).toMatch(/^BinaryClassificationEvaluator_[0-9a-f]{12}: invalid input: /);
      for (const part of [
        "1 row where rawPrediction column 'rawPrediction' is NaN", "1 row where label column 'label' is null",
        "1 row where weight column 'w' is negative or infinite", "1 row where weight column 'w' is NaN",
        "1 row where rawPrediction column 'rawPrediction' is null", 'weights must be finite and >= 0',
      ]) expect(msg).toContain(part);
    }
    const short = df('local[2]', [{ rawPrediction: Vectors.dense([0.4]), label: 1 }], 1);
    await expect(new BinaryClassificationEvaluator().evaluate(short)).rejects.toThrow(/holds a vector of size < 2/);
  });

  it('rejects an empty DataFrame (Spark fails on it too)', async () => {
    const empty = df('local[2]', [{ rawPrediction: 0.5, label: 1 }], 2).limit(0);
    await expect(new BinaryClassificationEvaluator().evaluate(empty)).rejects.toThrow(/the DataFrame is empty/);
  });

  it('has Spark params, defaults and isLargerBetter', () => {
    const e = new BinaryClassificationEvaluator();
    expect([e.getMetricName(), e.getNumBins(), e.getRawPredictionCol(), e.getLabelCol(), e.isDefined(e.weightCol)]).toEqual(['areaUnderROC', 1000, 'rawPrediction', 'label', false]);
    expect(e.isLargerBetter()).toBe(true);
    expect(e.setMetricName('areaUnderPR').isLargerBetter()).toBe(true);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => e.setMetricName('f1')).toThrow(/metricName given invalid value f1 \(must be one of \[areaUnderROC, areaUnderPR\]\)/);
    expect(() => e.setNumBins(-1)).toThrow(/numBins given invalid value -1 \(must be >= 0\)/);
    expect(BinaryClassificationEvaluator.sparkClassName).toBe('org.apache.spark.ml.evaluation.BinaryClassificationEvaluator');
    expect(String(e)).toBe(`BinaryClassificationEvaluator: uid=${e.uid}, metricName=areaUnderPR, numBins=1000`);
  });
});
