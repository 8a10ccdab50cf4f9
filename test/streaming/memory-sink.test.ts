// MemoryStream into the memory sink in the three output modes. The expected rows are always the
// same transformation run as a batch over every row added so far (the reference Structured
// Streaming promises: a streaming query's result equals the batch query's over its input).
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { col, functions as F, lit, MemoryStream, MemorySink, udf, type DataFrame, type Row } from '../../src/index.js';
import { useSession } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { batchReference, schema, sorted } from './helpers.js';

// A tiny broadcast threshold: joins with a static side shuffle both sides, so the static side's exchange is shared across batches.
const session = useSession('local[2]', { 'quiver.sql.autoBroadcastJoinThreshold': 1 });
const temp = useTempDir('quiver-stream-memory-');
let names = 0;
const fresh = (): string => `t${names++}`;

const batches: Row[][] = [
  [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'a', v: 5 }],
  [{ k: 'c', v: 7 }, { k: null, v: 3 }],
  [{ k: 'a', v: null }, { k: 'b', v: -4 }, { k: 'c', v: 7 }, { k: 'd', v: 0 }],
];

const stateless = (df: DataFrame): DataFrame => {
  const tag = udf((k: string | null) => (k === null ? 'none' : `key-${k}`), 'string');
  return df.filter(col('v').isNull().or(col('v').ge(0))).withColumn('doubled', col('v').times(2)).withColumn('tag', tag(col('k')));
};
const aggregated = (df: DataFrame): DataFrame =>
  df.groupBy('k').agg(F.count(), F.sum('v'), F.avg('v').alias('mean'), F.min('v'), F.max('v'), F.count('v').alias('nonNull'));

describe('MemoryStream into the memory sink', () => {
  it('append: stateless operations (filter, withColumn, a UDF) give the batch result over all rows so far', async () => {
    const spark = session();
    const stream = new MemoryStream(spark, schema);
    const name = fresh();
    const q = await stateless(stream.toDF()).writeStream.format('memory').queryName(name).start();
    const added: Row[] = [];
    for (const b of batches) {
      stream.addData(b);
      added.push(...b);
      await q.processAllAvailable();
      expect(sorted(await spark.streams.table(name).collect())).toEqual(sorted(await batchReference(spark, added, stateless)));
    }
    expect(q.recentProgress.map((p) => p.batchId)).toEqual([0, 1, 2]);
    expect(q.recentProgress.map((p) => p.numInputRows)).toEqual(batches.map((b) => b.length));
    expect(q.lastProgress?.name).toBe(name);
    await q.stop();
    expect(q.isActive).toBe(false);
  });

  it('append: a join with a static DataFrame', async () => {
    const spark = session();
    const stream = new MemoryStream(spark, schema);
    const labels = spark.createDataFrame([{ k: 'a', label: 'first' }, { k: 'c', label: 'third' }], { numPartitions: 1 });
    const build = (df: DataFrame): DataFrame => df.join(labels, 'k', 'inner');
    const name = fresh();
    const q = await build(stream.toDF()).writeStream.format('memory').queryName(name).start();
    const added: Row[] = [];
    for (const b of batches) {
      stream.addData(b);
      added.push(...b);
      await q.processAllAvailable();
    }
    expect(sorted((q.sink as MemorySink).rows())).toEqual(sorted(await batchReference(spark, added, build)));
    await q.stop();
  });

  it('append: the union of two streams; the offsets log has one line per source', async () => {
    const spark = session();
    const left = new MemoryStream(spark, schema), right = new MemoryStream(spark, schema);
    const name = fresh();
    const ckpt = temp.fresh('ckpt');
    const q = await left.toDF().union(right.toDF()).writeStream.format('memory').queryName(name).option('checkpointLocation', ckpt).start();
    left.addData(batches[0]);
    await q.processAllAvailable();
    right.addData(batches[1]);
    right.addData(batches[2]);
    await q.processAllAvailable();
    expect(sorted(await spark.streams.table(name).collect())).toEqual(sorted(batches.flat()));
    expect(fs.readFileSync(path.join(ckpt, 'offsets', '0'), 'utf8').split('\n').slice(2)).toEqual(['0', '-']); // '-': no data yet
    expect(fs.readFileSync(path.join(ckpt, 'offsets', '1'), 'utf8').split('\n').slice(2)).toEqual(['0', '1']);
    expect(q.lastProgress?.sources.map((p) => p.numInputRows)).toEqual([0, batches[1].length + batches[2].length]);
    await q.stop();
  });

  it('complete: an aggregation over a stream joined with a static DataFrame (a hash join, not broadcast)', async () => {
    const spark = session();
    const stream = new MemoryStream(spark, schema);
    const groups = spark.createDataFrame([{ k: 'a', g: 'vowel' }, { k: 'b', g: 'consonant' }, { k: 'c', g: 'consonant' }], { numPartitions: 2 });
    const build = (df: DataFrame): DataFrame => df.join(groups, 'k', 'left').groupBy('g').agg(F.sum('v').alias('s'), F.count().alias('n'));
    const name = fresh();
    const q = await build(stream.toDF()).writeStream.format('memory').outputMode('complete').queryName(name).start();
    const added: Row[] = [];
    for (const b of batches) {
      stream.addData(b);
      added.push(...b);
      await q.processAllAvailable();
      expect(sorted(await spark.streams.table(name).collect())).toEqual(sorted(await batchReference(spark, added, build)));
    }
    await q.stop();
  });

  it('complete: groupBy().agg() keeps its state across batches; every batch shows the whole aggregation', async () => {
    const spark = session();
    const stream = new MemoryStream(spark, schema);
    const name = fresh();
    const q = await aggregated(stream.toDF()).writeStream.format('memory').outputMode('complete').queryName(name).start();
    const added: Row[] = [];
    for (const b of batches) {
      stream.addData(b);
      added.push(...b);
      await q.processAllAvailable();
      expect(sorted(await spark.streams.table(name).collect())).toEqual(sorted(await batchReference(spark, added, aggregated)));
    }
    // The state operator reports every key (a, b, c, d, null) after the last batch, and the keys it touched.
    expect(q.lastProgress?.stateOperators[0]).toMatchObject({ numRowsTotal: 5, numRowsUpdated: 4 });
    await q.stop();
  });

  it('complete: a global aggregation (no keys) and a sort on the aggregated result', async () => {
    const spark = session();
    const stream = new MemoryStream(spark, schema);
    const total = (df: DataFrame): DataFrame => df.agg(F.sum('v').alias('s'), F.count().alias('n'), F.first('k').alias('firstKey'));
    const ranked = (df: DataFrame): DataFrame => df.groupBy('k').agg(F.sum('v').alias('s')).orderBy(col('s').desc(), 'k');
    const [n1, n2] = [fresh(), fresh()];
    const q1 = await total(stream.toDF()).writeStream.format('memory').outputMode('complete').queryName(n1).start();
    const q2 = await ranked(stream.toDF()).writeStream.format('memory').outputMode('complete').queryName(n2).start();
    const added: Row[] = [];
    for (const b of batches) {
      stream.addData(b);
      added.push(...b);
      await q1.processAllAvailable();
      await q2.processAllAvailable();
      expect(await spark.streams.table(n1).collect()).toEqual(await batchReference(spark, added, total));
      expect(await spark.streams.table(n2).collect()).toEqual(await batchReference(spark, added, ranked)); // in sort order
    }
    await Promise.all([q1.stop(), q2.stop()]);
  });

  it('update: each batch outputs exactly the keys it touched, with their totals over all rows so far', async () => {
    const spark = session();
    const stream = new MemoryStream(spark, schema);
    const q = await aggregated(stream.toDF()).writeStream.format('memory').outputMode('update').queryName(fresh()).start();
    const added: Row[] = [];
    for (const [i, b] of batches.entries()) {
      stream.addData(b);
      added.push(...b);
      await q.processAllAvailable();
      const touched = new Set(b.map((r) => r.k));
      const expected = (await batchReference(spark, added, aggregated)).filter((r) => touched.has(r.k as string | null));
      expect(sorted((q.sink as MemorySink).batches.get(i)!)).toEqual(sorted(expected));
    }
    await q.stop();
  });

  it('property: for random batches, complete mode equals the batch aggregation after every batch (seeded)', async () => {
    const spark = session();
    const row = fc.record({ k: fc.constantFrom('x', 'y', 'z', null), v: fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }) });
    const byKey = (df: DataFrame): DataFrame => df.groupBy('k')
      .agg(F.sum('v').alias('s'), F.count().alias('n'), F.max('v').alias('m'), F.avg(col('v').times(2).plus(1)).alias('e'), F.last('v').alias('l'))
      .withColumn('flag', lit(1)).filter(col('n').gt(0));
    await fc.assert(fc.asyncProperty(fc.array(fc.array(row, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }), async (input) => {
      const stream = new MemoryStream(spark, schema);
      const name = fresh();
      const q = await byKey(stream.toDF()).writeStream.format('memory').outputMode('complete').queryName(name).start();
      const added: Row[] = [];
      try {
        for (const b of input) {
          stream.addData(b);
          added.push(...b);
          await q.processAllAvailable();
          expect(sorted(await spark.streams.table(name).collect())).toEqual(sorted(await batchReference(spark, added, byKey)));
        }
      } finally { await q.stop(); }
    }), { seed: 17, numRuns: 5 });
  });
});
