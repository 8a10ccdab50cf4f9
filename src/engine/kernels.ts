// The kernel registry. A kernel is the code that runs inside an executor on one partition; it is
// registered by name so a task can name it. Kernel modules register themselves when imported; the
// executor imports the built-in set (src/kernels.ts) and any module added with Session.addKernelModule.
import type { RecordBatch } from 'apache-arrow';
import type { PartitionPlan } from './protocol.js';

export interface TaskContext {
  readonly partitionIndex: number;
  readonly attempt: number;
  /** Resolves a broadcast value shipped to this executor. */
  broadcast<T>(id: string): T;
  /** Computes another partition plan (used by inputs such as concatenations and shuffles). */
  compute(plan: PartitionPlan): Promise<RecordBatch>;
  /** Shared-memory block registered on this executor. */
  block(id: string): RecordBatch;
}

export type Kernel<P = any, R = unknown> = (batch: RecordBatch, params: P, ctx: TaskContext) => R | Promise<R>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Computes the batch of a plan node of a given kind (dataframe/plan.ts registers the kinds). */
export type InputResolver = (plan: PartitionPlan, ctx: TaskContext) => RecordBatch | Promise<RecordBatch>;

const kernels = new Map<string, Kernel>();
const inputs = new Map<string, InputResolver>();

export function registerKernel<P, R>(name: string, kernel: Kernel<P, R>): string {
  kernels.set(name, kernel as Kernel);
  return name;
}

export function getKernel(name: string): Kernel {
  const k = kernels.get(name);
  if (!k) {
    throw new Error(`Unknown kernel '${name}': it is not registered in this executor ` +
      `(kernels register when their module is imported; add custom modules with session.addKernelModule(url))`);
  }
  return k;
}

export function registerInput(kind: string, resolver: InputResolver): void { inputs.set(kind, resolver); }

export function getInput(kind: string): InputResolver {
  const r = inputs.get(kind);
  if (!r) throw new Error(`Unknown partition plan kind '${kind}'`);
  return r;
}

/**
 * Registers a treeAggregate fold: `seqOp(acc, batch, params, ctx)` folds one partition into the
 * zero value it receives (a fresh copy per task) and returns the partial.
 */
export function registerAggregator<T, P = unknown>(name: string, seqOp: (acc: T, batch: RecordBatch, params: P, ctx: TaskContext) => T | Promise<T>): string {
  return registerKernel<{ zero: T; params: P }, T>(name, (batch, { zero, params }, ctx) => seqOp(zero, batch, params, ctx));
}
