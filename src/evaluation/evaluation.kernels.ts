// Every evaluation kernel, for src/kernels.ts (executors import this once at start-up).
import './binary.kernels.js';
import './multiclass.kernels.js';
import './regression.kernels.js';
import './clustering.kernels.js';
