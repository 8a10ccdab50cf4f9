// PipelineModel.rowScorer: one row at a time, without a DataFrame, gives exactly what transform
// gives (the expected values are transform's own output on the same rows, compared bit for bit).
import { describe, expect, it } from 'vitest';

import {
  DecisionTreeClassifier, DecisionTreeRegressor, GBTClassifier, GBTRegressor, LinearRegression, LogisticRegression, OneHotEncoder, PCA, Pipeline, RandomForestClassifier,
  RandomForestRegressor, StandardScaler, col, StringIndexer, VectorAssembler, Vectors, type DataFrame, type PipelineModel,
} from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const session = useSessions(['local[2]']);
const spark = () => session('local[2]');

/** Deterministic rows: three numeric columns (an int, a long, a double with a few nulls), a vector, a binary and a continuous label. */
function rows(n: number): Record<string, unknown>[] {
  let s = 99;
  const u = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296; };
  return Array.from({ length: n }, (_, i) => {
    const a = Math.floor(10 * u()), b = BigInt(Math.floor(100 * u())), c = i % 17 === 0 ? null : 5 * u() - 2;
    const v = Vectors.dense([u(), u() * 3]);
    const f = Math.sin(a) + Number(b) / 50 - (c ?? 0) + v.values[0];
    return { a, b, c, v, label: f > 1 ? 1 : 0, y: f, flag: i % 3 === 0 };
  });
}

const frame = () => spark().createDataFrame(rows(600), { numPartitions: 3, schema: { a: 'int', b: 'long', c: 'double', v: 'vector', label: 'double', y: 'double', flag: 'boolean' } });

/** Numbers and vectors as exact, comparable values (NaN and -0 kept apart). */
function exact(value: unknown): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : Number.isNaN(value) ? 'NaN' : value;
  if (value && typeof value === 'object' && 'values' in value) return Array.from((value as { values: Float64Array }).values, exact);
  return value;
}

async function expectSameAsTransform(model: PipelineModel, df: DataFrame, columns: string[]): Promise<void> {
  const expected = await model.transform(df).collect();
  const scorer = model.rowScorer(df.schema);
  const inputs = await df.collect();
  const actual = inputs.map((r) => {
    const out = scorer.score(r);
    return out === null ? null : Object.fromEntries(columns.map((c) => [c, exact(out[c])]));
  }).filter((r) => r !== null);
  const wanted = expected.map((r) => Object.fromEntries(columns.map((c) => [c, exact(r[c])])));
  const first = actual.findIndex((r, i) => JSON.stringify(r) !== JSON.stringify(wanted[i]));
  expect(first === -1 ? null : { row: first, actual: actual[first], expected: wanted[first] }).toBeNull();
  expect(actual).toEqual(wanted);
}

const assembler = (handleInvalid: 'error' | 'skip' | 'keep' = 'keep') => new VectorAssembler({ inputCols: ['a', 'b', 'c', 'v', 'flag'], outputCol: 'features', handleInvalid });
const scaler = () => new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true });

describe('PipelineModel.rowScorer', () => {
  it('assembler → scaler → GBT classifier: every output column as transform gives it', async () => {
    const df = frame();
    const model = await new Pipeline({ stages: [assembler('skip'), scaler(), new GBTClassifier({ featuresCol: 'scaled', maxIter: 8, maxDepth: 3, seed: 1 })] }).fit(df);
    await expectSameAsTransform(model, df, ['features', 'scaled', 'rawPrediction', 'probability', 'prediction']);
  });

  it('random forest and decision tree classifiers (with leaf indices), regressors with variance', async () => {
    const df = frame();
    for (const last of [
      new RandomForestClassifier({ numTrees: 5, maxDepth: 4, seed: 2, leafCol: 'leaf' }),
      new DecisionTreeClassifier({ maxDepth: 4, leafCol: 'leaf', thresholds: [0.3, 0.7] }),
      new GBTRegressor({ labelCol: 'y', maxIter: 5, maxDepth: 3, seed: 3 }),
      new RandomForestRegressor({ labelCol: 'y', numTrees: 4, maxDepth: 3, seed: 4 }),
      new DecisionTreeRegressor({ labelCol: 'y', maxDepth: 4, varianceCol: 'variance', leafCol: 'leaf' }),
    ]) {
      const model = await new Pipeline({ stages: [assembler('skip'), last] }).fit(df); // trees refuse NaN features
      const cols = last instanceof DecisionTreeRegressor ? ['prediction', 'variance', 'leaf']
        : last instanceof GBTRegressor || last instanceof RandomForestRegressor ? ['prediction'] : ['rawPrediction', 'probability', 'prediction', 'leaf'];
      await expectSameAsTransform(model, df, cols);
    }
  });

  it('StringIndexer → OneHotEncoder → assembler → scaler → logistic regression (binary, multinomial), linear regression', async () => {
    const df = frame().withColumn('s', col('a').cast('string'));
    const front = () => [
      new StringIndexer({ inputCol: 's', outputCol: 'si', handleInvalid: 'keep' }),
      new OneHotEncoder({ inputCols: ['si'], outputCols: ['oh'] }),
      new VectorAssembler({ inputCols: ['oh', 'b', 'c', 'v', 'flag'], outputCol: 'features', handleInvalid: 'skip' }),
      scaler(),
    ];
    for (const last of [
      new LogisticRegression({ featuresCol: 'scaled', maxIter: 20, regParam: 0.01 }),
      new LogisticRegression({ featuresCol: 'scaled', labelCol: 'a', maxIter: 20, family: 'multinomial', thresholds: Array(10).fill(0.1) }),
      new LinearRegression({ featuresCol: 'scaled', labelCol: 'y' }),
    ]) {
      const model = await new Pipeline({ stages: [...front(), last] }).fit(df);
      const cols = last instanceof LinearRegression ? ['si', 'oh', 'prediction'] : ['si', 'oh', 'scaled', 'rawPrediction', 'probability', 'prediction'];
      await expectSameAsTransform(model, df, cols);
    }
    // An unseen label under 'keep' gets the extra index, as transform gives it.
    const indexer = await new Pipeline({ stages: front().slice(0, 2) }).fit(df);
    const out = indexer.rowScorer(df.schema).score({ s: 'never seen' })!;
    expect(out.si).toBe(10);
  });

  it("follows the assembler's handleInvalid: 'skip' drops the row, 'error' names the column, 'keep' writes NaN", async () => {
    const df = frame();
    const skip = await new Pipeline({ stages: [assembler('skip'), scaler()] }).fit(df);
    await expectSameAsTransform(skip, df, ['features', 'scaled']);
    const withNull = { a: 1, b: 2n, c: null, v: Vectors.dense([0.5, 1]), flag: true };
    expect(skip.rowScorer(df.schema).score(withNull)).toBeNull();
    const error = await new Pipeline({ stages: [assembler('error')] }).fit(df.filter(col('c').isNotNull()));
    expect(() => error.rowScorer(df.schema).score(withNull)).toThrow(/Encountered null .* \(input column 'c'\)/);
    const keep = await new Pipeline({ stages: [assembler('keep')] }).fit(df);
    expect(Array.from((keep.rowScorer(df.schema).score(withNull)!.features as { values: Float64Array }).values)).toEqual([1, 2, NaN, 0.5, 1, 1]);
  });

  it('reuses its output: scoring allocates no new vectors', async () => {
    const df = frame();
    const model = await new Pipeline({ stages: [assembler(), scaler()] }).fit(df);
    const scorer = model.rowScorer(df.schema);
    const [r0, r1] = await df.limit(2).collect();
    const first = scorer.score(r0)!, firstScaled = first.scaled;
    const second = scorer.score(r1)!;
    expect(second).toBe(first);
    expect(second.scaled).toBe(firstScaled);
  });

  it('names a stage it cannot compile', async () => {
    const df = frame();
    const model = await new Pipeline({ stages: [assembler('skip'), new PCA({ inputCol: 'features', outputCol: 'pca', k: 2 })] }).fit(df);
    expect(() => model.rowScorer(df.schema)).toThrow(/PCAModel cannot score single rows yet/);
  });
});
