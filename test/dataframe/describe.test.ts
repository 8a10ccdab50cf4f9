// describe() and summary() against plain-array references: count, mean, sample stddev, min, max,
// percentiles as Spark's percentile_approx defines them (the smallest value whose rank reaches
// ceil(p·n)), Spark's string forms of numbers; the quantile sketch's exactness and error bound.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StructType, Vectors, col, type DataFrame, type Row } from '../../src/index.js';
import { emptySketch, mergeSketches, sketchOf, sketchQuantile } from '../../src/dataframe/describe.kernels.js';
import { formatDouble } from '../../src/linalg/format.js';
import { useSparkAndInline } from '../helpers/sessions.js';

const { spark, inline } = useSparkAndInline();

/** The result as { statistic: { column: text } }. */
async function table(df: DataFrame): Promise<Record<string, Record<string, string | null>>> {
  const out: Record<string, Record<string, string | null>> = {};
  for (const r of await df.collect()) {
    const { summary, ...rest } = r as Record<string, string | null>;
    out[summary!] = rest;
  }
  return out;
}

// --- plain-array references --------------------------------------------------------------------

const present = <T>(xs: (T | null)[]): T[] => xs.filter((x): x is T => x !== null);
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
function stddev(xs: number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs)!;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}
/** Spark's percentile: sorted (NaN last), the value at rank ceil(p·n), 1-based (rank 1 for p = 0). */
function percentile(xs: number[], p: number): number | null {
  if (!xs.length) return null;
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.max(1, Math.ceil(p * xs.length)) - 1];
}
const num = (s: string | null) => (s === null ? null : Number(s));
/** Equal within a relative 1e-9 (sums in another order), NaN equal to NaN. */
function close(got: string | null, want: number | null): void {
  if (want === null) { expect(got).toBeNull(); return; }
  const g = num(got)!;
  if (Number.isNaN(want) || !Number.isFinite(want)) { expect(g).toBe(want); return; }
  expect(Math.abs(g - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
}

describe('describe()', () => {
  it("gives Spark's table: summary column, one string column per numeric or string column; one aggregation", async () => {
    const rows = [
      { id: 1, x: 2.5, name: 'b', flag: true, v: Vectors.dense([1]) },
      { id: 2, x: null, name: 'a', flag: false, v: Vectors.dense([2]) },
      { id: 4, x: 1e10, name: null, flag: true, v: Vectors.dense([3]) },
    ];
    const df = spark().createDataFrame(rows, { numPartitions: 2 });
    const d = df.describe();
    // Lazy: the schema is known at once, booleans and vectors are left out as Spark does.
    expect(d.dtypes).toEqual([['summary', 'string'], ['id', 'string'], ['x', 'string'], ['name', 'string']]);
    expect(await d.collect()).toEqual([
      { summary: 'count', id: '3', x: '2', name: '2' },
      { summary: 'mean', id: formatDouble(7 / 3), x: '5.00000000125E9', name: null },
      { summary: 'stddev', id: formatDouble(stddev([1, 2, 4])!), x: formatDouble(stddev([2.5, 1e10])!), name: null },
      { summary: 'min', id: '1', x: '2.5', name: 'a' },
      { summary: 'max', id: '4', x: '1.0E10', name: 'b' },
    ]);
    expect(await df.describe('name', 'id').columns).toEqual(['summary', 'name', 'id']);
    expect(() => df.describe('nope')).toThrow(/Column 'nope' does not exist/);
  });

  it('matches plain-array statistics for random columns with nulls, any partitioning, every master', async () => {
    // No -0: Spark's min of 0.0 and -0.0 depends on the order it meets them.
    const numbers = fc.option(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x + 0), fc.integer({ min: -50, max: 50 })), { nil: null });
    const ints = fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null });
    // Words (never numbers) and integers, so the reference knows which strings Spark's cast reads as numbers.
    const strings = fc.option(fc.oneof(fc.string({ maxLength: 4, unit: fc.constantFrom('a', 'b', 'Z', ' ', 'é') }), fc.integer({ min: -9, max: 9 }).map(String)), { nil: null });
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(numbers, ints, strings), { maxLength: 40 }), fc.integer({ min: 1, max: 4 }),
      async (values, numPartitions) => {
        const session = run++ % 2 ? spark() : inline();
        const schema = new StructType([
          { name: 'd', type: { kind: 'double' }, nullable: true },
          { name: 'i', type: { kind: 'int' }, nullable: true },
          { name: 's', type: { kind: 'string' }, nullable: true },
        ]);
        const rows: Row[] = values.map(([d, i, s]) => ({ d, i, s }));
        const t = await table(session.createDataFrame(rows, { schema, numPartitions }).describe());
        const d = present(values.map((v) => v[0])), i = present(values.map((v) => v[1])), s = present(values.map((v) => v[2]));
        expect([t.count.d, t.count.i, t.count.s]).toEqual([String(d.length), String(i.length), String(s.length)]);
        close(t.mean.d, mean(d)); close(t.stddev.d, stddev(d));
        close(t.mean.i, mean(i)); close(t.stddev.i, stddev(i));
        expect(t.min.d).toBe(d.length ? formatDouble(Math.min(...d)) : null);
        expect(t.max.i).toBe(i.length ? String(Math.max(...i)) : null);
        // Strings: min/max in string order; mean/stddev of the values that read as numbers (Spark's cast).
        const sorted = [...s].sort();
        expect([t.min.s, t.max.s]).toEqual(s.length ? [sorted[0], sorted[sorted.length - 1]] : [null, null]);
        const numeric = s.filter((x) => /^-?\d+$/.test(x)).map(Number);
        close(t.mean.s, mean(numeric));
      }), { numRuns: 40 });
  });

  it('an empty DataFrame: count 0, every other statistic null', async () => {
    const df = spark().createDataFrame([{ a: 1, s: 'x' }], { numPartitions: 2 }).filter(col('a').lt(0));
    expect(await table(df.describe())).toEqual({
      count: { a: '0', s: '0' }, mean: { a: null, s: null }, stddev: { a: null, s: null }, min: { a: null, s: null }, max: { a: null, s: null },
    });
  });

  it('NaN is the largest double, as Spark orders it; longs print exactly', async () => {
    const df = spark().createDataFrame([{ x: 1, l: 2n ** 60n }, { x: NaN, l: -(2n ** 62n) }, { x: -1.5, l: 3n }], { numPartitions: 2 });
    const t = await table(df.describe());
    expect(t.max.x).toBe('NaN');
    expect(t.min.x).toBe('-1.5');
    expect(t.mean.x).toBe('NaN');
    expect([t.min.l, t.max.l]).toEqual([String(-(2n ** 62n)), String(2n ** 60n)]);
  });
});

describe('summary()', () => {
  it("has Spark's default statistics; percentiles are exact for small data and printed in the column's type", async () => {
    const rows = Array.from({ length: 11 }, (_, i) => ({ a: 10 - i, b: i * 0.5, s: `s${i}` }));
    const df = spark().createDataFrame(rows, { numPartitions: 3 });
    const s = df.summary();
    const out = await s.collect();
    expect(out.map((r) => r.summary)).toEqual(['count', 'mean', 'stddev', 'min', '25%', '50%', '75%', 'max']);
    const t = await table(s);
    expect(t['25%']).toEqual({ a: '2', b: '1.0', s: null });
    expect(t['50%']).toEqual({ a: '5', b: '2.5', s: null });
    expect(t['75%']).toEqual({ a: '8', b: '4.0', s: null });
    expect(t.max).toEqual({ a: '10', b: '5.0', s: 's9' });
    // Any statistics, in the order asked for.
    const custom = await table(df.summary('max', '0%', '100%', '12.5%', 'count_distinct', 'approx_count_distinct'));
    expect(Object.keys(custom)).toEqual(['max', '0%', '100%', '12.5%', 'count_distinct', 'approx_count_distinct']);
    expect(custom['0%']).toEqual({ a: '0', b: '0.0', s: null });
    expect(custom['100%']).toEqual({ a: '10', b: '5.0', s: null });
    expect(custom['12.5%']).toEqual({ a: '1', b: '0.5', s: null });
    expect(custom.count_distinct).toEqual({ a: '11', b: '11', s: '11' });
    expect(() => df.summary('median')).toThrow(/'median' is not a recognised statistic/);
    expect(() => df.summary('101%')).toThrow(/not a recognised statistic/);
  });

  it('percentiles match the plain-array reference for random data with nulls and NaN, any partitioning', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.option(fc.oneof(fc.integer({ min: -20, max: 20 }).map((x) => x / 2), fc.constant(NaN)), { nil: null }), { maxLength: 60 }),
      fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 3 }),
      async (values, numPartitions, ps) => {
        const session = run++ % 2 ? spark() : inline();
        const schema = new StructType([{ name: 'x', type: { kind: 'double' }, nullable: true }]);
        const df = session.createDataFrame(values.map((x) => ({ x })), { schema, numPartitions });
        const stats = ps.map((p) => `${p}%`);
        const t = await table(df.summary(...new Set(stats)));
        const xs = present(values);
        for (const p of ps) {
          const want = percentile(xs, p / 100);
          expect(t[`${p}%`].x).toBe(want === null ? null : formatDouble(want));
        }
      }), { numRuns: 40 });
  });

  it('beyond 20 000 values the sketch stays within a 1e-3 rank error of the exact percentile', async () => {
    const n = 60_000;
    // A deterministic shuffle of 0..n-1 spread over partitions.
    const values = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const df = spark().createDataFrame(values.map((x) => ({ x })), { numPartitions: 5 });
    const t = await table(df.summary('1%', '25%', '50%', '90%', '99.9%'));
    for (const p of [0.01, 0.25, 0.5, 0.9, 0.999]) {
      const got = Number(t[`${formatPercent(p)}%`].x);
      const exact = Math.ceil(p * n) - 1; // the values are a permutation of 0..n-1
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(1e-3 * n);
    }
  });
});

function formatPercent(p: number): string {
  return String(Math.round(p * 1000) / 10);
}

describe('quantile sketch', () => {
  it('is exact while small and merges in any grouping to the same answer', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.double(), { maxLength: 30 }), { maxLength: 5 }), fc.double({ min: 0, max: 1, noNaN: true }), (parts, p) => {
      const left = parts.map((x) => sketchOf(Float64Array.from(x))).reduce((a, b) => mergeSketches(a, b), emptySketch());
      const right = parts.map((x) => sketchOf(Float64Array.from(x))).reduceRight((a, b) => mergeSketches(b, a), emptySketch());
      const want = percentile(parts.flat(), p);
      expect(sketchQuantile(left, p)).toBe(want);
      expect(sketchQuantile(right, p)).toBe(want);
    }), { numRuns: 300 });
  });

  it('compresses big inputs within W/K rank error per level', () => {
    const k = 100;
    const parts = Array.from({ length: 8 }, (_, j) => Float64Array.from({ length: 1000 }, (_, i) => i * 8 + j));
    const merged = parts.map((x) => sketchOf(x, k)).reduce((a, b) => mergeSketches(a, b, k), emptySketch());
    expect(merged.values.length).toBeLessThanOrEqual(2 * k);
    expect(merged.count).toBe(8000);
    for (const p of [0, 0.1, 0.5, 0.77, 1]) {
      const got = sketchQuantile(merged, p)!;
      expect(Math.abs(got - (Math.max(1, Math.ceil(p * 8000)) - 1))).toBeLessThanOrEqual(8 * 8000 / k);
    }
  });
});
