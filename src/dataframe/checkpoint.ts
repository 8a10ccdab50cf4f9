// Spark's Dataset.checkpoint and localCheckpoint: materialise a DataFrame and cut its lineage, so
// that an iterative loop (each step a DataFrame over the last) keeps a plan of constant size
// instead of one that grows with every step and is computed again from the start.
//   localCheckpoint: the partitions become blocks of the block store (spilled to disk under memory
//     pressure, never recomputed: there is no lineage left to recompute them from);
//   checkpoint: the partitions are written as Arrow files under the checkpoint directory
//     (`spark.checkpoint.dir`, or `spark.sparkContext.setCheckpointDir(dir)`) and read back.
// Eager (the default, as in Spark) materialises now; lazy at the first action.
import { randomUUID } from 'node:crypto';

import type { PartitionPlan } from '../engine/protocol.js';
import { DataFrame, type SessionLike } from './dataframe.js';
import { DataFrameReader } from './io/reader.js';
import { confOf } from './io/options.js';
import { MATERIALIZE } from './kernels.js';
import { SourceNode } from './logical.js';
import { blockPlan } from './plan.js';

/** Where reliable checkpoints go: the session's (set by sparkContext.setCheckpointDir), else `spark.checkpoint.dir`. */
export function checkpointDirOf(session: SessionLike): string | undefined {
  const set = (session as { checkpointDir?: string }).checkpointDir;
  const conf = confOf(session)?.get('spark.checkpoint.dir');
  return set ?? (conf === undefined || conf === '' ? undefined : String(conf));
}

/** A DataFrame over `materialise()`'s partition plans, computed once (now when eager). */
async function cut(df: DataFrame, eager: boolean, materialise: (node: SourceNode) => Promise<PartitionPlan[]>): Promise<DataFrame> {
  let plans: Promise<PartitionPlan[]> | null = null;
  const node: SourceNode = new SourceNode(df.engine, df.schema, df.node.numPartitions(), () => (plans ??= materialise(node)));
  const out = new DataFrame(df.session, node);
  if (eager) await node.plans();
  return out;
}

export function localCheckpoint(df: DataFrame, eager: boolean): Promise<DataFrame> {
  return cut(df, eager, async (node) => {
    const results = await df.engine.runJob<{ buffer: SharedArrayBuffer }>(MATERIALIZE, await df.node.plans());
    const ids = results.map((r) => df.engine.putBlock(r.buffer, 'spill'));
    df.engine.holdBlocks(node, ids); // released when the checkpointed DataFrame is collected
    return ids.map(blockPlan);
  });
}

export function checkpoint(df: DataFrame, eager: boolean): Promise<DataFrame> {
  const dir = checkpointDirOf(df.session);
  if (dir === undefined) {
    return Promise.reject(new Error('Checkpoint directory has not been set in the SparkContext: call spark.sparkContext.setCheckpointDir(dir) or set spark.checkpoint.dir'));
  }
  const path = `${dir.replace(/\/+$/, '')}/${randomUUID()}`;
  return cut(df, eager, async () => {
    await df.write.format('arrow').save(path);
    const read = await new DataFrameReader(df.session).format('arrow').load(path);
    return read.node.plans();
  });
}
