/** Pipeline and PipelineModel: Spark's fit semantics, schema checks first, duplicates, copy. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { Session } from '../../src/dataframe/session.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { ParamMap } from '../../src/pipeline/params-map.js';
import { Pipeline, PipelineModel } from '../../src/pipeline/pipeline.js';
import { PipelineStage } from '../../src/pipeline/stage.js';
import { calls, MeanCenter, MeanCenterModel, resetCalls, Scale } from '../persistence/ml-fixtures.js';

let spark: Session;
let df: DataFrame;

beforeAll(() => {
  spark = Session.builder().master('local[2]').create();
  df = spark.createDataFrame([{ x: 1.5 }, { x: 2.5 }, { x: 6.5 }], { numPartitions: 2 });
});
afterAll(async () => {
  await spark.stop();
});
beforeEach(() => resetCalls());

describe('Pipeline.fit', () => {
  it('fits estimators in order and transforms the data only up to the last estimator', async () => {
    const scale = new Scale({ inputCol: 'x', outputCol: 'y', factor: 2 });
    const center = new MeanCenter({ inputCol: 'y', outputCol: 'z' });
    const after = new Scale({ inputCol: 'z', outputCol: 'w', factor: 10 });
    const pipeline = new Pipeline({ stages: [scale, center, after] });
    const model = await pipeline.fit(df);

    expect(calls.meanFit).toBe(1);
    expect(calls.fittedColumns).toEqual([['x', 'y']]); // the estimator saw the transformed data
    expect(calls.scaleTransform).toBe(1); // `scale` before the estimator; `after` never ran
    expect(calls.meanTransform).toBe(0); // the last estimator's model is not applied during fit

    expect(model).toBeInstanceOf(PipelineModel);
    expect(model.uid).toBe(pipeline.uid);
    expect(model.parent).toBe(pipeline);
    expect(model.stages[0]).toBe(scale);
    expect(model.stages[1]).toBeInstanceOf(MeanCenterModel);
    expect(model.stages[1]!.uid).toBe(center.uid);
    expect((model.stages[1] as MeanCenterModel).mean).toBeCloseTo(7); // mean of 3, 5, 13
    expect(model.stages[2]).toBe(after);

    const rows = await model.transform(df).collect();
    expect(rows.map((r) => [r.y, r.z, r.w])).toEqual([[3, -4, -40], [5, -2, -20], [13, 6, 60]]);
    expect(calls.meanTransform).toBe(1);
  });

  it('fits several estimators, each on the output of the stages before it', async () => {
    const first = new MeanCenter({ inputCol: 'x', outputCol: 'c1' });
    const second = new MeanCenter({ inputCol: 'c1', outputCol: 'c2' });
    const model = await new Pipeline({ stages: [first, second] }).fit(df);
    expect(calls.fittedColumns).toEqual([['x'], ['x', 'c1']]);
    expect(calls.meanTransform).toBe(1); // only the first model, to feed the second estimator
    expect((model.stages[1] as MeanCenterModel).mean).toBeCloseTo(0);
  });

  it('with only transformers, transforms nothing during fit', async () => {
    const model = await new Pipeline({ stages: [new Scale({ inputCol: 'x', outputCol: 'y' })] }).fit(df);
    expect(calls.scaleTransform).toBe(0);
    expect(model.stages).toHaveLength(1);
    const empty = await new Pipeline({ stages: [] }).fit(df);
    expect(await empty.transform(df).collect()).toEqual(await df.collect());
  });

  it('checks the whole chain\'s schema before fitting anything', async () => {
    const pipeline = new Pipeline({
      stages: [new MeanCenter({ inputCol: 'x', outputCol: 'y' }), new Scale({ inputCol: 'missing', outputCol: 'z' })],
    });
    await expect(pipeline.fit(df)).rejects.toThrow(/missing/);
    expect(calls.meanFit).toBe(0);
  });

  it('refuses a stage instance appearing twice, naming its uid', async () => {
    const scale = new Scale({ inputCol: 'x', outputCol: 'y' });
    const pipeline = new Pipeline({ stages: [scale, new MeanCenter({ inputCol: 'y', outputCol: 'z' }), scale] });
    await expect(pipeline.fit(df)).rejects.toThrow(
      `Cannot have duplicate components in a pipeline: stage ${scale.uid} appears at indices 0 and 2`,
    );
    expect(() => pipeline.transformSchema(df.schema)).toThrow(scale.uid);
    expect(calls.scaleTransform + calls.meanFit).toBe(0);
  });

  it('refuses a stage that is neither an Estimator nor a Transformer', async () => {
    class Odd extends PipelineStage {
      transformSchema = (s: never) => s;
    }
    const odd = new Odd();
    await expect(new Pipeline({ stages: [odd] }).fit(df)).rejects.toThrow(`Does not support stage ${odd.uid} of type Odd`);
    expect(() => new Pipeline({ stages: [1 as never] })).toThrow(/stages given invalid value.*must be an array of pipeline stages/);
  });

  it('fit(df, extra) applies extra params to the pipeline\'s stages without changing them', async () => {
    const scale = new Scale({ inputCol: 'x', outputCol: 'y', factor: 2 });
    const pipeline = new Pipeline({ stages: [scale, new MeanCenter({ inputCol: 'y', outputCol: 'z' })] });
    const model = await pipeline.fit(df, ParamMap.of(scale.factor.w(4)));
    expect(scale.getFactor()).toBe(2);
    expect((model.stages[0] as Scale).getFactor()).toBe(4);
    expect((model.stages[1] as MeanCenterModel).mean).toBeCloseTo(14);
  });
});

describe('copy', () => {
  it('Pipeline.copy keeps the uid and copies the stages with extra params', () => {
    const scale = new Scale({ factor: 2 });
    const pipeline = new Pipeline({ stages: [scale] });
    const copy = pipeline.copy(ParamMap.of(scale.factor.w(5)));
    expect(copy).not.toBe(pipeline);
    expect(copy.uid).toBe(pipeline.uid);
    const [copied] = copy.getStages() as [Scale];
    expect(copied).not.toBe(scale);
    expect([copied.uid, copied.getFactor(), scale.getFactor()]).toEqual([scale.uid, 5, 2]);
  });

  it('PipelineModel.copy keeps the uid and parent, copies stages', async () => {
    const pipeline = new Pipeline({ stages: [new MeanCenter({ inputCol: 'x', outputCol: 'z' })] });
    const model = await pipeline.fit(df);
    const copy = model.copy();
    expect([copy.uid, copy.parent]).toEqual([model.uid, pipeline]);
    expect(copy.stages[0]).not.toBe(model.stages[0]);
    expect((copy.stages[0] as MeanCenterModel).mean).toBe((model.stages[0] as MeanCenterModel).mean);
  });

  it('getStages returns a copy of the array', () => {
    const pipeline = new Pipeline({ stages: [new Scale()] });
    pipeline.getStages().push(new Scale());
    expect(pipeline.getStages()).toHaveLength(1);
    expect(pipeline.explainParams()).toMatch(/^stages: stages of the pipeline \(current: \[Scale_[0-9a-f]{12}\]\)$/);
  });
});

describe('PipelineModel.transform', () => {
  it('checks the schema through every stage before touching data', () => {
    const model = new PipelineModel([new Scale({ inputCol: 'x', outputCol: 'y' }), new Scale({ inputCol: 'nope', outputCol: 'z' })]);
    expect(() => model.transform(df)).toThrow(/nope/);
    expect(calls.scaleTransform).toBe(0);
    expect(model.transformSchema(df.schema.add({ name: 'nope', type: df.schema.field('x').type, nullable: true })).fieldNames)
      .toEqual(['x', 'nope', 'y', 'z']);
  });

  it('refuses stages that are not Transformers', () => {
    expect(() => new PipelineModel([new MeanCenter() as never])).toThrow(/stage 0 .* is not a Transformer/);
  });
});
