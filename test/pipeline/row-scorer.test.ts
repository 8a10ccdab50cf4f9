// PipelineModel.rowScorer: one row at a time, without a DataFrame, gives exactly what transform
// gives (the expected values are transform's own output on the same rows, compared bit for bit).
import { describe, expect, it } from 'vitest';

import {
  DecisionTreeClassifier, DecisionTreeRegressor, GBTClassifier, GBTRegressor, Pipeline, RandomForestClassifier,
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
  expect(actual).toEqual(expected.map((r) => Object.fromEntries(columns.map((c) => [c, exact(r[c])]))));
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
    const df = frame().withColumn('s', col('a').cast('string'));
    const model = await new Pipeline({ stages: [new StringIndexer({ inputCol: 's', outputCol: 'si' })] }).fit(df);
    expect(() => model.rowScorer(df.schema)).toThrow(/StringIndexerModel cannot score single rows yet/);
  });
});
