// bench/spill: an iterative fit over a MEMORY_AND_DISK frame under quiver.memory.limit. K-Means
// (k = 5, 10 Lloyd iterations after k-means|| init, tol 0) on ROWS × 20 doubles (2.4M rows: 384 MB
// of features) in 16 partitions on local[2], without a limit and with a limit of half the data.
// Every pass scans every partition in order; a pure LRU store misses on every block of every pass
// (each pass evicts what the next one reads first). Reports seconds (median of runs), bytes read
// back from spill files during the fit, and the ratio to the unlimited time (target: within 3×).
// The two fits must give the same model.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, KMeans, StorageLevel } from '../dist/index.js';
import { print, round, vectorTable } from './common.mjs';

const n = Number(process.env.ROWS ?? 2_400_000), d = 20, partitions = Number(process.env.PARTITIONS ?? 16);
const runs = Number(process.env.RUNS ?? 3);
const bytes = n * d * 8;
const table = vectorTable(n, d, 7);

async function measure(limit) {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-bench-spill-'));
  let b = Session.builder().master('local[2]').config('quiver.local.dir', dir);
  if (limit) b = b.config('quiver.memory.limit', String(limit));
  const spark = b.create();
  try {
    const df = spark.createDataFrame(table, { numPartitions: partitions }).persist(StorageLevel.MEMORY_AND_DISK);
    await df.count(); // materialise the cache
    const stats = spark.engine.blocks.stats;
    const times = [], readBack = [];
    let model;
    for (let r = 0; r < runs; r++) {
      const before = stats.readBackBytes;
      const t0 = performance.now();
      model = await new KMeans({ k: 5, maxIter: 10, tol: 0, seed: 11 }).fit(df);
      times.push((performance.now() - t0) / 1000);
      readBack.push(stats.readBackBytes - before);
    }
    const order = times.map((t, i) => i).sort((a, b) => times[a] - times[b]);
    const mid = order[Math.floor(runs / 2)];
    return {
      limitMegabytes: limit ? round(limit / 1e6) : null,
      seconds: round(times[mid]), allSeconds: times.map((t) => round(t)),
      readBackMegabytes: round(readBack[mid] / 1e6), spilledMegabytes: round(stats.spilledBytes / 1e6),
      iterations: model.summary.numIter, cost: model.summary.trainingCost, centers: Array.from(model.clusterCenters(), (c) => Array.from(c.toArray())),
    };
  } finally {
    await spark.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const unlimited = await measure(0);
const limited = await measure(Math.floor(bytes / 2));
const sameModel = JSON.stringify(unlimited.centers) === JSON.stringify(limited.centers) && unlimited.cost === limited.cost;
const strip = ({ centers, ...rest }) => rest;
print({
  bench: 'spill', rows: n, features: d, partitions, threads: 2, megabytes: round(bytes / 1e6),
  unlimited: strip(unlimited), halfLimit: strip(limited), sameModel,
  ratio: round(limited.seconds / unlimited.seconds),
  targets: { ratio: 3 },
});
if (!sameModel) { console.error('spill: the model under a memory limit differs from the unlimited one'); process.exit(1); }
