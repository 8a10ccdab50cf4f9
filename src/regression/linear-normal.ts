// Spark's WeightedLeastSquares on the driver: the normal equations of weighted least squares with
// elastic-net regularization, solved in standardized space from the statistics of one pass.
//
// Spark builds the uncentered system [[AᵀWA, Aᵀw], [wᵀA, Σw]] with an intercept column; we solve the
// equivalent centered system (its Schur complement), from a centered scatter matrix, which gives the
// same solution without cancellation. L2 only: Cholesky, falling back to L-BFGS when the matrix is
// singular. With an L1 part: OWL-QN on the same quadratic.
import { choleskyFactorInPlace, choleskyInverse, choleskySolveFactored } from '../linalg/solvers.js';
import { minimizeLBFGS, minimizeOWLQN } from '../optim/index.js';
import type { Scatter } from '../feature/pca.kernels.js';

export interface NormalEquationOptions {
  fitIntercept: boolean;
  regParam: number;
  elasticNetParam: number;
  standardizeFeatures: boolean;
  standardizeLabel: boolean;
  maxIter: number;
  tol: number;
}

export interface NormalEquationSolution {
  coefficients: Float64Array;
  intercept: number;
  /** diag((AᵀWA)⁻¹) in the original space (intercept last), or [0] when the solver gave none. */
  diagInvAtWA: Float64Array;
  /** [0] for the direct solve, else the optimizer's objective history. */
  objectiveHistory: number[];
}

/** Relative pivot below which a Cholesky factorization counts as singular (LAPACK would fail near there). */
const SINGULAR_PIVOT = 1e-12;

/**
 * Solves from the weighted centered scatter of [features, label] (k = d + 1). Throws when the
 * weights sum to 0, or when a constant label without intercept is to be regularized.
 */
export async function solveNormalEquations(sc: Scatter, opts: NormalEquationOptions): Promise<NormalEquationSolution> {
  const d = sc.k - 1, k = sc.k, W = sc.weightSum;
  if (!(W > 0)) throw new Error('Sum of weights cannot be zero.');
  const S = sc.s;
  const aBar = sc.mean.subarray(0, d), bBar = sc.mean[d];
  const aStd = new Float64Array(d);
  for (let j = 0; j < d; j++) aStd[j] = Math.sqrt(Math.max(S[j * k + j] / W, 0));
  const rawBStd = Math.sqrt(Math.max(S[d * k + d] / W, 0));
  if (rawBStd === 0) {
    if (opts.fitIntercept || bBar === 0) {
      // Constant label: zero coefficients, intercept = the label (or all zeros); nothing to train.
      return { coefficients: new Float64Array(d), intercept: bBar, diagInvAtWA: Float64Array.of(0), objectiveHistory: [0] };
    }
    if (opts.regParam > 0 && opts.standardizeLabel) {
      throw new Error('The standard deviation of the label is zero. Model cannot be regularized when labels are standardized.');
    }
  }
  // A constant label is not scaled: bStd = |bBar| leaves it as it is.
  const bStd = rawBStd === 0 ? Math.abs(bBar) : rawBStd;
  const inv = (j: number) => (aStd[j] === 0 ? 0 : 1 / aStd[j]);

  // Second moments in standardized space: centered with an intercept, uncentered (about 0) without.
  const A = new Float64Array(d * d), ab = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const m = S[i * k + j] / W + (opts.fitIntercept ? 0 : aBar[i] * aBar[j]);
      A[i * d + j] = A[j * d + i] = m * inv(i) * inv(j);
    }
    ab[i] = (S[i * k + d] / W + (opts.fitIntercept ? 0 : aBar[i] * bBar)) * inv(i) / bStd;
  }
  const bb = (S[d * k + d] / W + (opts.fitIntercept ? 0 : bBar * bBar)) / (bStd * bStd);

  const effectiveRegParam = opts.regParam / bStd;
  const l1 = opts.elasticNetParam * effectiveRegParam;
  const l2 = (1 - opts.elasticNetParam) * effectiveRegParam;
  for (let j = 0; j < d; j++) {
    let lambda = l2;
    if (!opts.standardizeFeatures) lambda = aStd[j] !== 0 ? lambda / (aStd[j] * aStd[j]) : 0;
    if (!opts.standardizeLabel) lambda *= bStd;
    A[j * d + j] += lambda;
  }

  let beta: Float64Array | null = null;
  let objectiveHistory = [0];
  let diagInv: Float64Array | null = null;
  const useQuasiNewton = opts.elasticNetParam !== 0 && opts.regParam !== 0;
  if (!useQuasiNewton) beta = choleskyOrNull(d, A, ab);
  if (beta === null) {
    const l1Strength = l1 === 0 ? null : Float64Array.from({ length: d }, (_, j) =>
      opts.standardizeFeatures ? l1 : aStd[j] !== 0 ? l1 / aStd[j] : 0);
    const res = await quadraticMinimum(d, A, ab, bb, l1Strength, opts.maxIter, opts.tol);
    beta = res.x;
    objectiveHistory = res.objectiveHistory;
  } else {
    const P = choleskyInverse(d, A);
    if (P) {
      diagInv = new Float64Array(opts.fitIntercept ? d + 1 : d);
      for (let j = 0; j < d; j++) diagInv[j] = P[j * d + j] / (W * aStd[j] * aStd[j]);
      if (opts.fitIntercept) {
        // The intercept's entry of the inverse of the augmented matrix: 1 + āᵀ·P·ā (standardized ā).
        let q = 0;
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) q += aBar[i] * inv(i) * P[i * d + j] * aBar[j] * inv(j);
        diagInv[d] = (1 + q) / W;
      }
    }
  }
  const coefficients = new Float64Array(d);
  let interceptStd = bBar / bStd;
  for (let j = 0; j < d; j++) {
    coefficients[j] = beta[j] * (aStd[j] !== 0 ? bStd / aStd[j] : 0);
    interceptStd -= aBar[j] * inv(j) * beta[j];
  }
  return {
    coefficients,
    intercept: opts.fitIntercept ? interceptStd * bStd : 0,
    diagInvAtWA: diagInv ?? Float64Array.of(0),
    objectiveHistory,
  };
}

/** A⁻¹b by Cholesky, or null when A is (numerically) singular. */
function choleskyOrNull(d: number, A: Float64Array, b: Float64Array): Float64Array | null {
  const L = A.slice();
  if (!choleskyFactorInPlace(d, L)) return null;
  for (let j = 0; j < d; j++) {
    const pivot = L[j * d + j];
    if (!(pivot * pivot > SINGULAR_PIVOT * Math.max(A[j * d + j], Number.MIN_VALUE))) return null;
  }
  const x = b.slice();
  choleskySolveFactored(d, L, x);
  return x.every(Number.isFinite) ? x : null;
}

/**
 * min ½bb − abᵀx + ½xᵀAx (+ Σ l1ⱼ|xⱼ|) by L-BFGS or OWL-QN from 0, as Spark's QuasiNewtonSolver
 * (its objective history is the optimizer's), then polished by coordinate descent, glmnet's own
 * algorithm: on an ill-conditioned system (correlated features) OWL-QN's orthant-wise steps crawl
 * and Spark's relative stopping test on `tol` can leave it 1e-2 from glmnet's solution. The polish
 * costs d×d work per sweep on the driver, no pass over the data.
 */
async function quadraticMinimum(
  d: number, A: Float64Array, ab: Float64Array, bb: number, l1: Float64Array | null, maxIter: number, tol: number,
): Promise<{ x: Float64Array; objectiveHistory: number[] }> {
  const f = async (x: Float64Array) => {
    const grad = new Float64Array(d);
    let loss = 0.5 * bb;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += A[i * d + j] * x[j];
      loss += 0.5 * x[i] * s - ab[i] * x[i];
      grad[i] = s - ab[i];
    }
    return { loss, grad };
  };
  if (d === 0) return { x: new Float64Array(0), objectiveHistory: [0.5 * bb] };
  const x0 = new Float64Array(d);
  const res = l1 ? await minimizeOWLQN(f, x0, l1, { maxIter, tol }) : await minimizeLBFGS(f, x0, { maxIter, tol });
  const x = res.x.slice();
  coordinateDescent(d, A, ab, l1, x);
  return { x, objectiveHistory: res.objectiveHistory };
}

/** Cyclic coordinate descent on ½xᵀAx − abᵀx + Σ l1ⱼ|xⱼ| from x (updated in place), to rounding. */
export function coordinateDescent(d: number, A: Float64Array, ab: Float64Array, l1: Float64Array | null, x: Float64Array): void {
  const Ax = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += A[i * d + j] * x[j];
    Ax[i] = s;
  }
  const maxSweeps = Math.max(100, Math.min(100000, Math.floor(1e9 / Math.max(1, d * d))));
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let maxDelta = 0, maxX = 0;
    for (let j = 0; j < d; j++) {
      const ajj = A[j * d + j];
      if (!(ajj > 0)) continue; // a zero row: x_j does not change the objective
      const r = ab[j] - Ax[j] + ajj * x[j];
      const lambda = l1 ? l1[j] : 0;
      const next = (r > lambda ? r - lambda : r < -lambda ? r + lambda : 0) / ajj;
      const delta = next - x[j];
      if (delta !== 0) {
        for (let i = 0; i < d; i++) Ax[i] += delta * A[i * d + j];
        x[j] = next;
      }
      maxDelta = Math.max(maxDelta, Math.abs(delta) * Math.sqrt(ajj));
      maxX = Math.max(maxX, Math.abs(next) * Math.sqrt(ajj));
    }
    if (maxDelta <= 1e-15 * Math.max(1, maxX)) return;
  }
}
