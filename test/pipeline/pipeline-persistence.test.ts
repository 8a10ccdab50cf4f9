/** Pipeline and PipelineModel on disk, in Spark's layout (Pipeline.SharedReadWrite). */
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Session } from '../../src/dataframe/session.js';
import { Pipeline, PipelineModel } from '../../src/pipeline/pipeline.js';
import { load, stagePath } from '../../src/persistence/index.js';
import { MeanCenter, MeanCenterModel, Scale } from '../persistence/ml-fixtures.js';

let spark: Session;
let dir: string;
let n = 0;
const fresh = (): string => join(dir, `p${n++}`);

beforeAll(async () => {
  spark = Session.builder().master('local[2]').create();
  dir = await mkdtemp(join(tmpdir(), 'quiver-pipeline-io-'));
});
afterAll(async () => {
  await spark.stop();
  await rm(dir, { recursive: true, force: true });
});

const metadataOf = async (path: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8'));

describe('layout', () => {
  it("zero-pads stage indices to the digits of the stage count, as Spark's getStagePath", () => {
    expect(stagePath('a', 0, 1)).toBe('stages/0_a');
    expect(stagePath('a', 3, 10)).toBe('stages/03_a');
    expect(stagePath('a', 11, 12)).toBe('stages/11_a');
    expect(stagePath('a', 7, 100)).toBe('stages/007_a');
  });

  it('writes metadata with paramMap {stageUids} and each stage in stages/<index>_<uid>/', async () => {
    const stages = Array.from({ length: 11 }, (_, i) => new Scale({ factor: i }));
    const pipeline = new Pipeline({ stages });
    const path = fresh();
    await pipeline.save(path);
    expect(await readdir(path)).toEqual(['metadata', 'stages']);
    expect(await metadataOf(path)).toMatchObject({
      class: 'org.apache.spark.ml.Pipeline',
      uid: pipeline.uid,
      paramMap: { stageUids: stages.map((s) => s.uid) },
      defaultParamMap: {},
    });
    expect(await readdir(join(path, 'stages'))).toEqual(stages.map((s, i) => `${String(i).padStart(2, '0')}_${s.uid}`));
    expect(await metadataOf(join(path, 'stages', `10_${stages[10]!.uid}`))).toMatchObject({ class: 'quiver.test.Scale', paramMap: { factor: 10 } });
    const back = await Pipeline.load(path);
    expect(back.uid).toBe(pipeline.uid);
    expect(back.getStages().map((s) => [s.uid, (s as Scale).getFactor()])).toEqual(stages.map((s, i) => [s.uid, i]));
  });
});

describe('save → load', () => {
  it('a fitted PipelineModel transforms identically after loading', async () => {
    const df = spark.createDataFrame([{ x: 0.5 }, { x: -2 }, { x: 9.25 }, { x: 3 }], { numPartitions: 2 });
    const pipeline = new Pipeline({
      stages: [new Scale({ inputCol: 'x', outputCol: 'y', factor: 3 }), new MeanCenter({ inputCol: 'y', outputCol: 'z', tag: 't' })],
    });
    const model = await pipeline.fit(df);
    const path = fresh();
    await model.save(path);
    expect(await metadataOf(path)).toMatchObject({ class: 'org.apache.spark.ml.PipelineModel', uid: model.uid });
    const [scaleDir, centerDir] = await readdir(join(path, 'stages'));
    expect(await readdir(join(path, 'stages', scaleDir!))).toEqual(['metadata']);
    expect(await readdir(join(path, 'stages', centerDir!))).toEqual(['data', 'metadata']);

    const back = await PipelineModel.load(path);
    expect(back.uid).toBe(model.uid);
    expect(back.stages.map((s) => s.constructor)).toEqual([Scale, MeanCenterModel]);
    expect((back.stages[1] as MeanCenterModel).getTag()).toBe('t');
    expect(await back.transform(df).collect()).toEqual(await model.transform(df).collect());
    expect(await load(path)).toBeInstanceOf(PipelineModel);
  });

  it('an unfitted Pipeline with a nested Pipeline round trips and fits the same', async () => {
    const inner = new Pipeline({ stages: [new Scale({ inputCol: 'x', outputCol: 'y', factor: 2 })] });
    const pipeline = new Pipeline({ stages: [inner, new MeanCenter({ inputCol: 'y', outputCol: 'z' })] });
    const path = fresh();
    await pipeline.save(path);
    const back = await load<Pipeline>(path);
    const [innerBack, center] = back.getStages();
    expect(innerBack).toBeInstanceOf(Pipeline);
    expect((innerBack as Pipeline).getStages()[0]!.uid).toBe(inner.getStages()[0]!.uid);
    expect(center!.uid).toBe(pipeline.getStages()[1]!.uid);
    const df = spark.createDataFrame([{ x: 1 / 3 }, { x: 2 }]);
    expect(await (await back.fit(df)).transform(df).collect()).toEqual(await (await pipeline.fit(df)).transform(df).collect());
  });

  it('overwrites a pipeline with another', async () => {
    const path = fresh();
    await new Pipeline({ stages: [new Scale(), new Scale()] }).save(path);
    const replacement = new Pipeline({ stages: [new MeanCenter()] });
    await replacement.write().overwrite().save(path);
    expect((await readdir(join(path, 'stages')))).toEqual([`0_${replacement.getStages()[0]!.uid}`]);
    expect((await Pipeline.load(path)).uid).toBe(replacement.uid);
  });
});

describe('bad pipeline directories', () => {
  it('a missing stage directory is named', async () => {
    const path = fresh();
    const scale = new Scale();
    await new Pipeline({ stages: [new Scale(), scale] }).save(path);
    await rm(join(path, 'stages', `1_${scale.uid}`), { recursive: true });
    await expect(Pipeline.load(path)).rejects.toThrow(`${join(path, 'stages', `1_${scale.uid}`)}: nothing is saved here: the path does not exist`);
  });

  it('a stage directory holding another stage', async () => {
    const path = fresh();
    const [a, b] = [new Scale(), new Scale()];
    await new Pipeline({ stages: [a, b] }).save(path);
    // swap the two directories' contents: each uid now names the other stage's directory
    const stages = join(path, 'stages');
    await rename(join(stages, `0_${a.uid}`), join(stages, 'tmp'));
    await rename(join(stages, `1_${b.uid}`), join(stages, `0_${a.uid}`));
    await expect(Pipeline.load(path)).rejects.toThrow(`${path}: stages/0_${a.uid} holds ${b.uid} (Scale), not pipeline stage ${a.uid}`);
  });

  it('corrupt stageUids', async () => {
    const path = fresh();
    await new Pipeline({ stages: [new Scale()] }).save(path);
    const file = join(path, 'metadata', 'part-00000');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/"stageUids":\[[^\]]*\]/, '"stageUids":"x"'));
    await expect(Pipeline.load(path)).rejects.toThrow(`${path}: corrupt metadata: paramMap.stageUids must be an array of stage uids, got "x"`);
  });

  it('PipelineModel.load refuses a Pipeline and a model holding an estimator', async () => {
    const path = fresh();
    await new Pipeline({ stages: [new MeanCenter()] }).save(path);
    await expect(PipelineModel.load(path)).rejects.toThrow(`${path}: expected class org.apache.spark.ml.PipelineModel but found org.apache.spark.ml.Pipeline`);
    const file = join(path, 'metadata', 'part-00000');
    await writeFile(file, (await readFile(file, 'utf8')).replace('org.apache.spark.ml.Pipeline', 'org.apache.spark.ml.PipelineModel'));
    await expect(PipelineModel.load(path)).rejects.toThrow(new RegExp(`^${path}: PipelineModel.load requires all stages to be Transformers, but stage MeanCenter_[0-9a-f]{12} \\(MeanCenter\\) is not`));
  });
});
