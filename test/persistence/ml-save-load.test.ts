/** save → load of single stages: same class, uid, params and data; refusing, overwriting; bad directories. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Session } from '../../src/dataframe/session.js';
import { DenseMatrix } from '../../src/linalg/matrix.js';
import { Vectors } from '../../src/linalg/vectors.js';
import { Params } from '../../src/pipeline/params.js';
import { Transformer } from '../../src/pipeline/stage.js';
import {
  load, loadStage, ModelPersistenceError, PathExistsError, registerStage, StageWriter, type LoadContext,
} from '../../src/persistence/index.js';
import { MeanCenter, MeanCenterModel, Scale } from './ml-fixtures.js';

let spark: Session;
let dir: string;
let n = 0;
const fresh = (): string => join(dir, `m${n++}`);

beforeAll(async () => {
  spark = Session.builder().master('local[2]').create();
  dir = await mkdtemp(join(tmpdir(), 'quiver-ml-save-'));
});
afterAll(async () => {
  await spark.stop();
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(() => expect.fail('expected a failure'), (e: Error) => e);
}

function fittedModel(): MeanCenterModel {
  const model = new MeanCenterModel(2.5, Vectors.sparse(5, [1, 3], [NaN, -Infinity]), undefined, new DenseMatrix(1, 2, Float64Array.of(1, 2)), [['x'], ['y', 'z']]);
  return model.setInputCol('x').setOutputCol('centered').setTag('v1');
}

describe('save → load', () => {
  it('restores a params-only stage: class, uid, set params and defaults', async () => {
    const path = fresh();
    const scale = new Scale({ inputCol: 'x', outputCol: 'y', factor: NaN });
    await scale.save(path);
    for (const back of [await Scale.load(path), await load<Scale>(path)]) {
      expect(back).toBeInstanceOf(Scale);
      expect(back.uid).toBe(scale.uid);
      expect(back.paramMapJSON()).toEqual({ inputCol: 'x', outputCol: 'y', factor: 'NaN' });
      expect(back.defaultParamMapJSON()).toEqual(scale.defaultParamMapJSON());
      expect(back.isSet(back.factor)).toBe(true);
      expect(back.getFactor()).toBeNaN();
    }
    const metadata = JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8'));
    expect(metadata).toMatchObject({ class: 'quiver.test.Scale', sparkVersion: '3.5.0', uid: scale.uid });
    expect(await readdir(path)).toEqual(['metadata']);
  });

  it('restores a model with data, and it transforms identically', async () => {
    const path = fresh();
    const model = fittedModel();
    await model.write().save(path);
    const back = await MeanCenterModel.load(path);
    expect([back.uid, back.mean, back.getTag(), back.getInputCol(), back.labels]).toEqual([model.uid, 2.5, 'v1', 'x', [['x'], ['y', 'z']]]);
    expect(back.stats.toJSON()).toEqual(model.stats.toJSON());
    expect([back.gram.numRows, back.gram.numCols, Array.from(back.gram.values)]).toEqual([1, 2, [1, 2]]);
    expect(JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8')).numFeatures).toBe(5);
    const df = spark.createDataFrame([{ x: 1.25 }, { x: -3.5 }, { x: 1e300 }], { numPartitions: 2 });
    expect(await back.transform(df).collect()).toEqual(await model.transform(df).collect());
  });

  it('accepts file:// URIs', async () => {
    const path = fresh();
    const estimator = new MeanCenter({ inputCol: 'a', tag: 'uri' });
    await estimator.save(pathToFileURL(path).href);
    const back = await MeanCenter.load(pathToFileURL(path).href);
    expect([back.uid, back.getTag()]).toEqual([estimator.uid, 'uri']);
  });

  it('X.load refuses another class, naming the path and both classes', async () => {
    const path = fresh();
    await fittedModel().save(path);
    const error = await failure(Scale.load(path));
    expect(String(error)).toBe(`Error: ${path}: expected class quiver.test.Scale but found quiver.test.MeanCenterModel`);
    expect(error).toBeInstanceOf(ModelPersistenceError);
  });
});

describe('existing paths', () => {
  it('save refuses an existing path with Spark\'s message and leaves it alone', async () => {
    const path = fresh();
    const first = new Scale({ factor: 1 });
    await first.save(path);
    const error = await failure(new Scale({ factor: 2 }).save(path));
    expect(error).toBeInstanceOf(PathExistsError);
    expect(error.message).toBe(`Path ${path} already exists. To overwrite it, please use write.overwrite().save(path)`);
    expect((await Scale.load(path)).uid).toBe(first.uid);
    // Any existing file or directory counts, not only saved models.
    const file = fresh();
    await writeFile(file, 'x');
    await expect(new Scale().save(file)).rejects.toThrow(PathExistsError);
  });

  it('write().overwrite() replaces the old model and leaves no temporary directory', async () => {
    const parent = fresh();
    const path = join(parent, 'model');
    await fittedModel().save(path);
    const replacement = new Scale({ factor: 3 });
    await replacement.write().overwrite().save(path);
    const back = await load(path);
    expect(back).toBeInstanceOf(Scale);
    expect(back.uid).toBe(replacement.uid);
    expect(await readdir(parent)).toEqual(['model']); // no hidden siblings left behind
    expect(await readdir(path)).toEqual(['metadata']); // no data/ left from the old model
    // overwrite of a path that does not exist is a plain save
    const other = join(parent, 'other');
    await new Scale().write().overwrite().save(other);
    expect(await readdir(parent)).toEqual(['model', 'other']);
  });

  it('passes writer options to the stage, case-insensitively', async () => {
    class Optioned extends Transformer {
      static readonly sparkClassName = 'quiver.test.Optioned';
      transformSchema = (s: never) => s;
      protected transformImpl = (df: never) => df;
    }
    let seen: string | undefined;
    registerStage(Optioned, {
      save: async (_stage, out) => { seen = out.option('Format'); },
    });
    await new Optioned().write().option('FORMAT', 'pmml').save(fresh());
    expect(seen).toBe('pmml');
  });
});

describe('bad directories fail naming the path and the problem', () => {
  async function savedModel(): Promise<string> {
    const path = fresh();
    await fittedModel().save(path);
    return path;
  }

  it('missing path, a file, a directory without metadata', async () => {
    const missing = fresh();
    await expect(load(missing)).rejects.toThrow(`${missing}: nothing is saved here: the path does not exist`);
    const file = fresh();
    await writeFile(file, 'hello');
    await expect(load(file)).rejects.toThrow(`${file}: not a saved stage, or an incomplete save: metadata/part-00000 is missing`);
    const empty = fresh();
    await mkdir(join(empty, 'data'), { recursive: true });
    await expect(load(empty)).rejects.toThrow(`${empty}: not a saved stage, or an incomplete save: metadata/part-00000 is missing`);
  });

  it('empty or garbled metadata', async () => {
    const empty = await savedModel();
    await writeFile(join(empty, 'metadata', 'part-00000'), '');
    await expect(load(empty)).rejects.toThrow(`${empty}: corrupt metadata (metadata/part-00000): the file is empty`);
    const garbled = await savedModel();
    const text = await readFile(join(garbled, 'metadata', 'part-00000'), 'utf8');
    await writeFile(join(garbled, 'metadata', 'part-00000'), text.slice(0, 40));
    await expect(MeanCenterModel.load(garbled)).rejects.toThrow(new RegExp(`^${garbled}: corrupt metadata \\(metadata/part-00000\\): not valid JSON`));
  });

  it('a foreign class', async () => {
    const path = await savedModel();
    const file = join(path, 'metadata', 'part-00000');
    await writeFile(file, (await readFile(file, 'utf8')).replace('quiver.test.MeanCenterModel', 'com.example.Unknown'));
    await expect(load(path)).rejects.toThrow(new RegExp(`^${path}: unknown class com.example.Unknown: no stage class is registered under this name`));
  });

  it('missing data files or truncated Parquet', async () => {
    const noData = await savedModel();
    await rm(join(noData, 'data'), { recursive: true });
    await expect(load(noData)).rejects.toThrow(`${noData}: model data is missing: data/ does not exist`);
    const truncated = await savedModel();
    const part = (await readdir(join(truncated, 'data'))).find((f) => f.endsWith('.parquet'))!;
    const bytes = await readFile(join(truncated, 'data', part));
    await writeFile(join(truncated, 'data', part), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(MeanCenterModel.load(truncated)).rejects.toThrow(new RegExp(`^${truncated}: corrupt model data: data/part-00000-.*\\.snappy\\.parquet is not a readable Parquet file`));
  });

  it('a param the class does not have', async () => {
    const path = fresh();
    await new Scale().save(path);
    const file = join(path, 'metadata', 'part-00000');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"paramMap":{}', '"paramMap":{"bogus":1}'));
    await expect(load(path)).rejects.toThrow(new RegExp(`^${path}: cannot restore the params of Scale_[0-9a-f]{12} \\(quiver.test.Scale\\): .*no param named 'bogus'`));
  });
});

describe('declaring persistence', () => {
  it('a stage without a class name cannot be saved, and says how to fix it', async () => {
    class Anonymous extends Params {}
    await expect(new StageWriter(new Anonymous()).save(fresh())).rejects.toThrow(/Anonymous cannot be saved: it declares no static sparkClassName and is not registered/);
    expect(() => registerStage(Anonymous)).toThrow(/registerStage\(Anonymous\): no class name/);
  });

  it('a static sparkClassName alone gives params-only persistence; generic load needs registerStage', async () => {
    class Plain extends Scale {
      static override readonly sparkClassName = 'quiver.test.Plain';
    }
    const path = fresh();
    const plain = new Plain({ factor: 4 });
    await plain.save(path);
    const back = await loadStage(Plain, path);
    expect([back.constructor, back.uid, back.getFactor()]).toEqual([Plain, plain.uid, 4]);
    await expect(load(path)).rejects.toThrow(`${path}: unknown class quiver.test.Plain: no stage class is registered under this name`);
    registerStage(Plain);
    expect(await load(path)).toBeInstanceOf(Plain);
  });

  it('a loader that does not use ctx.construct is caught', async () => {
    class Careless extends Params {
      static readonly sparkClassName = 'quiver.test.Careless';
    }
    registerStage(Careless, { load: async (_ctx: LoadContext) => new Careless() });
    const path = fresh();
    await new StageWriter(new Careless()).save(path);
    await expect(load(path)).rejects.toThrow(/instead of a Careless with uid Careless_[0-9a-f]{12} \(use ctx\.construct\)/);
  });

  it('two classes cannot claim one class name', () => {
    class A extends Params {}
    class B extends Params {}
    registerStage(A, { className: 'quiver.test.Same' });
    expect(() => registerStage(B, { className: 'quiver.test.Same' })).toThrow(/already registered by A/);
  });
});
