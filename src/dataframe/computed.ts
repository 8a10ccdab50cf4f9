// DataFrames whose partitions a job computes on first use (recommendations, factor tables, curves of
// a summary): the job runs once, its Arrow blocks stay in shared memory for as long as the DataFrame
// lives. The number of partitions is fixed up front, so it is known without running the job.
import { DataFrame, type SessionLike } from './dataframe.js';
import { SourceNode } from './logical.js';
import { blockPlan } from './plan.js';
import type { StructType } from './types.js';
import type { PartitionPlan } from '../engine/protocol.js';

export function lazyFrame(session: SessionLike, schema: StructType, partitions: number, produce: () => Promise<SharedArrayBuffer[]>): DataFrame {
  const engine = session.engine;
  let plans: Promise<PartitionPlan[]> | null = null;
  const node: SourceNode = new SourceNode(engine, schema, partitions, () => {
    plans ??= produce().then((buffers) => {
      if (buffers.length !== partitions) throw new Error(`a computed DataFrame promised ${partitions} partitions but its job made ${buffers.length}`);
      const ids = buffers.map((b) => engine.putBlock(b));
      engine.holdBlocks(node, ids);
      return ids.map(blockPlan);
    }).catch((e: unknown) => { plans = null; throw e; });
    return plans;
  });
  return new DataFrame(session, node);
}
