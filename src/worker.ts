// Executor thread entry: load the built-in kernels, then serve tasks.
import './kernels.js';
import { startExecutorThread } from './engine/worker.js';
import { registerTsxInWorker } from './engine/worker-tsx.js';

await registerTsxInWorker();
await startExecutorThread();
