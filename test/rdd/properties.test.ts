// Properties: every RDD operation gives what the same computation over a plain JS array gives (the
// reference, written out here), for any number of slices; and the output — order included — is
// the same on local[1], local[2] and inline.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RDD } from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const MASTERS = ['local[1]', 'local[2]', 'inline'] as const;
const session = useSessions(MASTERS);
const RUNS = 10;

/** Keys of three kinds that compare by value: small integers, strings, [int, string] arrays. */
const key = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', 'é', ''), fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom('x', 'y')));
const pairsArb = fc.array(fc.tuple(key, fc.integer({ min: -100, max: 100 })), { maxLength: 60 });
const slicesArb = fc.integer({ min: 1, max: 7 });

const canon = (k: unknown) => JSON.stringify(k);
const byJson = (a: unknown, b: unknown) => { const x = canon(a), y = canon(b); return x < y ? -1 : x > y ? 1 : 0; };
const sorted = <T>(xs: T[]) => [...xs].sort(byJson);

/** Reference group-by over an array: keys in first-seen order, values in input order. */
function groupRef(pairs: [unknown, number][]): Map<string, [unknown, number[]]> {
  const m = new Map<string, [unknown, number[]]>();
  for (const [k, v] of pairs) { const e = m.get(canon(k)); if (e) e[1].push(v); else m.set(canon(k), [k, [v]]); }
  return m;
}

/** The reference order of keys: numbers, then strings, then arrays (as compareValues), each ascending. */
function keyOrder(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number') return a - (b as number);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  const [x, s] = a as [number, string], [y, t] = b as [number, string];
  return x !== y ? x - y : s < t ? -1 : s > t ? 1 : 0;
}

describe('RDD operations against plain arrays', () => {
  it('narrow transformations and actions', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 80 }), slicesArb, fc.constantFrom(...MASTERS),
      async (xs, slices, master) => {
        const rdd = session(master).sparkContext.parallelize(xs, slices);
        expect(await rdd.map((x) => x * 2).filter((x) => x % 3 !== 0).collect()).toEqual(xs.map((x) => x * 2).filter((x) => x % 3 !== 0));
        expect(await rdd.flatMap((x) => (x > 0 ? [x, -x] : [])).collect()).toEqual(xs.flatMap((x) => (x > 0 ? [x, -x] : [])));
        expect(await rdd.count()).toBe(xs.length);
        expect(await rdd.fold(0, (a, b) => a + b)).toBe(xs.reduce((a, b) => a + b, 0));
        expect(await rdd.treeAggregate([0, 0], (a: number[], x) => [a[0] + x, a[1] + 1], (a, b) => [a[0] + b[0], a[1] + b[1]], 3))
          .toEqual([xs.reduce((a, b) => a + b, 0), xs.length]);
        if (xs.length) expect(await rdd.reduce((a, b) => Math.max(a, b))).toBe(Math.max(...xs));
        expect(await rdd.zipWithIndex().collect()).toEqual(xs.map((x, i) => [x, i]));
        expect(await rdd.take(5)).toEqual(xs.slice(0, 5));
        expect(await rdd.takeOrdered(4)).toEqual([...xs].sort((a, b) => a - b).slice(0, 4));
        expect(await rdd.top(4)).toEqual([...xs].sort((a, b) => b - a).slice(0, 4));
        expect((await rdd.glom().collect()).flat()).toEqual(xs);
        expect(await rdd.union(rdd).collect()).toEqual([...xs, ...xs]);
        expect(sorted([...(await rdd.countByValue())])).toEqual(sorted([...groupRef(xs.map((x) => [x, 1])).values()].map(([k, vs]) => [k, vs.length])));
      }), { numRuns: RUNS });
  });

  it('shuffles by key', async () => {
    await fc.assert(fc.asyncProperty(pairsArb, pairsArb, slicesArb, fc.integer({ min: 1, max: 5 }), fc.constantFrom(...MASTERS),
      async (pairs, others, slices, n, master) => {
        const sc = session(master).sparkContext;
        const rdd = sc.parallelize(pairs as [unknown, number][], slices);
        const groups = [...groupRef(pairs).values()];
        expect(sorted(await rdd.reduceByKey((a, b) => a + b, n).collect())).toEqual(sorted(groups.map(([k, vs]) => [k, vs.reduce((a, b) => a + b)])));
        // Values of a key arrive in partition order, which is the input order.
        expect(sorted(await rdd.groupByKey(n).collect())).toEqual(sorted(groups));
        expect(sorted(await rdd.aggregateByKey([] as number[], (acc, v) => [...acc, v], (a, b) => [...a, ...b], n).collect())).toEqual(sorted(groups));
        expect(sorted(await rdd.keys().distinct(n).collect())).toEqual(sorted(groups.map(([k]) => k)));
        // A stable sort: equal keys keep their input order.
        expect(await rdd.sortByKey(true, n).collect()).toEqual([...pairs].sort((a, b) => keyOrder(a[0], b[0])));
        expect(await rdd.sortByKey(false, n).collect()).toEqual([...pairs].sort((a, b) => keyOrder(b[0], a[0])));
        const other = sc.parallelize(others as [unknown, number][], 3);
        const joinRef: unknown[] = [];
        for (const [k, v] of pairs) for (const [k2, w] of others) if (canon(k) === canon(k2)) joinRef.push([k, [v, w]]);
        expect(sorted(await rdd.join(other, n).collect())).toEqual(sorted(joinRef));
        const leftRef: unknown[] = [...joinRef];
        for (const [k, v] of pairs) if (!others.some(([k2]) => canon(k2) === canon(k))) leftRef.push([k, [v, null]]);
        expect(sorted(await rdd.leftOuterJoin(other, n).collect())).toEqual(sorted(leftRef));
        const fullRef: unknown[] = [...leftRef];
        for (const [k, w] of others) if (!pairs.some(([k2]) => canon(k2) === canon(k))) fullRef.push([k, [null, w]]);
        expect(sorted(await rdd.fullOuterJoin(other, n).collect())).toEqual(sorted(fullRef));
        expect(sorted(await rdd.repartition(n).collect())).toEqual(sorted(pairs));
      }), { numRuns: RUNS });
  });

  it('gives the same output, order included, on every master', async () => {
    await fc.assert(fc.asyncProperty(pairsArb, slicesArb, async (pairs, slices) => {
      const run = (rdd: RDD<[unknown, number]>) => Promise.all([
        rdd.reduceByKey((a, b) => a + b).collect(),
        rdd.groupByKey(3).collect(),
        rdd.repartition(4).glom().collect(),
        rdd.map((kv) => kv[0]).distinct().collect(),
        rdd.sample(false, 0.5, 7).collect(),
      ]);
      const outs = await Promise.all(MASTERS.map((m) => run(session(m).sparkContext.parallelize(pairs as [unknown, number][], slices))));
      expect(outs[1]).toEqual(outs[0]);
      expect(outs[2]).toEqual(outs[0]);
    }), { numRuns: RUNS });
  });
});
