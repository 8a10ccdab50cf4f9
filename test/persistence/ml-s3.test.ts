/**
 * Models and pipelines on S3 (a loopback s3rver): the same code path as local disk, settings from
 * the session; overwrite and interrupted saves never leave a wrong model; and a pipeline saved here
 * is loaded and applied in a fresh process with the same result.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Session } from '../../src/dataframe/session.js';
import { StandardScaler, VectorAssembler } from '../../src/feature/index.js';
import { Vectors } from '../../src/linalg/vectors.js';
import { Pipeline, PipelineModel } from '../../src/pipeline/pipeline.js';
import { load, PathExistsError, S3FileSystem, StageWriter } from '../../src/persistence/index.js';
import { faultyFileSystem } from './ml-faulty-fs.js';
import { MeanCenter, MeanCenterModel, Scale } from './ml-fixtures.js';
import { plainRows } from './ml-rows.js';
import { startS3Server, type S3TestServer } from './s3-server.js';

const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let s3: S3TestServer;
let spark: Session;
let fs: S3FileSystem;
let df: DataFrame;
let n = 0;
const fresh = (): string => `s3://${s3.bucket}/models/m${n++}`;

beforeAll(async () => {
  s3 = await startS3Server();
  // The standard AWS chain supplies credentials; the session supplies the endpoint.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  process.env.AWS_REGION = 'us-east-1';
  spark = Session.builder()
    .master('local[2]')
    .config('quiver.s3.endpoint', s3.endpoint)
    .config('quiver.s3.forcePathStyle', true)
    .getOrCreate(); // the active session: its settings apply to save and load
  fs = new S3FileSystem(s3.config);
  df = spark.createDataFrame([{ x: 0.5, v: 1 }, { x: -2, v: 4 }, { x: 9.25, v: 2 }, { x: 3, v: -8 }], { numPartitions: 2 });
});

afterAll(async () => {
  fs?.close();
  await spark?.stop();
  await s3?.stop();
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

const keysUnder = async (path: string): Promise<string[]> =>
  (await fs.listFiles(path, true)).map((f) => f.path.slice(path.length + 1));

function fixturePipeline(): Pipeline {
  return new Pipeline({
    stages: [new Scale({ inputCol: 'x', outputCol: 'y', factor: 3 }), new MeanCenter({ inputCol: 'y', outputCol: 'z' })],
  });
}

describe('pipelines on S3', () => {
  it('save → load of a fitted pipeline, with Spark\'s layout, using the active session\'s settings', async () => {
    const model = await fixturePipeline().fit(df);
    const path = fresh();
    await model.save(path);
    const keys = await keysUnder(path);
    const [scale, center] = model.stages;
    expect(keys.filter((k) => !k.includes('/data/part-'))).toEqual([
      'metadata/_SUCCESS',
      'metadata/part-00000',
      `stages/0_${scale!.uid}/metadata/_SUCCESS`,
      `stages/0_${scale!.uid}/metadata/part-00000`,
      `stages/1_${center!.uid}/data/_SUCCESS`,
      `stages/1_${center!.uid}/metadata/_SUCCESS`,
      `stages/1_${center!.uid}/metadata/part-00000`,
    ]);
    expect(keys.filter((k) => k.includes('/data/part-'))).toHaveLength(1);
    const back = await PipelineModel.load(path);
    expect(back.uid).toBe(model.uid);
    expect(await back.transform(df).collect()).toEqual(await model.transform(df).collect());
  });

  it('takes settings from an explicit session; an unreachable endpoint fails naming the path', async () => {
    const path = fresh();
    const settings = { conf: { get: (key: string) => ({ 'quiver.s3.endpoint': s3.endpoint, 'quiver.s3.forcePathStyle': 'true' })[key] } };
    const scale = new Scale({ factor: 7 });
    await scale.write().session(settings).save(path);
    expect((await Scale.load(path, { session: settings })).getFactor()).toBe(7);
    await expect(Scale.load(path, { session: null, s3: { endpoint: 'http://127.0.0.1:1', maxAttempts: 1 } })).rejects.toThrow(path);
  });

  it('refuses an existing path; overwrite replaces every file of the old model', async () => {
    const path = fresh();
    const old = await fixturePipeline().fit(df);
    await old.save(path);
    await expect(new Scale().save(path)).rejects.toThrow(PathExistsError);
    const replacement = new Scale({ factor: 2 });
    await replacement.write().overwrite().save(path);
    expect(await keysUnder(path)).toEqual(['metadata/_SUCCESS', 'metadata/part-00000']);
    expect((await load(path)).uid).toBe(replacement.uid);
  });

  it('an interrupted overwrite leaves the old model or nothing loadable, never a partial one', async () => {
    const newModel = (): PipelineModel =>
      new PipelineModel([new Scale({ factor: 2 }), new MeanCenterModel(4, Vectors.dense([1])).setInputCol('y').setOutputCol('z')]);
    const counting = faultyFileSystem(fs, Infinity);
    const probe = fresh();
    await new PipelineModel([new Scale()]).save(probe);
    await new StageWriter(newModel()).fileSystem(counting).overwrite().save(probe);
    const total = counting.operations.length;
    // First the marker saying a save writes the target in place (for the next save's sweep, if this one dies),
    // then the old metadata goes; the new metadata comes last, then the marker goes.
    const marker = new RegExp(`^writeFile ${probe.replace(/m\d+$/, '')}\\.${probe.split('/').at(-1)}\\.tmp-`);
    expect(counting.operations[0]).toMatch(marker);
    expect(counting.operations[1]).toBe(`delete ${probe}/metadata`);
    expect(counting.operations.at(-3)).toBe(`writeFile ${probe}/metadata/part-00000`);
    expect(counting.operations.at(-1)).toBe(counting.operations[0]!.replace(/^writeFile/, 'delete'));

    for (let ok = 0; ok < total; ok++) {
      const path = fresh();
      const old = new PipelineModel([new Scale({ factor: 1 })]);
      await old.save(path);
      const replacement = newModel();
      const failed = await new StageWriter(replacement).fileSystem(faultyFileSystem(fs, ok)).overwrite().save(path).then(() => null, (e: Error) => e);
      if (ok < total - 2) expect(failed?.message).toMatch(new RegExp(`^${path}: cannot save ${replacement.uid}: `));
      const loaded = await load<PipelineModel>(path).then((m) => m, (e: Error) => e);
      if (loaded instanceof Error) {
        expect(loaded.message).toMatch(new RegExp(`^${path}: (nothing is saved here|not a saved stage, or an incomplete save: metadata/part-00000 is missing)`));
      } else if (loaded.uid === replacement.uid) {
        expect(ok).toBeGreaterThanOrEqual(total - 2); // only after the new metadata landed
        expect(loaded.stages.map((s) => s.uid)).toEqual(replacement.stages.map((s) => s.uid));
      } else {
        expect(loaded.uid).toBe(old.uid);
        expect(ok).toBeLessThanOrEqual(1); // S3 cannot keep the old model once its metadata is deleted
      }
    }
  });
});

describe('done means', () => {
  it('a pipeline fitted on a CSV, saved to S3, loaded in a fresh process and applied gives the same rows', async () => {
    const csvDir = mkdtempSync(join(tmpdir(), 'quiver-done-means-'));
    const csvPath = join(csvDir, 'data.csv');
    writeFileSync(csvPath, 'a,b\n1.5,2\n2.5,7\n6.5,-1\n-3,0.25\n');
    const data = await spark.read.option('header', true).option('inferSchema', true).csv(csvPath);
    const pipeline = new Pipeline({
      stages: [
        new VectorAssembler({ inputCols: ['a', 'b'], outputCol: 'features' }),
        new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true }),
      ],
    });
    const model = await pipeline.fit(data);
    const before = plainRows(await model.transform(data).collect());
    const path = fresh();
    await model.save(path);

    const child = fileURLToPath(new URL('./ml-load-child.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const { stdout } = await promisify(execFile)(tsx, [child, path, s3.endpoint, csvPath], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' },
      timeout: 60_000,
    });
    const result = JSON.parse(stdout) as { stages: string[]; rows: unknown[] };
    expect(result.stages).toEqual(['VectorAssembler', 'StandardScalerModel']);
    expect(result.rows).toEqual(before);
    rmSync(csvDir, { recursive: true, force: true });
  });
});
