/**
 * Missing values beside real Apache Spark: Imputer fits (mean, median, mode; missingValue NaN and
 * -1) on a table with nulls, NaN and -1 placeholders give Spark's surrogates; Spark saves an
 * ImputerModel → Quiver loads it and transforms identically, Quiver saves → Spark loads; and
 * df.na.drop / fill / replace give Spark's rows.
 */
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { Imputer, ImputerModel, type DataFrame, type Row } from '../../src/index.js';
import { gaussian, randomInt, randomStream } from '../../src/linalg/random.js';
import { useSession } from '../helpers/sessions.js';
import { expectSameRows, type Tolerance } from './data.js';
import { exchanges } from './exchange.js';
import { useSparkDriver } from './harness.js';

const { spark, scratch, fresh } = useSparkDriver();
const quiver = useSession('local[2]');
let tablePath = '';

const SCHEMA = { id: 'int', a: 'double', b: 'int', c: 'double', s: 'string', l: 'long' } as const;

/**
 * `rows` rows: `a` gaussian with nulls and NaN, `b` small ints with nulls (so the mode has ties to
 * break), `c` on a grid with -1 placeholders and NaN, `s` strings with nulls, `l` longs with nulls.
 */
function missingRows(rows: number, seed: number): Row[] {
  const rng = randomStream(seed, 'spark-oracle-imputer');
  const out: Row[] = [];
  for (let id = 0; id < rows; id++) {
    const u = rng(), v = rng(), w = rng();
    out.push({
      id,
      a: u < 0.1 ? null : u < 0.15 ? NaN : gaussian(rng),
      b: v < 0.12 ? null : randomInt(rng, 7),
      c: w < 0.1 ? -1 : w < 0.14 ? NaN : w < 0.18 ? null : randomInt(rng, 9) / 4,
      s: rng() < 0.2 ? null : ['x', 'y', 'z'][randomInt(rng, 3)]!,
      l: rng() < 0.2 ? null : randomInt(rng, 1000) - 500,
    });
  }
  return out;
}

beforeAll(async () => {
  tablePath = join(scratch(), 'missing.parquet');
  await quiver().createDataFrame(missingRows(300, 21), { schema: SCHEMA, numPartitions: 2 }).write.mode('overwrite').parquet(tablePath);
  await spark().run(`T = spark.read.parquet(args['path']).cache()
from pyspark.ml.feature import Imputer, ImputerModel`, { path: tablePath });
});

const table = async (): Promise<DataFrame> => quiver().read.parquet(tablePath);
const { sparkSavesQuiverLoads, quiverSavesSparkLoads } = exchanges(spark, fresh, table);

// Surrogates are column values (median, mode) or a mean of at most 300 doubles; imputed outputs
// are the input values or the surrogate: compared exactly, except the mean (summed in another
// order by Spark's avg: 1e-13 relative).
const EXACT: Tolerance = { rel: 0 };
const OUTPUTS = ['oa', 'ob', 'oc'];

describe('Imputer', () => {
  for (const strategy of ['mean', 'median', 'mode'] as const) {
    for (const missingValue of [NaN, -1]) {
      it(`${strategy}, missingValue ${missingValue}: Spark's surrogates, saved either way gives the same rows`, async () => {
        const mv = Number.isNaN(missingValue) ? "float('nan')" : String(missingValue);
        const python = `stage = Imputer(inputCols=['a', 'b', 'c'], outputCols=['oa', 'ob', 'oc'], strategy='${strategy}', missingValue=${mv}).fit(T)`;
        const tol = strategy === 'mean' ? { rel: 1e-13 } : EXACT;
        const fromSpark = await sparkSavesQuiverLoads(python, ImputerModel, OUTPUTS, tol);
        const ours = await new Imputer({ inputCols: ['a', 'b', 'c'], outputCols: OUTPUTS, strategy, missingValue }).fit(await table());
        for (const c of ['a', 'b', 'c']) {
          const [q, s] = [ours.surrogates[c]!, fromSpark.surrogates[c]!];
          if (strategy === 'mean') expect(Math.abs(q - s), `${c}: quiver ${q} spark ${s}`).toBeLessThanOrEqual(1e-13 * Math.abs(s));
          else expect(q, c).toBe(s);
        }
        await quiverSavesSparkLoads(ours, OUTPUTS, tol);
        // Spark's loaded model holds Quiver's surrogate row unchanged.
        const surrogate = await spark().run<Row>(`result = loaded.surrogateDF.collect()[0].asDict()`);
        expect(surrogate).toEqual(ours.surrogates);
      });
    }
  }

  it('single column, output over the input column (in place), long input', async () => {
    const python = `stage = Imputer(inputCol='l', outputCol='l', strategy='median').fit(T)`;
    const fromSpark = await sparkSavesQuiverLoads(python, ImputerModel, ['l'], EXACT);
    const ours = await new Imputer({ inputCol: 'l', outputCol: 'l', strategy: 'median' }).fit(await table());
    expect(ours.surrogates).toEqual(fromSpark.surrogates);
    await quiverSavesSparkLoads(ours, ['l'], EXACT);
  });
});

describe('df.na', () => {
  const cases: [string, string, (df: DataFrame) => DataFrame][] = [
    ['drop()', 'T.na.drop()', (df) => df.na.drop()],
    ["drop('all', subset)", "T.na.drop(how='all', subset=['a', 'c'])", (df) => df.na.drop('all', undefined, ['a', 'c'])],
    ['drop(thresh)', 'T.na.drop(thresh=5)', (df) => df.na.drop({ thresh: 5 })],
    ['fill(number)', 'T.na.fill(2.5)', (df) => df.na.fill(2.5)],
    ['fill(string, subset)', "T.na.fill('none', subset=['s', 'a'])", (df) => df.na.fill('none', ['s', 'a'])],
    ['fill(map)', "T.na.fill({'a': 0.5, 'b': 9, 's': 'q', 'l': 3})", (df) => df.na.fill({ a: 0.5, b: 9, s: 'q', l: 3 })],
    ['replace(number, number)', 'T.na.replace(-1.0, 100.0)', (df) => df.na.replace(-1, 100)],
    ['replace(list, list, subset)', "T.na.replace([0, 1], [10, 11], subset=['b', 'c'])", (df) => df.na.replace([0, 1], [10, 11], ['b', 'c'])],
    ['replace(dict of strings)', "T.na.replace({'x': 'X', 'y': None})", (df) => df.na.replace({ x: 'X', y: null })],
  ];
  for (const [name, python, ours] of cases) {
    it(`${name} gives Spark's rows`, async () => {
      const theirs = await spark().run<Row[]>(`result = rows(${python}.orderBy('id'))`);
      const df = ours(await table());
      expectSameRows(await df.orderBy('id').collect(), theirs, 'id', Object.keys(SCHEMA), EXACT);
      // The same column types and nullability (Spark's simpleString names).
      const sparkSchema = await spark().run<[string, string, boolean][]>(`result = schema(${python})`);
      const names: Record<string, string> = { long: 'bigint' };
      expect(df.schema.fields.map((f) => [f.name, names[f.type.kind] ?? f.type.kind, f.nullable])).toEqual(sparkSchema);
    });
  }
});
