// Every kernel and column mapper of the tree learner and tree models (imported by src/kernels.ts).
import './dataset.kernels.js';
import './learner.kernels.js';
import './predict.kernels.js';
import './gbt.kernels.js';
