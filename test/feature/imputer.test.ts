// Imputer / ImputerModel. Expected values: Spark's ImputerSuite (its data and expected columns, as
// in Spark 4's mllib/src/test/.../ImputerSuite.scala), the Imputer scaladoc's integer example, and
// a slow reference below (mean by summing, median by sorting — the value at rank ceil(n/2), which
// is what Spark's approxQuantile returns when nothing is compressed — and mode by counting with the
// smallest value winning ties), on random data over several partitionings.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Imputer, ImputerModel, load, Pipeline, StructType, type DataFrame } from '../../src/index.js';
import { fileSystemFor, readDataDir } from '../../src/persistence/index.js';
import { useSessions } from '../helpers/sessions.js';
import { expectSameParams } from '../helpers/params.js';
import { useTempDir } from '../helpers/temp-dir.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters);
const spark = (m: string = 'inline') => session(m);
const { fresh } = useTempDir('quiver-imputer-');

const STRATEGIES = ['mean', 'median', 'mode'] as const;
type Strategy = (typeof STRATEGIES)[number];

const doubles = (...names: string[]) => new StructType(names.map((name) => ({ name, type: { kind: 'double' }, nullable: true })));

/**
 * ImputerSuite.iterateStrategyTest: for each strategy, fit and check every output column against
 * the `expected_<strategy>_<input>` column (NaN expected means NaN out).
 */
async function iterateStrategyTest(make: () => Imputer, df: DataFrame, ins: string[], outs: string[]): Promise<void> {
  for (const strategy of STRATEGIES) {
    const model = await make().setStrategy(strategy).fit(df);
    const rows = await model.transform(df).collect();
    ins.forEach((input, i) => {
      const got = rows.map((r) => r[outs[i]]);
      const expected = rows.map((r) => r[`expected_${strategy}_${input}`]);
      expect(got, `${strategy} of ${input}`).toEqual(expected);
    });
  }
}

describe("Spark's ImputerSuite", () => {
  for (const m of masters) {
    it(`doubles with the default missing value NaN, multi- and single-column (${m})`, async () => {
      const cols = ['id', 'value1', 'value2', 'expected_mean_value1', 'expected_median_value1', 'expected_mode_value1',
        'expected_mean_value2', 'expected_median_value2', 'expected_mode_value2'];
      const data = [
        [0, 1.0, 4.0, 1.0, 1.0, 1.0, 4.0, 4.0, 4.0],
        [1, 11.0, 12.0, 11.0, 11.0, 11.0, 12.0, 12.0, 12.0],
        [2, 3.0, NaN, 3.0, 3.0, 3.0, 10.0, 12.0, 4.0],
        [3, NaN, 14.0, 5.0, 3.0, 1.0, 14.0, 14.0, 14.0],
      ];
      const df = spark(m).createDataFrame(data.map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]]))), { schema: doubles(...cols), numPartitions: 2 });
      await iterateStrategyTest(() => new Imputer({ inputCols: ['value1', 'value2'], outputCols: ['out1', 'out2'] }), df, ['value1', 'value2'], ['out1', 'out2']);
      await iterateStrategyTest(() => new Imputer({ inputCol: 'value1', outputCol: 'out' }), df, ['value1'], ['out']);
    });
  }

  const suiteFrame = (rows: number[][], missingCol = 'value') => spark('local[2]').createDataFrame(
    rows.map(([id, value, mean, median, mode]) => ({ id, [missingCol]: value, expected_mean_value: mean, expected_median_value: median, expected_mode_value: mode })),
    { schema: doubles('id', missingCol, 'expected_mean_value', 'expected_median_value', 'expected_mode_value'), numPartitions: 3 });

  it('NaN is left out of the surrogate, and kept, when missingValue is not NaN', async () => {
    const df = suiteFrame([[0, 1, 1, 1, 1], [1, 3, 3, 3, 3], [2, NaN, NaN, NaN, NaN], [3, -1, 2, 1, 1]]);
    await iterateStrategyTest(() => new Imputer({ inputCols: ['value'], outputCols: ['out'], missingValue: -1 }), df, ['value'], ['out']);
  });

  it('missing value -1 (the suite\'s float case, here doubles)', async () => {
    const df = suiteFrame([[0, 1, 1, 1, 1], [1, 3, 3, 3, 3], [2, 10, 10, 10, 10], [3, 10, 10, 10, 10], [4, -1, 6, 3, 10]]);
    await iterateStrategyTest(() => new Imputer({ inputCol: 'value', outputCol: 'out', missingValue: -1 }), df, ['value'], ['out']);
  });

  it('nulls are imputed as well as the missing value', async () => {
    const raw = [[0, 4, 4, 4, 4], [1, 10, 10, 10, 10], [2, 10, 10, 10, 10], [3, NaN, 8, 10, 10], [4, -1, 8, 10, 10]];
    // The suite's IF(rawValue = -1.0, null, rawValue).
    const rows = raw.map(([id, v, mean, median, mode]) => [id, v === -1 ? null : v, mean, median, mode]) as number[][];
    await iterateStrategyTest(() => new Imputer({ inputCols: ['value'], outputCols: ['out'] }), suiteFrame(rows), ['value'], ['out']);
  });

  for (const kind of ['int', 'long'] as const) {
    it(`${kind} columns: the surrogate is cast back (truncated), missing value null or -1`, async () => {
      const schema = new StructType(['value', 'expected_mean_value', 'expected_median_value', 'expected_mode_value']
        .map((name) => ({ name, type: { kind }, nullable: true })));
      for (const [missing, missingValue] of [[null, undefined], [-1, -1]] as const) {
        const rows = [[1, 1, 1, 1], [11, 11, 11, 11], [3, 3, 3, 3], [missing, 5, 3, 1]]
          .map(([value, mean, median, mode]) => ({ value, expected_mean_value: mean, expected_median_value: median, expected_mode_value: mode }));
        const df = spark('local[2]').createDataFrame(rows, { schema, numPartitions: 2 });
        const make = () => new Imputer({ inputCol: 'value', outputCol: 'out', ...(missingValue !== undefined ? { missingValue } : {}) });
        await iterateStrategyTest(make, df, ['value'], ['out']);
        expect((await make().fit(df)).transform(df).schema.field('out').type.kind).toBe(kind);
      }
    });
  }

  it("the scaladoc's example: IntegerType (1, 2, 4, null) gives (1, 2, 4, 2) by the mean", async () => {
    const df = spark().createDataFrame([1, 2, 4, null].map((x) => ({ x })), { schema: { x: 'int' } });
    const model = await new Imputer({ inputCol: 'x', outputCol: 'y' }).fit(df);
    expect(model.surrogates.x).toBeCloseTo(7 / 3, 15);
    expect((await model.transform(df).collect()).map((r) => r.y)).toEqual([1, 2, 4, 2]);
  });

  it('a column with nothing but missing values has no surrogate', async () => {
    const df = spark('local[2]').createDataFrame([{ value: NaN, v2: 1 }, { value: NaN, v2: 3 }, { value: null, v2: NaN }], { schema: doubles('value', 'v2') });
    for (const strategy of STRATEGIES) {
      await expect(new Imputer({ inputCols: ['value', 'v2'], outputCols: ['o1', 'o2'], strategy }).fit(df))
        .rejects.toThrow('surrogate cannot be computed. All the values in value are Null, Nan or missingValue(NaN)');
      const ones = spark().createDataFrame([{ v2: 1 }, { v2: NaN }, { v2: null }], { schema: doubles('v2') });
      await expect(new Imputer({ inputCol: 'v2', outputCol: 'o', strategy, missingValue: 1 }).fit(ones))
        .rejects.toThrow('All the values in v2 are Null, Nan or missingValue(1.0)');
    }
  });

  it('input and output column validation', async () => {
    const df = spark().createDataFrame([{ value1: 1, value2: 1, s: 'a' }], { schema: { value1: 'double', value2: 'double', s: 'string' } });
    for (const strategy of STRATEGIES) {
      await expect(new Imputer({ strategy, inputCols: ['value1', 'value2'], outputCols: ['out1'] }).fit(df)).rejects.toThrow('inputCols(2) and outputCols(1) should have the same length');
      await expect(new Imputer({ strategy, inputCols: ['value1', 'value1'], outputCols: ['out1', 'out2'] }).fit(df)).rejects.toThrow('inputCols contains duplicates: (value1, value1)');
      await expect(new Imputer({ strategy, inputCols: ['value1', 'value2'], outputCols: ['out1', 'out1'] }).fit(df)).rejects.toThrow('outputCols contains duplicates: (out1, out1)');
      await expect(new Imputer({ strategy, inputCols: [], outputCols: [] }).fit(df)).rejects.toThrow('inputCols cannot be empty');
    }
    await expect(new Imputer({ inputCol: 's', outputCol: 'o' }).fit(df)).rejects.toThrow('Column s must be of type numeric but was actually of type string.');
    await expect(new Imputer({ inputCol: 'nope', outputCol: 'o' }).fit(df)).rejects.toThrow("Column 'nope' does not exist. Available columns: [value1, value2, s]");
    expect(() => new Imputer({ inputCol: 'value1', inputCols: ['value2'] }).transformSchema(df.schema)).toThrow('exactly one of inputCol, inputCols Params to be set, but both are set');
    expect(() => new Imputer({ strategy: 'max' as never })).toThrow(/strategy/);
    const model = new ImputerModel({ value1: 1 }, { inputCols: ['value1', 'value2'], outputCols: ['a', 'b'] });
    expect(() => model.transform(df)).toThrow("no surrogate for input column 'value2'; the model has surrogates for [value1]");
  });
});

// --- a slow reference ---------------------------------------------------------------------------

function present(values: (number | null)[], missingValue: number): number[] {
  return values.filter((v): v is number => v !== null && !Number.isNaN(v) && !(v === missingValue));
}

function reference(values: number[], strategy: Strategy): number {
  if (values.length === 0) return NaN;
  if (strategy === 'mean') return values.reduce((s, x) => s + x, 0) / values.length;
  if (strategy === 'median') return [...values].sort((a, b) => a - b)[Math.ceil(values.length / 2) - 1];
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = NaN, n = 0;
  for (const [v, c] of [...counts].sort((a, b) => a[0] - b[0])) if (c > n) { best = v; n = c; }
  return best;
}

describe('surrogates equal a slow reference on random data, whatever the partitioning', () => {
  it('mean, median and mode of two columns with nulls, NaN and a missing value', async () => {
    const value = fc.option(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(NaN, -1, 0.25, 1e6)), { nil: null });
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 40 }), fc.constantFrom(...STRATEGIES), fc.constantFrom(NaN, -1, 0),
      fc.integer({ min: 1, max: 5 }),
      async (pairs, strategy, missingValue, numPartitions) => {
        const a = pairs.map((p) => p[0]), b = pairs.map((p) => p[1]);
        const pa = present(a, missingValue), pb = present(b, missingValue);
        fc.pre(pa.length > 0 && pb.length > 0);
        const s = run++ % 2 ? spark('local[2]') : spark();
        const df = s.createDataFrame(pairs.map(([x, y]) => ({ a: x, b: y })), { schema: doubles('a', 'b'), numPartitions });
        const model = await new Imputer({ inputCols: ['a', 'b'], outputCols: ['oa', 'ob'], strategy, missingValue }).fit(df);
        // The mean sums per partition, then the partials: another order than the reference's, so
        // it agrees to rounding (relative to the largest value); median and mode are values, exact.
        const close = (got: number, want: number, xs: number[]) => (strategy === 'mean'
          ? expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, ...xs.map(Math.abs)))
          : expect(got).toBe(want));
        close(model.surrogates.a, reference(pa, strategy), pa);
        close(model.surrogates.b, reference(pb, strategy), pb);
        // transform: nulls and missingValue (and NaN when missingValue is NaN) take the surrogate.
        const out = await model.transform(df).collect();
        out.forEach((r, i) => {
          const fill = (v: number | null, sur: number) => (v === null || v === missingValue || (Number.isNaN(missingValue) && Number.isNaN(v)) ? sur : v);
          expect(r.oa).toEqual(fill(a[i], model.surrogates.a));
          expect(r.ob).toEqual(fill(b[i], model.surrogates.b));
        });
      }), { numRuns: 40 });
  });

  it('1 to 6 partitions and both masters give the same surrogates (the mean up to rounding)', async () => {
    // A seeded stream of values with repeats, nulls, NaN and the placeholder -1.
    let state = 12345;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const xs = Array.from({ length: 500 }, () => { const u = next(); return u < 0.1 ? null : u < 0.15 ? NaN : u < 0.2 ? -1 : Math.round(next() * 40) / 4; });
    for (const strategy of STRATEGIES) {
      const surrogates: number[] = [];
      for (const m of masters) {
        for (let parts = 1; parts <= 6; parts++) {
          const df = spark(m).createDataFrame(xs.map((x) => ({ x })), { schema: doubles('x'), numPartitions: parts });
          surrogates.push((await new Imputer({ inputCol: 'x', outputCol: 'y', strategy, missingValue: -1 }).fit(df)).surrogates.x);
        }
      }
      const want = reference(present(xs, -1), strategy);
      for (const s of surrogates) {
        if (strategy === 'mean') expect(Math.abs(s - want)).toBeLessThanOrEqual(1e-14 * Math.abs(want));
        else expect(s).toBe(want);
      }
    }
  });

  it('the median of many values is within relativeError of rank n/2 (the sketch compresses)', async () => {
    const n = 60_000;
    // A fixed permutation of 0..n-1 (multiplier coprime with n), so partitions see mixed values.
    const xs = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const df = spark('local[2]').createDataFrame(xs.map((x) => ({ x })), { schema: { x: 'double' }, numPartitions: 4 });
    for (const relativeError of [0.001, 0.01]) {
      const model = await new Imputer({ inputCol: 'x', outputCol: 'y', strategy: 'median', relativeError }).fit(df);
      // The value is its own rank - 1 here; Spark's guarantee is a rank within relativeError·n of ceil(n/2).
      expect(Math.abs(model.surrogates.x + 1 - n / 2)).toBeLessThanOrEqual(relativeError * n);
    }
    const exact = await new Imputer({ inputCol: 'x', outputCol: 'y', strategy: 'median', relativeError: 0 }).fit(df);
    expect(exact.surrogates.x).toBe(n / 2 - 1);
  });
});

describe('ImputerModel', () => {
  it('surrogateDF is one row with a double column per input column', async () => {
    const df = spark('local[2]').createDataFrame([{ a: 1, b: 2 }, { a: 3, b: null }], { schema: doubles('a', 'b') });
    const model = await new Imputer({ inputCols: ['b', 'a'], outputCols: ['ob', 'oa'] }).fit(df);
    expect(model.surrogateDF.columns).toEqual(['b', 'a']);
    expect(model.surrogateDF.schema.fields.map((f) => [f.type.kind, f.nullable])).toEqual([['double', false], ['double', false]]);
    expect(await model.surrogateDF.collect()).toEqual([{ b: 2, a: 2 }]);
    expect(model.toString()).toMatch(/^ImputerModel: uid=\S+, strategy=mean, missingValue=NaN, numInputCols=2, numOutputCols=2$/);
  });

  it('an output column that names an input imputes in place; the schema keeps the input type', async () => {
    const df = spark().createDataFrame([{ a: 1, k: 'x' }, { a: null, k: 'y' }, { a: 4, k: 'z' }], { schema: { a: 'long', k: 'string' } });
    const model = await new Imputer({ inputCol: 'a', outputCol: 'a', strategy: 'median' }).fit(df);
    const out = model.transform(df);
    expect(out.columns).toEqual(['a', 'k']);
    expect(out.schema.field('a').type.kind).toBe('long');
    expect(model.transformSchema(df.schema).fields.map((f) => f.name)).toEqual(['a', 'k']);
    expect(await out.collect()).toEqual([{ a: 1, k: 'x' }, { a: 1, k: 'y' }, { a: 4, k: 'z' }]);
  });

  it('works inside a Pipeline', async () => {
    const df = spark('local[2]').createDataFrame([{ a: 1 }, { a: null }, { a: 5 }], { schema: { a: 'double' }, numPartitions: 2 });
    const fitted = await new Pipeline({ stages: [new Imputer({ inputCol: 'a', outputCol: 'b' })] }).fit(df);
    expect((await fitted.transform(df).collect()).map((r) => r.b)).toEqual([1, 3, 5]);
  });
});

describe('persistence', () => {
  it("save -> load: Spark's layout (metadata + data/ with the surrogate row), identical transform", async () => {
    const df = spark('local[2]').createDataFrame([{ x: 1, y: -1 }, { x: null, y: 2 }, { x: 3, y: 7 }], { schema: doubles('x', 'y'), numPartitions: 2 });
    const model = await new Imputer({ inputCols: ['x', 'y'], outputCols: ['ox', 'oy'], strategy: 'mode', missingValue: -1 }).fit(df);
    const path = fresh('imputer-model');
    await model.save(path);
    const meta = JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8'));
    expect(meta.class).toBe('org.apache.spark.ml.feature.ImputerModel');
    expect(meta.paramMap).toEqual({ inputCols: ['x', 'y'], outputCols: ['ox', 'oy'], strategy: 'mode', missingValue: -1 });
    expect(meta.defaultParamMap).toMatchObject({ strategy: 'mean', missingValue: 'NaN', relativeError: 0.001 });
    const data = await readDataDir(fileSystemFor(path), path);
    expect(data.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual([['x', 'Float64', false], ['y', 'Float64', false]]);
    expect(data.numRows).toBe(1);
    const loaded = await ImputerModel.load(path);
    expectSameParams(model, loaded);
    expect(loaded.surrogates).toEqual({ x: 1, y: 2 });
    expect(await loaded.transform(df).collect()).toEqual(await model.transform(df).collect());
    expect((await load<ImputerModel>(path)).surrogates).toEqual(model.surrogates);
  });

  it('the estimator saves its params only', async () => {
    const imputer = new Imputer({ inputCols: ['myInputCol'], outputCols: ['myOutputCol'], missingValue: -1, strategy: 'median', relativeError: 0.01 });
    const path = fresh('imputer');
    await imputer.save(path);
    const loaded = await Imputer.load(path);
    expectSameParams(imputer, loaded);
  });
});
