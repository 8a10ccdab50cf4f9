/**
 * Pipeline and PipelineModel persistence, as Spark's `Pipeline.SharedReadWrite`: metadata whose
 * `paramMap` is `{"stageUids": [...]}`, and each stage saved in `stages/<index>_<uid>/`, the index
 * zero-padded to the digits of the stage count (`0_a`, or `00_a` … `11_l` for 12 stages).
 */
import type { JsonValue } from '../../pipeline/param.js';
import type { Params } from '../../pipeline/params.js';
import { Pipeline, PipelineModel } from '../../pipeline/pipeline.js';
import { PipelineStage, Transformer } from '../../pipeline/stage.js';
import { registerStage } from './class-registry.js';
import type { LoadContext, SaveContext } from './contexts.js';
import { ModelPersistenceError } from './errors.js';

export const STAGES_DIR = 'stages';

/** `stages/<index>_<uid>` with Spark's zero padding. */
export function stagePath(uid: string, index: number, numStages: number): string {
  return `${STAGES_DIR}/${String(index).padStart(String(numStages).length, '0')}_${uid}`;
}

const stageUids = (stages: readonly Params[]): Record<string, JsonValue> => ({ stageUids: stages.map((s) => s.uid) });

async function saveStages(stages: readonly Params[], out: SaveContext): Promise<void> {
  for (const [index, stage] of stages.entries()) await out.saveStage(stage, stagePath(stage.uid, index, stages.length));
}

async function loadStages(ctx: LoadContext): Promise<PipelineStage[]> {
  const uids = ctx.metadata.params.stageUids;
  if (!Array.isArray(uids) || !uids.every((u): u is string => typeof u === 'string' && u !== '')) {
    throw new ModelPersistenceError(ctx.path, `corrupt metadata: paramMap.stageUids must be an array of stage uids, got ${JSON.stringify(uids) ?? 'nothing'}`);
  }
  const stages: PipelineStage[] = [];
  for (const [index, uid] of uids.entries()) {
    const relative = stagePath(uid, index, uids.length);
    const stage = await ctx.loadStage(relative, `paramMap.stageUids[${index}]`);
    if (!(stage instanceof PipelineStage) || stage.uid !== uid) {
      throw new ModelPersistenceError(ctx.path, `${relative} holds ${String(stage)} (${stage.constructor.name}), not pipeline stage ${uid}`);
    }
    stages.push(stage);
  }
  return stages;
}

registerStage(Pipeline, {
  paramMap: (pipeline) => stageUids(pipeline.getStages()),
  save: (pipeline, out) => saveStages(pipeline.getStages(), out),
  async load(ctx) {
    const stages = await loadStages(ctx);
    return ctx.construct(() => new Pipeline(), ['stageUids']).setStages(stages);
  },
});

registerStage(PipelineModel, {
  paramMap: (model) => stageUids(model.stages),
  save: (model, out) => saveStages(model.stages, out),
  async load(ctx) {
    const stages = await loadStages(ctx);
    const bad = stages.find((s) => !(s instanceof Transformer));
    if (bad) {
      throw new ModelPersistenceError(ctx.path, `PipelineModel.load requires all stages to be Transformers, but stage ${bad.uid} (${bad.constructor.name}) is not`);
    }
    return ctx.construct(() => new PipelineModel(stages as Transformer[]), ['stageUids']);
  },
});
