// A query's life: spark.streams, triggers (once, processingTime), awaitTermination with a timeout,
// status and progress fields, the console sink, and spark.stop() stopping what runs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { col, MemoryStream, Session } from '../../src/index.js';
import { useSession } from '../helpers/sessions.js';
import { schema } from './helpers.js';

const session = useSession('inline');
afterEach(() => { vi.restoreAllMocks(); });

describe('a streaming query', () => {
  it('is listed in spark.streams while active; awaitTermination(timeout) says false until it stops', async () => {
    const spark = session();
    const stream = new MemoryStream(spark, schema);
    const q = await stream.toDF().writeStream.format('memory').queryName('life').trigger({ processingTime: '50 milliseconds' }).start();
    expect(spark.streams.active).toEqual([q]);
    expect(spark.streams.get('life')).toBe(q);
    expect(spark.streams.get(q.id)).toBe(q);
    expect(q.isActive).toBe(true);
    expect(await q.awaitTermination(30)).toBe(false);
    stream.addData([{ k: 'a', v: 1 }]);
    await q.processAllAvailable();
    expect(q.status).toMatchObject({ isTriggerActive: false });
    const p = q.lastProgress!;
    expect(Object.keys(p.durationMs).sort()).toEqual(['addBatch', 'commitOffsets', 'getBatch', 'latestOffset', 'queryPlanning', 'triggerExecution', 'walCommit']);
    expect(p.durationMs.triggerExecution).toBeGreaterThanOrEqual(p.durationMs.addBatch);
    expect(p).toMatchObject({ id: q.id, runId: q.runId, batchId: 0, numInputRows: 1, sink: { description: 'MemorySink[life]', numOutputRows: 1 } });
    expect(p.processedRowsPerSecond).toBeGreaterThan(0);
    expect(Number.isNaN(p.inputRowsPerSecond)).toBe(true); // no earlier trigger to measure from
    await q.stop();
    expect(await q.awaitTermination()).toBe(true);
    expect(q.status.message).toBe('Stopped');
    expect(spark.streams.active).toEqual([]);
    expect(spark.streams.get('life')).toBeNull();
    expect(await spark.streams.table('life').collect()).toEqual([{ k: 'a', v: 1 }]); // the table stays after the query
  });

  it('a new query with the name of an old memory table starts a new table', async () => {
    const spark = session();
    const first = new MemoryStream(spark, schema);
    first.addData([{ k: 'old', v: 1 }]);
    const q1 = await first.toDF().writeStream.format('memory').queryName('reused').trigger({ availableNow: true }).start();
    await q1.awaitTermination();
    const second = new MemoryStream(spark, schema);
    second.addData([{ k: 'new', v: 2 }]);
    const q2 = await second.toDF().writeStream.format('memory').queryName('reused').trigger({ availableNow: true }).start();
    await q2.awaitTermination();
    expect(await spark.streams.table('reused').collect()).toEqual([{ k: 'new', v: 2 }]); // batch 0 of q2 is not mistaken for q1's
  });

  it('once: one batch of what is there, then the query ends by itself', async () => {
    const spark = session();
    const stream = new MemoryStream(spark, schema);
    stream.addData([{ k: 'a', v: 1 }]);
    stream.addData([{ k: 'b', v: 2 }]);
    const q = await stream.toDF().select(col('v').plus(1).alias('w')).writeStream.format('memory').queryName('once').trigger({ once: true }).start();
    expect(await q.awaitTermination()).toBe(true);
    expect(q.recentProgress.map((p) => [p.batchId, p.numInputRows])).toEqual([[0, 2]]);
    expect(await spark.streams.table('once').collect()).toEqual([{ w: 2 }, { w: 3 }]);
    await q.processAllAvailable(); // a stopped query: returns at once
  });

  it("spark.readStream.format('memory') reads a MemoryStream by its name", async () => {
    const spark = session();
    const stream = new MemoryStream(spark, schema, { name: 'clicks' });
    const df = spark.readStream.format('memory').option('name', 'clicks').load();
    expect(df.isStreaming).toBe(true);
    stream.addData([{ k: 'z', v: 26 }]);
    const q = await df.writeStream.format('memory').queryName('clicks-out').trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(await spark.streams.table('clicks-out').collect()).toEqual([{ k: 'z', v: 26 }]);
    expect(() => spark.readStream.format('memory').option('name', 'nope').load()).toThrow(/no MemoryStream named 'nope'/);
  });

  it("the console sink prints each batch under Spark's banner", async () => {
    const spark = session();
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; });
    const stream = new MemoryStream(spark, schema);
    stream.addData([{ k: 'x', v: 7 }]);
    const q = await stream.toDF().writeStream.format('console').trigger({ availableNow: true }).start();
    await q.awaitTermination();
    vi.restoreAllMocks();
    const text = out.join('');
    expect(text).toContain('-------------------------------------------\nBatch: 0\n-------------------------------------------\n');
    expect(text).toContain('|  k|  v|');
    expect(text).toContain('|  x|  7|');
  });

  it('spark.stop() stops the queries of the session first', async () => {
    const spark = Session.builder().master('inline').create();
    const stream = new MemoryStream(spark, schema);
    const q = await stream.toDF().writeStream.format('memory').queryName('bye').start();
    await spark.stop();
    expect(q.isActive).toBe(false);
    expect(q.exception).toBeNull();
  });
});
