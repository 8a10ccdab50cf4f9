// The rate source: Spark's row counts (valueAtSecond, with ramp-up), its columns, and a real query
// on the wall clock whose batches cover 0, 1, 2, ... without a gap or a repeat, across a restart.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LongType, RateSource, valueAtSecond, type MemorySink, type StreamingQuery } from '../../src/index.js';
import { rateOptions } from '../../src/streaming/rate-source.js';
import { useSession } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const session = useSession('inline');
const temp = useTempDir('quiver-stream-rate-');

/** Polls (every 20 ms) until the query has committed a batch ending at `seconds` or later. */
async function untilOffset(q: StreamingQuery, seconds: number): Promise<void> {
  while ((q.lastProgress?.sources[0].endOffset ?? 0) < seconds) {
    if (!q.isActive) throw q.exception ?? new Error('the query stopped');
    await sleep(20);
  }
}

describe('the rate source', () => {
  it("counts rows as Spark's valueAtSecond, ramp-up included", () => {
    // The table in the comment of Spark's RateStreamProvider.valueAtSecond (rampUpTimeSeconds = 4, rowsPerSecond = 10).
    expect([0, 1, 2, 3, 4, 5, 6].map((s) => valueAtSecond(s, 10, 4))).toEqual([0, 2, 6, 12, 20, 30, 40]);
    expect([0, 1, 2, 3].map((s) => valueAtSecond(s, 7, 0))).toEqual([0, 7, 14, 21]);
  });

  it("reads its options as Spark names them (rampUpTime as '4s' or seconds, case-insensitive keys)", () => {
    const opts = (o: Record<string, string | number>) => rateOptions(new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v])), 2);
    expect(opts({})).toEqual({ rowsPerSecond: 1, rampUpTimeSeconds: 0, numPartitions: 2 });
    expect(opts({ RowsPerSecond: 10, rampUpTime: '4s', numPartitions: 3 })).toEqual({ rowsPerSecond: 10, rampUpTimeSeconds: 4, numPartitions: 3 });
    expect(opts({ rampUpTime: '1 minute' }).rampUpTimeSeconds).toBe(60);
    expect(() => opts({ numPartitions: -1 })).toThrow("Invalid value '-1'. The option 'numPartitions' must be positive");
    expect(() => opts({ rampUpTime: 'later' })).toThrow(/rampUpTime: cannot parse 'later'/);
  });

  it('makes timestamp and value columns; a batch holds the values of its seconds, timestamps spread over them', async () => {
    const spark = session();
    let now = 1_000_000;
    const source = new RateSource(spark, { rowsPerSecond: 10, rampUpTimeSeconds: 4, numPartitions: 3 }, () => now);
    expect(await source.latestOffset()).toBeNull(); // nothing in the first second
    now += 3200;
    expect(await source.latestOffset()).toBe(3);
    const { df, rows } = await source.getBatch(null, 3);
    expect(df.schema.fields.map((f) => [f.name, f.type])).toEqual([['timestamp', LongType], ['value', LongType]]);
    expect(df.numPartitions()).toBe(3);
    expect(rows).toBe(12);
    const got = await df.collect<{ timestamp: number; value: number }>();
    expect(got.map((r) => r.value)).toEqual([...Array(12).keys()]);
    expect(got.map((r) => r.timestamp)).toEqual([...Array(12).keys()].map((i) => 1_000_000 + i * 250)); // 3000 ms over 12 rows
    const next = await source.getBatch(3, 5); // seconds 4 and 5: values 12..29, 2000 ms over 18 rows
    expect((await next.df.collect<{ value: number }>()).map((r) => r.value)).toEqual([...Array(18).keys()].map((i) => 12 + i));
  });

  it('a query over the wall clock: contiguous values, and a restart continues the sequence from its checkpoint', async () => {
    const spark = session();
    const ckpt = temp.fresh('ckpt');
    const rate = spark.readStream.format('rate').option('rowsPerSecond', 25).option('numPartitions', 2).load();
    expect(rate.isStreaming).toBe(true);
    const start = () => rate.writeStream.format('memory').queryName('rate').trigger({ processingTime: '100 milliseconds' })
      .option('checkpointLocation', ckpt).start();
    const q1 = await start();
    await untilOffset(q1, 1);
    await q1.stop();
    const q2 = await start();
    const firstEnd = q1.lastProgress!.sources[0].endOffset!;
    await untilOffset(q2, firstEnd + 1);
    await q2.stop();
    expect(q2.recentProgress[0].sources[0].startOffset).toBe(firstEnd);
    const progress = [...q1.recentProgress, ...q2.recentProgress];
    for (const p of progress) {
      const { startOffset, endOffset } = p.sources[0];
      expect(p.numInputRows).toBe(25 * (endOffset! - (startOffset ?? 0)));
    }
    const values = (q2.sink as MemorySink).rows().map((r) => r.value as number).sort((a, b) => a - b);
    const last = progress[progress.length - 1].sources[0].endOffset!;
    expect(values).toEqual([...Array(valueAtSecond(last, 25, 0)).keys()]); // the same memory table across the restart
    expect(fs.readFileSync(path.join(ckpt, 'sources', '0', '0'), 'utf8')).toMatch(/^v1\n\d+$/);
  });
});
