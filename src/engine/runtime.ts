// What an executor does with a task, independent of transport: resolve the partition's plan into a
// record batch, run the kernel on it. Used by worker threads and by the inline executor alike.
import type { RecordBatch } from 'apache-arrow';
import { batchFromShared } from './blocks.js';
import { getInput, getKernel, type TaskContext } from './kernels.js';
import type { BlockPayload, BroadcastPayload, PartitionPlan, Task, TaskError } from './protocol.js';

export class ExecutorRuntime {
  private readonly blocks = new Map<string, RecordBatch>();
  private readonly blockBytes = new Map<string, number>();
  private readonly broadcasts = new Map<string, unknown>();

  receive(blocks: BlockPayload[], broadcasts: BroadcastPayload[]): void {
    for (const b of blocks) {
      if (this.blocks.has(b.id)) continue;
      this.blocks.set(b.id, batchFromShared(b.buffer));
      this.blockBytes.set(b.id, b.buffer.byteLength);
    }
    for (const b of broadcasts) this.broadcasts.set(b.id, b.value);
  }

  /** Forgets blocks and broadcasts; returns the bytes of the blocks let go. */
  drop(blocks: string[], broadcasts: string[]): number {
    let bytes = 0;
    for (const id of blocks) { this.blocks.delete(id); bytes += this.blockBytes.get(id) ?? 0; this.blockBytes.delete(id); }
    for (const id of broadcasts) this.broadcasts.delete(id);
    return bytes;
  }

  async run(task: Task): Promise<unknown> {
    const ctx = this.context(task);
    const batch = await ctx.compute(task.partition.plan);
    return getKernel(task.kernel)(batch, task.params, ctx);
  }

  private context(task: Task): TaskContext {
    const ctx: TaskContext = {
      partitionIndex: task.partition.index,
      attempt: task.attempt,
      broadcast: <T>(id: string): T => {
        if (!this.broadcasts.has(id)) throw new Error(`broadcast ${id} is not available on this executor (destroyed?)`);
        return this.broadcasts.get(id) as T;
      },
      block: (id: string) => {
        const b = this.blocks.get(id);
        if (!b) throw new Error(`block ${id} is not registered on this executor`);
        return b;
      },
      compute: async (plan: PartitionPlan) => getInput(plan.kind)(plan, ctx),
    };
    return ctx;
  }
}

export function toTaskError(e: unknown): TaskError {
  if (e instanceof Error) {
    const origin = (e as { origin?: TaskError['origin'] }).origin;
    return { name: e.name, message: e.message, stack: e.stack, ...(origin ? { origin } : {}) };
  }
  return { name: 'Error', message: String(e) };
}

/** Transferable (non-shared) ArrayBuffers inside a result, so results cross threads without a copy. */
export function transferablesOf(value: unknown, out: ArrayBuffer[] = [], seen = new Set<unknown>()): ArrayBuffer[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer;
    if (buf instanceof ArrayBuffer && !seen.has(buf)) { seen.add(buf); out.push(buf); }
    return out;
  }
  if (value instanceof ArrayBuffer) { out.push(value); return out; }
  if (value instanceof Map) { for (const [k, v] of value) { transferablesOf(k, out, seen); transferablesOf(v, out, seen); } return out; }
  if (Array.isArray(value)) { for (const v of value) transferablesOf(v, out, seen); return out; }
  for (const k in value as Record<string, unknown>) transferablesOf((value as Record<string, unknown>)[k], out, seen);
  return out;
}
