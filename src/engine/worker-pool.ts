// A fixed pool of long-lived worker threads. Workers pull tasks from one queue; payloads (shared
// blocks, broadcasts) ride along with the first task that needs them on each worker and stay
// registered there. A worker that dies is replaced and its task retried up to maxTaskFailures.
import { Worker } from 'node:worker_threads';
import { broadcastsOfParams, type DriverMessage, type ExecutorMessage, type Task } from './protocol.js';
import { TaskFailure, type Executor, type PayloadSource, type StageMetrics, type TaskSpec } from './executor.js';

export interface WorkerPoolOptions {
  threads: number;
  maxTaskFailures: number;
  /** Heap limit per worker thread in MB (a worker over it dies and its task is retried). */
  workerHeapMb?: number;
  /** How long an executor polls for its next task after finishing one (quiver.executor.spinMicros). */
  spinMicros?: number;
}

interface Job {
  tasks: TaskSpec[];
  results: unknown[];
  remaining: number;
  taskMillis: number[];
  retries: number;
  failures: Map<number, number>;
  started: number;
  done: boolean;
  resolve(v: { results: unknown[]; metrics: StageMetrics }): void;
  reject(e: Error): void;
}

interface QueuedTask { job: Job; index: number; attempt: number }

interface WorkerSlot {
  worker: Worker;
  ready: boolean;
  current: QueuedTask | null;
  blocks: Set<string>;
  broadcasts: Set<string>;
  lastError: Error | null;
  retired: boolean;
}

/** Node options that shape how modules load and warn; workers need the same ones as the driver. */
const INHERITED_FLAGS = ['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C',
  '--enable-source-maps', '--no-warnings', '--no-deprecation', '--trace-warnings'];
const INHERITED_PREFIX = '--experimental-';
/** Options whose value may follow as a separate argument. */
const TAKES_VALUE = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C',
  '--input-type', '--title', '--eval', '-e', '--print', '-p']);

/**
 * The driver's options a worker should share. Workers reject V8 options (--max-old-space-size) and
 * entry-only ones (--input-type for `node -e`), so only module-loading and warning flags are kept.
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.split('=')[0];
    const separateValue = TAKES_VALUE.has(name) && !arg.includes('=') && i + 1 < argv.length;
    if (INHERITED_FLAGS.includes(name) || name.startsWith(INHERITED_PREFIX)) {
      out.push(arg);
      if (separateValue) out.push(argv[i + 1]);
    }
    if (separateValue) i++;
  }
  return out;
}

let nextTaskId = 1;
const MAX_START_FAILURES = 3;

function workerEntry(): URL {
  // From dist/ the compiled worker runs directly; from the TypeScript sources it goes through tsx.
  return import.meta.url.endsWith('.ts') ? new URL('../worker-ts.mjs', import.meta.url) : new URL('../worker.js', import.meta.url);
}

export class WorkerPool implements Executor {
  readonly parallelism: number;
  private readonly slots: WorkerSlot[] = [];
  private readonly queue: QueuedTask[] = [];
  private readonly running = new Map<number, { slot: WorkerSlot; task: QueuedTask; pinned: string[] }>();
  private modules: string[] = [];
  private stopped = false;
  private startFailures = 0;
  private broken: Error | null = null;

  constructor(private readonly payloads: PayloadSource, private readonly options: WorkerPoolOptions) {
    this.parallelism = options.threads;
    for (let i = 0; i < options.threads; i++) this.slots.push(this.spawn());
    this.updateRefs();
  }

  runStage(tasks: TaskSpec[]): Promise<{ results: unknown[]; metrics: StageMetrics }> {
    if (this.stopped) return Promise.reject(new Error('Session is stopped'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      const job: Job = {
        tasks, results: new Array(tasks.length), remaining: tasks.length, taskMillis: new Array(tasks.length).fill(0),
        retries: 0, failures: new Map(), started: performance.now(), done: false, resolve, reject,
      };
      if (tasks.length === 0) { this.finish(job); return; }
      for (let i = 0; i < tasks.length; i++) this.queue.push({ job, index: i, attempt: 0 });
      this.updateRefs();
      this.dispatch();
    });
  }

  drop(blocks: string[], broadcasts: string[]): void {
    for (const slot of this.slots) {
      const b = blocks.filter((id) => slot.blocks.delete(id));
      const c = broadcasts.filter((id) => slot.broadcasts.delete(id));
      if (b.length || c.length) this.post(slot, { type: 'drop', blocks: b, broadcasts: c });
    }
  }

  async importModules(urls: string[]): Promise<void> {
    const fresh = urls.filter((u) => !this.modules.includes(u));
    this.modules.push(...fresh);
    for (const slot of this.slots) this.post(slot, { type: 'import', modules: fresh });
    // Imports are ordered before later tasks on each worker, so nothing to await here; but load
    // them in the driver too, so an import error surfaces at once with its own message.
    for (const u of fresh) await import(u);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pending = new Set<Job>([...this.queue.map((q) => q.job), ...[...this.running.values()].map((r) => r.task.job)]);
    this.queue.length = 0;
    for (const id of [...this.running.keys()]) this.endTask(id);
    for (const job of pending) this.fail(job, new Error('Session stopped while a job was running'));
    await Promise.all(this.slots.map((s) => { s.retired = true; return s.worker.terminate(); }));
  }

  // --- scheduling ----------------------------------------------------------------------------

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.current || slot.retired) continue;
      const next = this.queue.shift()!;
      if (next.job.done) continue;
      this.send(slot, next);
    }
  }

  private send(slot: WorkerSlot, queued: QueuedTask): void {
    const spec = queued.job.tasks[queued.index];
    let prepared: { plan: Task['partition']['plan']; blocks: string[] };
    let blocks, broadcasts;
    try {
      prepared = this.payloads.preparePlan(spec.partition.plan);
    } catch (e) {
      this.fail(queued.job, e as Error);
      this.dispatch();
      return;
    }
    const task: Task = { taskId: nextTaskId++, kernel: spec.kernel, partition: { index: spec.partition.index, plan: prepared.plan }, params: spec.params, attempt: queued.attempt };
    slot.current = queued;
    this.running.set(task.taskId, { slot, task: queued, pinned: prepared.blocks });
    try {
      blocks = [...new Set(prepared.blocks)].filter((id) => !slot.blocks.has(id))
        .map((id) => ({ id, buffer: this.payloads.blockBuffer(id) }));
      broadcasts = [...broadcastsOfParams([spec.params, prepared.plan])].filter((id) => !slot.broadcasts.has(id))
        .map((id) => ({ id, value: this.payloads.broadcastValue(id) }));
      this.post(slot, { type: 'task', task, blocks, broadcasts });
    } catch (e) {
      // A missing payload or params that cannot be cloned are caller errors, not worker failures.
      this.endTask(task.taskId);
      this.fail(queued.job, new Error(`Cannot send task for kernel '${spec.kernel}' on partition ${spec.partition.index}: ${(e as Error).message}`));
      this.dispatch();
      return;
    }
    for (const b of blocks) slot.blocks.add(b.id);
    for (const b of broadcasts) slot.broadcasts.add(b.id);
  }

  /** Forgets a running task and lets go of the blocks it pinned. */
  private endTask(taskId: number): void {
    const r = this.running.get(taskId);
    if (!r) return;
    this.running.delete(taskId);
    if (r.slot.current === r.task) r.slot.current = null;
    this.payloads.releasePlan(r.pinned);
  }

  private onMessage(slot: WorkerSlot, msg: ExecutorMessage): void {
    if (msg.type === 'ready') { slot.ready = true; this.dispatch(); return; }
    const entry = this.running.get(msg.taskId);
    if (!entry) return; // a task of a job that already failed or was stopped
    this.endTask(msg.taskId);
    const { job, index, attempt } = entry.task;
    if (!job.done) {
      if (msg.type === 'result') {
        job.results[index] = msg.value;
        job.taskMillis[index] = msg.millis;
        if (--job.remaining === 0) this.finish(job);
      } else {
        // An exception inside a kernel is deterministic (bad input, a bug): fail at once.
        const spec = job.tasks[index];
        this.fail(job, new TaskFailure(spec.kernel, spec.partition.index, attempt + 1, msg.error.message, msg.error.stack, msg.error.origin));
      }
    }
    this.dispatch();
  }

  private onExit(slot: WorkerSlot, code: number): void {
    if (slot.retired || this.stopped) return;
    slot.retired = true;
    const cause = slot.lastError ? `${slot.lastError.message}` : `worker thread exited with code ${code}`;
    if (!slot.ready) {
      // A worker that cannot even start will not start next time either: fail instead of respawning forever.
      if (++this.startFailures >= MAX_START_FAILURES) { this.failEverything(new Error(`Executor threads cannot start: ${cause}`)); return; }
    } else {
      this.startFailures = 0;
    }
    const i = this.slots.indexOf(slot);
    this.slots[i] = this.spawn();
    const lost = slot.current;
    if (lost) {
      for (const [id, r] of this.running) if (r.slot === slot) this.endTask(id);
      const { job, index } = lost;
      if (!job.done) {
        const failures = (job.failures.get(index) ?? 0) + 1;
        job.failures.set(index, failures);
        if (failures >= this.options.maxTaskFailures) {
          const spec = job.tasks[index];
          this.fail(job, new TaskFailure(spec.kernel, spec.partition.index, failures, `executor died: ${cause}`));
        } else {
          job.retries++;
          this.queue.unshift({ job, index, attempt: lost.attempt + 1 });
        }
      }
    }
    this.updateRefs();
    this.dispatch();
  }

  private failEverything(error: Error): void {
    const pending = new Set<Job>([...this.queue.map((q) => q.job), ...[...this.running.values()].map((r) => r.task.job)]);
    this.queue.length = 0;
    for (const id of [...this.running.keys()]) this.endTask(id);
    for (const job of pending) this.fail(job, error);
    this.broken = error;
    for (const s of this.slots) { s.retired = true; void s.worker.terminate(); }
  }

  private finish(job: Job): void {
    job.done = true;
    const metrics = { tasks: job.tasks.length, taskMillis: job.taskMillis, wallMillis: performance.now() - job.started, retries: job.retries };
    job.resolve({ results: job.results, metrics });
    this.updateRefs();
  }

  private fail(job: Job, error: Error): void {
    if (job.done) return;
    job.done = true;
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].job === job) this.queue.splice(i, 1);
    job.reject(error);
    this.updateRefs();
  }

  // --- workers -------------------------------------------------------------------------------

  private spawn(): WorkerSlot {
    const limits = this.options.workerHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: this.options.workerHeapMb } } : {};
    const worker = new Worker(workerEntry(), {
      ...limits, execArgv: workerExecArgv(), stdout: false, stderr: false, workerData: { spinMicros: this.options.spinMicros ?? 0 },
    });
    const slot: WorkerSlot = { worker, ready: false, current: null, blocks: new Set(), broadcasts: new Set(), lastError: null, retired: false };
    worker.on('message', (m: ExecutorMessage) => this.onMessage(slot, m));
    worker.on('error', (e: Error) => { slot.lastError = e; });
    worker.on('messageerror', (e: Error) => { slot.lastError = e; void worker.terminate(); });
    worker.on('exit', (code) => this.onExit(slot, code));
    if (this.modules.length) this.post(slot, { type: 'import', modules: this.modules });
    if (this.busy()) worker.ref(); else worker.unref();
    return slot;
  }

  private post(slot: WorkerSlot, msg: DriverMessage): void { slot.worker.postMessage(msg); }

  private busy(): boolean { return this.queue.length > 0 || this.running.size > 0; }

  /** Idle workers must not keep the process alive: a program that forgets stop() still exits. */
  private updateRefs(): void {
    const busy = this.busy();
    for (const s of this.slots) if (!s.retired) { if (busy) s.worker.ref(); else s.worker.unref(); }
  }
}
