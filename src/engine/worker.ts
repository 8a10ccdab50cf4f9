// Entry point of an executor thread: pulls tasks from the driver one at a time and answers with
// results or failures. Errors outside a task (a crash, process.exit, running out of memory) end
// the thread; the driver notices the exit, replaces the worker and retries the task.
import { parentPort } from 'node:worker_threads';
import { ExecutorRuntime, toTaskError, transferablesOf } from './runtime.js';
import { GarbageBudget } from './gc.js';
import type { DriverMessage, ExecutorMessage } from './protocol.js';

export async function startExecutorThread(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('startExecutorThread must run inside a worker thread');
  const runtime = new ExecutorRuntime();
  const garbage = new GarbageBudget(16 * 2 ** 20);
  const send = (msg: ExecutorMessage, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

  // Messages are handled strictly in order: an import must finish before the next task runs.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (msg: DriverMessage) => { chain = chain.then(() => handle(msg)); });

  async function handle(msg: DriverMessage): Promise<void> {
    switch (msg.type) {
      case 'import':
        for (const m of msg.modules) await import(m);
        return;
      case 'drop':
        // Let go of the shared memory soon, not at the next natural collection.
        garbage.add(runtime.drop(msg.blocks, msg.broadcasts));
        return;
      case 'task': {
        const started = performance.now();
        try {
          runtime.receive(msg.blocks, msg.broadcasts);
          const value = await runtime.run(msg.task);
          let transfer: ArrayBuffer[] = [];
          try { transfer = transferablesOf(value); } catch { transfer = []; }
          send({ type: 'result', taskId: msg.task.taskId, value, millis: performance.now() - started }, transfer);
        } catch (e) {
          send({ type: 'failed', taskId: msg.task.taskId, error: toTaskError(e) });
        }
      }
    }
  }
  send({ type: 'ready' });
}
