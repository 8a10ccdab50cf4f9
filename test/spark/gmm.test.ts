/**
 * GaussianMixture beside real Apache Spark: Spark fits and saves → Quiver loads and gives Spark's
 * predictions and probabilities; Quiver fits and saves → Spark loads and gives Quiver's; and on
 * well-separated clusters both EMs, run to a tight tol, reach the same fixed point.
 */
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { GaussianMixture, GaussianMixtureModel, VectorAssembler, type DataFrame } from '../../src/index.js';
import { gaussian, randomStream } from '../../src/linalg/random.js';
import { useSession } from '../helpers/sessions.js';
import { expectClose, measured, type Tolerance } from './data.js';
import { exchanges } from './exchange.js';
import { useSparkDriver } from './harness.js';

const { spark, scratch, fresh } = useSparkDriver();
const quiver = useSession('local[2]');
let tablePath = '';

/** 240 rows of 3 Gaussian clusters in 4 dimensions (distinct spreads and correlations), two partitions. */
function clusteredRows(): Record<string, number>[] {
  const rng = randomStream(16, 'spark-gmm-table');
  const centers = [[0, 0, 0, 0], [8, 8, -6, 2], [-7, 6, 5, -5]];
  return Array.from({ length: 240 }, (_, id) => {
    const c = centers[id % 3];
    const s = 0.6 + 0.4 * (id % 3);
    const z = [gaussian(rng), gaussian(rng), gaussian(rng), gaussian(rng)];
    return { id, x1: c[0] + s * z[0], x2: c[1] + s * (0.5 * z[0] + z[1]), x3: c[2] + s * z[2], x4: c[3] + s * (z[3] - 0.3 * z[2]) };
  });
}

beforeAll(async () => {
  tablePath = join(scratch(), 'clusters.parquet');
  const df = quiver().createDataFrame(clusteredRows(), { schema: { id: 'int', x1: 'double', x2: 'double', x3: 'double', x4: 'double' }, numPartitions: 2 });
  await df.write.mode('overwrite').parquet(tablePath);
  await spark().run(`T = table(args['path']).cache()
from pyspark.ml.clustering import GaussianMixture`, { path: tablePath });
});

async function table(): Promise<DataFrame> {
  const df = await quiver().read.parquet(tablePath);
  return new VectorAssembler({ inputCols: ['x1', 'x2', 'x3', 'x4'], outputCol: 'features' }).transform(df);
}

const { sparkSavesQuiverLoads, quiverSavesSparkLoads } = exchanges(spark, fresh, table);

// Loaded models score with the same mixture; densities go through each side's eigensolver (LAPACK
// vs ml-matrix's JAMA port), so probabilities agree to 1e-9 relative, abs floor for those near 0.
const SCORES: Tolerance = { rel: 1e-9, abs: 1e-12 };
const COLUMNS = ['prediction', 'probability'];

describe('GaussianMixture', () => {
  it('Spark fits and saves → Quiver loads; Quiver fits and saves → Spark loads; the same fixed point', async () => {
    const fromSpark = await sparkSavesQuiverLoads(
      `stage = GaussianMixture(k=3, maxIter=500, tol=1e-10).setSeed(7).fit(T)`, GaussianMixtureModel, COLUMNS, SCORES);
    const ours = await new GaussianMixture({ k: 3, maxIter: 500, tol: 1e-10, seed: 7 }).fit(await table());
    await quiverSavesSparkLoads(ours, COLUMNS, SCORES);
    // Fit parity: each EM starts from its own random sample but both reach the one fixed point of
    // these separated clusters; matched by mean, the components agree to 1e-9 (measured: ~1e-14).
    const fitTol: Tolerance = { rel: 1e-9, abs: 1e-10 };
    const match = ours.gaussians.map((g) => {
      const d = fromSpark.gaussians.map((h) => Math.hypot(...Array.from(g.mean.values, (v, t) => v - h.mean.values[t])));
      return d.indexOf(Math.min(...d));
    });
    expect(new Set(match).size).toBe(3);
    expectClose(ours.weights, match.map((j) => fromSpark.weights[j]), fitTol, 'weights');
    expectClose(ours.gaussians.flatMap((g) => Array.from(g.mean.values)), match.flatMap((j) => Array.from(fromSpark.gaussians[j].mean.values)), fitTol, 'means');
    expectClose(ours.gaussians.flatMap((g) => Array.from(g.cov.toArray())), match.flatMap((j) => Array.from(fromSpark.gaussians[j].cov.toArray())), fitTol, 'covariances');
    measured('GaussianMixture', 'fit parity (weights, means, covariances)',
      Math.max(...ours.gaussians.flatMap((g, i) => Array.from(g.cov.toArray(), (v, t) => Math.abs(v - fromSpark.gaussians[match[i]].cov.toArray()[t])))));
  });
});
