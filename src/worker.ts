// Executor thread entry: load the built-in kernels, then serve tasks.
import './kernels.js';
import { startExecutorThread } from './engine/worker.js';

await startExecutorThread();
