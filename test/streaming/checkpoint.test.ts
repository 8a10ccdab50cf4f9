// Checkpoints: Spark's offsets/commits/metadata layout, batch ids, restarts between batches and
// after a batch that failed mid-way (its offsets logged, no commit), the state of an aggregation
// restored from the checkpoint, and a checkpoint of another query refused.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { functions as F, MemoryStream, StreamingQueryException, IntegerType, StructType, type DataFrame, type Row } from '../../src/index.js';
import { useSession } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { batchReference, schema, sorted } from './helpers.js';

const session = useSession('inline');
const temp = useTempDir('quiver-stream-ckpt-');

const batches: Row[][] = [
  [{ k: 'a', v: 1 }, { k: 'b', v: 2 }],
  [{ k: 'a', v: 10 }, { k: 'c', v: 3 }],
  [{ k: 'b', v: 5 }, { k: null, v: 1 }],
  [{ k: 'a', v: 100 }],
];

/** A MemoryStream holding `upTo` of the batches (what a restarted program re-creates). */
function streamWith(upTo: number): MemoryStream {
  const s = new MemoryStream(session(), schema);
  for (const b of batches.slice(0, upTo)) s.addData(b);
  return s;
}

const read = (file: string): string => fs.readFileSync(file, 'utf8');

describe('the checkpoint directory', () => {
  it("holds Spark's metadata, offsets and commits files; foreachBatch sees batch ids 0, 1, 2", async () => {
    const spark = session();
    const dir = temp.fresh('ckpt');
    const stream = new MemoryStream(spark, schema);
    const seen: { id: number; rows: Row[] }[] = [];
    const streaming: boolean[] = [];
    const q = await stream.toDF().writeStream.foreachBatch(async (df, id) => { streaming.push(df.isStreaming); seen.push({ id, rows: await df.collect() }); })
      .option('checkpointLocation', dir).start();
    for (const b of batches.slice(0, 3)) { stream.addData(b); await q.processAllAvailable(); }
    await q.stop();
    expect(seen.map((s) => s.id)).toEqual([0, 1, 2]);
    expect(streaming).toEqual([false, false, false]); // each batch is an ordinary DataFrame
    expect(seen.map((s) => sorted(s.rows))).toEqual(batches.slice(0, 3).map(sorted));
    expect(JSON.parse(read(path.join(dir, 'metadata')))).toMatchObject({ id: q.id });
    const offsets = read(path.join(dir, 'offsets', '2')).split('\n');
    expect(offsets[0]).toBe('v1');
    expect(JSON.parse(offsets[1])).toMatchObject({ batchWatermarkMs: 0, conf: {} });
    expect(offsets.slice(2)).toEqual(['2']); // MemoryStream's offset: the index of the last addData
    expect(read(path.join(dir, 'commits', '2'))).toBe('v1\n{"nextBatchWatermarkMs":0}');
    expect(fs.readdirSync(path.join(dir, 'commits')).sort()).toEqual(['0', '1', '2']);
  });

  it('a query stopped between batches restarts from its checkpoint: same id, new run id, no batch twice', async () => {
    const spark = session();
    const dir = temp.fresh('ckpt');
    const got = new Map<number, Row[]>();
    const sink = async (df: DataFrame, id: number): Promise<void> => { got.set(id, await df.collect()); };
    const first = streamWith(2);
    const q1 = await first.toDF().writeStream.foreachBatch(sink).option('checkpointLocation', dir).start();
    await q1.processAllAvailable();
    await q1.stop();
    expect([...got.keys()]).toEqual([0]); // both addData calls were available at once: one batch

    const second = streamWith(4); // the restarted program has the same data, and more
    const q2 = await second.toDF().writeStream.foreachBatch(sink).option('checkpointLocation', dir).start();
    await q2.processAllAvailable();
    await q2.stop();
    expect(q2.id).toBe(q1.id);
    expect(q2.runId).not.toBe(q1.runId);
    expect([...got.keys()]).toEqual([0, 1]);
    expect(q2.lastProgress?.sources[0]).toMatchObject({ startOffset: 1, endOffset: 3, numInputRows: 3 });
    expect(sorted([...got.values()].flat())).toEqual(sorted(batches.flat()));
  });

  it('a batch that fails mid-way is replayed with the same offsets after a restart', async () => {
    const spark = session();
    const dir = temp.fresh('ckpt');
    const attempts: { id: number; rows: string[] }[] = [];
    const output = new Map<number, Row[]>(); // keyed by batch id: a replay overwrites, as foreachBatch users are told to do
    let failOnce = true;
    const sink = async (df: DataFrame, id: number): Promise<void> => {
      const rows = await df.collect();
      attempts.push({ id, rows: sorted(rows) });
      if (id === 1 && failOnce) { failOnce = false; throw new Error('sink went away'); }
      output.set(id, rows);
    };
    const stream = streamWith(1);
    const q1 = await stream.toDF().writeStream.foreachBatch(sink).option('checkpointLocation', dir).start();
    await q1.processAllAvailable();
    stream.addData(batches[1]);
    await expect(q1.processAllAvailable()).rejects.toThrow(StreamingQueryException);
    await expect(q1.awaitTermination()).rejects.toThrow(/terminated with exception: sink went away/);
    expect(q1.isActive).toBe(false);
    expect(q1.exception?.message).toMatch(/sink went away/);
    expect(fs.existsSync(path.join(dir, 'offsets', '1'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'commits', '1'))).toBe(false);

    const restarted = streamWith(3); // by now a third batch has arrived too
    const q2 = await restarted.toDF().writeStream.foreachBatch(sink).option('checkpointLocation', dir).start();
    await q2.processAllAvailable();
    await q2.stop();
    expect(attempts.map((a) => a.id)).toEqual([0, 1, 1, 2]);
    expect(attempts[2].rows).toEqual(attempts[1].rows); // the same offsets, so the same rows: batch 1 alone
    expect(attempts[2].rows).toEqual(sorted(batches[1]));
    expect(sorted([...output.values()].flat())).toEqual(sorted(batches.slice(0, 3).flat()));
  });

  it('the aggregation state is restored from the checkpoint; a failed batch does not count twice', async () => {
    const spark = session();
    const dir = temp.fresh('ckpt');
    const agg = (df: DataFrame): DataFrame => df.groupBy('k').agg(F.sum('v').alias('s'), F.count().alias('n'), F.avg('v').alias('m'));
    const results = new Map<number, Row[]>();
    let failOnce = true;
    const sink = async (df: DataFrame, id: number): Promise<void> => {
      const rows = await df.collect(); // the state of this batch is already saved when the sink runs
      if (id === 2 && failOnce) { failOnce = false; throw new Error('crash after the state was written'); }
      results.set(id, rows);
    };
    const stream = streamWith(1);
    const start = (s: MemoryStream) => agg(s.toDF()).writeStream.outputMode('complete').foreachBatch(sink).option('checkpointLocation', dir).start();
    const q1 = await start(stream);
    await q1.processAllAvailable();
    stream.addData(batches[1]);
    await q1.processAllAvailable();
    await q1.stop(); // stopped between batches: state/1 is the newest state
    const s2 = streamWith(3);
    const q2 = await start(s2);
    await expect(q2.processAllAvailable()).rejects.toThrow(/crash after the state was written/);
    expect(fs.existsSync(path.join(dir, 'state', '2'))).toBe(true);

    const s3 = streamWith(4);
    const q3 = await start(s3);
    await q3.processAllAvailable();
    await q3.stop();
    expect(fs.readdirSync(path.join(dir, 'state')).sort()).toEqual(['1', '2', '3']); // older versions are deleted
    // Batch 2 is replayed with its logged offsets (the third addData only), then batch 3 takes the fourth.
    expect([...results.keys()]).toEqual([0, 1, 2, 3]);
    for (const [id, upTo] of [[0, 1], [1, 2], [2, 3], [3, 4]] as const) {
      expect(sorted(results.get(id)!)).toEqual(sorted(await batchReference(spark, batches.slice(0, upTo).flat(), agg)));
    }
  });

  it('a restarted MemoryStream behind the committed offset brings nothing new: no batch, no offsets written', async () => {
    const dir = temp.fresh('ckpt');
    const ids: number[] = [];
    const sink = (_: DataFrame, id: number): void => { ids.push(id); };
    const q1 = await streamWith(3).toDF().writeStream.foreachBatch(sink).option('checkpointLocation', dir).start();
    await q1.processAllAvailable();
    await q1.stop();
    const q2 = await streamWith(1).toDF().writeStream.foreachBatch(sink).option('checkpointLocation', dir).start();
    await q2.processAllAvailable();
    await q2.stop();
    expect(ids).toEqual([0]);
    expect(fs.readdirSync(path.join(dir, 'offsets'))).toEqual(['0']);
  });

  it("refuses a checkpoint directory written by a different query, naming both", async () => {
    const spark = session();
    const dir = temp.fresh('ckpt');
    const q1 = await streamWith(1).toDF().writeStream.foreachBatch(() => undefined).option('checkpointLocation', dir).start();
    await q1.processAllAvailable();
    await q1.stop();
    const other = new MemoryStream(spark, new StructType([{ name: 'id', type: IntegerType, nullable: true }]));
    await expect(other.toDF().writeStream.foreachBatch(() => undefined).option('checkpointLocation', dir).start())
      .rejects.toThrow(/belongs to another query \(id [0-9a-f-]+\), which read \[memory\[k:string,v:int\]\].*this query reads \[memory\[id:int\]\]/);
    // Same source, other output (an aggregation in complete mode): refused too.
    await expect(streamWith(1).toDF().groupBy('k').count().writeStream.outputMode('complete').foreachBatch(() => undefined)
      .option('checkpointLocation', dir).start()).rejects.toThrow(/belongs to another query/);
    expect(spark.streams.active).toEqual([]);
  });
});
