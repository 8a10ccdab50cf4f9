/**
 * Spark 4's KMeans params beyond Spark 3.3's: solver and maxBlockSizeInMB (Spark picks a per-row or
 * a blocked Lloyd step with them). The metadata below is what PySpark 4.1.4 wrote for
 * `KMeans(k=2).fit(df)` (its seed default, PySpark's 64-bit hash, included); Quiver must load it
 * and write the two params back with Spark's values.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KMeans, KMeansModel, Vectors, load } from '../../src/index.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'quiver-kmeans-spark-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const SPARK_4_METADATA = '{"class":"org.apache.spark.ml.clustering.KMeansModel","timestamp":1796654280635,"sparkVersion":"4.1.4","uid":"KMeans_644e7d14ce3d","paramMap":{"k":2},'
  + '"defaultParamMap":{"distanceMeasure":"euclidean","featuresCol":"features","initMode":"k-means||","initSteps":2,"k":2,"maxBlockSizeInMB":0.0,"maxIter":20,"predictionCol":"prediction","seed":-28373431172679870,"solver":"auto","tol":1.0E-4}}';

describe('KMeans: Spark 4 params', () => {
  it('has solver and maxBlockSizeInMB with Spark\'s defaults and validators', () => {
    const km = new KMeans();
    expect(km.getSolver()).toBe('auto');
    expect(km.getMaxBlockSizeInMB()).toBe(0);
    expect(() => km.setSolver('bogus' as never)).toThrow(/solver/);
    expect(() => km.setMaxBlockSizeInMB(-1)).toThrow(/maxBlockSizeInMB/);
    expect(new KMeans({ solver: 'block', maxBlockSizeInMB: 1 }).getSolver()).toBe('block');
  });

  it('loads the KMeansModel PySpark 4.1.4 saved and writes the params back as Spark did', async () => {
    const path = join(dir, 'spark');
    // data/ in Spark's layout (Quiver's writer), metadata as Spark wrote it.
    await new KMeansModel([Vectors.dense([0, 1]), Vectors.dense([10, 11])]).save(path);
    await writeFile(join(path, 'metadata', 'part-00000'), `${SPARK_4_METADATA}\n`);
    const model = await load<KMeansModel>(path);
    expect(model).toBeInstanceOf(KMeansModel);
    expect(model.getSolver()).toBe('auto');
    expect(model.getSeed()).toBe(-28373431172679870n);
    expect(model.predict(Vectors.dense([9, 9]))).toBe(1);
    await model.save(join(dir, 'again'));
    const again = JSON.parse(await readFile(join(dir, 'again', 'metadata', 'part-00000'), 'utf8').then((t) => t.replace('-28373431172679870', '0')));
    expect(again.defaultParamMap).toMatchObject({ solver: 'auto', maxBlockSizeInMB: 0 });
    expect(await readFile(join(dir, 'again', 'metadata', 'part-00000'), 'utf8')).toContain('"maxBlockSizeInMB":0.0');
  });
});
