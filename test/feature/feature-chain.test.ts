import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  StringIndexer, OneHotEncoder, VectorAssembler, StandardScaler, categoricalFeatures, type DataFrame, type Row, type Vector,
} from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

// StringIndexer -> OneHotEncoder -> VectorAssembler -> StandardScaler, as a user chains them.
const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters);

async function chain(df: DataFrame): Promise<{ out: DataFrame; rows: Row[] }> {
  const indexed = (await new StringIndexer({ inputCols: ['city', 'plan'], outputCols: ['cityIdx', 'planIdx'] }).fit(df)).transform(df);
  const encoded = (await new OneHotEncoder({ inputCols: ['cityIdx'], outputCols: ['cityVec'] }).fit(indexed)).transform(indexed);
  const assembled = new VectorAssembler({ inputCols: ['cityVec', 'planIdx', 'age', 'income'], outputCol: 'raw' }).transform(encoded);
  const out = (await new StandardScaler({ inputCol: 'raw', outputCol: 'features' }).fit(assembled)).transform(assembled);
  return { out, rows: await out.collect() };
}

describe('feature stages chained', () => {
  const rowArb = fc.record({
    city: fc.constantFrom('Oslo', 'Lima', 'Pune', 'Kobe'),
    plan: fc.constantFrom('free', 'pro'),
    age: fc.integer({ min: 18, max: 90 }),
    // Not below 1e-100: squares of such values are subnormal or 0, so whether a column's variance
    // rounds to 0 depends on the merge order, and the scaler's std == 0 rule (Spark's: output 0)
    // then turns a 1-ulp difference into an O(1) one (seed 2004872006: incomes 0, 0, 0, 2.7e-162).
    income: fc.double({ min: 0, max: 1e5, noNaN: true }).filter((x) => x === 0 || x >= 1e-100),
  });

  // OneHotEncoder (dropLast, as Spark's) refuses a column with one category: "should have at
  // least two distinct values" (seed 2004872006 drew two rows of Oslo).
  const twoCitiesOrMore = fc.array(rowArb, { minLength: 2, maxLength: 40 }).filter((rows) => new Set(rows.map((r) => r.city)).size >= 2);

  it('give identical rows on inline and local[2] and for any partition count', async () => {
    await fc.assert(fc.asyncProperty(twoCitiesOrMore, fc.integer({ min: 1, max: 6 }), async (rows, parts) => {
      const results: { rows: Row[] }[] = [];
      for (const m of masters) results.push(await chain(session(m).createDataFrame(rows, { numPartitions: parts })));
      const vecs = (r: Row[]) => r.map((x) => Array.from((x.features as Vector).toArray()));
      expect(vecs(results[1].rows)).toEqual(vecs(results[0].rows));
      const single = await chain(session('inline').createDataFrame(rows, { numPartitions: 1 }));
      // Partition counts change the order partial moments merge in: equal up to rounding.
      vecs(single.rows).forEach((v, i) => v.forEach((x, j) => expect(Math.abs(x - vecs(results[0].rows)[i][j])).toBeLessThan(1e-9)));
    }), { numRuns: 10 });
  });

  it('keep the StringIndexer\'s levels visible as categorical features of the assembled vector', async () => {
    const df = session('inline').createDataFrame([
      { city: 'Oslo', plan: 'free', age: 30, income: 1 }, { city: 'Lima', plan: 'pro', age: 40, income: 2 }, { city: 'Oslo', plan: 'pro', age: 50, income: 3 },
    ]);
    const { out } = await chain(df);
    // cityVec: 2 cities, dropLast -> 1 binary slot at 0; planIdx: nominal with 2 levels at 1.
    expect([...categoricalFeatures(out.schema.field('raw'))]).toEqual([[0, 2], [1, 2]]);
  });
});
