// Spark's ALS NormalEquation and its two least-squares solvers. The kernels build one normal
// equation per user or item: AᵀA (upper triangle, row-major k×k) and Aᵀb, then solve
// (AᵀA + λI)x = Aᵀb by Cholesky, or by NNLS when factors must be nonnegative.
import { gemvT, syrk, symmetrizeUpper } from '../linalg/blas.js';
import { choleskySolveInPlace } from '../linalg/solvers.js';
import { nnls, NNLSWorkspace } from '../optim/nnls.js';

export class NormalEquation {
  /** k×k row-major; only the upper triangle (diagonal included) is meaningful. */
  readonly ata: Float64Array;
  readonly atb: Float64Array;

  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`NormalEquation: k must be a positive integer, got ${k}`);
    this.ata = new Float64Array(k * k);
    this.atb = new Float64Array(k);
  }

  /** Adds c·a·aᵀ to AᵀA and b·a to Aᵀb (Spark's add(a, b, c)); c must be >= 0. */
  add(a: ArrayLike<number>, b: number, c = 1): this {
    const k = this.k;
    if (a.length !== k) throw new Error(`NormalEquation.add: expected a vector of size ${k} but got ${a.length}`);
    if (!(c >= 0)) throw new Error(`NormalEquation.add: the weight c must be >= 0 but got ${c}`);
    const { ata, atb } = this;
    for (let i = 0; i < k; i++) {
      const ci = c * a[i];
      for (let j = i; j < k; j++) ata[i * k + j] += ci * a[j];
      if (b !== 0) atb[i] += b * a[i];
    }
    return this;
  }

  /**
   * Adds the n rows of Y (row-major, from yOff): AᵀA += Yᵀ·diag(c)·Y and Aᵀb += Yᵀ·b, with c = 1
   * when `c` is null. The blocked form of n calls to `add`.
   */
  addRows(n: number, Y: Float64Array, b: Float64Array, c: Float64Array | null = null, yOff = 0): this {
    if (n === 0) return this;
    syrk(n, this.k, Y, this.ata, yOff, c ?? undefined);
    gemvT(n, this.k, Y, b, this.atb, yOff);
    return this;
  }

  merge(other: NormalEquation): this {
    if (other.k !== this.k) throw new Error(`NormalEquation.merge: cannot merge k = ${other.k} into k = ${this.k}`);
    for (let i = 0; i < this.ata.length; i++) this.ata[i] += other.ata[i];
    for (let i = 0; i < this.k; i++) this.atb[i] += other.atb[i];
    return this;
  }

  /** Sets AᵀA to a given k×k matrix's upper triangle (the implicit-feedback YᵀY) and Aᵀb to 0. */
  resetTo(yty: Float64Array): this {
    this.ata.set(yty.subarray(0, this.ata.length));
    this.atb.fill(0);
    return this;
  }

  reset(): void {
    this.ata.fill(0);
    this.atb.fill(0);
  }

  /** AᵀA's upper triangle packed column by column, as Spark stores it (for comparisons). */
  packedAta(): Float64Array {
    const k = this.k;
    const out = new Float64Array((k * (k + 1)) / 2);
    for (let j = 0, p = 0; j < k; j++) for (let i = 0; i <= j; i++) out[p++] = this.ata[i * k + j];
    return out;
  }
}

export interface LeastSquaresSolver {
  /** Solves (AᵀA + λI)x = Aᵀb into out[outOff..outOff+k), then resets the equation. Returns false if it cannot. */
  solveInto(ne: NormalEquation, lambda: number, out: Float64Array, outOff: number): boolean;
  solve(ne: NormalEquation, lambda: number): Float64Array;
}

/** Spark's CholeskySolver: AᵀA + λI is positive definite whenever λ > 0. */
export class CholeskySolver implements LeastSquaresSolver {
  solveInto(ne: NormalEquation, lambda: number, out: Float64Array, outOff: number): boolean {
    const { k, ata, atb } = ne;
    for (let i = 0; i < k; i++) ata[i * k + i] += lambda;
    const ok = choleskySolveInPlace(k, ata, atb);
    if (ok) for (let i = 0; i < k; i++) out[outOff + i] = atb[i];
    ne.reset();
    return ok;
  }

  solve(ne: NormalEquation, lambda: number): Float64Array {
    const x = new Float64Array(ne.k);
    if (!this.solveInto(ne, lambda, x, 0)) throw new Error('CholeskySolver: the normal equations are not positive definite');
    return x;
  }
}

/** Spark's NNLSSolver: min ½xᵀ(AᵀA + λI)x − xᵀAᵀb subject to x ≥ 0. */
export class NNLSSolver implements LeastSquaresSolver {
  #ws: NNLSWorkspace | null = null;
  #full: Float64Array | null = null;
  #x: Float64Array | null = null;

  solveInto(ne: NormalEquation, lambda: number, out: Float64Array, outOff: number): boolean {
    const k = ne.k;
    if (!this.#ws || this.#ws.k !== k) {
      this.#ws = new NNLSWorkspace(k);
      this.#full = new Float64Array(k * k);
      this.#x = new Float64Array(k);
    }
    const full = this.#full!;
    full.set(ne.ata);
    symmetrizeUpper(k, full);
    for (let i = 0; i < k; i++) full[i * k + i] += lambda;
    nnls(full, ne.atb, k, this.#ws, this.#x!);
    out.set(this.#x!, outOff);
    ne.reset();
    return true;
  }

  solve(ne: NormalEquation, lambda: number): Float64Array {
    const x = new Float64Array(ne.k);
    this.solveInto(ne, lambda, x, 0);
    return x;
  }
}
