// The shuffles of the RDD API on Spark's documented examples (pyspark/rdd.py docstrings and the
// programming guide), with keys compared by value: strings, numbers, arrays of them.
import { describe, expect, it } from 'vitest';
import type { RDD } from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const MASTERS = ['local[2]', 'inline'] as const;
const session = useSessions(MASTERS);
const byJson = (a: unknown, b: unknown) => { const x = JSON.stringify(a), y = JSON.stringify(b); return x < y ? -1 : x > y ? 1 : 0; };
const sorted = <T>(xs: T[]) => [...xs].sort(byJson);

describe.each(MASTERS)('RDD shuffles on %s', (master) => {
  const sc = () => session(master).sparkContext;
  const pairs = () => sc().parallelize<[string, number]>([['a', 1], ['b', 1], ['a', 1]], 2);

  it('the word count of the README', async () => {
    const lines = sc().parallelize(['to be or not to be', 'that is the question', 'to be'], 2);
    const counts = lines.flatMap((line) => line.split(' ')).map((w) => [w, 1] as [string, number]).reduceByKey((a, b) => a + b);
    expect(sorted(await counts.collect())).toEqual(sorted([
      ['to', 3], ['be', 3], ['or', 1], ['not', 1], ['that', 1], ['is', 1], ['the', 1], ['question', 1]]));
    expect(await counts.sortBy((kv) => kv[1], false).take(2)).toEqual([['to', 3], ['be', 3]]);
  });

  it('reduceByKey, groupByKey, aggregateByKey, foldByKey, combineByKey (pyspark docstrings)', async () => {
    expect(sorted(await pairs().reduceByKey((a, b) => a + b).collect())).toEqual([['a', 2], ['b', 1]]);
    expect(sorted(await pairs().groupByKey().mapValues((vs) => vs.length).collect())).toEqual([['a', 2], ['b', 1]]);
    expect(sorted(await pairs().groupByKey().collect())).toEqual([['a', [1, 1]], ['b', [1]]]);
    expect(sorted(await pairs().foldByKey(0, (a, b) => a + b).collect())).toEqual([['a', 2], ['b', 1]]);
    const seqFunc = (x: [number, number], y: number): [number, number] => [x[0] + y, x[1] + 1];
    const combFunc = (x: [number, number], y: [number, number]): [number, number] => [x[0] + y[0], x[1] + y[1]];
    expect(sorted(await sc().parallelize<[string, number]>([['a', 1], ['b', 1], ['a', 2]], 2).aggregateByKey([0, 0], seqFunc, combFunc).collect()))
      .toEqual([['a', [3, 2]], ['b', [1, 1]]]);
    const x = sc().parallelize<[string, number]>([['a', 1], ['b', 1], ['a', 2]], 2);
    const combined = x.combineByKey((v) => [v], (c: number[], v) => [...c, v], (a, b) => [...a, ...b]);
    expect(sorted(await combined.mapValues((c) => [...c].sort()).collect())).toEqual([['a', [1, 2]], ['b', [1]]]);
  });

  it('map-side combining: each map partition sends one combiner per key', async () => {
    // 1000 pairs over 4 keys in 4 partitions: the reduce side sees at most 4 combiners per partition (16 in all).
    const data = Array.from({ length: 1000 }, (_, i): [number, number] => [i % 4, 1]);
    const seen = sc().parallelize(data, 4).combineByKey((v) => [v], (c: number[], v) => { c.push(v); return c; }, (a, b) => [...a, ...b], 2)
      .mapValues((c) => c.length);
    const totals = await sc().parallelize(data, 4).combineByKey((v) => 1, (c: number, v) => c + 1, (a, b) => a + b + 1000000, 2).collect();
    // mergeCombiners ran once less than the number of map partitions holding the key (4): 3 × 1e6 added.
    expect(sorted(totals)).toEqual([[0, 3000250], [1, 3000250], [2, 3000250], [3, 3000250]]);
    expect(sorted(await seen.collect())).toEqual([[0, 250], [1, 250], [2, 250], [3, 250]]);
  });

  it('distinct, sortByKey, sortBy (pyspark docstrings)', async () => {
    expect((await sc().parallelize([1, 1, 2, 3]).distinct().collect()).sort()).toEqual([1, 2, 3]);
    const tmp = [['a', 1], ['b', 2], ['1', 3], ['d', 4], ['2', 5]] as [string, number][];
    expect(await sc().parallelize(tmp).sortByKey().first()).toEqual(['1', 3]);
    expect(await sc().parallelize(tmp).sortByKey(true, 1).collect()).toEqual([['1', 3], ['2', 5], ['a', 1], ['b', 2], ['d', 4]]);
    expect(await sc().parallelize(tmp).sortByKey(true, 2).collect()).toEqual([['1', 3], ['2', 5], ['a', 1], ['b', 2], ['d', 4]]);
    const tmp2 = [['Mary', 1], ['had', 2], ['a', 3], ['little', 4], ['lamb', 5], ['whose', 6], ['fleece', 7], ['was', 8], ['white', 9]] as [string, number][];
    expect(await sc().parallelize(tmp2).sortByKey(true, 3).map((kv) => kv[0]).collect())
      .toEqual(['Mary', 'a', 'fleece', 'had', 'lamb', 'little', 'was', 'white', 'whose']);
    expect(await sc().parallelize(tmp).sortBy((kv) => kv[0]).collect()).toEqual([['1', 3], ['2', 5], ['a', 1], ['b', 2], ['d', 4]]);
    expect(await sc().parallelize(tmp).sortBy((kv) => kv[1]).collect()).toEqual([['a', 1], ['b', 2], ['1', 3], ['d', 4], ['2', 5]]);
    expect(await sc().parallelize([3, 1, 2], 3).sortBy((v) => v, false, 2).collect()).toEqual([3, 2, 1]);
  });

  it('join, leftOuterJoin, rightOuterJoin, fullOuterJoin, cogroup (pyspark docstrings)', async () => {
    const x = sc().parallelize<[string, number]>([['a', 1], ['b', 4]]);
    const y = sc().parallelize<[string, number]>([['a', 2], ['a', 3]]);
    expect(sorted(await x.join(y).collect())).toEqual([['a', [1, 2]], ['a', [1, 3]]]);
    expect(sorted(await x.leftOuterJoin(y).collect())).toEqual([['a', [1, 2]], ['a', [1, 3]], ['b', [4, null]]]);
    expect(sorted(await y.rightOuterJoin(x).collect())).toEqual([['a', [2, 1]], ['a', [3, 1]], ['b', [null, 4]]]);
    const z = sc().parallelize<[string, number]>([['a', 2], ['c', 8]]);
    expect(sorted(await x.fullOuterJoin(z).collect())).toEqual([['a', [1, 2]], ['b', [4, null]], ['c', [null, 8]]]);
    expect(sorted(await x.cogroup(sc().parallelize<[string, number]>([['a', 2]])).collect())).toEqual([['a', [[1], [2]]], ['b', [[4], []]]]);
  });

  it('compares keys by value: arrays, 1 and 1.0, 0 and -0, NaN with NaN', async () => {
    const data: [unknown, number][] = [[['x', 1], 1], [['x', 1], 2], [['x', 2], 3], [[['x'], 1], 4], [1, 5], [1.0, 6], [0, 7], [-0, 8], [NaN, 9], [NaN, 10], ['1', 11]];
    const got = await sc().parallelize(data, 3).reduceByKey((a, b) => a + b, 4).collect();
    expect(sorted(got)).toEqual(sorted([[['x', 1], 3], [['x', 2], 3], [[['x'], 1], 4], [1, 11], [0, 15], [null, 19], ['1', 11]]
      .map((kv) => (kv[0] === null ? [NaN, kv[1]] : kv))));
    expect(sorted(await sc().parallelize([[1, 2], [1, 2], [2, 1], [1, 2, 3]], 2).distinct().collect())).toEqual(sorted([[1, 2], [1, 2, 3], [2, 1]]));
    const joined = await sc().parallelize<[number[], string]>([[[1, 2], 'a']]).join(sc().parallelize<[number[], string]>([[[1, 2], 'b'], [[2, 1], 'c']])).collect();
    expect(joined).toEqual([[[1, 2], ['a', 'b']]]);
    await expect(sc().parallelize<[unknown, number]>([[new Map(), 1]]).groupByKey().collect()).rejects.toThrow(/cannot use a Map as an RDD key/);
    await expect((sc().parallelize([1, 2]) as unknown as RDD<[number, number]>).groupByKey().collect()).rejects.toThrow(/groupByKey expects an RDD of \[key, value\] pairs, but element 0 of partition \d is [12]/);
  });

  it('repartition and coalesce keep every element', async () => {
    const rdd = sc().parallelize(Array.from({ length: 20 }, (_, i) => i), 4);
    const re = rdd.repartition(3);
    expect(re.getNumPartitions()).toBe(3);
    expect((await re.collect()).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect((await re.glom().collect()).map((p) => p.length).reduce((a, b) => a + b)).toBe(20);
    const co = rdd.coalesce(2);
    expect(co.getNumPartitions()).toBe(2);
    expect(await co.glom().collect()).toEqual([Array.from({ length: 10 }, (_, i) => i), Array.from({ length: 10 }, (_, i) => i + 10)]);
    expect(rdd.coalesce(8).getNumPartitions()).toBe(4);
    expect(rdd.coalesce(6, true).getNumPartitions()).toBe(6);
  });
});
