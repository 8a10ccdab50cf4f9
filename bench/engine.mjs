// bench/engine: a cached 1M × 20 dense vector column (160 MB): one sum-of-features pass and one
// Gram (XᵀX) pass, on `local` and `local[2]`; per-task overhead; file read throughput.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeData, RecordBatch, Schema, Field, Float64, Struct, Table } from 'apache-arrow';
import { Session, columnSums, gramMatrix } from '../dist/index.js';
import { print, randomDoubles, round, timeMedian, vectorTable } from './common.mjs';

const n = Number(process.env.ROWS ?? 1_000_000), d = 20, partitions = 8;
const bytes = n * d * 8;
const table = vectorTable(n, d);

async function measure(master) {
  const spark = Session.builder().master(master).create();
  try {
    const df = spark.createDataFrame(table, { numPartitions: partitions }).cache();
    await df.count(); // materialise the cache
    const sum = await timeMedian(() => columnSums(df, 'features'), 7);
    const gram = await timeMedian(() => gramMatrix(df, 'features'), 5);
    // Per-task overhead: a no-op count over many one-row partitions, amortised over the tasks.
    const tiny = spark.createDataFrame(Array.from({ length: 400 }, (_, i) => ({ x: i })), { numPartitions: 400 }).cache();
    await tiny.count();
    const tasks = await timeMedian(() => tiny.count(), 5);
    return {
      master, threads: spark.engine.parallelism,
      sum: { seconds: round(sum.seconds), GBps: round(bytes / sum.seconds / 1e9) },
      gram: { seconds: round(gram.seconds), GFLOPs: round((n * d * (d + 1)) / gram.seconds / 1e9) },
      perTaskMs: round((tasks.seconds * 1000) / 400),
    };
  } finally {
    await spark.stop();
  }
}

/** Read throughput of n × d double columns written as CSV and Parquet part files (4 parts). */
async function fileReads() {
  const cols = Array.from({ length: d }, (_, j) => randomDoubles(n, 100 + j));
  const fields = cols.map((_, j) => new Field(`x${j}`, new Float64(), false));
  const schema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length: n, children: cols.map((c) => makeData({ type: new Float64(), length: n, data: c })) });
  const dir = mkdtempSync(join(tmpdir(), 'quiver-bench-'));
  const spark = Session.builder().master('local[2]').create();
  try {
    const df = spark.createDataFrame(new Table(new RecordBatch(schema, data)), { numPartitions: 4 });
    await df.write.mode('overwrite').option('header', true).csv(join(dir, 'csv'));
    await df.write.mode('overwrite').parquet(join(dir, 'parquet'));
    const size = (p) => readdirSync(p).reduce((s, f) => s + statSync(join(p, f)).size, 0);
    const ddl = cols.map((_, j) => `x${j} double`).join(', ');
    const csv = await timeMedian(async () => (await spark.read.option('header', true).schema(ddl).csv(join(dir, 'csv'))).count(), 3);
    const pq = await timeMedian(async () => (await spark.read.parquet(join(dir, 'parquet'))).count(), 3);
    const rate = (t, bytes) => ({ seconds: round(t.seconds), MBps: round(bytes / t.seconds / 1e6), rowsPerSecond: round(n / t.seconds) });
    return { master: 'local[2]', csv: { megabytes: round(size(join(dir, 'csv')) / 1e6), ...rate(csv, size(join(dir, 'csv'))) },
      parquetSnappy: { megabytes: round(size(join(dir, 'parquet')) / 1e6), ...rate(pq, size(join(dir, 'parquet'))) } };
  } finally {
    await spark.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const local = await measure('local');
const local2 = await measure('local[2]');
const reads = await fileReads();
print({
  bench: 'engine', rows: n, features: d, partitions, megabytes: round(bytes / 1e6),
  local, 'local[2]': local2,
  fileReads: reads,
  speedup: { sum: round(local.sum.seconds / local2.sum.seconds), gram: round(local.gram.seconds / local2.gram.seconds) },
  targets: { sumGBps: 8, sumSpeedup: 1.7, perTaskMs: 0.2, gramGFLOPs: 3 },
});
