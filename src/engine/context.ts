// The engine core of a session (Spark's SparkContext): the executor backend, the shared-memory
// block store, broadcasts, and jobs made of one stage of tasks.
import { randomUUID } from 'node:crypto';
import { Broadcast, toShared } from './broadcast.js';
import { InlineExecutor } from './inline-executor.js';
import { WorkerPool } from './worker-pool.js';
import { treeMerge } from './aggregate.js';
import type { Executor, PayloadSource, StageMetrics, TaskSpec } from './executor.js';
import type { MasterSpec } from './conf.js';
import type { PartitionPlan } from './protocol.js';

export interface EngineOptions {
  master: MasterSpec;
  maxTaskFailures: number;
  workerHeapMb?: number;
}

interface BlockEntry { buffer: SharedArrayBuffer; bytes: number }

let blockCounter = 0;

const heldBlocks = new FinalizationRegistry<{ engine: EngineContext; ids: string[] }>(({ engine, ids }) => {
  if (!engine.isStopped) engine.releaseBlocks(ids);
});

export class EngineContext implements PayloadSource {
  readonly executor: Executor;
  private readonly blocks = new Map<string, BlockEntry>();
  private readonly broadcasts = new Map<string, unknown>();
  private readonly prefix = randomUUID().slice(0, 8);
  private stopped = false;
  lastStageMetrics: StageMetrics | null = null;

  constructor(readonly options: EngineOptions) {
    this.executor = options.master.mode === 'inline'
      ? new InlineExecutor(this)
      : new WorkerPool(this, { threads: options.master.threads, maxTaskFailures: options.maxTaskFailures, workerHeapMb: options.workerHeapMb });
  }

  get parallelism(): number { return this.executor.parallelism; }
  get isStopped(): boolean { return this.stopped; }

  /** Runs one task per plan and returns the kernel results in partition order. */
  async runJob<R = unknown>(kernel: string, plans: PartitionPlan[], params: unknown | ((index: number) => unknown) = null): Promise<R[]> {
    this.assertActive();
    const tasks: TaskSpec[] = plans.map((plan, index) => ({
      kernel, partition: { index, plan }, params: typeof params === 'function' ? (params as (i: number) => unknown)(index) : params,
    }));
    const { results, metrics } = await this.executor.runStage(tasks);
    this.lastStageMetrics = metrics;
    return results as R[];
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

  putBlock(buffer: SharedArrayBuffer): string {
    const id = `${this.prefix}-b${++blockCounter}`;
    this.blocks.set(id, { buffer, bytes: buffer.byteLength });
    return id;
  }

  blockBuffer(id: string): SharedArrayBuffer {
    const b = this.blocks.get(id);
    if (!b) throw new Error(`Block ${id} is no longer available (unpersisted or released)`);
    return b.buffer;
  }

  hasBlock(id: string): boolean { return this.blocks.has(id); }

  blockBytesOf(id: string): number { return this.blocks.get(id)?.bytes ?? 0; }

  releaseBlocks(ids: string[]): void {
    const gone = ids.filter((id) => this.blocks.delete(id));
    if (gone.length && !this.stopped) this.executor.drop(gone, []);
  }

  /** Releases `ids` once `owner` (the DataFrame node that produced them) is garbage-collected. */
  holdBlocks(owner: object, ids: string[]): void { heldBlocks.register(owner, { engine: this, ids }); }

  /** Bytes held in shared-memory blocks. */
  get blockBytes(): number {
    let total = 0;
    for (const b of this.blocks.values()) total += b.bytes;
    return total;
  }

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
