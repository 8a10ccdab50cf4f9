// Recommendation: alternating least squares.
export { ALS } from './als.js';
export { ALSModel, type FactorTable } from './als-model.js';
export { NormalEquation, CholeskySolver, NNLSSolver, type LeastSquaresSolver } from './normal-equation.js';
