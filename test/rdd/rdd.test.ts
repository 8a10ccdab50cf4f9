// Spark's documented RDD examples (the programming guide and the PySpark docstrings of
// pyspark/rdd.py, whose expected outputs are quoted), run on a worker pool and on the calling thread.
import { describe, expect, it } from 'vitest';
import { StorageLevel } from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const MASTERS = ['local[2]', 'inline'] as const;
const session = useSessions(MASTERS);
const sorted = <T>(xs: T[]) => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));

describe.each(MASTERS)('RDD on %s', (master) => {
  const sc = () => session(master).sparkContext;

  it('parallelize slices contiguously; glom shows the partitions (pyspark: parallelize([0, 2, 3, 4, 6], 5).glom())', async () => {
    expect(await sc().parallelize([0, 2, 3, 4, 6], 5).glom().collect()).toEqual([[0], [2], [3], [4], [6]]);
    expect(await sc().parallelize([1, 2, 3, 4], 2).glom().collect()).toEqual([[1, 2], [3, 4]]);
    expect(sc().parallelize([1, 2, 3], 3).getNumPartitions()).toBe(3);
    expect(await sc().emptyRDD().collect()).toEqual([]);
    expect(sc().emptyRDD().getNumPartitions()).toBe(0);
  });

  it('map, flatMap, filter, mapPartitions, mapPartitionsWithIndex, keyBy (pyspark docstrings)', async () => {
    const rdd = sc().parallelize(['b', 'a', 'c']);
    expect(sorted(await rdd.map((x) => [x, 1]).collect())).toEqual([['a', 1], ['b', 1], ['c', 1]]);
    expect(sorted(await sc().parallelize([2, 3, 4]).flatMap((x) => Array.from({ length: x - 1 }, (_, i) => i + 1)).collect()))
      .toEqual([1, 1, 1, 2, 2, 3]);
    expect(await sc().parallelize([1, 2, 3, 4, 5]).filter((x) => x % 2 === 0).collect()).toEqual([2, 4]);
    expect(await sc().parallelize([1, 2, 3, 4], 2).mapPartitions(function* (it) { let s = 0; for (const x of it) s += x; yield s; }).collect())
      .toEqual([3, 7]);
    expect(await sc().parallelize([1, 2, 3, 4], 4).mapPartitionsWithIndex((i) => [i]).collect()).toEqual([0, 1, 2, 3]);
    expect(await sc().range(0, 3).keyBy((x) => x * x).collect()).toEqual([[0, 0], [1, 1], [4, 2]]);
  });

  it('mapValues, flatMapValues, zipWithIndex, union (pyspark docstrings)', async () => {
    const x = sc().parallelize<[string, string[]]>([['a', ['apple', 'banana', 'lemon']], ['b', ['grapes']]]);
    expect(await x.mapValues((v) => v.length).collect()).toEqual([['a', 3], ['b', 1]]);
    const y = sc().parallelize<[string, string[]]>([['a', ['x', 'y', 'z']], ['b', ['p', 'r']]]);
    expect(await y.flatMapValues((v) => v).collect()).toEqual([['a', 'x'], ['a', 'y'], ['a', 'z'], ['b', 'p'], ['b', 'r']]);
    expect(await sc().parallelize(['a', 'b', 'c', 'd'], 3).zipWithIndex().collect()).toEqual([['a', 0], ['b', 1], ['c', 2], ['d', 3]]);
    const r = sc().parallelize([1, 1, 2, 3]);
    expect(await r.union(r).collect()).toEqual([1, 1, 2, 3, 1, 1, 2, 3]);
    // pyspark: sorted(sc.parallelize([1, 2]).cartesian(rdd).collect()) == [(1, 1), (1, 2), (2, 1), (2, 2)]
    const c = sc().parallelize([1, 2], 2).cartesian(sc().parallelize([1, 2], 2));
    expect(c.getNumPartitions()).toBe(4);
    expect(await c.collect()).toEqual([[1, 1], [1, 2], [2, 1], [2, 2]]);
  });

  it('actions: count, first, take, reduce, fold, aggregate, treeReduce, treeAggregate (pyspark docstrings)', async () => {
    expect(await sc().parallelize([2, 3, 4]).count()).toBe(3);
    expect(await sc().parallelize([2, 3, 4]).first()).toBe(2);
    await expect(sc().parallelize([]).first()).rejects.toThrow(/RDD is empty/);
    expect(await sc().parallelize([2, 3, 4, 5, 6]).take(2)).toEqual([2, 3]);
    expect(await sc().parallelize([2, 3, 4, 5, 6], 5).take(10)).toEqual([2, 3, 4, 5, 6]);
    expect(await sc().range(100, undefined, 1, 100).filter((x) => x > 90).take(3)).toEqual([91, 92, 93]);
    expect(await sc().parallelize([1, 2, 3, 4, 5]).reduce((a, b) => a + b)).toBe(15);
    expect(await sc().parallelize(Array.from({ length: 10 }, (_, i) => i), 5).reduce((a, b) => a + b)).toBe(45);
    await expect(sc().parallelize<number>([]).reduce((a, b) => a + b)).rejects.toThrow(/cannot reduce an empty RDD/);
    expect(await sc().parallelize([1, 2, 3, 4, 5]).fold(0, (a, b) => a + b)).toBe(15);
    const seqOp = (acc: [number, number], x: number): [number, number] => [acc[0] + x, acc[1] + 1];
    const combOp = (a: [number, number], b: [number, number]): [number, number] => [a[0] + b[0], a[1] + b[1]];
    expect(await sc().parallelize([1, 2, 3, 4]).aggregate([0, 0], seqOp, combOp)).toEqual([10, 4]);
    expect(await sc().parallelize([]).aggregate([0, 0], seqOp, combOp)).toEqual([0, 0]);
    const rdd = sc().parallelize([-5, -4, -3, -2, -1, 1, 2, 3, 4], 10);
    expect(await rdd.treeReduce((a, b) => a + b)).toBe(-5);
    expect(await rdd.treeReduce((a, b) => a + b, 1)).toBe(-5);
    expect(await rdd.treeReduce((a, b) => a + b, 5)).toBe(-5);
    expect(await rdd.treeAggregate(0, (a, b) => a + b, (a, b) => a + b, 3)).toBe(-5);
  });

  it('sum, mean, max, min (pyspark docstrings)', async () => {
    expect(await sc().parallelize([1.0, 2.0, 3.0]).sum()).toBe(6);
    expect(await sc().parallelize<number>([]).sum()).toBe(0);
    expect(await sc().parallelize([1, 2, 3]).mean()).toBe(2);
    expect(await sc().parallelize<number>([], 2).mean()).toBeNaN();
    const rdd = sc().parallelize([1.0, 5.0, 43.0, 10.0], 3);
    expect(await rdd.max()).toBe(43);
    expect(await rdd.max((x) => -x)).toBe(1);
    expect(await sc().parallelize([2.0, 5.0, 43.0, 10.0], 2).min()).toBe(2);
    expect(await sc().parallelize([2.0, 5.0, 43.0, 10.0], 2).min((x) => -x)).toBe(43);
    await expect(sc().emptyRDD().max()).rejects.toThrow(/RDD\.max: the RDD is empty/);
  });

  it('countByKey, countByValue, takeOrdered, top (pyspark docstrings)', async () => {
    const kv = sc().parallelize<[string, number]>([['a', 1], ['b', 1], ['a', 1]]);
    expect([...(await kv.countByKey())].sort()).toEqual([['a', 2], ['b', 1]]);
    expect([...(await sc().parallelize([1, 2, 1, 2, 2], 2).countByValue())].sort()).toEqual([[1, 2], [2, 3]]);
    expect(await sc().parallelize([10, 1, 2, 9, 3, 4, 5, 6, 7]).takeOrdered(6)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await sc().parallelize([10, 1, 2, 9, 3, 4, 5, 6, 7], 2).takeOrdered(6, (x) => -x)).toEqual([10, 9, 7, 6, 5, 4]);
    expect(await sc().parallelize([10, 4, 2, 12, 3]).top(1)).toEqual([12]);
    expect(await sc().parallelize([2, 3, 4, 5, 6], 2).top(2)).toEqual([6, 5]);
    expect(await sc().parallelize([10, 4, 2, 12, 3]).top(3, (x) => String(x))).toEqual([4, 3, 2]);
  });

  it('foreach runs in the workers; persist keeps partitions; toDebugString shows the lineage', async () => {
    await sc().parallelize([1, 2, 3], 3).foreach((x) => { if (x > 5) throw new Error('never'); });
    await expect(sc().parallelize([1, 2, 3], 3).foreach((x) => { if (x === 2) throw new Error(`bad element ${x}`); }))
      .rejects.toThrow(/partition 1 failed.*bad element 2/);
    const rdd = sc().parallelize([1, 2, 3, 4], 2).map((x) => x * 10).cache();
    expect(rdd.getStorageLevel()).toBe(StorageLevel.MEMORY_ONLY);
    expect(await rdd.collect()).toEqual([10, 20, 30, 40]);
    expect(await rdd.map((x) => x + 1).collect()).toEqual([11, 21, 31, 41]);
    expect(rdd.toDebugString()).toMatch(/^\(2\) MapPartitionsRDD\[\d+\] at map \[MEMORY_ONLY\]\n/);
    rdd.unpersist();
    expect(rdd.getStorageLevel()).toBe(StorageLevel.NONE);
    // A cached RDD is computed once: its random draws are the same on every action, unlike an uncached one's.
    const draws = sc().parallelize([0, 1, 2, 3], 2).map(() => Math.random());
    const kept = draws.map((x) => x).persist(StorageLevel.MEMORY_AND_DISK);
    expect(await kept.collect()).toEqual(await kept.collect());
    expect(await draws.collect()).not.toEqual(await draws.collect());
    await expect(sc().parallelize([1, 2, 3, 4], 2).foreachPartition(async (it) => {
      const xs = [...it];
      if (xs.includes(3)) throw new Error(`partition holding ${xs.join(',')}`);
    })).rejects.toThrow(/partition holding 3,4/);
    const counts = sc().parallelize(['a', 'b', 'a'], 2).map((w) => [w, 1] as [string, number]).reduceByKey((a, b) => a + b);
    const lines = counts.toDebugString().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\(2\) ShuffledRDD\[\d+\] at reduceByKey \[\]$/);
    expect(lines[1]).toMatch(/^ \+-\(2\) MapPartitionsRDD\[\d+\] at map \[\]$/);
    expect(lines[2]).toMatch(/^ {4} \|  ParallelCollectionRDD\[\d+\] at parallelize \[\]$/);
  });
});
