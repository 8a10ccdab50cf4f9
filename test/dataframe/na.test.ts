// df.na (drop, fill, replace) and the dropna/fillna/replace aliases. Expected values come from
// PySpark's documented examples (dropna, fillna, replace docstrings; the outputs were checked
// against pyspark 4.1.4, which this repository's spark:setup installs) and from a slow row-by-row
// reference of Spark's rules written below, compared on random data over several partitionings.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coalesce, col, functions as F, isnan, lit, StructType, type Row } from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters);
const spark = (m: string = 'inline') => session(m);

const PEOPLE = new StructType([
  { name: 'age', type: { kind: 'long' }, nullable: true },
  { name: 'height', type: { kind: 'double' }, nullable: true },
  { name: 'name', type: { kind: 'string' }, nullable: true },
]);

describe("PySpark's documented examples", () => {
  for (const m of masters) {
    it(`dropna: any, all, thresh (${m})`, async () => {
      const df = spark(m).createDataFrame([
        { age: 10, height: 80.0, name: 'Alice' }, { age: 5, height: NaN, name: 'Bob' },
        { age: null, height: null, name: 'Tom' }, { age: null, height: NaN, name: null },
      ], { schema: PEOPLE, numPartitions: 2 });
      expect(await df.na.drop().collect()).toEqual([{ age: 10, height: 80, name: 'Alice' }]);
      expect(await df.na.drop('all').collect()).toEqual([
        { age: 10, height: 80, name: 'Alice' }, { age: 5, height: NaN, name: 'Bob' }, { age: null, height: null, name: 'Tom' },
      ]);
      expect(await df.na.drop({ thresh: 2 }).collect()).toEqual([{ age: 10, height: 80, name: 'Alice' }, { age: 5, height: NaN, name: 'Bob' }]);
      // The same through the alias, PySpark's positional form and Scala's column-list form.
      expect(await df.dropna('any', 2).collect()).toEqual(await df.na.drop({ thresh: 2 }).collect());
      expect(await df.dropna(['name']).collect()).toEqual([
        { age: 10, height: 80, name: 'Alice' }, { age: 5, height: NaN, name: 'Bob' }, { age: null, height: null, name: 'Tom' },
      ]);
      expect(await df.dropna('any', undefined, 'height').collect()).toEqual([{ age: 10, height: 80, name: 'Alice' }]);
    });

    it(`fillna: a number, a boolean, a map (${m})`, async () => {
      const schema = new StructType([...PEOPLE.fields, { name: 'bool', type: { kind: 'boolean' }, nullable: true }]);
      const df = spark(m).createDataFrame([
        { age: 10, height: 80.5, name: 'Alice', bool: null }, { age: 5, height: null, name: 'Bob', bool: null },
        { age: null, height: null, name: 'Tom', bool: null }, { age: null, height: null, name: null, bool: true },
      ], { schema, numPartitions: 3 });
      expect(await df.na.fill(50).collect()).toEqual([
        { age: 10, height: 80.5, name: 'Alice', bool: null }, { age: 5, height: 50, name: 'Bob', bool: null },
        { age: 50, height: 50, name: 'Tom', bool: null }, { age: 50, height: 50, name: null, bool: true },
      ]);
      expect((await df.na.fill(false).collect()).map((r) => r.bool)).toEqual([false, false, false, true]);
      expect(await df.fillna({ age: 50, name: 'unknown' }).collect()).toEqual([
        { age: 10, height: 80.5, name: 'Alice', bool: null }, { age: 5, height: null, name: 'Bob', bool: null },
        { age: 50, height: null, name: 'Tom', bool: null }, { age: 50, height: null, name: 'unknown', bool: true },
      ]);
      // A double fill of a long column truncates as Spark's cast (pyspark: df.na.fill(2.7) gives age 2).
      expect((await df.na.fill(2.7).collect()).map((r) => [r.age, r.height])).toEqual([[10, 80.5], [5, 2.7], [2, 2.7], [2, 2.7]]);
      // The schema is unchanged, apart from a filled double column being no longer nullable.
      const filled = df.na.fill(50).schema;
      expect(filled.fields.map((f) => f.type.kind)).toEqual(['long', 'double', 'string', 'boolean']);
      expect(filled.field('height').nullable).toBe(false);
    });

    it(`replace: scalar, to null, a map, lists on a subset (${m})`, async () => {
      const schema = new StructType([
        { name: 'age', type: { kind: 'long' }, nullable: true }, { name: 'height', type: { kind: 'long' }, nullable: true },
        { name: 'name', type: { kind: 'string' }, nullable: true },
      ]);
      const df = spark(m).createDataFrame([
        { age: 10, height: 80, name: 'Alice' }, { age: 5, height: null, name: 'Bob' },
        { age: null, height: 10, name: 'Tom' }, { age: null, height: null, name: null },
      ], { schema, numPartitions: 2 });
      expect(await df.na.replace(10, 20).collect()).toEqual([
        { age: 20, height: 80, name: 'Alice' }, { age: 5, height: null, name: 'Bob' },
        { age: null, height: 20, name: 'Tom' }, { age: null, height: null, name: null },
      ]);
      const aliceGone = [{ age: 10, height: 80, name: null }, { age: 5, height: null, name: 'Bob' }, { age: null, height: 10, name: 'Tom' }, { age: null, height: null, name: null }];
      expect(await df.na.replace('Alice', null).collect()).toEqual(aliceGone);
      expect(await df.na.replace({ Alice: null }).collect()).toEqual(aliceGone);
      expect((await df.replace(['Alice', 'Bob'], ['A', 'B'], 'name').collect()).map((r) => r.name)).toEqual(['A', 'B', 'Tom', null]);
      // The new value is cast to the column's type (pyspark: replace(10, 2.5) gives 2 in these long columns).
      expect((await df.na.replace(10, 2.5).collect()).map((r) => [r.age, r.height])).toEqual([[2, 80], [5, null], [null, 2], [null, null]]);
    });
  }
});

describe('nullability of filled columns, as Spark 4.1.4 reports it', () => {
  it("fill(number) keeps int and long columns nullable (Spark's double-to-integral cast is nullable), makes doubles non-null", () => {
    const df = spark().createDataFrame([], { schema: { i: 'int', l: 'long', d: 'double', s: 'string', b: 'boolean' } });
    const nullable = (x: typeof df) => x.schema.fields.map((f) => f.nullable);
    expect(nullable(df.na.fill(5))).toEqual([true, true, false, true, true]);
    expect(nullable(df.na.fill('x'))).toEqual([true, true, true, false, true]);
    expect(nullable(df.na.fill(true))).toEqual([true, true, true, true, false]);
    // A map's integral value is cast int -> int/long, which cannot fail: every column non-null.
    expect(nullable(df.na.fill({ i: 1, l: 2, d: 3, s: 'q', b: false }))).toEqual([false, false, false, false, false]);
    expect(nullable(df.na.fill({ i: 2.5 }))).toEqual([true, true, true, true, true]);
  });
});

describe('missing values in double columns', () => {
  it('NaN counts as missing for drop and fill, and replace(NaN, x) matches it', async () => {
    const schema = new StructType([{ name: 'd', type: { kind: 'double' }, nullable: true }, { name: 'i', type: { kind: 'int' }, nullable: true }]);
    const df = spark('local[2]').createDataFrame([{ d: NaN, i: 1 }, { d: 2, i: null }, { d: null, i: 3 }], { schema, numPartitions: 2 });
    expect(await df.na.drop().collect()).toEqual([]);
    expect(await df.na.drop({ subset: ['d'] }).collect()).toEqual([{ d: 2, i: null }]);
    expect(await df.na.fill(-1).collect()).toEqual([{ d: -1, i: 1 }, { d: 2, i: -1 }, { d: -1, i: 3 }]);
    expect(await df.na.replace(new Map([[NaN, 0]])).collect()).toEqual([{ d: 0, i: 1 }, { d: 2, i: null }, { d: null, i: 3 }]);
    // -2.7 into an int column: Spark's cast truncates toward zero.
    expect((await df.na.fill(-2.7, 'i').collect()).map((r) => r.i)).toEqual([1, -2, 3]);
  });

  it('isnan and coalesce as column functions', async () => {
    const df = spark().createDataFrame([{ d: NaN, e: 1 }, { d: 2, e: null }, { d: null, e: null }], {
      schema: new StructType([{ name: 'd', type: { kind: 'double' }, nullable: true }, { name: 'e', type: { kind: 'double' }, nullable: true }]),
    });
    const out = await df.select(isnan('d').alias('n'), F.isnan(col('e')).alias('m'), coalesce('e', 'd', lit(7)).alias('c')).collect();
    expect(out).toEqual([{ n: true, m: false, c: 1 }, { n: false, m: false, c: 2 }, { n: false, m: false, c: 7 }]);
    expect(() => df.select(isnan(lit('x')))).toThrow(/isnan requires a numeric operand/);
  });
});

// --- a slow reference of Spark's rules, row by row ------------------------------------------

type Kind = 'int' | 'double' | 'string' | 'boolean';
type Value = number | string | boolean | null;
const KINDS: Record<string, Kind> = { i: 'int', d: 'double', s: 'string', b: 'boolean' };
const SCHEMA = new StructType(Object.entries(KINDS).map(([name, kind]) => ({ name, type: { kind }, nullable: true })));

const isMissing = (v: Value, kind: Kind) => v === null || (kind === 'double' && Number.isNaN(v));
/** Spark's (non-ANSI) cast of a fill or replacement value to a column's type, for the values generated here. */
function castTo(v: Value, kind: Kind): Value {
  if (v === null) return null;
  if (kind === 'int') return typeof v === 'number' ? Math.trunc(v) + 0 : v; // + 0: an int has no -0
  return v;
}

function refDrop(rows: Row[], how: 'any' | 'all', thresh: number | undefined, subset: string[]): Row[] {
  const min = thresh ?? (how === 'all' ? 1 : subset.length);
  return rows.filter((r) => subset.filter((c) => !isMissing(r[c] as Value, KINDS[c])).length >= min);
}

function refFill(rows: Row[], value: number | string | boolean, subset: string[]): Row[] {
  const applies = (c: string) => subset.includes(c) && (typeof value === 'number' ? KINDS[c] === 'int' || KINDS[c] === 'double' : KINDS[c] === typeof value);
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([c, v]) =>
    [c, applies(c) && isMissing(v as Value, KINDS[c]) ? castTo(value, KINDS[c]) : v])));
}

function refReplace(rows: Row[], pairs: [Value, Value][], subset: string[]): Row[] {
  const keyKind = typeof pairs[0][0];
  const applies = (c: string) => subset.includes(c) && (keyKind === 'number' ? KINDS[c] === 'int' || KINDS[c] === 'double' : KINDS[c] === keyKind);
  // Spark's equality: NaN equals NaN; null equals nothing. The first matching key wins.
  const eq = (a: Value, b: Value) => a !== null && (a === b || (Number.isNaN(a) && Number.isNaN(b)));
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([c, v]) => {
    if (!applies(c)) return [c, v];
    const hit = pairs.find(([k]) => eq(v as Value, k));
    return [c, hit ? castTo(hit[1], KINDS[c]) : v];
  })));
}

describe('drop, fill and replace equal a row-by-row reference on random data', () => {
  const ints = fc.option(fc.integer({ min: -3, max: 3 }), { nil: null });
  const doubles = fc.option(fc.oneof(fc.constantFrom(NaN, 0.5, -1.5, 2), fc.integer({ min: -3, max: 3 })), { nil: null });
  const strings = fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null });
  const bools = fc.option(fc.boolean(), { nil: null });
  const rowsArb = fc.array(fc.record({ i: ints, d: doubles, s: strings, b: bools }), { maxLength: 30 });
  const subsetArb = fc.subarray(['i', 'd', 's', 'b']);
  let run = 0;
  const frame = (rows: Row[], parts: number) => (run++ % 2 ? spark('local[2]') : spark()).createDataFrame(rows, { schema: SCHEMA, numPartitions: parts });

  it('drop(how, thresh, subset)', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, fc.constantFrom('any', 'all') as fc.Arbitrary<'any' | 'all'>, fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      subsetArb, fc.integer({ min: 1, max: 4 }), async (rows, how, thresh, subset, parts) => {
        const got = await frame(rows, parts).na.drop({ how, thresh, subset }).collect();
        expect(got).toEqual(refDrop(rows, how, thresh, subset));
      }), { numRuns: 30 });
  });

  it('fill(value, subset) for numbers, strings and booleans', async () => {
    const values = fc.oneof(fc.constantFrom(7, -2.5, 0.75), fc.constantFrom('z', ''), fc.boolean());
    await fc.assert(fc.asyncProperty(rowsArb, values, fc.option(subsetArb, { nil: undefined }), fc.integer({ min: 1, max: 4 }),
      async (rows, value, subset, parts) => {
        const got = await frame(rows, parts).na.fill(value, subset).collect();
        expect(got).toEqual(refFill(rows, value, subset ?? ['i', 'd', 's', 'b']));
      }), { numRuns: 30 });
  });

  it('replace(toReplace, value, subset) with numeric, string and boolean keys', async () => {
    const numericPairs = fc.array(fc.tuple(fc.constantFrom(1, -3, 0.5, NaN, 2), fc.option(fc.constantFrom(9, -0.5, 100), { nil: null })), { minLength: 1, maxLength: 3 });
    const stringPairs = fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.option(fc.constantFrom('x', 'a'), { nil: null })), { minLength: 1, maxLength: 2 });
    const boolPairs = fc.array(fc.tuple(fc.boolean(), fc.option(fc.boolean(), { nil: null })), { minLength: 1, maxLength: 2 });
    await fc.assert(fc.asyncProperty(rowsArb, fc.oneof(numericPairs, stringPairs, boolPairs) as fc.Arbitrary<[Value, Value][]>,
      fc.option(subsetArb, { nil: undefined }), fc.integer({ min: 1, max: 4 }), async (rows, pairs, subset, parts) => {
        const got = await frame(rows, parts).na.replace(new Map(pairs), undefined, subset).collect();
        // A Map keeps the last value of a repeated key, as Python's dict(zip(...)) does.
        expect(got).toEqual(refReplace(rows, [...new Map(pairs)], subset ?? ['i', 'd', 's', 'b']));
      }), { numRuns: 30 });
  });
});

describe('bad input', () => {
  const df = () => spark().createDataFrame([{ a: 1, s: 'x' }], { schema: { a: 'int', s: 'string' } });

  it('an unknown column in subset is named along with the columns that exist', () => {
    for (const call of [() => df().na.drop({ subset: ['nope'] }), () => df().na.fill(1, ['a', 'nope']),
      () => df().na.fill({ nope: 1 }), () => df().na.replace(1, 2, 'nope')]) {
      expect(call).toThrow("Column 'nope' does not exist. Available columns: [a, s]");
    }
  });

  it('how, thresh and option names are checked', () => {
    expect(() => df().na.drop('some' as 'any')).toThrow(`na.drop: how must be 'any' or 'all' but got "some"`);
    expect(() => df().na.drop('any', 1.5)).toThrow('thresh must be an integer but got 1.5');
    expect(() => df().na.drop({ subst: ['a'] } as never)).toThrow("unknown option 'subst'");
  });

  it('fill values must be numbers, strings or booleans', () => {
    expect(() => df().na.fill(null as never)).toThrow('na.fill: the value must be a number, string or boolean but got null');
    expect(() => df().na.fill({ a: [1] } as never)).toThrow("the value for column 'a' must be a number, string or boolean but got object");
  });

  it("replace's arguments follow PySpark's checks", () => {
    expect(() => df().na.replace(1)).toThrow('value is required when toReplace is not a mapping');
    expect(() => df().na.replace([1, 2], [3])).toThrow('toReplace and value lists should be of the same length. Got 2 and 1');
    expect(() => df().na.replace([1, 'x'], 0)).toThrow('mixed type replacements are not supported');
    expect(() => df().na.replace(1, 'one')).toThrow('mixed type replacements are not supported');
  });

  it('nothing to do leaves the DataFrame as it is', async () => {
    const d = df();
    expect(d.na.fill('z', ['a'])).toBe(d); // a string fill of an int column changes nothing
    expect(d.na.drop({ thresh: 0 })).toBe(d);
    expect(d.na.replace(new Map())).toBe(d);
  });
});
