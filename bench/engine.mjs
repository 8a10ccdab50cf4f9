// bench/engine: a cached 1M × 20 dense vector column (160 MB): one sum-of-features pass and one
// Gram (XᵀX) pass, on `local` and `local[2]`; per-task overhead; file read throughput.
import { Session, columnSums, gramMatrix } from '../dist/index.js';
import { print, round, timeMedian, vectorTable } from './common.mjs';

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

const local = await measure('local');
const local2 = await measure('local[2]');
print({
  bench: 'engine', rows: n, features: d, partitions, megabytes: round(bytes / 1e6),
  local, 'local[2]': local2,
  speedup: { sum: round(local.sum.seconds / local2.sum.seconds), gram: round(local.gram.seconds / local2.gram.seconds) },
  targets: { sumGBps: 8, sumSpeedup: 1.7, perTaskMs: 0.2, gramGFLOPs: 3 },
});
