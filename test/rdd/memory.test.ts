// RDD blocks under a memory limit: MEMORY_ONLY partitions dropped under pressure are recomputed from
// their lineage, MEMORY_AND_DISK ones and shuffle pieces spill and are read back — the results do not
// change. Types: the pair methods exist only on RDDs of pairs.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { StorageLevel, type RDD } from '../../src/index.js';
import { useSession } from '../helpers/sessions.js';

const spark = useSession('local[2]', { 'quiver.memory.limit': '64k' });

describe('RDD blocks under quiver.memory.limit', () => {
  const data = Array.from({ length: 80_000 }, (_, i) => i);

  it('recomputes dropped MEMORY_ONLY partitions and reads spilled ones back', async () => {
    const sc = spark().sparkContext;
    const stats = spark().engine.blocks.stats;
    const before = { ...stats };
    for (const level of [StorageLevel.MEMORY_ONLY, StorageLevel.MEMORY_AND_DISK, StorageLevel.DISK_ONLY]) {
      const rdd = sc.parallelize(data, 8).map((x) => x * 3).persist(level);
      for (let pass = 0; pass < 2; pass++) {
        expect(await rdd.filter((x) => x % 2 === 0).count()).toBe(40_000);
        expect(await rdd.reduce((a, b) => a + b)).toBe(3 * (80_000 * 79_999) / 2);
      }
      rdd.unpersist();
    }
    // The limit was felt: some MEMORY_ONLY blocks were dropped, and others spilled and were read back.
    expect(stats.dropped).toBeGreaterThan(before.dropped);
    expect(stats.spilledBytes).toBeGreaterThan(before.spilledBytes);
    expect(stats.readBackBytes).toBeGreaterThan(before.readBackBytes);
  });

  it('keeps shuffle pieces larger than the limit', async () => {
    const sc = spark().sparkContext;
    const spilled = spark().engine.blocks.stats.spilledBytes;
    const sums = sc.parallelize(data, 8).map((x) => [x % 1000, x] as [number, number]).groupByKey(4).mapValues((vs) => vs.length);
    const counts = await sums.collect();
    expect(counts).toHaveLength(1000);
    expect(counts.every(([, n]) => n === 80)).toBe(true);
    expect(await sums.count()).toBe(1000);
    expect(spark().engine.blocks.stats.spilledBytes).toBeGreaterThan(spilled);
  });

  it('types: pair methods need an RDD of [key, value]', () => {
    const sc = spark().sparkContext;
    const words = sc.parallelize(['a', 'b']);
    // @ts-expect-error reduceByKey is for RDDs of pairs
    expect(() => words.reduceByKey((a: string, b: string) => a + b)).not.toThrow();
    const pairs = words.map((w) => [w, 1] as [string, number]);
    expectTypeOf(pairs.reduceByKey((a, b) => a + b)).toEqualTypeOf<RDD<[string, number]>>();
    expectTypeOf(pairs.groupByKey()).toEqualTypeOf<RDD<[string, number[]]>>();
    expectTypeOf(pairs.join(pairs.mapValues((n) => String(n)))).toEqualTypeOf<RDD<[string, [number, string]]>>();
    expectTypeOf(pairs.collect).returns.toEqualTypeOf<Promise<[string, number][]>>();
  });
});
