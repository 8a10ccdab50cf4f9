/**
 * Feature stages beside real Apache Spark: VectorAssembler, StandardScaler, StringIndexer,
 * OneHotEncoder and PCA. Spark saves → Quiver loads, Quiver saves → Spark loads (the same output
 * columns on the same rows), and the fits of StandardScaler, StringIndexer, OneHotEncoder and PCA.
 */
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  OneHotEncoder, OneHotEncoderModel, PCA, PCAModel, StandardScaler, StandardScalerModel, StringIndexer,
  StringIndexerModel, VectorAssembler, type DataFrame,
} from '../../src/index.js';
import { useSession } from '../helpers/sessions.js';
import { expectClose, FEATURES, readFeatureTable, maxAbsDiff, measured, writeTable, type Tolerance } from './data.js';
import { exchanges } from './exchange.js';
import { useSparkDriver } from './harness.js';

const { spark, scratch, fresh } = useSparkDriver();
const quiver = useSession('local[2]');
let tablePath = '';

beforeAll(async () => {
  tablePath = join(scratch(), 'table.parquet');
  await writeTable(quiver(), tablePath, 300, 14);
  await spark().run(`T = table(args['path']).cache()
from pyspark.ml.feature import *
from pyspark.ml.linalg import DenseMatrix
T = StringIndexer(inputCol='city', outputCol='cityIndex').fit(T).transform(T).cache()`, { path: tablePath });
});

const table = (): Promise<DataFrame> => readFeatureTable(quiver(), tablePath);

const { sparkSavesQuiverLoads, quiverSavesSparkLoads } = exchanges(spark, fresh, table);

// Feature transforms are a few double operations per value, done in the same order as Spark:
// outputs are compared exactly.
const EXACT: Tolerance = { rel: 0 };

describe('VectorAssembler', () => {
  it('Spark saves, Quiver loads: same params, same vectors', async () => {
    await sparkSavesQuiverLoads(`stage = VectorAssembler(inputCols=['x1', 'x2', 'cityIndex', 'x4'], outputCol='va', handleInvalid='keep')`,
      VectorAssembler, ['va'], EXACT);
  });
  it('Quiver saves, Spark loads', async () => {
    await quiverSavesSparkLoads(new VectorAssembler({ inputCols: ['x4', 'features', 'label'], outputCol: 'va' }), ['va'], EXACT);
  });
});

describe('StandardScaler', () => {
  for (const [withMean, withStd] of [[true, true], [false, true], [true, false]] as const) {
    it(`withMean ${withMean}, withStd ${withStd}: Spark's fit = Quiver's fit (1e-12), saved either way gives the same vectors`, async () => {
      const python = `stage = StandardScaler(inputCol='features', outputCol='scaled', withMean=${withMean ? 'True' : 'False'}, withStd=${withStd ? 'True' : 'False'}).fit(T)`;
      const fromSpark = await sparkSavesQuiverLoads(python, StandardScalerModel, ['scaled'], EXACT);
      const ours = await new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean, withStd }).fit(await table());
      // Fit parity: mean and unbiased std from the same rows, summed in another order (Spark's
      // MultivariateOnlineSummarizer merges per-partition Welford moments): 1e-12 relative.
      expectClose(ours.mean.toArray(), fromSpark.mean.toArray(), { rel: 1e-12 }, 'mean');
      expectClose(ours.std.toArray(), fromSpark.std.toArray(), { rel: 1e-12 }, 'std');
      measured('StandardScaler', `fit parity withMean ${withMean} withStd ${withStd} (mean, std)`,
        Math.max(maxAbsDiff(ours.mean.toArray(), fromSpark.mean.toArray()), maxAbsDiff(ours.std.toArray(), fromSpark.std.toArray())));
      await quiverSavesSparkLoads(ours, ['scaled'], EXACT);
    });
  }
});

describe('StringIndexer', () => {
  for (const order of ['frequencyDesc', 'frequencyAsc', 'alphabetDesc', 'alphabetAsc'] as const) {
    it(`${order}: the same labels as Spark's fit, saved either way gives the same indices`, async () => {
      const python = `stage = StringIndexer(inputCols=['city', 'x3'], outputCols=['ci', 'x3i'], stringOrderType='${order}', handleInvalid='keep').fit(T)`;
      const fromSpark = await sparkSavesQuiverLoads(python, StringIndexerModel, ['ci', 'x3i'], EXACT);
      const ours = await new StringIndexer({ inputCols: ['city', 'x3'], outputCols: ['ci', 'x3i'], stringOrderType: order, handleInvalid: 'keep' }).fit(await table());
      expect(ours.labelsArray).toEqual(fromSpark.labelsArray);
      await quiverSavesSparkLoads(ours, ['ci', 'x3i'], EXACT);
    });
  }
});

describe('OneHotEncoder', () => {
  for (const dropLast of [true, false]) {
    it(`dropLast ${dropLast}: the same category sizes as Spark's fit, saved either way gives the same vectors`, async () => {
      const python = `stage = OneHotEncoder(inputCols=['cityIndex', 'label3'], outputCols=['cityVec', 'label3Vec'], dropLast=${dropLast ? 'True' : 'False'}).fit(T)`;
      const fromSpark = await sparkSavesQuiverLoads(python, OneHotEncoderModel, ['cityVec', 'label3Vec'], EXACT);
      const ours = await new OneHotEncoder({ inputCols: ['cityIndex', 'label3'], outputCols: ['cityVec', 'label3Vec'], dropLast }).fit(await table());
      expect(ours.categorySizes).toEqual(fromSpark.categorySizes);
      await quiverSavesSparkLoads(ours, ['cityVec', 'label3Vec'], EXACT);
    });
  }
});

describe('PCA', () => {
  it('k = 3: Spark\'s components and explained variance (1e-12), saved either way gives the same projections', async () => {
    // Projections are dot products of 4 values: rounding differs from Spark's gemv by an ulp or so.
    const projection: Tolerance = { rel: 1e-12, abs: 1e-12 };
    const fromSpark = await sparkSavesQuiverLoads(`stage = PCA(k=3, inputCol='features', outputCol='pca').fit(T)`, PCAModel, ['pca'], projection);
    const ours = await new PCA({ k: 3, inputCol: 'features', outputCol: 'pca' }).fit(await table());
    expectClose(ours.explainedVariance.toArray(), fromSpark.explainedVariance.toArray(), { rel: 1e-12 }, 'explained variance');
    measured('PCA', 'fit parity explained variance', maxAbsDiff(ours.explainedVariance.toArray(), fromSpark.explainedVariance.toArray()));
    // Components to 1e-12 relative to the largest loading of each (a near-zero loading carries the
    // covariance's rounding), up to sign: a component is only defined up to sign; Spark keeps
    // whatever LAPACK's SVD returns, Quiver makes the largest loading positive on purpose
    // (src/feature/pca.ts), so a component may come out negated (here component 2 does).
    for (let j = 0; j < 3; j++) {
      const b = Array.from({ length: 4 }, (_, i) => fromSpark.pc.get(i, j));
      const raw = Array.from({ length: 4 }, (_, i) => ours.pc.get(i, j));
      const sign = Math.sign(raw.reduce((acc, v, i) => acc + v * b[i]!, 0));
      const a = raw.map((v) => sign * v);
      expectClose(a, b, { rel: 1e-12, abs: 1e-12 * Math.max(...b.map(Math.abs)) }, `component ${j}`);
      measured('PCA', `fit parity component ${j} (up to sign)`, maxAbsDiff(a, b));
    }
    await quiverSavesSparkLoads(ours, ['pca'], projection);
  });
});
