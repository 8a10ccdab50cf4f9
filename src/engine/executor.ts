// The driver's view of an executor backend. A stage is a list of tasks, one per partition; the
// backend runs them (in any order, on any thread) and returns results in partition order.
import type { PartitionPlan } from './protocol.js';

export interface TaskSpec {
  kernel: string;
  partition: { index: number; plan: PartitionPlan };
  params: unknown;
}

export interface StageMetrics { tasks: number; taskMillis: number[]; wallMillis: number; retries: number }

export interface Executor {
  /** Number of tasks that can run at once. */
  readonly parallelism: number;
  runStage(tasks: TaskSpec[]): Promise<{ results: unknown[]; metrics: StageMetrics }>;
  /** Asks executors to forget blocks and broadcasts (unpersist, destroy). */
  drop(blocks: string[], broadcasts: string[]): void;
  /** Loads a module of custom kernels into every executor, now and after any restart. */
  importModules(urls: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** Where the backend finds the payloads that plans and params refer to by id. */
export interface PayloadSource {
  blockBuffer(id: string): SharedArrayBuffer;
  broadcastValue(id: string): unknown;
  /** Pins the blocks a plan reads for the task's lifetime and resolves dropped cache blocks to their lineage. */
  preparePlan(plan: PartitionPlan): { plan: PartitionPlan; blocks: string[] };
  releasePlan(blocks: string[]): void;
}

export class TaskFailure extends Error {
  constructor(readonly kernel: string, readonly partition: number, readonly attempts: number, cause: string, readonly executorStack?: string) {
    super(`Task for kernel '${kernel}' on partition ${partition} failed` +
      (attempts > 1 ? ` ${attempts} times` : '') + `: ${cause}`);
    this.name = 'TaskFailure';
    if (executorStack) this.stack = `${this.stack}\nCaused by (executor): ${executorStack}`;
  }
}
