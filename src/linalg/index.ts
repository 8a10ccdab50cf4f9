/** Local linear algebra: vectors and matrices, Float64Array kernels, small solvers, random streams. */
export {
  DenseVector,
  SparseVector,
  Vectors,
  axpyVector,
  type Vector,
  type VectorJSON,
  type DenseVectorJSON,
  type SparseVectorJSON,
} from './vectors.js';
export { DenseMatrix, Matrices, type DenseMatrixJSON } from './matrix.js';
export { dot, axpy, scal, nrm2, gemv, gemvT, syrk, symmetrizeUpper, gemm } from './blas.js';
export {
  choleskyFactorInPlace,
  choleskySolveFactored,
  choleskySolveInPlace,
  choleskySolve,
  choleskyInverse,
  symmetricEigen,
  type SymmetricEigen,
} from './solvers.js';
export { randomStream, gaussian, poisson, randomInt, shuffleInPlace, logGamma, type Rng } from './random.js';
export { formatDouble, type JsonDouble } from './format.js';
export { isClose, assertAllClose, type Tolerance } from './tolerance.js';
