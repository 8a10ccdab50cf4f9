// Wide operations (groupBy/agg, joins, orderBy, distinct) against plain-array reference models.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { col, broadcast, functions as F, type DataFrame, type Row } from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters, { 'quiver.sql.autoBroadcastJoinThreshold': -1 });

const schema = { k: 'int', g: 'string', v: 'double', i: 'int' };
const rowArb = fc.record({
  k: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
  g: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }),
  v: fc.option(fc.integer({ min: -100, max: 100 }).map((x) => x / 4), { nil: null }),
});
const rowsArb = fc.array(rowArb, { maxLength: 30 }).map((rs) => rs.map((r, i) => ({ ...r, i })));
const partsArb = fc.integer({ min: 1, max: 6 });
const masterArb = fc.constantFrom(...masters);
const make = (m: string, rows: Row[], p: number): DataFrame => session(m).createDataFrame(rows, { numPartitions: p, schema });

const byJson = (a: Row, b: Row) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
const sorted = (rows: Row[]) => [...rows].sort(byJson);
const groupKey = (r: Row, keys: string[]) => JSON.stringify(keys.map((k) => r[k]));

function groupRef(rows: Row[], keys: string[]): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const r of rows) { const k = groupKey(r, keys); const g = m.get(k); if (g) g.push(r); else m.set(k, [r]); }
  return m;
}

describe('groupBy / agg', () => {
  it('count, sum, mean, min, max, first, last, countDistinct and variance match the reference', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, partsArb, masterArb, fc.constantFrom<string[]>(['k'], ['g'], ['k', 'g']), async (rows, parts, master, keys) => {
      const df = make(master, rows, parts).groupBy(...keys).agg(
        F.count().alias('n'), F.sum('v').alias('s'), F.mean('v').alias('m'), F.min('v').alias('lo'), F.max('g').alias('hi'),
        F.first('i').alias('f'), F.last('i').alias('l'), F.countDistinct('v').alias('d'), F.variance('v').alias('var'));
      const got = await df.collect();
      const expected = [...groupRef(rows, keys).values()].map((g) => {
        const vs = g.map((r) => r.v as number | null).filter((x): x is number => x !== null);
        const gs = g.map((r) => r.g as string | null).filter((x): x is string => x !== null).sort();
        const mean = vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null;
        const out: Row = {};
        for (const k of keys) out[k] = g[0][k];
        return {
          ...out, n: g.length, s: vs.length ? vs.reduce((a, b) => a + b, 0) : null, m: mean,
          lo: vs.length ? Math.min(...vs) : null, hi: gs.length ? gs[gs.length - 1] : null,
          f: g[0].i, l: g[g.length - 1].i, d: new Set(vs).size,
          var: vs.length > 1 ? vs.reduce((a, x) => a + (x - mean!) ** 2, 0) / (vs.length - 1) : null,
        };
      });
      expect(got.length).toBe(expected.length);
      const norm = (r: Row) => ({ ...r, m: r.m === null ? null : Number((r.m as number).toFixed(9)), var: r.var === null ? null : Number((r.var as number).toFixed(6)) });
      expect(sorted(got.map(norm))).toEqual(sorted(expected.map(norm)));
    }), { numRuns: 25 });
  });

  it('a global aggregate gives one row, even over no rows', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, partsArb, masterArb, async (rows, parts, master) => {
      const got = await make(master, rows, parts).agg({ v: 'max', '*': 'count' }).collect();
      const vs = rows.map((r) => r.v).filter((x): x is number => x !== null);
      expect(got).toEqual([{ 'max(v)': vs.length ? Math.max(...vs) : null, count: rows.length }]);
    }), { numRuns: 15 });
  });

  it('distinct and dropDuplicates keep one row per key (the first, for dropDuplicates)', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, partsArb, masterArb, async (rows, parts, master) => {
      const df = make(master, rows, parts);
      const distinct = await df.select('k', 'g').distinct().collect();
      const expected = [...groupRef(rows, ['k', 'g']).values()].map((g) => ({ k: g[0].k, g: g[0].g }));
      expect(sorted(distinct)).toEqual(sorted(expected));
      const dedup = await df.dropDuplicates(['k']).collect();
      expect(sorted(dedup)).toEqual(sorted([...groupRef(rows, ['k']).values()].map((g) => g[0])));
    }), { numRuns: 15 });
  });

  it('rejects unknown functions and non-numeric sums', () => {
    const df = make('inline', [{ k: 1, g: 'a', v: 1, i: 0 }], 1);
    expect(() => df.groupBy('k').agg({ v: 'median' })).toThrow(/unknown aggregate function 'median' for column 'v'/);
    expect(() => df.groupBy('k').agg({ g: 'sum' })).toThrow(/function sum requires numeric types, not string/);
    expect(() => df.groupBy('nope')).toThrow(/Column 'nope' does not exist/);
  });
});

describe('joins', () => {
  const rightArb = fc.array(fc.record({
    k: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
    w: fc.integer({ min: 0, max: 9 }),
  }), { maxLength: 20 });

  function joinRef(left: Row[], right: Row[], how: string): Row[] {
    const out: Row[] = [];
    const matched = new Set<number>();
    for (const l of left) {
      const ms = right.map((r, j) => [r, j] as const).filter(([r]) => l.k !== null && r.k === l.k);
      if (how === 'left_semi') { if (ms.length) out.push(l); continue; }
      if (how === 'left_anti') { if (!ms.length) out.push(l); continue; }
      for (const [r, j] of ms) { matched.add(j); out.push({ ...l, w: r.w }); }
      if (!ms.length && (how === 'left' || how === 'full')) out.push({ ...l, w: null });
    }
    if (how === 'right' || how === 'full') {
      right.forEach((r, j) => { if (!matched.has(j)) out.push({ k: r.k, g: null, v: null, i: null, w: r.w }); });
    }
    return out;
  }

  it('every join type, with null and duplicate keys, shuffled or broadcast', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, rightArb, partsArb, masterArb, fc.constantFrom('inner', 'left', 'right', 'full', 'left_semi', 'left_anti'), fc.boolean(),
      async (left, right, parts, master, how, useBroadcast) => {
        const spark = session(master);
        const l = make(master, left, parts);
        const r = spark.createDataFrame(right, { numPartitions: 2, schema: { k: 'int', w: 'int' } });
        const got = await l.join(useBroadcast ? broadcast(r) : r, 'k', how).collect();
        expect(sorted(got)).toEqual(sorted(joinRef(left, right, how)));
      }), { numRuns: 40 });
  });

  it('joins on an equality expression between differently named columns', async () => {
    const spark = session('local[2]');
    const users = spark.createDataFrame([{ uid: 1, name: 'ann' }, { uid: 2, name: 'bo' }]);
    const events = spark.createDataFrame([{ user: 2, amount: 5.5 }, { user: 2, amount: 1 }, { user: 3, amount: 9 }]);
    const got = await events.join(users, col('user').eq(col('uid')), 'left').orderBy('amount').collect();
    expect(got).toEqual([
      { user: 2, amount: 1, uid: 2, name: 'bo' },
      { user: 2, amount: 5.5, uid: 2, name: 'bo' },
      { user: 3, amount: 9, uid: null, name: null },
    ]);
  });

  it('names what is wrong', () => {
    const spark = session('inline');
    const a = spark.createDataFrame([{ id: 1, x: 1 }]), b = spark.createDataFrame([{ id: 1, x: 2 }]);
    expect(() => a.join(b, 'nope')).toThrow(/key column 'nope' does not exist on the left side/);
    expect(() => a.join(b, 'id', 'sideways')).toThrow(/unsupported join type 'sideways'/);
    expect(() => a.join(b, 'id')).toThrow(/both sides have a column named 'x'/);
    expect(() => a.join(b, col('id').eq(col('x')))).toThrow(/exists on both sides/);
  });
});

describe('orderBy', () => {
  const cmp = (x: number | string | null, y: number | string | null, asc: boolean, nullsFirst: boolean) => {
    if (x === y) return 0;
    if (x === null) return nullsFirst ? -1 : 1;
    if (y === null) return nullsFirst ? 1 : -1;
    return (x < y ? -1 : 1) * (asc ? 1 : -1);
  };

  it('is a stable global sort with Spark null ordering, for any partitioning', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, partsArb, masterArb, fc.boolean(), async (rows, parts, master, asc) => {
      const got = await make(master, rows, parts).orderBy(asc ? col('k').asc() : col('k').desc(), col('g').asc_nulls_last()).collect();
      // Reference: JS sort is stable, so rows with equal keys keep their input order.
      const expected = [...rows].sort((a, b) => cmp(a.k, b.k, asc, asc) || cmp(a.g, b.g, true, false));
      expect(got).toEqual(expected);
    }), { numRuns: 30 });
  });

  it('sorts by an expression and drops the helper column', async () => {
    const df = make('local[2]', [{ k: 1, g: 'a', v: 3, i: 0 }, { k: 2, g: 'b', v: -5, i: 1 }, { k: 3, g: 'c', v: 1, i: 2 }], 2);
    const got = await df.orderBy(col('v').times(col('v')), { ascending: false }).collect();
    expect(got.map((r) => r.i)).toEqual([1, 0, 2]);
    expect(Object.keys(got[0])).toEqual(['k', 'g', 'v', 'i']);
  });
});
