// Window functions by example: the fraud pipeline's velocity feature ("transactions by this user in
// the previous hour"), Spark's documented rowsBetween/rangeBetween examples, result types and
// names, and the errors Spark's analyzer raises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, Window, col, functions as F, type Row } from '../../src/index.js';

let spark: Session;
let local: Session;
beforeAll(() => {
  spark = Session.builder().master('inline').create();
  local = Session.builder().master('local[2]').create();
});
afterAll(async () => { await spark.stop(); await local.stop(); });

const byKeys = (...keys: string[]) => (a: Row, b: Row) => {
  for (const k of keys) { const x = a[k] as number, y = b[k] as number; if (x !== y) return x < y ? -1 : 1; }
  return 0;
};

describe('fraud velocity: transactions by this user in the previous hour', () => {
  const txns = [
    { user: 'u1', ts: 0, amount: 10 }, { user: 'u2', ts: 100, amount: 5 }, { user: 'u1', ts: 1800, amount: 20 },
    { user: 'u1', ts: 3600, amount: 30 }, { user: 'u1', ts: 3601, amount: 40 }, { user: 'u2', ts: 5000, amount: 7 },
    { user: 'u1', ts: 7300, amount: 1 }, { user: 'u1', ts: 7300, amount: 2 },
  ];
  const schema = { user: 'string', ts: 'double', amount: 'int' };

  it('counts and sums the last hour (ts - 3600 through ts, ties included) and the gap to the previous transaction', async () => {
    for (const s of [spark, local]) {
      for (const parts of [1, 3]) {
        const df = s.createDataFrame(txns, { numPartitions: parts, schema });
        const lastHour = Window.partitionBy('user').orderBy('ts').rangeBetween(-3600, Window.currentRow);
        const byTime = Window.partitionBy('user').orderBy('ts');
        const out = await df
          .withColumn('velocity', F.count('*').over(lastHour))
          .withColumn('amount_1h', F.sum('amount').over(lastHour))
          .withColumn('gap', col('ts').minus(F.lag('ts').over(byTime)))
          .collect();
        expect(out.sort(byKeys('ts', 'amount')).map((r) => [r.user, r.ts, r.velocity, r.amount_1h, r.gap])).toEqual([
          ['u1', 0, 1, 10, null],
          ['u2', 100, 1, 5, null],
          ['u1', 1800, 2, 30, 1800],
          ['u1', 3600, 3, 60, 1800], // ts 0 is exactly an hour before: inside the frame
          ['u1', 3601, 3, 90, 1],
          ['u2', 5000, 1, 7, 4900],
          ['u1', 7300, 2, 3, 3699], // two transactions at the same second see each other
          ['u1', 7300, 2, 3, 0],
        ]);
      }
    }
  });

  it('matches a brute-force count on a larger set, for many partitions on local[2]', async () => {
    const rows: Row[] = [];
    let seed = 7;
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    for (let i = 0; i < 3000; i++) rows.push({ id: i, user: `u${Math.floor(rand() * 40)}`, ts: Math.floor(rand() * 86400) });
    const df = local.createDataFrame(rows, { numPartitions: 5, schema: { id: 'int', user: 'string', ts: 'double' } });
    const w = Window.partitionBy('user').orderBy('ts').rangeBetween(-3600, -1); // strictly before this transaction
    const out = await df.withColumn('prior_1h', F.count('*').over(w)).collect();
    const byUser = new Map<string, number[]>();
    for (const r of rows) { const l = byUser.get(r.user as string) ?? []; l.push(r.ts as number); byUser.set(r.user as string, l); }
    for (const r of out) {
      const ts = r.ts as number;
      expect(r.prior_1h).toBe(byUser.get(r.user as string)!.filter((t) => t >= ts - 3600 && t <= ts - 1).length);
    }
  });
});

describe("Spark's documented examples", () => {
  const rows = [[1, 'a'], [1, 'a'], [2, 'a'], [1, 'b'], [2, 'b'], [3, 'b']].map(([id, category]) => ({ id, category }));
  const sortOut = (out: Row[]) => out.map((r) => [r.id, r.category, r.sum]).sort((a, b) => JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

  it('rangeBetween(Window.currentRow, 1)', async () => {
    const w = Window.partitionBy('category').orderBy('id').rangeBetween(Window.currentRow, 1);
    const out = await spark.createDataFrame(rows).withColumn('sum', F.sum('id').over(w)).collect();
    expect(sortOut(out)).toEqual([[1, 'a', 4], [1, 'a', 4], [1, 'b', 3], [2, 'a', 2], [2, 'b', 5], [3, 'b', 3]]);
  });

  it('rowsBetween(Window.currentRow, 1)', async () => {
    const w = Window.partitionBy('category').orderBy('id').rowsBetween(Window.currentRow, 1);
    const out = await spark.createDataFrame(rows).withColumn('sum', F.sum('id').over(w)).collect();
    expect(sortOut(out)).toEqual([[1, 'a', 2], [1, 'a', 3], [1, 'b', 3], [2, 'a', 2], [2, 'b', 5], [3, 'b', 3]]);
  });

  it('the default frame: running with orderBy (ties together), the whole partition without', async () => {
    const out = await spark.createDataFrame(rows)
      .withColumn('running', F.sum('id').over(Window.partitionBy('category').orderBy('id')))
      .withColumn('total', F.sum('id').over(Window.partitionBy('category'))).collect();
    expect(out.map((r) => [r.id, r.category, r.running, r.total]).sort()).toEqual(
      [[1, 'a', 2, 4], [1, 'a', 2, 4], [1, 'b', 1, 6], [2, 'a', 4, 4], [2, 'b', 3, 6], [3, 'b', 6, 6]]);
  });

  it('rank leaves gaps after ties, dense_rank does not; descending order puts nulls last', async () => {
    const df = spark.createDataFrame([{ s: 3 }, { s: null }, { s: 5 }, { s: 3 }, { s: 1 }], { schema: { s: 'int' } });
    const w = Window.orderBy(col('s').desc());
    const out = await df.select('s', F.rank().over(w).alias('rank'), F.dense_rank().over(w).alias('dense'), F.row_number().over(w).alias('rn')).collect();
    expect(out).toEqual([
      { s: 5, rank: 1, dense: 1, rn: 1 }, { s: 3, rank: 2, dense: 2, rn: 2 }, { s: 3, rank: 2, dense: 2, rn: 3 },
      { s: 1, rank: 4, dense: 3, rn: 4 }, { s: null, rank: 5, dense: 4, rn: 5 },
    ]);
  });
});

describe('types and names', () => {
  it('has Spark result types and unaliased names', () => {
    const df = spark.createDataFrame([{ u: 'a', t: 1, x: 2, s: 'q' }], { schema: { u: 'string', t: 'double', x: 'int', s: 'string' } });
    const w = Window.partitionBy('u').orderBy('t');
    const out = df.select(F.count('*').over(w), F.sum('x').over(w).alias('sx'), F.mean('x').over(w).alias('mx'), F.min('s').over(w).alias('ms'),
      F.row_number().over(w).alias('rn'), F.percent_rank().over(w).alias('pr'), F.lag('s').over(w).alias('ls'));
    expect(out.dtypes).toEqual([
      ['count OVER (PARTITION BY u ORDER BY t ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)', 'long'],
      ['sx', 'long'], ['mx', 'double'], ['ms', 'string'], ['rn', 'int'], ['pr', 'double'], ['ls', 'string'],
    ]);
    expect(df.select(F.row_number().over(w)).columns).toEqual(['row_number() OVER (PARTITION BY u ORDER BY t ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)']);
    expect(out.schema.fields[0].nullable).toBe(false);
  });
});

describe('errors', () => {
  const df = () => spark.createDataFrame([{ u: 'a', t: 1, t2: 2, s: 'q', v: 1.5 }], { schema: { u: 'string', t: 'double', t2: 'int', s: 'string', v: 'double' } });

  it('RANGE offsets need exactly one numeric order key', () => {
    const two = Window.partitionBy('u').orderBy('t', 't2').rangeBetween(-10, 0);
    expect(() => df().withColumn('n', F.count('*').over(two))).toThrow(/exactly one orderBy column.*orders by 2/);
    const str = Window.partitionBy('u').orderBy('s').rangeBetween(-10, 0);
    expect(() => df().withColumn('n', F.count('*').over(str))).toThrow(/numeric orderBy column.*'s' is string/);
    // CURRENT ROW and unbounded ends only need peers, so any ordering works (as in Spark).
    expect(() => df().withColumn('n', F.count('*').over(Window.orderBy('s', 't').rangeBetween(Window.unboundedPreceding, 0)))).not.toThrow();
    expect(() => df().withColumn('n', F.count('*').over(Window.partitionBy('u').rangeBetween(-1, 1)))).toThrow(/needs an ordered window/);
  });

  it('unknown columns are named', () => {
    expect(() => df().withColumn('n', F.count('*').over(Window.partitionBy('nope')))).toThrow(/'nope' does not exist/);
    expect(() => df().withColumn('n', F.count('*').over(Window.orderBy('missing')))).toThrow(/'missing' does not exist/);
    expect(() => df().withColumn('n', F.sum('absent').over(Window.partitionBy('u')))).toThrow(/'absent' does not exist/);
  });

  it('only window functions go in over()', () => {
    const w = Window.partitionBy('u').orderBy('t');
    expect(() => F.countDistinct('v').over(w)).toThrow(/countDistinct cannot be used as a window function/);
    expect(() => F.stddev('v').over(w)).toThrow(/stddev cannot be used as a window function/);
    expect(() => F.sum('v').over('u' as never)).toThrow(/over\(\) takes a window specification/);
  });

  it('ranking and offset functions need an ordered window and no frame', () => {
    expect(() => df().withColumn('r', F.row_number().over(Window.partitionBy('u')))).toThrow(/requires an ordered window/);
    expect(() => df().withColumn('r', F.lag('v').over(Window.partitionBy('u').orderBy('t').rowsBetween(-2, 0)))).toThrow(/does not take a frame/);
    expect(() => df().withColumn('r', F.lag('v', 1, 'x').over(Window.orderBy('t')))).toThrow(/default "x" does not fit .* double/);
    expect(() => F.lead('v', 1.5)).toThrow(/offset must be an integer/);
  });

  it('frames are checked when built, types and placement when used', () => {
    expect(() => Window.rowsBetween(2, 1)).toThrow(/lower bound must not be greater/);
    expect(() => Window.rowsBetween(-1.5, 0)).toThrow(/must be integers/);
    expect(() => Window.rangeBetween(Window.unboundedFollowing, Window.unboundedFollowing)).toThrow(/cannot start at unboundedFollowing/);
    expect(() => Window.rangeBetween(NaN, 0)).toThrow(/must be numbers/);
    expect(() => df().withColumn('n', F.sum('s').over(Window.partitionBy('u')))).toThrow(/requires numeric types, not string/);
    expect(() => df().filter(F.count('*').over(Window.partitionBy('u')).gt(1))).toThrow(/filter: window functions are not allowed/);
  });
});
