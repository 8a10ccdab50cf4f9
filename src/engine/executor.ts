// The driver's view of an executor backend. A stage is a list of tasks, one per partition; the
// backend runs them (in any order, on any thread) and returns results in partition order.
import type { ErrorOrigin, PartitionPlan } from './protocol.js';

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

/**
 * A task that failed, said once: its message names the kernel and partition, or, when a stage's
 * column mapper failed while computing the task's input, that stage and its columns first. The
 * stack is the executor's (where it failed), not the driver's message plumbing.
 */
export class TaskFailure extends Error {
  /** The stage (uid) and columns whose computation failed, when the failure was in a column mapper. */
  declare readonly stage?: string;
  declare readonly columns?: string[];
  declare readonly executorStack?: string;

  constructor(readonly kernel: string, readonly partition: number, readonly attempts: number, cause: string, executorStack?: string,
    origin?: ErrorOrigin) {
    const times = attempts > 1 ? ` ${attempts} times` : '';
    super(origin
      ? `${origin.stage} failed computing column${origin.columns.length === 1 ? '' : 's'} ${origin.columns.map((c) => `'${c}'`).join(', ')} ` +
        `on partition ${partition} (input of kernel '${kernel}')${times}: ${cause}`
      : `Task for kernel '${kernel}' on partition ${partition} failed${times}: ${cause}`);
    this.name = 'TaskFailure';
    if (origin) Object.assign(this, { stage: origin.stage, columns: origin.columns });
    // Not enumerable, so that printing the error does not repeat the message a third time.
    Object.defineProperty(this, 'executorStack', { value: executorStack, enumerable: false });
    const frames = executorStack?.split('\n').filter((l) => /^\s+at /.test(l));
    if (frames?.length) this.stack = `${this.name}: ${this.message}\n${frames.join('\n')}`;
  }
}
