import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MulticlassClassificationEvaluator, MulticlassMetrics, Vectors, type MulticlassMetricName, type Row } from '../../src/index.js';
import { MASTERS, expectClose, useSessions, type Master } from './sessions.js';

const { df } = useSessions();

/** Spark's MulticlassMetricsSuite tolerance: relTol 1e-7. */
const SPARK = { rtol: 1e-7 };

// Spark's MulticlassMetricsSuite: (prediction, label) pairs with the confusion matrix
//   |2|1|1|  true class 0
//   |1|3|0|  true class 1
//   |0|0|1|  true class 2
const pairs: [number, number][] = [[0, 0], [0, 1], [0, 0], [1, 0], [1, 1], [1, 1], [1, 1], [2, 2], [2, 0]];
const [w1, w2] = [2.2, 1.5];
const pairWeights = [w1, w2, w1, w2, w1, w2, w1, w2, w1];

/** The suite's expected values, from its hand-written formulas. */
function expectedUnweighted() {
  const tpRate = [2 / 4, 3 / 4, 1 / 1], fpRate = [1 / 5, 1 / 5, 1 / 8];
  const precision = [2 / 3, 3 / 4, 1 / 2], recall = tpRate;
  return { tpRate, fpRate, precision, recall, weights: [4 / 9, 4 / 9, 1 / 9], accuracy: 6 / 9 };
}

function expectedWeighted() {
  const tw = 2 * w1 + w2 + w1 + w2 + 2 * w1 + w2 + w2;
  const tpRate = [(2 * w1) / (3 * w1 + w2), (2 * w1 + w2) / (2 * w1 + 2 * w2), 1];
  const fpRate = [w2 / (tw - (3 * w1 + w2)), w2 / (tw - (2 * w1 + 2 * w2)), w1 / (tw - w2)];
  const precision = [(2 * w1) / (2 * w1 + w2), (2 * w1 + w2) / (2 * w1 + 2 * w2), w2 / (w1 + w2)];
  return { tpRate, fpRate, precision, recall: tpRate, weights: [(3 * w1 + w2) / tw, (2 * w1 + 2 * w2) / tw, w2 / tw], accuracy: (4 * w1 + 2 * w2) / tw };
}

const fm = (p: number, r: number, beta: number) => ((1 + beta * beta) * p * r) / (beta * beta * p + r);

async function checkSuite(master: Master, parts: number, weighted: boolean): Promise<void> {
  const rows = pairs.map(([prediction, label], i) => ({ prediction, label, weight: pairWeights[i] }));
  const data = df(master, rows, parts, { prediction: 'double', label: 'double', weight: 'double' });
  const x = weighted ? expectedWeighted() : expectedUnweighted();
  const evaluator = new MulticlassClassificationEvaluator(weighted ? { weightCol: 'weight' } : {});
  const metric = (metricName: MulticlassMetricName, extra: { metricLabel?: number; beta?: number } = {}) => {
    const e = evaluator.copy().setMetricName(metricName);
    if (extra.metricLabel !== undefined) e.setMetricLabel(extra.metricLabel);
    if (extra.beta !== undefined) e.setBeta(extra.beta);
    return e.evaluate(data);
  };
  for (const label of [0, 1, 2]) {
    expectClose(await metric('truePositiveRateByLabel', { metricLabel: label }), x.tpRate[label], SPARK, `tpr ${label}`);
    expectClose(await metric('falsePositiveRateByLabel', { metricLabel: label }), x.fpRate[label], SPARK, `fpr ${label}`);
    expectClose(await metric('precisionByLabel', { metricLabel: label }), x.precision[label], SPARK, `precision ${label}`);
    expectClose(await metric('recallByLabel', { metricLabel: label }), x.recall[label], SPARK, `recall ${label}`);
    expectClose(await metric('fMeasureByLabel', { metricLabel: label }), fm(x.precision[label], x.recall[label], 1), SPARK, `f1 ${label}`);
    expectClose(await metric('fMeasureByLabel', { metricLabel: label, beta: 2 }), fm(x.precision[label], x.recall[label], 2), SPARK, `f2 ${label}`);
  }
  const avg = (v: number[]) => v.reduce((s, vi, i) => s + x.weights[i] * vi, 0);
  expectClose(await metric('accuracy'), x.accuracy, SPARK, 'accuracy');
  expectClose(await metric('weightedRecall'), x.accuracy, SPARK, 'weightedRecall = accuracy');
  expectClose(await metric('weightedTruePositiveRate'), avg(x.tpRate), SPARK, 'weightedTruePositiveRate');
  expectClose(await metric('weightedFalsePositiveRate'), avg(x.fpRate), SPARK, 'weightedFalsePositiveRate');
  expectClose(await metric('weightedPrecision'), avg(x.precision), SPARK, 'weightedPrecision');
  expectClose(await metric('f1'), avg([0, 1, 2].map((l) => fm(x.precision[l], x.recall[l], 1))), SPARK, 'f1');
  expectClose(await metric('weightedFMeasure', { beta: 2 }), avg([0, 1, 2].map((l) => fm(x.precision[l], x.recall[l], 2))), SPARK, 'weightedFMeasure(2)');
  expectClose(await metric('hammingLoss'), 1 - x.accuracy, SPARK, 'hammingLoss');
}

describe("MulticlassClassificationEvaluator (Spark's MulticlassMetricsSuite, relTol 1e-7)", () => {
  it('Multiclass evaluation metrics, for 1, 2 and 4 partitions, inline and local[2]', async () => {
    for (const master of MASTERS) for (const parts of [1, 2, 4]) await checkSuite(master, parts, false);
  });

  it('Multiclass evaluation metrics with weights', async () => {
    for (const master of MASTERS) for (const parts of [1, 3]) await checkSuite(master, parts, true);
  });

  it('confusion matrix and labels (getMetrics)', async () => {
    const rows = pairs.map(([prediction, label], i) => ({ prediction, label, weight: pairWeights[i] }));
    const m = await new MulticlassClassificationEvaluator({ weightCol: 'weight' }).getMetrics(df('local[2]', rows, 2));
    expect(m.labels).toEqual([0, 1, 2]);
    const cm = m.confusionMatrix();
    const expected = [2 * w1, w2, 0, w2, 2 * w1 + w2, 0, w1, 0, w2]; // column-major, as the suite writes it
    Array.from(cm.values).forEach((v, i) => expectClose(v, expected[i], SPARK, `confusion[${i}]`));
  });

  // sklearn values quoted in Spark's suite ("supports binary class log-loss" / "multi-class log-loss").
  const logLossCases = [
    { labels: [1, 0, 0, 1], probabilities: [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]], weighted: 0.16145936283256573, unweighted: 0.21616187468057912 },
    { labels: [1, 2, 0, 1], probabilities: [[0.1, 0.8, 0.1], [0.9, 0.05, 0.05], [0.8, 0.2, 0.0], [0.3, 0.65, 0.05]], weighted: 1.3529429766879466, unweighted: 0.9682005730687164 },
  ];
  it('logLoss matches scikit-learn log_loss, weighted and not (binary and multi-class)', async () => {
    const weights = [1.5, 2.0, 1.0, 0.5];
    for (const c of logLossCases) {
      const rows = c.labels.map((label, i) => {
        const p = c.probabilities[i];
        return { label, weight: weights[i], prediction: p.indexOf(Math.max(...p)), probability: Vectors.dense(p) };
      });
      for (const master of MASTERS) {
        const data = df(master, rows, 2);
        const e = new MulticlassClassificationEvaluator({ metricName: 'logLoss' });
        expectClose(await e.evaluate(data), c.unweighted, SPARK, 'logLoss');
        expectClose(await e.setWeightCol('weight').evaluate(data), c.weighted, SPARK, 'weighted logLoss');
        const sparse = df(master, rows.map((r) => ({ ...r, probability: Vectors.sparse(r.probability.size, [...r.probability.values.keys()].filter((k) => r.probability.values[k] !== 0), r.probability.values.filter((v) => v !== 0)) })), 3);
        expectClose(await e.evaluate(sparse), c.weighted, SPARK, 'weighted logLoss, sparse probabilities');
      }
    }
  });

  it('logLoss clips probabilities to [eps, 1 - eps] (p = 0 costs -log(eps))', async () => {
    const rows = [{ label: 0, prediction: 1, probability: Vectors.dense([0, 1]) }, { label: 1, prediction: 1, probability: Vectors.dense([0, 1]) }];
    const e = new MulticlassClassificationEvaluator({ metricName: 'logLoss', eps: 1e-3 });
    expectClose(await e.evaluate(df('inline', rows, 1)), (-Math.log(1e-3) - Math.log1p(-1e-3)) / 2, { rtol: 1e-15 }, 'clipped logLoss');
  });

  it('hammingLoss matches scikit-learn hamming_loss (0.25; 0.3 weighted)', async () => {
    const rows = [[1, 2, 1.5], [2, 2, 2.0], [3, 3, 1.0], [4, 4, 0.5]].map(([prediction, label, weight]) => ({ prediction, label, weight }));
    for (const master of MASTERS) {
      const e = new MulticlassClassificationEvaluator({ metricName: 'hammingLoss' });
      expectClose(await e.evaluate(df(master, rows, 2)), 0.25, SPARK, 'hammingLoss');
      expectClose(await e.setWeightCol('weight').evaluate(df(master, rows, 2)), 0.3, SPARK, 'weighted hammingLoss');
    }
  });
});

/** Every metric by plain loops over the rows (no confusion map): the slow reference. */
function reference(rows: readonly { y: number; p: number; w: number }[], metricLabel: number, beta: number): Record<string, number> {
  const labels = [...new Set(rows.filter((r) => r.w > 0).map((r) => r.y))].sort((a, b) => a - b);
  const total = rows.reduce((s, r) => s + r.w, 0);
  const sum = (f: (r: { y: number; p: number; w: number }) => boolean) => rows.reduce((s, r) => s + (f(r) ? r.w : 0), 0);
  const per = (l: number) => {
    const tp = sum((r) => r.y === l && r.p === l), fp = sum((r) => r.y !== l && r.p === l), count = sum((r) => r.y === l);
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp), recall = tp / count;
    const f = (b: number) => (precision + recall === 0 ? 0 : ((1 + b * b) * precision * recall) / (b * b * precision + recall));
    return { precision, recall, fpr: fp / (total - count), f1: f(1), fb: f(beta), share: count / total };
  };
  const avg = (k: 'precision' | 'recall' | 'fpr' | 'f1' | 'fb') => labels.reduce((s, l) => s + per(l)[k] * per(l).share, 0);
  const accuracy = sum((r) => r.y === r.p) / total;
  const mine = per(metricLabel);
  return {
    f1: avg('f1'), accuracy, weightedPrecision: avg('precision'), weightedRecall: avg('recall'), weightedTruePositiveRate: avg('recall'),
    weightedFalsePositiveRate: avg('fpr'), weightedFMeasure: avg('fb'), truePositiveRateByLabel: mine.recall, falsePositiveRateByLabel: mine.fpr,
    precisionByLabel: mine.precision, recallByLabel: mine.recall, fMeasureByLabel: mine.fb, hammingLoss: 1 - accuracy,
  };
}

describe('MulticlassClassificationEvaluator on random data', () => {
  const rowsArb = fc.array(
    fc.record({ y: fc.integer({ min: 0, max: 3 }), p: fc.integer({ min: 0, max: 4 }), w: fc.oneof(fc.constant(1), fc.double({ min: 0.1, max: 3, noNaN: true })) }),
    { minLength: 1, maxLength: 50 },
  ).filter((rows) => rows.some((r) => r.y === 0));

  it('agrees with plain loops over the rows for every metric, any partitioning, both masters (rtol 1e-12)', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, fc.integer({ min: 1, max: 5 }), fc.constantFrom(...MASTERS), fc.double({ min: 0.2, max: 4, noNaN: true }), async (rows, parts, master, beta) => {
      const data = df(master, rows.map((r) => ({ label: r.y, prediction: r.p, w: r.w })), parts, { label: 'int', prediction: 'double', w: 'double' });
      const expected = reference(rows, 0, beta);
      const metrics = await new MulticlassClassificationEvaluator({ weightCol: 'w', beta }).getMetrics(data);
      for (const [name, value] of Object.entries(expected)) {
        const e = new MulticlassClassificationEvaluator({ weightCol: 'w', beta, metricName: name as MulticlassMetricName, metricLabel: 0 });
        expectClose(await e.evaluate(data), value, { rtol: 1e-12, atol: 1e-15 }, name);
      }
      expect(metrics.labels).toEqual([...new Set(rows.map((r) => r.y))].sort((a, b) => a - b));
    }), { numRuns: 15 });
  });

  it('gives identical numbers for 1 and 6 partitions (unit weights) and for inline and local[2]', async () => {
    const rows: Row[] = Array.from({ length: 2000 }, (_, i) => ({ label: i % 5, prediction: (i * 7919) % 6 === 0 ? (i + 1) % 5 : i % 5 }));
    const seen = new Map<string, Set<number>>();
    for (const metricName of ['f1', 'weightedPrecision', 'weightedFalsePositiveRate', 'accuracy'] as const) {
      for (const master of MASTERS) for (const parts of [1, 6]) {
        const v = await new MulticlassClassificationEvaluator({ metricName }).evaluate(df(master, rows, parts));
        seen.set(metricName, (seen.get(metricName) ?? new Set()).add(v));
      }
    }
    for (const [name, values] of seen) expect(values.size, name).toBe(1);
  });

  it('MulticlassMetrics.fromRows equals the DataFrame pass', async () => {
    const m = MulticlassMetrics.fromRows(pairs.map(([p, l], i) => [p, l, pairWeights[i]] as const));
    const viaDf = await new MulticlassClassificationEvaluator({ weightCol: 'weight' }).getMetrics(df('inline', pairs.map(([prediction, label], i) => ({ prediction, label, weight: pairWeights[i] })), 2));
    expect(viaDf.weightedFMeasure(1)).toBe(m.weightedFMeasure(1));
    expect(viaDf.confusionMatrix().values).toEqual(m.confusionMatrix().values);
  });
});

describe('MulticlassClassificationEvaluator errors and params', () => {
  it('rejects a metricLabel that is not a label, naming the labels', async () => {
    const e = new MulticlassClassificationEvaluator({ metricName: 'precisionByLabel', metricLabel: 7 });
    await expect(e.evaluate(df('inline', [{ label: 0, prediction: 0 }, { label: 1, prediction: 7 }], 1))).rejects.toThrow(/precisionByLabel: label 7 does not occur in the label column \(labels: \[0, 1\]\)/);
  });

  it('logLoss needs the probability column and labels that index it', async () => {
    const data = df('inline', [{ label: 0, prediction: 0 }], 1);
    await expect(new MulticlassClassificationEvaluator({ metricName: 'logLoss' }).evaluate(data)).rejects.toThrow(/probabilityCol is needed to compute logLoss, but column 'probability' does not exist/);
    const bad = df('local[2]', [{ label: 2, prediction: 0, probability: Vectors.dense([0.5, 0.5]) }, { label: 0.5, prediction: 0, probability: Vectors.dense([0.5, 0.5]) }], 2);
    await expect(new MulticlassClassificationEvaluator({ metricName: 'logLoss' }).evaluate(bad)).rejects.toThrow(/logLoss: 2 rows have a label that is not a class index/);
    // The other metrics ignore the probability column's problems.
    expect(await new MulticlassClassificationEvaluator({ metricName: 'accuracy' }).evaluate(bad)).toBe(0);
  });

  it('rejects mistyped columns, NaN predictions, null labels, negative weights and empty input', async () => {
    const e = new MulticlassClassificationEvaluator({ weightCol: 'w' });
    await expect(e.evaluate(df('inline', [{ label: 's', prediction: 0, w: 1 }], 1))).rejects.toThrow(/label column 'label' must be of type numeric \(double, int or long\) but was actually of type string/);
    await expect(e.evaluate(df('inline', [{ label: 1, prediction: true, w: 1 }], 1))).rejects.toThrow(/prediction column 'prediction' must be of type numeric .* boolean/);
    const rows = [{ label: 1, prediction: NaN, w: 1 }, { label: null, prediction: 1, w: 1 }, { label: 1, prediction: 1, w: -2 }];
    await expect(e.evaluate(df('local[2]', rows, 2, { label: 'double', prediction: 'double', w: 'double' }))).rejects.toThrow(
      /1 row where prediction column 'prediction' is NaN; 1 row where label column 'label' is null; 1 row where weight column 'w' is negative or infinite/);
    await expect(e.evaluate(df('inline', [{ label: 1, prediction: 1, w: 1 }], 1).limit(0))).rejects.toThrow(/the DataFrame is empty/);
    await expect(e.evaluate(df('inline', [{ label: 1, prediction: 1, w: 0 }], 1, { label: 'double', prediction: 'double', w: 'double' }))).rejects.toThrow(/total weight of the rows is 0/);
  });

  it("has Spark's params, defaults and isLargerBetter per metric", () => {
    const e = new MulticlassClassificationEvaluator();
    expect([e.getMetricName(), e.getMetricLabel(), e.getBeta(), e.getEps(), e.getPredictionCol(), e.getLabelCol(), e.getProbabilityCol()])
      .toEqual(['f1', 0, 1, 1e-15, 'prediction', 'label', 'probability']);
    const smaller: MulticlassMetricName[] = ['weightedFalsePositiveRate', 'falsePositiveRateByLabel', 'logLoss', 'hammingLoss'];
    for (const m of <MulticlassMetricName[]>['f1', 'accuracy', 'weightedPrecision', 'weightedRecall', 'weightedTruePositiveRate', 'weightedFMeasure',
      'truePositiveRateByLabel', 'precisionByLabel', 'recallByLabel', 'fMeasureByLabel', ...smaller]) {
      expect(e.setMetricName(m).isLargerBetter(), m).toBe(!smaller.includes(m));
    }
    expect(() => e.setEps(0.5)).toThrow(/eps given invalid value 0.5 \(must be in \(0, 0.5\)\)/);
    expect(() => e.setBeta(0)).toThrow(/must be > 0/);
    expect(() => e.setMetricLabel(-1)).toThrow(/must be >= 0/);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => e.setMetricName('precision')).toThrow(/must be one of \[f1, accuracy/);
    expect(MulticlassClassificationEvaluator.sparkClassName).toBe('org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator');
  });
});
