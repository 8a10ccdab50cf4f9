/**
 * Breeze's `LBFGS.ApproximateInverseHessian`: the last m steps s = x' − x and gradient changes
 * y = g' − g, applied to a gradient by the two-loop recursion (Nocedal & Wright Alg. 7.4) with
 * the initial scaling sᵀy / yᵀy of the newest pair. Storage is a ring of preallocated arrays.
 */
import { axpy, dot, scal } from '../linalg/blas.js';
import { SearchFailure } from './failure.js';

export class InverseHessianApprox {
  private readonly steps: Float64Array[] = [];
  private readonly gradDeltas: Float64Array[] = [];
  private readonly alphas: Float64Array;
  private readonly rhos: Float64Array;
  /** Ring index of the newest pair. */
  private newest = -1;
  private count = 0;

  constructor(
    private readonly n: number,
    private readonly m: number,
  ) {
    this.alphas = new Float64Array(m);
    this.rhos = new Float64Array(m);
  }

  get length(): number {
    return this.count;
  }

  reset(): void {
    this.count = 0;
    this.newest = -1;
  }

  /** Stores s = xNew − xOld and y = gNew − gOld, dropping the oldest pair beyond m. */
  push(xNew: Float64Array, xOld: Float64Array, gNew: Float64Array, gOld: Float64Array): void {
    const slot = (this.newest + 1) % this.m;
    if (this.steps.length <= slot) {
      this.steps.push(new Float64Array(this.n));
      this.gradDeltas.push(new Float64Array(this.n));
    }
    const s = this.steps[slot];
    const y = this.gradDeltas[slot];
    for (let i = 0; i < this.n; i++) {
      s[i] = xNew[i] - xOld[i];
      y[i] = gNew[i] - gOld[i];
    }
    this.newest = slot;
    this.count = Math.min(this.count + 1, this.m);
  }

  /**
   * Writes −H·g into `out` and returns it. Throws SearchFailure (Breeze's NaNHistory) when the
   * newest pair has no positive curvature or the recursion produces NaN.
   */
  descentDirection(g: Float64Array, out: Float64Array = new Float64Array(this.n)): Float64Array {
    out.set(g);
    const k = this.count;
    let diag = 1;
    if (k > 0) {
      const s = this.steps[this.newest];
      const y = this.gradDeltas[this.newest];
      const sy = dot(s, y);
      // Breeze rejects sy < 0 only; sy = 0 would give a zero direction and a wasted pass.
      if (!(sy > 0)) throw new SearchFailure(`curvature sᵀy = ${sy} is not positive`);
      diag = sy / dot(y, y);
    }
    // Newest to oldest.
    for (let j = 0; j < k; j++) {
      const slot = (this.newest - j + this.m) % this.m;
      const s = this.steps[slot];
      const y = this.gradDeltas[slot];
      this.rhos[j] = dot(s, y);
      const a = dot(s, out) / this.rhos[j];
      if (Number.isNaN(a)) throw new SearchFailure('NaN in the L-BFGS history');
      this.alphas[j] = a;
      axpy(-a, y, out);
    }
    scal(diag, out);
    // Oldest to newest.
    for (let j = k - 1; j >= 0; j--) {
      const slot = (this.newest - j + this.m) % this.m;
      const beta = dot(this.gradDeltas[slot], out) / this.rhos[j];
      axpy(this.alphas[j] - beta, this.steps[slot], out);
    }
    scal(-1, out);
    return out;
  }
}
