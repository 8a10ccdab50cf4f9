/**
 * A loaded model reads only inside its own directory: paths built from metadata (a pipeline's
 * stageUids, a validator's estimatorParamMaps) cannot climb out with `..` or point elsewhere with an
 * absolute path, symbolic links in the model cannot lead out, locally and on S3. Errors name the
 * path and the metadata field, and never show what a file outside holds.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CrossValidator, LinearRegression, ParamGridBuilder, RegressionEvaluator } from '../../src/index.js';
import { Vectors } from '../../src/linalg/vectors.js';
import { PipelineModel } from '../../src/pipeline/pipeline.js';
import { load, S3FileSystem, StageWriter } from '../../src/persistence/index.js';
import { MeanCenterModel, Scale } from './ml-fixtures.js';
import { startS3Server, type S3TestServer } from './s3-server.js';

const SECRET = 'TOP-SECRET: the content of a file outside the model';
let dir: string;
let n = 0;

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'quiver-confine-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const pipeline = () => new PipelineModel([
  new Scale({ inputCol: 'x', outputCol: 'y', factor: 2 }),
  new MeanCenterModel(4, Vectors.dense([4, 2])).setInputCol('y').setOutputCol('z'),
]);

/** A fresh parent directory holding `model` (a saved pipeline) and `outside` (a secret file and a valid saved stage). */
async function layout(): Promise<{ parent: string; model: string; outside: string }> {
  const parent = join(dir, `case${n++}`);
  const model = join(parent, 'model');
  await pipeline().save(model);
  const outside = join(parent, 'outside');
  await mkdir(join(outside, 'metadata'), { recursive: true });
  await writeFile(join(outside, 'metadata', 'part-00000'), `${SECRET}\n`);
  await writeFile(join(parent, 'secret.txt'), SECRET);
  return { parent, model, outside };
}

const metaFile = (d: string) => join(d, 'metadata', 'part-00000');
async function editMetadata(d: string, edit: (m: Record<string, any>) => void): Promise<void> {
  const m = JSON.parse(await readFile(metaFile(d), 'utf8'));
  edit(m);
  await writeFile(metaFile(d), `${JSON.stringify(m)}\n`);
}

async function loadError(path: string, options = {}): Promise<Error> {
  const e = await load(path, options).then(() => null, (err: Error) => err);
  expect(e, 'the load should have failed').not.toBeNull();
  expect(e!.message).not.toContain('TOP-SECRET');
  return e!;
}

describe('paths from metadata stay inside the model directory', () => {
  it("a pipeline's stageUids cannot climb out with '..'", async () => {
    const { model } = await layout();
    await editMetadata(model, (m) => { m.paramMap.stageUids[1] = '../../../outside'; });
    const e = await loadError(model);
    expect(e.message).toBe(`${model}: metadata field paramMap.stageUids[1] gives the path "stages/1_../../../outside", which climbs out with '..'; paths in a model must stay inside its directory`);
  });

  it('a stage uid with a path separator cannot reach a valid model elsewhere', async () => {
    const { model, parent } = await layout();
    // A complete, loadable stage outside, whose uid matches what the metadata asks for.
    const evil = '../../../other';
    await new Scale({ inputCol: 'x', outputCol: 'y', factor: 99 }).save(join(parent, 'other'));
    await editMetadata(join(parent, 'other'), (m) => { m.uid = evil; });
    await editMetadata(model, (m) => { m.paramMap.stageUids[0] = evil; });
    const e = await loadError(model);
    expect(e.message).toMatch(/metadata field paramMap\.stageUids\[0\] gives the path "stages\/0_\.\.\/\.\.\/\.\.\/other", which climbs out/);
  });

  it("a validator's estimatorParamMaps cannot name a directory outside, relative or absolute", async () => {
    const parent = join(dir, `case${n++}`);
    const lr = new LinearRegression();
    const grid = new ParamGridBuilder().addGrid(lr.regParam, [1, 0]).build();
    const cv = new CrossValidator({ estimator: lr, estimatorParamMaps: grid, evaluator: new RegressionEvaluator(), numFolds: 2 });
    const path = join(parent, 'cv');
    await cv.save(path);
    const outside = join(parent, 'outside');
    await mkdir(join(outside, 'metadata'), { recursive: true });
    await writeFile(metaFile(outside), `${SECRET}\n`);
    for (const target of ['../outside', outside, `file://${outside}`]) {
      await editMetadata(path, (m) => {
        m.paramMap.estimatorParamMaps[1] = [{ parent: lr.uid, name: 'regParam', value: JSON.stringify(target), isJson: 'false' }];
      });
      const e = await loadError(path);
      expect(e.message).toMatch(new RegExp(`^${path}: metadata field paramMap\\.estimatorParamMaps\\[1\\]\\[0\\]\\.value gives the path "${target.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}", which (climbs out|is absolute)`));
    }
  });
});

describe('symbolic links cannot lead a load out of the model directory', () => {
  it('a stage directory linked to a model elsewhere', async () => {
    const { model, parent } = await layout();
    const stageDir = join(model, 'stages', (await readdir(join(model, 'stages')))[1]!);
    await cp(stageDir, join(parent, 'elsewhere'), { recursive: true });
    await rm(stageDir, { recursive: true });
    await symlink(join(parent, 'elsewhere'), stageDir);
    const e = await loadError(model);
    expect(e.message).toBe(`${model}: refusing to read ${stageDir}: it resolves through a symbolic link to ${parent}/elsewhere, outside the model directory`);
  });

  it('a metadata file linked to a file outside: refused, and its content never shown', async () => {
    const { model, parent } = await layout();
    await rm(metaFile(model));
    await symlink(join(parent, 'secret.txt'), metaFile(model));
    const e = await loadError(model);
    expect(e.message).toContain(`refusing to read ${metaFile(model)}: it resolves through a symbolic link to ${parent}/secret.txt, outside the model directory`);
  });

  it('a data part file linked outside', async () => {
    const { model, parent } = await layout();
    const stage = join(model, 'stages', (await readdir(join(model, 'stages')))[1]!);
    const part = (await readdir(join(stage, 'data'))).find((f) => f.endsWith('.parquet'))!;
    await cp(join(stage, 'data', part), join(parent, 'stolen.parquet'));
    await rm(join(stage, 'data', part));
    await symlink(join(parent, 'stolen.parquet'), join(stage, 'data', part));
    const e = await loadError(model);
    expect(e.message).toMatch(/resolves through a symbolic link to .*stolen\.parquet, outside the model directory/);
  });

  it('links that stay inside, and a model directory that is itself a link, still load', async () => {
    const { model, parent } = await layout();
    await symlink(model, join(parent, 'latest'));
    const viaLink = await load<PipelineModel>(join(parent, 'latest'));
    expect(viaLink.stages.map((s) => s.uid)).toEqual((await load<PipelineModel>(model)).stages.map((s) => s.uid));
    // A data directory moved within the model and linked back.
    const stage = join(model, 'stages', (await readdir(join(model, 'stages')))[1]!);
    await rename(join(stage, 'data'), join(model, '.data-moved'));
    await symlink(join(model, '.data-moved'), join(stage, 'data'));
    expect(((await load<PipelineModel>(model)).stages[1] as MeanCenterModel).mean).toBe(4);
  });
});

describe('on S3', () => {
  let s3: S3TestServer;
  let fs: S3FileSystem;
  beforeAll(async () => { s3 = await startS3Server({ bucket: 'quiver-confine' }); fs = new S3FileSystem(s3.config); });
  afterAll(async () => { fs?.close(); await s3?.stop(); });

  it("stageUids cannot climb out of the model's key prefix", async () => {
    const base = `s3://${s3.bucket}/conf/a`;
    const model = `${base}/model`;
    await new StageWriter(pipeline()).s3(s3.config).save(model);
    await fs.writeFile(`${base}/outside/metadata/part-00000`, `${SECRET}\n`);
    const meta = JSON.parse(new TextDecoder().decode(await fs.readFile(`${model}/metadata/part-00000`)));
    meta.paramMap.stageUids[0] = '../../../outside';
    await fs.writeFile(`${model}/metadata/part-00000`, `${JSON.stringify(meta)}\n`);
    const e = await loadError(model, { s3: s3.config });
    expect(e.message).toBe(`${model}: metadata field paramMap.stageUids[0] gives the path "stages/0_../../../outside", which climbs out with '..'; paths in a model must stay inside its directory`);
  });

  it('a validator entry naming another bucket key is refused', async () => {
    const path = `s3://${s3.bucket}/conf/cv`;
    const lr = new LinearRegression();
    const cv = new CrossValidator({ estimator: lr, estimatorParamMaps: new ParamGridBuilder().addGrid(lr.regParam, [1]).build(), evaluator: new RegressionEvaluator(), numFolds: 2 });
    await new StageWriter(cv).s3(s3.config).save(path);
    await fs.writeFile(`s3://${s3.bucket}/elsewhere/metadata/part-00000`, `${SECRET}\n`);
    const meta = JSON.parse(new TextDecoder().decode(await fs.readFile(`${path}/metadata/part-00000`)));
    meta.paramMap.estimatorParamMaps[0] = [{ parent: lr.uid, name: 'regParam', value: JSON.stringify(`s3://${s3.bucket}/elsewhere`), isJson: 'false' }];
    await fs.writeFile(`${path}/metadata/part-00000`, `${JSON.stringify(meta)}\n`);
    const e = await loadError(path, { s3: s3.config });
    expect(e.message).toMatch(/metadata field paramMap\.estimatorParamMaps\[0\]\[0\]\.value gives the path "s3:\/\/quiver-confine\/elsewhere", which is absolute/);
  });
});
