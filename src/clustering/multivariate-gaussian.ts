// Spark's ml.stat.distribution.MultivariateGaussian: a normal distribution whose covariance may be
// singular. Its density uses the eigendecomposition Σ = U·diag(λ)·Uᵀ: eigenvalues at or below
// tol = EPSILON·max(λ)·d count as zero, the log pseudo-determinant sums the logs of the others,
// and logpdf(x) = −½(d·log 2π + log pdet Σ) − ½‖diag(λ⁺^½)·Uᵀ(x − μ)‖².
import { DenseMatrix } from '../linalg/matrix.js';
import { symmetricEigen } from '../linalg/solvers.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';

/** Spark's MLUtils.EPSILON (2⁻⁵²). */
export const EPSILON = Number.EPSILON;

/** What the density needs, computed once per Gaussian: shipped to the kernels as plain arrays. */
export interface GaussianConstants {
  /** d×d row-major: row r is √(1/λ_r)·u_rᵀ (zero for λ_r ≤ tol). */
  root: Float64Array;
  /** −½(d·log 2π + log pdet Σ). */
  logNorm: number;
}

/** The constants of a Gaussian with covariance `cov` (d×d, symmetric; the upper triangle is read). */
export function gaussianConstants(d: number, cov: Float64Array): GaussianConstants {
  const { values, vectors } = symmetricEigen(d, cov);
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  const tol = EPSILON * max * d;
  let logPseudoDet = 0;
  let nonZero = 0;
  const root = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    const lambda = values[r];
    if (!(lambda > tol)) continue;
    nonZero++;
    logPseudoDet += Math.log(lambda);
    const s = Math.sqrt(1 / lambda);
    for (let i = 0; i < d; i++) root[r * d + i] = s * vectors[i * d + r];
  }
  if (nonZero === 0) throw new Error('Covariance matrix has no non-zero singular values');
  return { root, logNorm: -0.5 * (d * Math.log(2 * Math.PI) + logPseudoDet) };
}

/**
 * log density at x[xo..xo+d) of the Gaussian with mean `mean[mo..mo+d)`; `delta` is scratch of length d.
 */
export function logDensity(x: Float64Array, xo: number, mean: Float64Array, mo: number, c: GaussianConstants, d: number, delta: Float64Array): number {
  for (let j = 0; j < d; j++) delta[j] = x[xo + j] - mean[mo + j];
  let q = 0;
  const R = c.root;
  for (let r = 0; r < d; r++) {
    let v = 0;
    const o = r * d;
    for (let j = 0; j < d; j++) v += R[o + j] * delta[j];
    q += v * v;
  }
  return c.logNorm - 0.5 * q;
}

/**
 * Per-cluster membership probabilities as Spark's GaussianMixtureModel.computeProbabilities:
 * p_j = EPSILON + w_j·pdf_j(x), normalised to sum to one. Writes them to `out`; returns Σ p_j.
 */
export function membership(x: Float64Array, xo: number, weights: Float64Array, means: Float64Array, constants: GaussianConstants[], d: number,
  out: Float64Array, delta: Float64Array): number {
  const k = weights.length;
  let sum = 0;
  for (let j = 0; j < k; j++) {
    const p = EPSILON + weights[j] * Math.exp(logDensity(x, xo, means, j * d, constants[j], d, delta));
    out[j] = p;
    sum += p;
  }
  for (let j = 0; j < k; j++) out[j] /= sum;
  return sum;
}

/** A multivariate normal distribution N(mean, cov), as Spark's MultivariateGaussian. */
export class MultivariateGaussian {
  readonly mean: DenseVector;
  readonly cov: DenseMatrix;
  #constants: GaussianConstants | null = null;

  constructor(mean: Vector, cov: DenseMatrix) {
    const d = mean.size;
    if (cov.numRows !== d || cov.numCols !== d) {
      throw new Error(`MultivariateGaussian: the covariance must be ${d}×${d} (the mean's size), got ${cov.numRows}×${cov.numCols}`);
    }
    this.mean = new DenseVector(Float64Array.from(mean.toArray()));
    this.cov = new DenseMatrix(d, d, Float64Array.from(cov.toArray()));
  }

  get size(): number { return this.mean.size; }

  /** The covariance, d×d row-major (it is symmetric). */
  covArray(): Float64Array { return this.cov.rowMajorValues().slice(); }

  /** @internal Eigen-based constants of the density (computed on first use), as the kernels take them. */
  constants(): GaussianConstants {
    this.#constants ??= gaussianConstants(this.size, this.covArray());
    return this.#constants;
  }

  logpdf(x: Vector): number {
    if (x.size !== this.size) throw new Error(`MultivariateGaussian.logpdf: expected a vector of size ${this.size} but got ${x.size}`);
    return logDensity(x.toArray(), 0, this.mean.values, 0, this.constants(), this.size, new Float64Array(this.size));
  }

  pdf(x: Vector): number { return Math.exp(this.logpdf(x)); }
}
