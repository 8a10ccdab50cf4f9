// quiver.memory.limit: blocks beyond it spill to disk (MEMORY_AND_DISK, source data, shuffles),
// are dropped and recomputed (MEMORY_ONLY), or live on disk (DISK_ONLY) — with unchanged results.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeData, RecordBatch, Schema, Field, FixedSizeList, Float64, Struct, Table } from 'apache-arrow';
import { Session, StorageLevel, col, columnSums } from '../../src/index.js';
import { collectGarbage } from '../../src/engine/gc.js';

const MB = 2 ** 20;
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** n rows × d of row i, feature j = (i % 97) + j: column sums have a closed form. */
function table(n: number, d: number): Table {
  const values = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) values[i * d + j] = (i % 97) + j;
  const type = new FixedSizeList(d, new Field('item', new Float64(), false));
  const schema = new Schema([new Field('features', type, false)]);
  const col = makeData({ type, length: n, child: makeData({ type: new Float64(), length: n * d, data: values }) });
  return new Table(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children: [col] })));
}

function expectedSums(n: number, d: number, scale = 1): number[] {
  let base = 0;
  for (let i = 0; i < n; i++) base += i % 97;
  return Array.from({ length: d }, (_, j) => scale * (base + n * j));
}

function session(limit: string, master = 'local[2]') {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-spill-'));
  dirs.push(dir);
  return { dir, spark: Session.builder().master(master).config('quiver.memory.limit', limit).config('quiver.local.dir', dir).create() };
}

describe('memory limit', () => {
  it('MEMORY_AND_DISK: a data set 3× the limit iterated five times gives in-memory results, memory stays near the limit', async () => {
    const n = 300_000, d = 16; // 38.4 MB of features, 12 partitions of ~3.2 MB
    const { dir, spark } = session('12m');
    try {
      const df = spark.createDataFrame(table(n, d), { numPartitions: 12 })
        .withColumn('scaled', col('features')) // a derived DataFrame, so the cache holds its own blocks
        .persist(StorageLevel.MEMORY_AND_DISK);
      collectGarbage();
      for (let round = 0; round < 5; round++) {
        expect(Array.from(await columnSums(df, 'features'))).toEqual(expectedSums(n, d));
      }
      const blocks = spark.engine.blocks;
      expect(blocks.stats.spilledBytes).toBeGreaterThan(20 * MB);
      expect(blocks.stats.readBackBytes).toBeGreaterThan(20 * MB);
      // The store never held more than the limit plus the blocks running tasks had pinned (2 tasks × 2 blocks).
      expect(blocks.stats.peakMemoryBytes).toBeLessThan(12 * MB + 4 * 3.3 * MB);
      expect(blocks.memoryBytes).toBeLessThanOrEqual(12 * MB);
      // The driver's buffers (blocks are SharedArrayBuffers it allocates) stay near the limit, far
      // below source + cache (77 MB) kept in memory. Not RSS: it counts the workers' heaps and
      // pages the allocator keeps, and grew anywhere from 17 to 138 MB over identical runs.
      collectGarbage();
      expect(process.memoryUsage().arrayBuffers).toBeLessThan(12 * MB + 4 * 3.3 * MB + 12 * MB);
      const spillDir = readdirSync(dir);
      expect(spillDir.length).toBe(1);
      const files = readdirSync(join(dir, spillDir[0]));
      expect(files.length).toBeGreaterThan(0);
      df.unpersist();
      expect(readdirSync(join(dir, spillDir[0])).length).toBeLessThan(files.length);
    } finally {
      await spark.stop();
    }
    expect(readdirSync(dir)).toEqual([]); // stop() deletes the spill directory
  }, 120_000);

  it('MEMORY_ONLY over the limit drops partitions and recomputes them from lineage', async () => {
    const n = 100_000, d = 8;
    const { spark } = session('2m', 'inline');
    try {
      const df = spark.createDataFrame(table(n, d), { numPartitions: 8 }).persist(StorageLevel.MEMORY_AND_DISK)
        .filter(col('features').isNotNull()).cache();
      for (let round = 0; round < 3; round++) expect(Array.from(await columnSums(df, 'features'))).toEqual(expectedSums(n, d));
      expect(spark.engine.blocks.stats.dropped).toBeGreaterThan(0);
    } finally {
      await spark.stop();
    }
  });

  it('DISK_ONLY keeps partitions in files and reads them back on demand', async () => {
    const n = 50_000, d = 4;
    const { dir, spark } = session('1g');
    try {
      const df = spark.createDataFrame(table(n, d), { numPartitions: 4 }).filter(col('features').isNotNull()).persist(StorageLevel.DISK_ONLY);
      expect(df.storageLevel).toBe(StorageLevel.DISK_ONLY);
      expect(Array.from(await columnSums(df, 'features'))).toEqual(expectedSums(n, d));
      expect(await df.count()).toBe(n);
      expect(spark.engine.blocks.stats.spilledBytes).toBeGreaterThan(n * d * 8);
      expect(existsSync(dir)).toBe(true);
    } finally {
      await spark.stop();
    }
  });

  it('rejects a bad limit', () => {
    expect(() => Session.builder().config('quiver.memory.limit', 'plenty')).toThrow(/quiver.memory.limit: cannot parse 'plenty'/);
  });
});
