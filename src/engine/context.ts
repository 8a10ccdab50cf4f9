// The engine core of a session (Spark's SparkContext): the executor backend, the shared-memory
// block store, broadcasts, and jobs made of one stage of tasks.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockManager, type BlockPolicy } from './block-manager.js';
import { GarbageBudget } from './gc.js';
import { Broadcast, toShared } from './broadcast.js';
import { InlineExecutor } from './inline-executor.js';
import { WorkerPool } from './worker-pool.js';
import { treeMerge } from './aggregate.js';
import type { Executor, PayloadSource, StageMetrics, TaskSpec } from './executor.js';
import type { MasterSpec } from './conf.js';
import { blocksOfPlan, type PartitionPlan } from './protocol.js';

export interface EngineOptions {
  master: MasterSpec;
  maxTaskFailures: number;
  workerHeapMb?: number;
  /** How long an executor polls for its next task before sleeping (quiver.executor.spinMicros). */
  spinMicros?: number;
  /** Bytes of blocks kept in memory before spilling or dropping (quiver.memory.limit). */
  memoryLimit?: number;
  /** Where spill files go (quiver.local.dir); a fresh sub-directory per session. */
  localDir?: string;
}

let blockCounter = 0;

const heldBlocks = new FinalizationRegistry<{ engine: EngineContext; ids: string[] }>(({ engine, ids }) => {
  if (!engine.isStopped) engine.releaseBlocks(ids);
});

export class EngineContext implements PayloadSource {
  readonly executor: Executor;
  readonly blocks: BlockManager;
  private readonly broadcasts = new Map<string, unknown>();
  private readonly prefix = randomUUID().slice(0, 8);
  private stopped = false;
  lastStageMetrics: StageMetrics | null = null;

  constructor(readonly options: EngineOptions) {
    const dir = join(options.localDir ?? tmpdir(), `quiver-${this.prefix}-${process.pid}`);
    const garbage = new GarbageBudget(Math.min(64 * 2 ** 20, (options.memoryLimit ?? Infinity) / 4));
    this.blocks = new BlockManager(options.memoryLimit ?? Infinity, dir, (ids, bytes) => {
      if (this.stopped) return;
      this.executor.drop(ids, []);
      garbage.add(bytes);
    });
    this.executor = options.master.mode === 'inline'
      ? new InlineExecutor(this)
      : new WorkerPool(this, {
        threads: options.master.threads, maxTaskFailures: options.maxTaskFailures, workerHeapMb: options.workerHeapMb, spinMicros: options.spinMicros,
      });
  }

  get parallelism(): number { return this.executor.parallelism; }
  get isStopped(): boolean { return this.stopped; }

  /** Runs one task per plan and returns the kernel results in partition order. */
  async runJob<R = unknown>(kernel: string, plans: PartitionPlan[], params: unknown | ((index: number) => unknown) = null): Promise<R[]> {
    this.assertActive();
    const tasks: TaskSpec[] = plans.map((plan, index) => ({
      kernel, partition: { index, plan }, params: typeof params === 'function' ? (params as (i: number) => unknown)(index) : params,
    }));
    // The DataFrames behind these plans may be collected while the job runs; their blocks must outlive it.
    const used = blocksOfPlan(plans);
    this.blocks.retain(used);
    try {
      const { results, metrics } = await this.executor.runStage(tasks);
      this.lastStageMetrics = metrics;
      return results as R[];
    } finally {
      this.blocks.unretain(used);
    }
  }

  /**
   * Spark's treeAggregate: each partition folds into a copy of `zero` with the aggregator kernel
   * (registered with `registerAggregator`), then partials merge in a tree of the given depth.
   */
  async treeAggregate<T>(plans: PartitionPlan[], zero: T, kernel: string, merge: (a: T, b: T) => T, depth = 2, params: unknown = null): Promise<T> {
    const partials = await this.runJob<T>(kernel, plans, { zero, params });
    return treeMerge(partials, () => structuredClone(zero), merge, depth);
  }

  // --- blocks --------------------------------------------------------------------------------

  /** Stores a block; `policy` says whether it may spill to disk (default), be dropped, or live on disk. */
  putBlock(buffer: SharedArrayBuffer, policy: BlockPolicy = 'spill'): string {
    const id = `${this.prefix}-b${++blockCounter}`;
    this.blocks.put(id, buffer, policy);
    return id;
  }

  blockBuffer(id: string): SharedArrayBuffer { return this.blocks.buffer(id); }

  hasBlock(id: string): boolean { return this.blocks.has(id); }

  blockBytesOf(id: string): number { return this.blocks.bytesOf(id); }

  releaseBlocks(ids: string[]): void {
    const gone = this.blocks.release(ids);
    if (gone.length && !this.stopped) this.executor.drop(gone, []);
  }

  /**
   * Readies a task's plan: pins the blocks it reads (so they stay until the task ends) and swaps a
   * dropped cache block for the lineage that recomputes it.
   */
  preparePlan(plan: PartitionPlan): { plan: PartitionPlan; blocks: string[] } {
    const pinned: string[] = [];
    const walk = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(walk);
      if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return node;
      const n = node as Record<string, unknown>;
      if (n.kind === 'block' && typeof n.id === 'string') {
        if (!this.blocks.has(n.id) && n.lineage) return walk(n.lineage);
        this.blocks.pin(n.id);
        pinned.push(n.id);
        return { kind: 'block', id: n.id };
      }
      const out: Record<string, unknown> = {};
      for (const k in n) out[k] = walk(n[k]);
      return out;
    };
    try {
      return { plan: walk(plan) as PartitionPlan, blocks: pinned };
    } catch (e) {
      this.releasePlan(pinned);
      throw e;
    }
  }

  releasePlan(blocks: string[]): void { for (const id of blocks) this.blocks.unpin(id); }

  /** Releases `ids` once `owner` (the DataFrame node that produced them) is garbage-collected. */
  holdBlocks(owner: object, ids: string[]): void { heldBlocks.register(owner, { engine: this, ids }); }

  /** Bytes of blocks currently in memory. */
  get blockBytes(): number { return this.blocks.memoryBytes; }

  // --- broadcasts ----------------------------------------------------------------------------

  broadcast<T>(value: T): Broadcast<T> {
    this.assertActive();
    const id = `${this.prefix}-v${++blockCounter}`;
    const shared = toShared(value);
    this.broadcasts.set(id, shared);
    return new Broadcast(id, shared, (bid) => {
      this.broadcasts.delete(bid);
      if (!this.stopped) this.executor.drop([], [bid]);
    });
  }

  broadcastValue(id: string): unknown {
    if (!this.broadcasts.has(id)) throw new Error(`Broadcast ${id} was destroyed or never created`);
    return this.broadcasts.get(id);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.executor.stop();
    this.blocks.clear();
    this.broadcasts.clear();
  }

  private assertActive(): void {
    if (this.stopped) throw new Error('This session has been stopped; create a new one with Session.builder().getOrCreate()');
  }
}
