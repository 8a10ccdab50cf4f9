// The executor protocol: what a driver sends to an executor and what comes back. Everything here
// is plain structured-cloneable data, so the same messages can later travel between processes
// (cluster mode) — SharedArrayBuffers become byte payloads there.

/** How to compute one partition: an opaque, serialisable plan tree (see dataframe/plan.ts). */
export interface PartitionPlan { kind: string; [key: string]: unknown }

/** A unit of work: run `kernel` on one partition with small `params`. */
export interface Task {
  taskId: number;
  kernel: string;
  partition: { index: number; plan: PartitionPlan };
  params: unknown;
  attempt: number;
}

/** A block (cached partition, shuffle piece) as an Arrow IPC stream in shared memory. */
export interface BlockPayload { id: string; buffer: SharedArrayBuffer }
export interface BroadcastPayload { id: string; value: unknown }

export type DriverMessage =
  | { type: 'task'; task: Task; blocks: BlockPayload[]; broadcasts: BroadcastPayload[] }
  | { type: 'drop'; blocks: string[]; broadcasts: string[] }
  | { type: 'import'; modules: string[] };

export interface TaskError { name: string; message: string; stack?: string; origin?: ErrorOrigin }

/** The pipeline stage whose column mapper failed inside a task (the task's kernel only consumed its output). */
export interface ErrorOrigin { stage: string; columns: string[] }

export type ExecutorMessage =
  | { type: 'ready' }
  | { type: 'result'; taskId: number; value: unknown; millis: number }
  | { type: 'failed'; taskId: number; error: TaskError };

/** Reference to a broadcast value, resolved by the executor (`ctx.broadcast`). */
export interface BroadcastRef { $broadcast: string }

export const isBroadcastRef = (v: unknown): v is BroadcastRef =>
  typeof v === 'object' && v !== null && typeof (v as BroadcastRef).$broadcast === 'string';

/** Walks a plan tree and collects the ids of the blocks it reads. */
export function blocksOfPlan(plan: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(plan)) { for (const p of plan) blocksOfPlan(p, out); return out; }
  if (plan === null || typeof plan !== 'object' || ArrayBuffer.isView(plan)) return out;
  const node = plan as Record<string, unknown>;
  if (node.kind === 'block' && typeof node.id === 'string') out.add(node.id);
  for (const key in node) { const v = node[key]; if (v && typeof v === 'object') blocksOfPlan(v, out); }
  return out;
}

/** Collects the broadcast ids referenced anywhere in task params or plans. */
export function broadcastsOfParams(params: unknown, out: Set<string> = new Set()): Set<string> {
  if (params === null || typeof params !== 'object' || ArrayBuffer.isView(params)) return out;
  if (isBroadcastRef(params)) { out.add(params.$broadcast); return out; }
  if (Array.isArray(params)) { for (const p of params) broadcastsOfParams(p, out); return out; }
  for (const key in params as Record<string, unknown>) broadcastsOfParams((params as Record<string, unknown>)[key], out);
  return out;
}
