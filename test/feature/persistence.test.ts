import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  VectorAssembler, StandardScaler, StandardScalerModel, StringIndexer, StringIndexerModel, OneHotEncoder,
  OneHotEncoderModel, Vectors, type DataFrame, type Row,
} from '../../src/index.js';
import {
  dataTable, fileSystemFor, load, readDataDir, stringArrayColumn, vectorColumn, writeDataDir,
} from '../../src/persistence/index.js';
import type { Params } from '../../src/pipeline/params.js';
import { useSessions } from '../helpers/sessions.js';
import { expectSameParams } from '../helpers/params.js';
import { useTempDir } from '../helpers/temp-dir.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters);
const spark = (m: string = 'inline') => session(m);
const { fresh } = useTempDir('quiver-feature-');
const freshPath = () => fresh('stage');

async function roundTrip<T extends Params & { save(path: string): Promise<void> }>(stage: T, loadAs: (path: string) => Promise<T>): Promise<T> {
  const path = freshPath();
  await stage.save(path);
  const loaded = await loadAs(path);
  expectSameParams(stage, loaded);
  // The generic load dispatches on the metadata's class to the same result.
  expectSameParams(stage, await load<T>(path));
  return loaded;
}

const dataColumns = async (path: string) => (await readDataDir(fileSystemFor(path), path)).schema.fields.map((f) => f.name);
const collect = async (df: DataFrame) => (await df.collect()).map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));

describe('save -> load -> transform gives identical results', () => {
  it('VectorAssembler (params only, Spark\'s DefaultParamsWritable)', async () => {
    const va = new VectorAssembler({ inputCols: ['a', 'b'], outputCol: 'v', handleInvalid: 'keep' });
    const path = freshPath();
    await va.save(path);
    const meta = JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8'));
    expect(meta.class).toBe('org.apache.spark.ml.feature.VectorAssembler');
    expect(meta.paramMap).toEqual({ inputCols: ['a', 'b'], outputCol: 'v', handleInvalid: 'keep' });
    const loaded = await VectorAssembler.load(path);
    expectSameParams(va, loaded);
    const df = spark().createDataFrame([{ a: 1.0, b: null }, { a: 2.0, b: 3.0 }], { schema: { a: 'double', b: 'double' } });
    expect(await collect(loaded.transform(df))).toEqual(await collect(va.transform(df)));
  });

  it('StandardScalerModel writes std and mean vectors to data/ and transforms identically (property)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true })), { minLength: 1, maxLength: 20 }),
      fc.boolean(), fc.boolean(), fc.constantFrom(...masters),
      async (rows, withMean, withStd, master) => {
        const df = spark(master).createDataFrame(rows.map(([x, y]) => ({ f: Vectors.dense([x, y]) })), { numPartitions: 2 });
        const model = await new StandardScaler({ inputCol: 'f', outputCol: 'o', withMean, withStd }).fit(df);
        const loaded = await roundTrip(model, (p) => StandardScalerModel.load(p));
        expect(loaded.std.values).toEqual(model.std.values);
        expect(loaded.mean.values).toEqual(model.mean.values);
        expect(await collect(loaded.transform(df))).toEqual(await collect(model.transform(df)));
      }), { numRuns: 8 });
    const path = freshPath();
    await new StandardScalerModel(Vectors.dense([1, 2]) as never, Vectors.dense([3, 4]) as never).save(path);
    expect(await dataColumns(path)).toEqual(['std', 'mean']);
  });

  it('StringIndexerModel writes labelsArray and transforms identically (property)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'é'), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 20 }),
      fc.constantFrom('frequencyDesc', 'alphabetAsc'), fc.constantFrom('keep', 'skip', 'error'), fc.constantFrom(...masters),
      async (rows, stringOrderType, handleInvalid, master) => {
        const df = spark(master).createDataFrame(rows.map(([s, n]) => ({ s, n })), { numPartitions: 2 });
        const model = await new StringIndexer({ inputCols: ['s', 'n'], outputCols: ['si', 'ni'], stringOrderType, handleInvalid }).fit(df);
        const loaded = await roundTrip(model, (p) => StringIndexerModel.load(p));
        expect(loaded.labelsArray).toEqual(model.labelsArray);
        expect(await collect(loaded.transform(df))).toEqual(await collect(model.transform(df)));
      }), { numRuns: 8 });
    const path = freshPath();
    await new StringIndexerModel(['x', 'y']).save(path);
    expect(await dataColumns(path)).toEqual(['labelsArray']);
  });

  it('OneHotEncoderModel writes categorySizes and transforms identically (property)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 20 }), fc.boolean(), fc.constantFrom('keep', 'error'), fc.constantFrom(...masters),
      async (values, dropLast, handleInvalid, master) => {
        const df = spark(master).createDataFrame(values.map((i) => ({ i })), { numPartitions: 2 });
        const model = await new OneHotEncoder({ inputCol: 'i', outputCol: 'v', dropLast, handleInvalid }).fit(df);
        const loaded = await roundTrip(model, (p) => OneHotEncoderModel.load(p));
        expect(loaded.categorySizes).toEqual(model.categorySizes);
        expect(await collect(loaded.transform(df))).toEqual(await collect(model.transform(df)));
      }), { numRuns: 8 });
    const path = freshPath();
    await new OneHotEncoderModel([3]).save(path);
    expect(await dataColumns(path)).toEqual(['categorySizes']);
  });

  it('estimators are params only', async () => {
    await roundTrip(new StandardScaler({ inputCol: 'f', withMean: true }), (p) => StandardScaler.load(p));
    await roundTrip(new StringIndexer({ inputCol: 's', stringOrderType: 'alphabetDesc' }), (p) => StringIndexer.load(p));
    await roundTrip(new OneHotEncoder({ inputCols: ['a'], outputCols: ['b'], dropLast: false }), (p) => OneHotEncoder.load(p));
  });
});

describe('loading what Spark writes', () => {
  /** A stage directory as Spark lays it out: metadata/part-00000 (one JSON line) and data/ Parquet. */
  async function sparkDir(metadata: object, data: Parameters<typeof writeDataDir>[2]): Promise<string> {
    const path = freshPath();
    const fs = fileSystemFor(path);
    await fs.writeFile(fs.join(path, 'metadata', 'part-00000'), `${JSON.stringify(metadata)}\n`);
    await fs.writeFile(fs.join(path, 'metadata', '_SUCCESS'), '');
    await writeDataDir(fs, fs.join(path, 'data'), data);
    return path;
  }

  it('StandardScalerModel with compressed (sparse) std and mean', async () => {
    const path = await sparkDir({
      class: 'org.apache.spark.ml.feature.StandardScalerModel', timestamp: 1700000000000, sparkVersion: '3.5.0', uid: 'stdScal_0123456789ab',
      paramMap: { inputCol: 'features', outputCol: 'scaled', withMean: true },
      defaultParamMap: { withMean: false, withStd: true, outputCol: 'stdScal_0123456789ab__output' },
    }, dataTable({ std: vectorColumn([Vectors.sparse(3, [1], [2])]), mean: vectorColumn([Vectors.dense([1, 0, 0])]) }));
    const model = await StandardScalerModel.load(path);
    expect(model.uid).toBe('stdScal_0123456789ab');
    expect(Array.from(model.std.values)).toEqual([0, 2, 0]);
    expect(model.getWithMean()).toBe(true);
    const out = await model.transform(spark().createDataFrame([{ features: Vectors.dense([3, 4, 5]) }])).collect();
    expect(Array.from((out[0].scaled as { toArray(): Float64Array }).toArray())).toEqual([0, 2, 0]);
  });

  it('StringIndexerModel saved by Spark 2 (data column labels)', async () => {
    const path = await sparkDir({
      class: 'org.apache.spark.ml.feature.StringIndexerModel', timestamp: 1500000000000, sparkVersion: '2.4.8', uid: 'strIdx_0123456789ab',
      paramMap: { inputCol: 'category', outputCol: 'categoryIndex', handleInvalid: 'error' },
    }, dataTable({ labels: stringArrayColumn([['a', 'c', 'b']]) }));
    const model = await StringIndexerModel.load(path);
    expect(model.labels).toEqual(['a', 'c', 'b']);
    const rows: Row[] = await model.transform(spark().createDataFrame([{ category: 'b' }, { category: 'a' }])).collect();
    expect(rows.map((r) => r.categoryIndex)).toEqual([2, 0]);
  });
});
