// The file sinks (parquet, json, csv): Spark's _spark_metadata sink log, exactly-once output across
// a restart (a batch in the log is not written again; parts no log entry names are removed), and
// the output read back equal to the batch result over every row.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { col, MemoryStream, readSinkLog, fileSystemFor, type DataFrame, type Row } from '../../src/index.js';
import { useSession } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { batchReference, schema, sorted } from './helpers.js';

const session = useSession('inline');
const temp = useTempDir('quiver-stream-files-');

const batches: Row[][] = [
  [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'c', v: -3 }],
  [{ k: 'a', v: 4 }, { k: null, v: 5 }],
  [{ k: 'd', v: 6 }],
];
const build = (df: DataFrame): DataFrame => df.filter(col('v').gt(0)).withColumn('w', col('v').times(10));

function streamWith(upTo: number): MemoryStream {
  const s = new MemoryStream(session(), schema);
  for (const b of batches.slice(0, upTo)) s.addData(b);
  return s;
}

const partFiles = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.startsWith('part-')).sort();

describe('file sinks', () => {
  it('parquet: one log entry per batch naming its part files, and the output equals the batch result', async () => {
    const spark = session();
    const out = temp.fresh('out'), ckpt = temp.fresh('ckpt');
    const stream = streamWith(0);
    const q = await build(stream.toDF()).writeStream.format('parquet').option('checkpointLocation', ckpt).start(out);
    for (const b of batches) { stream.addData(b); await q.processAllAvailable(); }
    await q.stop();
    const log = await readSinkLog(fileSystemFor(out), out);
    expect([...log.keys()]).toEqual([0, 1, 2]);
    const logged = [...log.values()].flat();
    for (const f of logged) {
      expect(f).toMatchObject({ isDir: false, action: 'add', blockReplication: 1 });
      expect(fs.statSync(f.path).size).toBe(f.size);
    }
    expect(logged.map((f) => path.basename(f.path)).sort()).toEqual(partFiles(out));
    expect(fs.readFileSync(path.join(out, '_spark_metadata', '0'), 'utf8').split('\n')[0]).toBe('v1');
    expect(sorted(await (await spark.read.parquet(out)).collect())).toEqual(sorted(await batchReference(spark, batches.flat(), build)));
    expect(q.recentProgress.map((p) => p.sink.numOutputRows)).toEqual([2, 2, 1]);
  });

  it('exactly once across a restart: a replayed batch already in the log is skipped, stray parts are removed', async () => {
    const spark = session();
    const out = temp.fresh('out'), ckpt = temp.fresh('ckpt');
    const q1 = await build(streamWith(2).toDF()).writeStream.format('json').option('checkpointLocation', ckpt).start(out);
    await q1.processAllAvailable();
    await q1.stop();
    // Simulate a crash after the sink wrote batch 0 and before its commit: drop the commit, leave a stray part.
    fs.rmSync(path.join(ckpt, 'commits', '0'));
    fs.writeFileSync(path.join(out, 'part-00009-stray-c000.json'), '{"k":"zz","v":99,"w":990}\n');
    fs.mkdirSync(path.join(out, '_temporary-1-dead'));
    fs.writeFileSync(path.join(out, '_temporary-1-dead', 'part-00000-x.json'), '{"k":"zz"}\n');
    const q2 = await build(streamWith(3).toDF()).writeStream.format('json').option('checkpointLocation', ckpt).start(out);
    await q2.processAllAvailable();
    await q2.stop();
    expect(q2.recentProgress.map((p) => [p.batchId, p.sink.numOutputRows])).toEqual([[0, 0], [1, 1]]); // 0 replayed, skipped by the sink
    expect(fs.existsSync(path.join(out, 'part-00009-stray-c000.json'))).toBe(false);
    expect(fs.existsSync(path.join(out, '_temporary-1-dead'))).toBe(false);
    const back = await spark.read.schema('k STRING, v INT, w INT').json(out);
    expect(sorted(await back.collect())).toEqual(sorted(await batchReference(spark, batches.flat(), build)));
  });

  it('csv with a header option', async () => {
    const spark = session();
    const out = temp.fresh('out'), ckpt = temp.fresh('ckpt');
    const q = await build(streamWith(3).toDF()).writeStream.format('csv').option('header', true).option('checkpointLocation', ckpt)
      .trigger({ availableNow: true }).start(out);
    expect(await q.awaitTermination()).toBe(true); // availableNow: everything there at start, then stop
    const back = await spark.read.schema('k STRING, v INT, w INT').option('header', true).csv(out);
    expect(sorted(await back.collect())).toEqual(sorted(await batchReference(spark, batches.flat(), build)));
  });

  it('refuses complete mode, a missing path and a missing checkpointLocation at start()', async () => {
    const df = streamWith(1).toDF();
    const ckpt = temp.fresh('ckpt');
    await expect(df.groupBy('k').count().writeStream.format('parquet').outputMode('complete').option('checkpointLocation', ckpt).start(temp.fresh('o')))
      .rejects.toThrow('Data source parquet does not support Complete output mode.');
    await expect(df.writeStream.format('parquet').option('checkpointLocation', temp.fresh('c')).start()).rejects.toThrow(/'path' is not specified/);
    await expect(df.writeStream.format('parquet').start(temp.fresh('o'))).rejects.toThrow(/checkpointLocation must be specified/);
  });
});
