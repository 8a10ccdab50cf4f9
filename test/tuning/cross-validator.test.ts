import { describe, expect, it } from 'vitest';
import {
  CrossValidator, CrossValidatorModel, DataFrame, LinearRegression, LinearRegressionModel, ParamGridBuilder,
  RegressionEvaluator, TrainValidationSplit, Vectors, col, type Row,
} from '../../src/index.js';
import { kFold } from '../../src/tuning/cross-validator.js';
import { useSessions } from '../helpers/sessions.js';

const session = useSessions(['local[2]']);

/** Noiseless y = 1 + 2 x1 - 3 x2, with an id and a fold column. */
function linearRows(n = 60): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const x1 = Math.sin(i * 1.3) * 3, x2 = Math.cos(i * 0.7) * 2;
    rows.push({ id: i, fold: i % 3, features: Vectors.dense([x1, x2]), label: 1 + 2 * x1 - 3 * x2 });
  }
  return rows;
}

const df = (): DataFrame => session('local[2]').createDataFrame(linearRows(), { numPartitions: 2 });

function setup() {
  const lr = new LinearRegression();
  const grid = new ParamGridBuilder().addGrid(lr.regParam, [10, 0]).build();
  const evaluator = new RegressionEvaluator();
  return { lr, grid, evaluator };
}

async function ids(d: DataFrame): Promise<number[]> {
  return (await d.select('id').collect()).map((r) => r.id as number).sort((a, b) => a - b);
}

const popStd = (xs: number[]): number => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
};

describe('CrossValidator', () => {
  it('random folds partition the data: every row in exactly one validation fold, training its complement', async () => {
    const data = df();
    const splits = await kFold(data, 3, 42, '', 'cv');
    const all = await ids(data);
    const seen: number[] = [];
    for (const [training, validation] of splits) {
      const v = await ids(validation);
      const t = await ids(training);
      expect(v.length).toBeGreaterThan(0);
      expect([...t, ...v].sort((a, b) => a - b)).toEqual(all);
      seen.push(...v);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(all);
  });

  it('picks regParam 0 on noiseless linear data; avgMetrics/stdMetrics match a manual per-fold computation', async () => {
    const data = df();
    const { lr, grid, evaluator } = setup();
    const cv = new CrossValidator({ estimator: lr, estimatorParamMaps: grid, evaluator, numFolds: 3, seed: 7 });
    const model = await cv.fit(data);
    expect(model).toBeInstanceOf(CrossValidatorModel);
    expect(model.avgMetrics).toHaveLength(2);
    expect(model.avgMetrics[1]).toBeLessThan(1e-6);
    expect(model.avgMetrics[0]).toBeGreaterThan(0.1);

    // Manual: the same cells as randomSplit with equal weights and the same seed.
    const cells = data.randomSplit([1, 1, 1], 7);
    const perFold: number[][] = [];
    for (let f = 0; f < 3; f++) {
      const others = cells.filter((_, i) => i !== f);
      const training = others[0].union(others[1]);
      const metrics: number[] = [];
      for (const pm of grid) metrics.push(await evaluator.evaluate((await lr.fit(training, pm)).transform(cells[f])));
      perFold.push(metrics);
    }
    for (let j = 0; j < 2; j++) {
      const ms = perFold.map((m) => m[j]);
      expect(model.avgMetrics[j]).toBeCloseTo(ms.reduce((s, x) => s + x, 0) / 3, 10);
      expect(model.stdMetrics[j]).toBeCloseTo(popStd(ms), 10);
    }

    // The best model is the estimator fitted with the best map on all the data.
    const expected = (await lr.fit(data, grid[1])) as LinearRegressionModel;
    const best = model.bestModel as LinearRegressionModel;
    expect(best.getRegParam()).toBe(0);
    expect(best.intercept).toBeCloseTo(expected.intercept, 10);
    expect([...best.coefficients.values]).toEqual([...expected.coefficients.values]);
    expect(best.intercept).toBeCloseTo(1, 6);

    // transform delegates to the best model
    const a = (await model.transform(data).select('prediction').collect()).map((r) => r.prediction);
    const b = (await expected.transform(data).select('prediction').collect()).map((r) => r.prediction);
    expect(a).toEqual(b);
    expect(model.getNumFolds()).toBe(3);
    expect(model.parent).toBe(cv);
    expect(() => model.subModels).toThrow(/collectSubModels/);
  });

  it('with parallelism > 1 gives the same metrics, and collects sub-models when asked', async () => {
    const data = df();
    const { lr, grid, evaluator } = setup();
    const base = { estimator: lr, estimatorParamMaps: grid, evaluator, seed: 3 };
    const serial = await new CrossValidator(base).fit(data);
    const parallel = await new CrossValidator({ ...base, parallelism: 4, collectSubModels: true }).fit(data);
    expect(parallel.avgMetrics).toEqual(serial.avgMetrics);
    expect(parallel.subModels).toHaveLength(3);
    expect(parallel.subModels.every((f) => f.length === 2)).toBe(true);
    expect((parallel.subModels[0][0] as LinearRegressionModel).getRegParam()).toBe(10);
  });

  it('uses the fold column when given, and validates it', async () => {
    const data = df();
    const { lr, grid, evaluator } = setup();
    const cv = new CrossValidator({ estimator: lr, estimatorParamMaps: grid, evaluator, numFolds: 3, foldCol: 'fold' });
    const model = await cv.fit(data);
    const perFold: number[] = [];
    for (let f = 0; f < 3; f++) {
      const training = data.filter(col('fold').ne(f));
      const validation = data.filter(col('fold').eq(f));
      perFold.push(await evaluator.evaluate((await lr.fit(training, grid[0])).transform(validation)));
    }
    expect(model.avgMetrics[0]).toBeCloseTo(perFold.reduce((s, x) => s + x, 0) / 3, 10);

    const badRange = new CrossValidator({ estimator: lr, estimatorParamMaps: grid, evaluator, numFolds: 2, foldCol: 'fold' });
    await expect(badRange.fit(data)).rejects.toThrow(/foldCol 'fold'.*\[0, 2\).*2/);
    const notInt = new CrossValidator({ estimator: lr, estimatorParamMaps: grid, evaluator, foldCol: 'label' });
    await expect(notInt.fit(data)).rejects.toThrow(/foldCol 'label'.*integer/);
    const missing = new CrossValidator({ estimator: lr, estimatorParamMaps: grid, evaluator, foldCol: 'nope' });
    await expect(missing.fit(data)).rejects.toThrow(/foldCol 'nope' does not exist/);
  });

  it('validates params and the schema before touching data', async () => {
    const data = df();
    const { lr, grid, evaluator } = setup();
    expect(() => new CrossValidator({ numFolds: 1 })).toThrow(/numFolds.*1/);
    expect(() => new TrainValidationSplit({ trainRatio: 1.5 })).toThrow(/trainRatio.*1\.5/);
    await expect(new CrossValidator({ estimator: lr, estimatorParamMaps: [], evaluator }).fit(data)).rejects.toThrow(/non-empty estimatorParamMaps/);
    await expect(new CrossValidator({ estimatorParamMaps: grid, evaluator }).fit(data)).rejects.toThrow(/estimator must be set/);
    const wrongCol = new CrossValidator({ estimator: new LinearRegression({ featuresCol: 'xs' }), estimatorParamMaps: grid, evaluator });
    await expect(wrongCol.fit(data)).rejects.toThrow(/xs/);
  });

  it('copy copies the estimator and evaluator, keeping the uid', () => {
    const { lr, grid, evaluator } = setup();
    const cv = new CrossValidator({ estimator: lr, estimatorParamMaps: grid, evaluator, numFolds: 4 });
    const c = cv.copy();
    expect(c.uid).toBe(cv.uid);
    expect(c.getNumFolds()).toBe(4);
    expect(c.getEstimator()).not.toBe(lr);
    expect(c.getEstimator().uid).toBe(lr.uid);
  });
});

describe('TrainValidationSplit', () => {
  it('validationMetrics match a manual split; picks regParam 0 and refits on all data', async () => {
    const data = df();
    const { lr, grid, evaluator } = setup();
    const tvs = new TrainValidationSplit({ estimator: lr, estimatorParamMaps: grid, evaluator, trainRatio: 0.7, seed: 11 });
    const model = await tvs.fit(data);
    const [training, validation] = data.randomSplit([0.7, 0.30000000000000004], 11);
    const manual: number[] = [];
    for (const pm of grid) manual.push(await evaluator.evaluate((await lr.fit(training, pm)).transform(validation)));
    expect(model.validationMetrics).toHaveLength(2);
    model.validationMetrics.forEach((m, i) => expect(m).toBeCloseTo(manual[i], 10));
    expect(model.validationMetrics[1]).toBeLessThan(model.validationMetrics[0]);
    const expected = (await lr.fit(data, grid[1])) as LinearRegressionModel;
    expect((model.bestModel as LinearRegressionModel).intercept).toBeCloseTo(expected.intercept, 10);
    expect(model.getTrainRatio()).toBe(0.7);
  });

  it('with a larger-is-better metric picks the max', async () => {
    const data = df();
    const { lr, grid } = setup();
    const tvs = new TrainValidationSplit({ estimator: lr, estimatorParamMaps: grid, evaluator: new RegressionEvaluator({ metricName: 'r2' }), collectSubModels: true });
    const model = await tvs.fit(data);
    expect(model.validationMetrics[1]).toBeGreaterThan(model.validationMetrics[0]);
    expect((model.bestModel as LinearRegressionModel).getRegParam()).toBe(0);
    expect(model.subModels).toHaveLength(2);
  });
});
