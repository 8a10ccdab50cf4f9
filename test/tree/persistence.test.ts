import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/dataframe/session.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Vectors, type DenseVector } from '../../src/linalg/vectors.js';
import { LocalFileSystem, load } from '../../src/persistence/index.js';
import { readDataDir } from '../../src/persistence/ml/parquet-data.js';
import { DecisionTreeClassifier, DecisionTreeClassificationModel } from '../../src/classification/decision-tree.js';
import { RandomForestClassifier, RandomForestClassificationModel } from '../../src/classification/random-forest.js';
import { GBTClassifier, GBTClassificationModel } from '../../src/classification/gbt.js';
import { DecisionTreeRegressor, DecisionTreeRegressionModel } from '../../src/regression/decision-tree.js';
import { RandomForestRegressor, RandomForestRegressionModel } from '../../src/regression/random-forest.js';
import { GBTRegressor, GBTRegressionModel } from '../../src/regression/gbt.js';
import type { Estimator, Model } from '../../src/pipeline/stage.js';

const spark = Session.builder().master('local[2]').create();
let root: string;
beforeAll(async () => { root = await mkdtemp(join(tmpdir(), 'quiver-trees-')); });
afterAll(async () => { await spark.stop(); await rm(root, { recursive: true, force: true }); });

function frame(classes: number): DataFrame {
  return spark.createDataFrame(Array.from({ length: 300 }, (_, i) => {
    const x = [((i * 37) % 100) / 100, ((i * 53) % 100) / 100, i % 4];
    const label = classes === 0 ? x[0] * 3 + x[2] : Math.min(classes - 1, Math.floor(x[0] * classes + (x[2] === 1 ? 0.5 : 0)));
    return { label, features: Vectors.dense(x) };
  }), { numPartitions: 2 });
}

type AnyModel = Model & { toDebugString: string; predict(v: DenseVector): number };
const cases: [string, () => Estimator<Model>, number, { load(p: string): Promise<unknown> }][] = [
  ['DecisionTreeClassificationModel', () => new DecisionTreeClassifier({ maxDepth: 4, categoricalFeatures: { 2: 4 } }), 3, DecisionTreeClassificationModel],
  ['RandomForestClassificationModel', () => new RandomForestClassifier({ numTrees: 5, maxDepth: 4, leafCol: 'leaf' }), 2, RandomForestClassificationModel],
  ['GBTClassificationModel', () => new GBTClassifier({ maxIter: 6, maxDepth: 3 }), 2, GBTClassificationModel],
  ['GBTClassificationModel (softmax)', () => new GBTClassifier({ maxIter: 3, maxDepth: 2 }), 3, GBTClassificationModel],
  ['DecisionTreeRegressionModel', () => new DecisionTreeRegressor({ maxDepth: 4, varianceCol: 'var' }), 0, DecisionTreeRegressionModel],
  ['RandomForestRegressionModel', () => new RandomForestRegressor({ numTrees: 4, maxDepth: 3 }), 0, RandomForestRegressionModel],
  ['GBTRegressionModel', () => new GBTRegressor({ maxIter: 5, maxDepth: 3 }), 0, GBTRegressionModel],
];

describe('tree model persistence in Spark\'s layout', () => {
  for (const [name, make, classes, Cls] of cases) {
    it(`${name}: save -> load -> predict is identical`, async () => {
      const df = frame(classes);
      const model = (await make().fit(df)) as AnyModel;
      const path = join(root, name.replace(/\W+/g, '_'));
      await model.save(path);
      const loaded = (await Cls.load(path)) as AnyModel;
      expect(loaded.constructor).toBe(model.constructor);
      expect(loaded.uid).toBe(model.uid);
      expect(loaded.toDebugString).toBe(model.toDebugString);
      const a = await model.transform(df).collect(), b = await loaded.transform(df).collect();
      expect(b).toEqual(a);
      for (const r of a.slice(0, 20)) expect(loaded.predict(r.features as DenseVector)).toBe(model.predict(r.features as DenseVector));
      expect((await load(path)).constructor).toBe(model.constructor);
      // The estimator persists its params.
      const est = make();
      await est.save(join(path, 'estimator'));
      expect(((await load(join(path, 'estimator'))) as Estimator<Model>).explainParams()).toBe(est.explainParams());
    });
  }

  it('writes Spark\'s directories and node columns', async () => {
    const m = await new RandomForestClassifier({ numTrees: 2, maxDepth: 2 }).fit(frame(2));
    const path = join(root, 'layout');
    await m.save(path);
    expect((await readdir(path)).sort()).toEqual(['data', 'metadata', 'treesMetadata']);
    const meta = JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8'));
    expect(meta.class).toBe('org.apache.spark.ml.classification.RandomForestClassificationModel');
    expect(meta).toMatchObject({ numFeatures: 3, numClasses: 2, numTrees: 2 });
    const data = await readDataDir(new LocalFileSystem(), path, 'data');
    expect(data.schema.fields.map((f) => f.name)).toEqual(['treeID', 'nodeData']);
    const nodeFields = (data.schema.fields[1].type as { children: { name: string }[] }).children.map((c) => c.name);
    expect(nodeFields).toEqual(['id', 'prediction', 'impurity', 'impurityStats', 'rawCount', 'gain', 'leftChild', 'rightChild', 'split']);
    const trees = await readDataDir(new LocalFileSystem(), path, 'treesMetadata');
    expect(trees.schema.fields.map((f) => f.name)).toEqual(['treeID', 'metadata', 'weights']);
    expect(JSON.parse(trees.getChild('metadata')!.get(0) as string).class).toBe('org.apache.spark.ml.classification.DecisionTreeClassificationModel');
    // A single tree writes NodeData's columns at the top level.
    const dt = await new DecisionTreeRegressor({ maxDepth: 2 }).fit(frame(0));
    await dt.save(join(path, 'dt'));
    const dtData = await readDataDir(new LocalFileSystem(), join(path, 'dt'), 'data');
    expect(dtData.schema.fields.map((f) => f.name)).toEqual(nodeFields);
    expect(dtData.numRows).toBe(dt.numNodes);
  });

  // Spark's tree models have no categoricalFeatures param, and its loader rejects unknown params
  // (test/spark/models.test.ts loads these saves in Spark). Quiver saves from before wrote it.
  it('writes no categoricalFeatures into model metadata, and still loads saves that have it', async () => {
    const est = new DecisionTreeClassifier({ maxDepth: 3, categoricalFeatures: { 2: 4 } });
    const m = await est.fit(frame(3));
    expect(m.hasParam('categoricalFeatures')).toBe(false);
    const path = join(root, 'no-categorical');
    await m.save(path);
    const file = join(path, 'metadata', 'part-00000');
    const meta = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys({ ...meta.paramMap, ...meta.defaultParamMap })).not.toContain('categoricalFeatures');
    // The estimator writes it only when set.
    await est.save(join(path, 'est'));
    expect(JSON.parse(await readFile(join(path, 'est', 'metadata', 'part-00000'), 'utf8')).paramMap.categoricalFeatures).toEqual({ 2: 4 });
    await new DecisionTreeClassifier().save(join(path, 'est2'));
    const est2 = JSON.parse(await readFile(join(path, 'est2', 'metadata', 'part-00000'), 'utf8'));
    expect(Object.keys({ ...est2.paramMap, ...est2.defaultParamMap })).not.toContain('categoricalFeatures');
    // An older Quiver save, with the param in both maps.
    meta.paramMap.categoricalFeatures = { 2: 4 };
    meta.defaultParamMap.categoricalFeatures = {};
    await writeFile(file, `${JSON.stringify(meta)}\n`);
    const old = await DecisionTreeClassificationModel.load(path);
    expect(old.toDebugString).toBe(m.toDebugString);
  });

  it('fails on a directory with missing or corrupt tree data, naming the path', async () => {
    const m = await new GBTRegressor({ maxIter: 2, maxDepth: 2 }).fit(frame(0));
    const path = join(root, 'corrupt');
    await m.save(path);
    await rm(join(path, 'treesMetadata'), { recursive: true });
    await expect(GBTRegressionModel.load(path)).rejects.toThrow(new RegExp(`${path.replace(/[/\\]/g, '.')}.*treesMetadata`));
    const path2 = join(root, 'wrongclass');
    await m.save(path2);
    await expect(DecisionTreeRegressionModel.load(path2)).rejects.toThrow(/GBTRegressionModel/);
    await writeFile(join(path2, 'metadata', 'part-00000'), '{"class": ');
    await expect(GBTRegressionModel.load(path2)).rejects.toThrow(/wrongclass/);
  });
});
