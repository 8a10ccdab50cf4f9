// DataFrames whose partitions a job computes on first use (recommendations, factor tables): the
// job runs once, its Arrow blocks stay in shared memory for as long as the DataFrame lives.
import { DataFrame, type SessionLike } from '../dataframe/dataframe.js';
import { SourceNode } from '../dataframe/logical.js';
import { blockPlan } from '../dataframe/plan.js';
import type { StructType } from '../dataframe/types.js';
import type { PartitionPlan } from '../engine/protocol.js';

export function lazyFrame(session: SessionLike, schema: StructType, produce: () => Promise<SharedArrayBuffer[]>): DataFrame {
  const engine = session.engine;
  let plans: Promise<PartitionPlan[]> | null = null;
  const node: SourceNode = new SourceNode(engine, schema, () => {
    plans ??= produce().then((buffers) => {
      const ids = buffers.map((b) => engine.putBlock(b));
      engine.holdBlocks(node, ids);
      return ids.map(blockPlan);
    }).catch((e: unknown) => { plans = null; throw e; });
    return plans;
  });
  return new DataFrame(session, node);
}
