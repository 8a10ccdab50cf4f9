// Entry point of an executor thread: pulls tasks from the driver one at a time and answers with
// results or failures. Errors outside a task (a crash, process.exit, running out of memory) end
// the thread; the driver notices the exit, replaces the worker and retries the task.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ExecutorRuntime, toTaskError, transferablesOf } from './runtime.js';
import { GarbageBudget } from './gc.js';
import type { DriverMessage, ExecutorMessage } from './protocol.js';

export async function startExecutorThread(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('startExecutorThread must run inside a worker thread');
  const runtime = new ExecutorRuntime();
  const garbage = new GarbageBudget(16 * 2 ** 20);
  const send = (msg: ExecutorMessage, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

  // After a task, poll for the next message for a moment before sleeping (OpenMP's spin-wait):
  // algorithms that run one short job after another (a tree level per job) send the next task
  // within a fraction of a millisecond, and a thread woken from sleep can take as long to start
  // again (a halted virtual CPU). Zero turns it off.
  const spinMillis = Number((workerData as { spinMicros?: number } | null)?.spinMicros ?? 0) / 1000;
  let queued = 0;

  // Messages are handled strictly in order: an import must finish before the next task runs.
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (msg: DriverMessage) => {
    queued++;
    chain = chain.then(() => handle(msg)).then(() => {
      if (--queued === 0 && msg.type === 'task' && spinMillis > 0) spinForNext();
    });
  };
  const spinForNext = () => {
    const deadline = performance.now() + spinMillis;
    while (performance.now() < deadline) {
      const next = receiveMessageOnPort(port);
      if (next) { enqueue(next.message as DriverMessage); return; }
    }
  };
  port.on('message', enqueue);

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
