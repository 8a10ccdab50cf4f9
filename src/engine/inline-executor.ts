// Runs kernels on the calling thread, one task after another: the debugging backend. Params and
// results are structured-cloned as a worker transport would, so a kernel that mutates what it was
// given or keeps references behaves exactly as it would on a worker.
import { broadcastsOfParams } from './protocol.js';
import { ExecutorRuntime, toTaskError } from './runtime.js';
import { TaskFailure, type Executor, type PayloadSource, type StageMetrics, type TaskSpec } from './executor.js';

export class InlineExecutor implements Executor {
  readonly parallelism = 1;
  private readonly runtime = new ExecutorRuntime();
  private stopped = false;
  // The same built-in kernels a worker thread loads at start-up.
  private builtins: Promise<unknown> | null = null;

  constructor(private readonly payloads: PayloadSource) {}

  async runStage(tasks: TaskSpec[]): Promise<{ results: unknown[]; metrics: StageMetrics }> {
    await (this.builtins ??= import(new URL(import.meta.url.endsWith('.ts') ? '../kernels.ts' : '../kernels.js', import.meta.url).href));
    const started = performance.now();
    const results: unknown[] = [];
    const taskMillis: number[] = [];
    for (let i = 0; i < tasks.length; i++) {
      if (this.stopped) throw new Error('Session stopped while a job was running');
      const spec = tasks[i];
      const t0 = performance.now();
      const prepared = this.payloads.preparePlan(spec.partition.plan);
      try {
        // Blocks may have been re-read from disk into new buffers since last time: always take the current ones.
        const blocks = [...new Set(prepared.blocks)].map((id) => ({ id, buffer: this.payloads.blockBuffer(id) }));
        this.runtime.drop(blocks.map((b) => b.id), []);
        const broadcasts = [...broadcastsOfParams([spec.params, prepared.plan])].map((id) => ({ id, value: this.payloads.broadcastValue(id) }));
        this.runtime.receive(blocks, broadcasts);
        const value = await this.runtime.run({ kernel: spec.kernel, partition: { index: spec.partition.index, plan: prepared.plan }, taskId: i, attempt: 0, params: structuredClone(spec.params) });
        results.push(structuredClone(value));
      } catch (e) {
        const err = toTaskError(e);
        throw new TaskFailure(spec.kernel, spec.partition.index, 1, err.message, err.stack, err.origin);
      } finally {
        this.payloads.releasePlan(prepared.blocks);
      }
      taskMillis.push(performance.now() - t0);
    }
    return { results, metrics: { tasks: tasks.length, taskMillis, wallMillis: performance.now() - started, retries: 0 } };
  }

  drop(blocks: string[], broadcasts: string[]): void { this.runtime.drop(blocks, broadcasts); }

  async importModules(urls: string[]): Promise<void> { for (const u of urls) await import(u); }

  async stop(): Promise<void> { this.stopped = true; }
}
