// Window functions against a plain-array reference: every function over ROWS and RANGE frames
// (bounded and unbounded), with nulls and NaN in values, ties and nulls in order keys; the same
// results for 1 or many partitions and for the inline and local[2] masters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Session, Window, col, functions as F, type Column, type DataFrame, type Row, type WindowSpec } from '../../src/index.js';

const masters = ['inline', 'local[2]'] as const;
const sessions = new Map<string, Session>();
beforeAll(() => { for (const m of masters) sessions.set(m, Session.builder().master(m).create()); });
afterAll(async () => { for (const s of sessions.values()) await s.stop(); });

// --- the reference ---------------------------------------------------------------------------------

type V = number | string | null;
interface RefOrder { column: string; ascending: boolean; nullsFirst: boolean }
interface RefFrame { type: 'rows' | 'range'; start: number | null; end: number | null }
interface RefWindow { partitionBy: string[]; orderBy: RefOrder[]; frame: RefFrame | null }
type RefCall =
  | { fn: 'count' | 'sum' | 'mean' | 'min' | 'max' | 'first' | 'last'; input: string | null }
  | { fn: 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist' }
  | { fn: 'lag' | 'lead'; input: string; offset: number; default: V };

/** Ascending order of single values: nulls first, NaN above every number. */
function cmpAsc(a: V, b: V): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One key in its window order (direction and null placement). */
function cmpKey(a: V, b: V, o: RefOrder): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === o.nullsFirst ? -1 : 1;
  }
  return o.ascending ? cmpAsc(a, b) : -cmpAsc(a, b);
}

const cmpRows = (a: Row, b: Row, orders: RefOrder[]) => {
  for (const o of orders) { const c = cmpKey(a[o.column] as V, b[o.column] as V, o); if (c) return c; }
  return 0;
};

function inFrame(rows: Row[], i: number, j: number, frame: RefFrame, orders: RefOrder[]): boolean {
  if (frame.type === 'rows') return (frame.start === null || j >= i + frame.start) && (frame.end === null || j <= i + frame.end);
  const bound = (offset: number | null, side: 'lo' | 'hi'): boolean => {
    if (offset === null) return true;
    if (offset === 0) { const c = cmpRows(rows[j], rows[i], orders); return side === 'lo' ? c >= 0 : c <= 0; }
    // key ± offset in sort direction; null and NaN stay themselves.
    const o = orders[0];
    const k = rows[i][o.column] as number | null;
    const b = k === null ? null : o.ascending ? k + offset : k - offset;
    const c = cmpKey(rows[j][o.column] as V, b, o);
    return side === 'lo' ? c >= 0 : c <= 0;
  };
  return bound(frame.start, 'lo') && bound(frame.end, 'hi');
}

const isNum = (x: V): x is number => typeof x === 'number';

function aggregate(fn: string, values: V[], all: number): V {
  const nn = values.filter((x) => x !== null);
  switch (fn) {
    case 'count': return all;
    case 'first': return values.length ? values[0] : null;
    case 'last': return values.length ? values[values.length - 1] : null;
    case 'sum': return nn.length ? (nn as number[]).reduce((s, x) => s + x, 0) : null;
    case 'mean': return nn.length ? (nn as number[]).reduce((s, x) => s + x, 0) / nn.length : null;
    case 'min': case 'max': {
      if (!nn.length) return null;
      return nn.reduce((m, x) => ((fn === 'max' ? cmpAsc(x, m) > 0 : cmpAsc(x, m) < 0) ? x : m));
    }
  }
  throw new Error(fn);
}

/** The value of `call` over `window` for every row, keyed by the row's `id`. */
function reference(rows: Row[], window: RefWindow, call: RefCall): Map<number, V> {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const k = JSON.stringify(window.partitionBy.map((c) => (Number.isNaN(r[c]) ? 'NaN' : r[c])));
    const g = groups.get(k);
    if (g) g.push(r); else groups.set(k, [r]);
  }
  const out = new Map<number, V>();
  for (const g of groups.values()) {
    const s = g.map((r, i) => ({ r, i })).sort((a, b) => cmpRows(a.r, b.r, window.orderBy) || a.i - b.i).map((x) => x.r);
    const m = s.length;
    s.forEach((row, i) => {
      let v: V;
      const less = s.filter((o) => cmpRows(o, row, window.orderBy) < 0);
      switch (call.fn) {
        case 'row_number': v = i + 1; break;
        case 'rank': v = less.length + 1; break;
        case 'dense_rank': v = new Set(less.map((o) => JSON.stringify(window.orderBy.map((k) => String(o[k.column]))))).size + 1; break;
        case 'percent_rank': v = m === 1 ? 0 : less.length / (m - 1); break;
        case 'cume_dist': v = s.filter((o) => cmpRows(o, row, window.orderBy) <= 0).length / m; break;
        case 'lag': case 'lead': {
          const j = call.fn === 'lag' ? i - call.offset : i + call.offset;
          v = j >= 0 && j < m ? s[j][call.input] as V : call.default;
          break;
        }
        default: {
          const frame = window.frame ?? (window.orderBy.length ? { type: 'range', start: null, end: 0 } : { type: 'rows', start: null, end: null });
          const members = s.filter((_, j) => inFrame(s, i, j, frame, window.orderBy));
          const values = call.input === null ? members.map(() => 0) : members.map((o) => o[call.input!] as V);
          const all = call.fn === 'count' ? (call.input === null ? members.length : values.filter((x) => x !== null).length) : 0;
          v = aggregate(call.fn, values, all);
        }
      }
      out.set(row.id as number, v);
    });
  }
  return out;
}

/** Equal, with NaN equal to NaN and doubles within a relative 1e-9 (sums slide; the reference adds in order). */
function close(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isNum(a as V) || !isNum(b as V)) return false;
  const x = a as number, y = b as number;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
}

// --- generators and helpers ----------------------------------------------------------------------

const schema = { id: 'int', k: 'int', g: 'string', t: 'double', t2: 'string', v: 'double', i: 'int' };
const rare = <T>(arb: fc.Arbitrary<T>, common: fc.Arbitrary<T>) => fc.oneof({ arbitrary: common, weight: 8 }, { arbitrary: arb, weight: 1 });
const rowArb = fc.record({
  k: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 6 }),
  g: fc.option(fc.constantFrom('x', 'y'), { nil: null, freq: 6 }),
  // Few distinct timestamps, so order keys tie; NaN and infinities now and then.
  t: rare(fc.constantFrom(NaN, Infinity, -Infinity), fc.option(fc.integer({ min: 0, max: 12 }), { nil: null, freq: 8 })),
  t2: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null, freq: 5 }),
  v: rare(fc.constantFrom(NaN, Infinity, -Infinity), fc.option(fc.integer({ min: -40, max: 40 }).map((x) => x / 4), { nil: null, freq: 5 })),
  i: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null, freq: 5 }),
});
const rowsArb = fc.array(rowArb, { maxLength: 40, size: 'max' }).map((rs) => rs.map((r, id) => ({ id, ...r })));

const ORDERS: RefOrder[][] = [
  [], [{ column: 't', ascending: true, nullsFirst: true }], [{ column: 't', ascending: false, nullsFirst: false }],
  [{ column: 't', ascending: true, nullsFirst: false }], [{ column: 't', ascending: false, nullsFirst: true }],
  [{ column: 't', ascending: true, nullsFirst: true }, { column: 't2', ascending: false, nullsFirst: false }],
];
const boundArb = fc.option(fc.integer({ min: -4, max: 4 }), { nil: null, freq: 4 });
const windowArb: fc.Arbitrary<RefWindow> = fc.record({
  partitionBy: fc.constantFrom<string[]>([], ['k'], ['k', 'g']),
  orderBy: fc.constantFrom(...ORDERS),
  frameType: fc.constantFrom('default', 'rows', 'range'),
  a: boundArb, b: boundArb,
}).map(({ partitionBy, orderBy, frameType, a, b }) => {
  if (frameType === 'default') return { partitionBy, orderBy, frame: null };
  // Unbounded preceding for a null start, unbounded following for a null end.
  let [start, end] = a !== null && b !== null && a > b ? [b, a] : [a, b];
  let type = frameType as 'rows' | 'range';
  const valueBounds = [start, end].some((x) => x !== null && x !== 0);
  if (type === 'range' && orderBy.length === 0 && (start !== null || end !== null)) type = 'rows';
  if (type === 'range' && valueBounds && orderBy.length !== 1) type = 'rows';
  return { partitionBy, orderBy, frame: { type, start, end } };
});

function spec(w: RefWindow, withFrame = true): WindowSpec {
  let s = Window.partitionBy(...w.partitionBy).orderBy(...w.orderBy.map((o) => {
    const c = col(o.column);
    return o.ascending ? (o.nullsFirst ? c.asc_nulls_first() : c.asc_nulls_last()) : (o.nullsFirst ? c.desc_nulls_first() : c.desc_nulls_last());
  }));
  const f = w.frame;
  if (withFrame && f) {
    const start = f.start ?? Window.unboundedPreceding, end = f.end ?? Window.unboundedFollowing;
    s = f.type === 'rows' ? s.rowsBetween(start, end) : s.rangeBetween(start, end);
  }
  return s;
}

const make = (m: string, rows: Row[], parts: number): DataFrame => sessions.get(m)!.createDataFrame(rows, { numPartitions: parts, schema });

/** Runs `calls` (output name -> [Column, reference call]) and compares every row with the reference. */
async function check(df: DataFrame, rows: Row[], calls: Record<string, [Column, RefCall, RefWindow]>): Promise<void> {
  const got = await df.select('id', ...Object.entries(calls).map(([name, [c]]) => c.alias(name))).collect();
  expect(got.length).toBe(rows.length);
  for (const [name, [, call, w]] of Object.entries(calls)) {
    const expected = reference(rows, w, call);
    for (const r of got) {
      const want = expected.get(r.id as number);
      if (!close(r[name], want)) {
        throw new Error(`${name} over ${JSON.stringify(w)} row ${r.id}: got ${String(r[name])}, expected ${String(want)}\nrows: ${JSON.stringify(rows)}`);
      }
    }
  }
}

// --- properties ----------------------------------------------------------------------------------

describe('window functions match the reference', () => {
  it('count, sum, mean, min, max, first, last over any frame', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, windowArb, fc.integer({ min: 1, max: 5 }), fc.constantFrom(...masters), async (rows, w, parts, master) => {
      const s = spec(w);
      const agg = (fn: 'count' | 'sum' | 'mean' | 'min' | 'max' | 'first' | 'last', input: string | null): [Column, RefCall, RefWindow] => {
        const c = fn === 'count' ? F.count(input ?? '*') : F[fn](input!);
        return [c.over(s), { fn, input }, w];
      };
      await check(make(master, rows, parts), rows, {
        n: agg('count', null), nv: agg('count', 'v'), sv: agg('sum', 'v'), si: agg('sum', 'i'), mv: agg('mean', 'v'),
        lo: agg('min', 'v'), hi: agg('max', 'v'), log: agg('min', 'g'), hit2: agg('max', 't2'), hii: agg('max', 'i'),
        f: agg('first', 'v'), l: agg('last', 'g'),
      });
    }), { numRuns: 60 });
  });

  it('row_number, rank, dense_rank, percent_rank, cume_dist, lag and lead', async () => {
    const ordered = windowArb.filter((w) => w.orderBy.length > 0);
    await fc.assert(fc.asyncProperty(rowsArb, ordered, fc.integer({ min: 1, max: 5 }), fc.constantFrom(...masters), async (rows, w, parts, master) => {
      const s = spec(w, false);
      const rank = (fn: 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist'): [Column, RefCall, RefWindow] => [F[fn]().over(s), { fn }, w];
      await check(make(master, rows, parts), rows, {
        rn: rank('row_number'), rk: rank('rank'), dr: rank('dense_rank'), pr: rank('percent_rank'), cd: rank('cume_dist'),
        lagv: [F.lag('v').over(s), { fn: 'lag', input: 'v', offset: 1, default: null }, w],
        lead2: [F.lead('i', 2, -1).over(s), { fn: 'lead', input: 'i', offset: 2, default: -1 }, w],
        lagg: [F.lag('g', 3, 'none').over(s), { fn: 'lag', input: 'g', offset: 3, default: 'none' }, w],
        back: [F.lead('t', -1).over(s), { fn: 'lead', input: 't', offset: -1, default: null }, w],
      });
    }), { numRuns: 40 });
  });

  it('several windows in one select, and window columns inside expressions', async () => {
    // The second window reads the first one's output, so rows tied in its order keys arrive in
    // another order: ROWS frames there are made deterministic by ordering by id last.
    const byId: RefOrder = { column: 'id', ascending: true, nullsFirst: true };
    const total = (w: RefWindow): RefWindow => (w.frame?.type === 'rows' ? { ...w, orderBy: [...w.orderBy, byId] } : w);
    await fc.assert(fc.asyncProperty(rowsArb, windowArb, windowArb.map(total), fc.integer({ min: 1, max: 5 }), fc.constantFrom(...masters), async (rows, w1, w2, parts, master) => {
      const df = make(master, rows, parts);
      await check(df, rows, {
        a: [F.sum('i').over(spec(w1)), { fn: 'sum', input: 'i' }, w1],
        b: [F.count('v').over(spec(w2)), { fn: 'count', input: 'v' }, w2],
      });
      // An expression over a window column, and a window over an expression input and key.
      const got = await df.withColumn('c', F.count('*').over(spec(w1)).times(10).plus(1))
        .withColumn('d', F.max(col('i').times(2)).over(Window.partitionBy(col('k').plus(0)).orderBy('id'))).collect();
      const c = reference(rows, w1, { fn: 'count', input: null });
      const d = reference(rows.map((r) => ({ ...r, i: r.i === null ? null : (r.i as number) * 2 })),
        { partitionBy: ['k'], orderBy: [{ column: 'id', ascending: true, nullsFirst: true }], frame: null }, { fn: 'max', input: 'i' });
      for (const r of got) {
        expect(r.c).toBe((c.get(r.id as number) as number) * 10 + 1);
        expect(r.d).toBe(d.get(r.id as number));
      }
    }), { numRuns: 20 });
  });
});

describe('partitioning and masters', () => {
  it('gives the same rows for 1 and 7 partitions, inline and local[2], and keeps every column', async () => {
    const rows = Array.from({ length: 300 }, (_, id) => ({ id, k: id % 7, g: id % 3 ? 'x' : null, t: (id * 37) % 50, t2: 'a', v: (id % 11) - 5, i: id % 4 }));
    const w = Window.partitionBy('k').orderBy('t').rowsBetween(-3, 1);
    const results = [];
    for (const m of masters) {
      for (const parts of [1, 7]) {
        const out = await make(m, rows, parts).withColumn('s', F.sum('v').over(w)).withColumn('rk', F.rank().over(Window.partitionBy('k').orderBy('t'))).collect();
        results.push(out.sort((a, b) => (a.id as number) - (b.id as number)));
      }
    }
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
    expect(Object.keys(results[0][0])).toEqual(['id', 'k', 'g', 't', 't2', 'v', 'i', 's', 'rk']);
  });

  it('keeps rows grouped by partition key and sorted by the order key', async () => {
    const rows = Array.from({ length: 60 }, (_, id) => ({ id, k: id % 3, g: null, t: 60 - id, t2: null, v: id, i: null }));
    const out = await make('local[2]', rows, 4).withColumn('rn', F.row_number().over(Window.partitionBy('k').orderBy('t'))).collect();
    const seen: number[] = [];
    out.forEach((r, j) => {
      if (j === 0 || out[j - 1].k !== r.k) { expect(seen).not.toContain(r.k); seen.push(r.k as number); expect(r.rn).toBe(1); }
      else { expect(r.rn).toBe((out[j - 1].rn as number) + 1); expect(r.t as number).toBeGreaterThan(out[j - 1].t as number); }
    });
  });

  it('works on an empty DataFrame', async () => {
    const df = make('local[2]', [], 3);
    expect(await df.withColumn('n', F.count('*').over(Window.partitionBy('k').orderBy('t').rangeBetween(-2, 0))).collect()).toEqual([]);
  });
});
