/**
 * Small dense solvers for the driver (and ALS's per-entity systems): d×d row-major Float64Arrays.
 *
 * All of them read only the UPPER triangle of the symmetric input (diagonal included), which is
 * what `syrk` fills, so a Gram matrix needs no `symmetrizeUpper` before it is solved.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

function checkSquare(op: string, d: number, A: Float64Array): void {
  if (!Number.isInteger(d) || d < 0) throw new RangeError(`${op}: d must be a non-negative integer, got ${d}`);
  if (A.length < d * d) throw new RangeError(`${op}: A has length ${A.length}, but a ${d}×${d} matrix needs ${d * d}`);
}

/**
 * Cholesky factorisation A = L·Lᵀ in place: reads the upper triangle of A and writes L into the
 * lower triangle and diagonal (the strictly upper part is left as it was). Returns false, with A
 * partly overwritten, when A is not positive definite (a pivot ≤ 0 or NaN).
 *
 * Hand-written rather than ml-matrix's CholeskyDecomposition: for the small d of normal equations and
 * ALS it avoids building Matrix objects, which costs more than the factorisation itself.
 */
export function choleskyFactorInPlace(d: number, A: Float64Array): boolean {
  checkSquare('choleskyFactorInPlace', d, A);
  for (let i = 0; i < d; i++) {
    const ri = i * d;
    for (let j = 0; j <= i; j++) {
      const rj = j * d;
      let s = A[rj + i]; // A(j, i) from the upper triangle, j ≤ i
      for (let k = 0; k < j; k++) s -= A[ri + k] * A[rj + k];
      if (j < i) {
        A[ri + j] = s / A[rj + j];
      } else {
        if (!(s > 0)) return false;
        A[ri + i] = Math.sqrt(s);
      }
    }
  }
  return true;
}

/** Solves L·Lᵀ·x = b in place of b, for L in the lower triangle of `L` (from choleskyFactorInPlace). */
export function choleskySolveFactored(d: number, L: Float64Array, b: Float64Array): void {
  checkSquare('choleskySolveFactored', d, L);
  if (b.length < d) throw new RangeError(`choleskySolveFactored: b has length ${b.length}, needs ${d}`);
  for (let i = 0; i < d; i++) {
    let s = b[i];
    const ri = i * d;
    for (let k = 0; k < i; k++) s -= L[ri + k] * b[k];
    b[i] = s / L[ri + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < d; k++) s -= L[k * d + i] * b[k];
    b[i] = s / L[i * d + i];
  }
}

/**
 * Solves A·x = b in place for symmetric positive definite A: A's lower triangle receives the Cholesky
 * factor and b the solution. Returns false when A is not positive definite. The allocation-free path
 * for solving many small systems (ALS).
 */
export function choleskySolveInPlace(d: number, A: Float64Array, b: Float64Array): boolean {
  if (!choleskyFactorInPlace(d, A)) return false;
  choleskySolveFactored(d, A, b);
  return true;
}

/**
 * x with A·x = b for symmetric positive definite A (row-major d×d, upper triangle read), or null
 * when A is not positive definite so that the caller can fall back (e.g. to a QR or an L-BFGS solve).
 * A and b are not modified.
 */
export function choleskySolve(d: number, A: Float64Array, b: Float64Array): Float64Array | null {
  checkSquare('choleskySolve', d, A);
  if (b.length < d) throw new RangeError(`choleskySolve: b has length ${b.length}, needs ${d}`);
  const L = A.slice(0, d * d);
  const x = b.slice(0, d);
  return choleskySolveInPlace(d, L, x) ? x : null;
}

/**
 * A⁻¹ (full row-major d×d) for symmetric positive definite A, or null when A is not positive definite.
 * Computed as L⁻ᵀ·L⁻¹ from the Cholesky factor, as LAPACK's dpotri (what Spark uses for the
 * coefficient standard errors of the normal-equation solver).
 */
export function choleskyInverse(d: number, A: Float64Array): Float64Array | null {
  checkSquare('choleskyInverse', d, A);
  const L = A.slice(0, d * d);
  if (!choleskyFactorInPlace(d, L)) return null;
  // M = L⁻¹ (lower triangular), by forward substitution column by column.
  const M = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    M[j * d + j] = 1 / L[j * d + j];
    for (let i = j + 1; i < d; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * d + k] * M[k * d + j];
      M[i * d + j] = s / L[i * d + i];
    }
  }
  // A⁻¹ = Mᵀ·M; entry (i, j) sums over rows k ≥ max(i, j), where M is nonzero.
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = j; k < d; k++) s += M[k * d + i] * M[k * d + j];
      inv[i * d + j] = s;
      inv[j * d + i] = s;
    }
  }
  return inv;
}

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** d×d row-major; column j is the unit eigenvector of values[j]. Signs are as the solver returns them. */
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric matrix (upper triangle read) by ml-matrix's
 * EigenvalueDecomposition with assumeSymmetric (Householder tridiagonalisation + QL, as JAMA).
 */
export function symmetricEigen(d: number, A: Float64Array): SymmetricEigen {
  checkSquare('symmetricEigen', d, A);
  if (d === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const M = new Matrix(d, d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = A[i * d + j];
      if (!Number.isFinite(v)) throw new RangeError(`symmetricEigen: A(${i}, ${j}) is ${v}; entries must be finite`);
      M.set(i, j, v);
      M.set(j, i, v);
    }
  }
  const evd = new EigenvalueDecomposition(M, { assumeSymmetric: true });
  const lambda = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const order = Array.from(lambda.keys()).sort((p, q) => lambda[q] - lambda[p] || p - q);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((src, j) => {
    values[j] = lambda[src];
    for (let i = 0; i < d; i++) vectors[i * d + j] = V.get(i, src);
  });
  return { values, vectors };
}
