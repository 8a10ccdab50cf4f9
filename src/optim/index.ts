export type { DiffFunction, FirstOrderOptions, IterationInfo, LossAndGradient, OptimResult } from './types.js';
export { minimizeLBFGS, type LBFGSOptions } from './lbfgs.js';
export { minimizeOWLQN, type L1Strength, type OWLQNOptions } from './owlqn.js';
export { minimizeLBFGSB, type LBFGSBOptions } from './lbfgsb.js';
export { nnls, NNLSWorkspace } from './nnls.js';
