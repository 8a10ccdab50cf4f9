// Save -> load for KMeans and ALS, in Spark's layouts: KMeansModel data/ (clusterIdx, clusterCenter);
// ALSModel metadata "rank", userFactors/ and itemFactors/ (id: int, features: array<float>).
import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Vectors, type DenseVector } from '../../src/linalg/vectors.js';
import { KMeans, KMeansModel } from '../../src/clustering/index.js';
import { ALS, ALSModel } from '../../src/recommendation/index.js';
import { fileSystemFor, load, readDataDir } from '../../src/persistence/index.js';
import { useSession } from '../helpers/sessions.js';
import { expectSameParams } from '../helpers/params.js';
import { useTempDir } from '../helpers/temp-dir.js';

const spark = useSession('local[2]');
const { fresh } = useTempDir('quiver-cluster-rec-');
const freshPath = () => fresh('stage');

const schemaOf = async (path: string, dir: string) =>
  (await readDataDir(fileSystemFor(path), path, dir)).schema.fields.map((f) => `${f.name}: ${String(f.type)}`);

describe('KMeans persistence', () => {
  it('saves Spark\'s layout and loads a model that predicts identically', async () => {
    const points = Array.from({ length: 60 }, (_, i) => [i % 3 * 10 + (i % 7) / 10, (i % 5) / 3]);
    const df = spark().createDataFrame(points.map((p) => ({ features: Vectors.dense(p) })));
    const model = await new KMeans({ k: 3, seed: 5, predictionCol: 'cluster' }).fit(df);
    const path = freshPath();
    await model.save(path);
    const meta = JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8'));
    expect(meta.class).toBe('org.apache.spark.ml.clustering.KMeansModel');
    expect(await schemaOf(path, 'data')).toEqual(['clusterIdx: Int32', expect.stringMatching(/^clusterCenter: Struct/)]);
    const loaded = await KMeansModel.load(path);
    expectSameParams(model, loaded);
    expect(loaded.clusterCenters().map((c) => Array.from(c.values))).toEqual(model.clusterCenters().map((c) => Array.from(c.values)));
    expect((await loaded.transform(df).collect()).map((r) => r.cluster)).toEqual((await model.transform(df).collect()).map((r) => r.cluster));
    expect(loaded.hasSummary).toBe(false);
    expect((await load(path)).constructor).toBe(KMeansModel);
    await expect(model.save(path)).rejects.toThrow(/exist/);
    await model.write().overwrite().save(path);
  });

  it('saves and loads the estimator\'s params', async () => {
    const km = new KMeans({ k: 7, distanceMeasure: 'cosine', initMode: 'random', tol: 1e-6 });
    const path = freshPath();
    await km.save(path);
    expectSameParams(km, await KMeans.load(path));
  });

  it('fails clearly on a corrupt data directory', async () => {
    const model = new KMeansModel([Vectors.dense([0, 1]), Vectors.dense([2, 3])]);
    const path = freshPath();
    await model.save(path);
    const dataDir = join(path, 'data');
    const { readdir } = await import('node:fs/promises');
    const part = (await readdir(dataDir)).find((f) => f.endsWith('.parquet'))!;
    await writeFile(join(dataDir, part), 'not parquet');
    await expect(KMeansModel.load(path)).rejects.toThrow(new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await expect(ALSModel.load(path)).rejects.toThrow(/KMeansModel/);
  });
});

describe('ALS persistence', () => {
  it('saves Spark\'s layout and loads a model that predicts and recommends identically', async () => {
    const rows = Array.from({ length: 300 }, (_, n) => ({ user: n % 17, item: (n * 7) % 23, rating: ((n * 13) % 11) / 2 }));
    const df = spark().createDataFrame(rows);
    const model = await new ALS({ rank: 4, maxIter: 3, seed: 2, coldStartStrategy: 'drop', numUserBlocks: 3, numItemBlocks: 2 }).fit(df);
    const path = freshPath();
    await model.save(path);
    const meta = JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8'));
    expect(meta.class).toBe('org.apache.spark.ml.recommendation.ALSModel');
    expect(meta.rank).toBe(4);
    for (const dir of ['userFactors', 'itemFactors']) expect(await schemaOf(path, dir)).toEqual(['id: Int32', 'features: List<Float32>']);
    // A loaded model's DataFrames live in the active session; this test's session was made with create().
    const loaded = (await ALSModel.load(path)).setSession(spark());
    expectSameParams(model, loaded);
    expect(loaded.rank).toBe(4);
    const predictions = async (m: ALSModel) => (await m.transform(df).collect()).map((r) => r.prediction);
    expect(await predictions(loaded)).toEqual(await predictions(model));
    expect(await loaded.recommendForAllUsers(5).collect()).toEqual(await model.recommendForAllUsers(5).collect());
    const factors = async (m: ALSModel) => (await m.itemFactors.collect()).map((r) => [r.id, Array.from((r.features as DenseVector).values)]);
    expect(await factors(loaded)).toEqual(await factors(model));
  });

  it('saves and loads the estimator\'s params', async () => {
    const als = new ALS({ rank: 3, implicitPrefs: true, alpha: 0.5, nonnegative: true, userCol: 'u' });
    const path = freshPath();
    await als.save(path);
    expectSameParams(als, await ALS.load(path));
  });
});
