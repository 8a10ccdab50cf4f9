/**
 * BisectingKMeans beside real Apache Spark: Spark fits and saves → Quiver loads and predicts as
 * Spark (and has Spark's training cost); Quiver fits and saves → Spark loads it with Quiver's centers and predicts as Quiver.
 * (No fit parity: each side draws its own split noise, so trees may differ.)
 */
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { BisectingKMeans, BisectingKMeansModel, VectorAssembler, type DataFrame } from '../../src/index.js';
import { gaussian, randomStream } from '../../src/linalg/random.js';
import { useSession } from '../helpers/sessions.js';
import type { Tolerance } from './data.js';
import { exchanges } from './exchange.js';
import { useSparkDriver } from './harness.js';

const { spark, scratch, fresh } = useSparkDriver();
const quiver = useSession('local[2]');
let tablePath = '';

/** 200 rows around 5 centers in 4 dimensions, two partitions. */
function clusteredRows(): Record<string, number>[] {
  const rng = randomStream(16, 'spark-bisecting-table');
  const centers = Array.from({ length: 5 }, () => Array.from({ length: 4 }, () => 20 * rng() - 10));
  return Array.from({ length: 200 }, (_, id) => {
    const c = centers[id % 5];
    return { id, x1: c[0] + gaussian(rng), x2: c[1] + gaussian(rng), x3: c[2] + gaussian(rng), x4: c[3] + gaussian(rng) };
  });
}

beforeAll(async () => {
  tablePath = join(scratch(), 'bisecting.parquet');
  const df = quiver().createDataFrame(clusteredRows(), { schema: { id: 'int', x1: 'double', x2: 'double', x3: 'double', x4: 'double' }, numPartitions: 2 });
  await df.write.mode('overwrite').parquet(tablePath);
  await spark().run(`T = table(args['path']).cache()
from pyspark.ml.clustering import BisectingKMeans`, { path: tablePath });
});

async function table(): Promise<DataFrame> {
  const df = await quiver().read.parquet(tablePath);
  return new VectorAssembler({ inputCols: ['x1', 'x2', 'x3', 'x4'], outputCol: 'features' }).transform(df);
}

const { sparkSavesQuiverLoads, quiverSavesSparkLoads } = exchanges(spark, fresh, table);
const EXACT: Tolerance = { rel: 0 };

describe('BisectingKMeans', () => {
  it('euclidean: Spark saves → Quiver loads; Quiver saves → Spark loads', async () => {
    const fromSpark = await sparkSavesQuiverLoads(`stage = BisectingKMeans(k=4).setSeed(7).fit(T)`, BisectingKMeansModel, ['prediction'], EXACT);
    const sparkCost = await spark().run<number>(`result = stage.summary.trainingCost`);
    expect(Math.abs(fromSpark.trainingCost - sparkCost)).toBeLessThanOrEqual(1e-12 * sparkCost);
    const ours = await new BisectingKMeans({ k: 4, seed: 7 }).fit(await table());
    await quiverSavesSparkLoads(ours, ['prediction'], EXACT);
    const loadedCenters = await spark().run<number[][]>(`result = [[float(v) for v in c] for c in loaded.clusterCenters()]`);
    expect(loadedCenters).toEqual(ours.clusterCenters().map((c) => Array.from(c.values)));
  });

  it('cosine: Spark saves → Quiver loads; Quiver saves → Spark loads', async () => {
    await sparkSavesQuiverLoads(`stage = BisectingKMeans(k=3, distanceMeasure='cosine').setSeed(7).fit(T)`, BisectingKMeansModel, ['prediction'], EXACT);
    const ours = await new BisectingKMeans({ k: 3, seed: 7, distanceMeasure: 'cosine' }).fit(await table());
    await quiverSavesSparkLoads(ours, ['prediction'], EXACT);
  });
});
