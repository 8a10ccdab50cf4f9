/**
 * The compact limited-memory BFGS matrix of Byrd, Nocedal & Schnabel (1994), used by L-BFGS-B:
 *   B = θI − W·M·Wᵀ,  W = [Y  θS] (n × 2k),  M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹,
 * where S, Y hold the last k ≤ m steps and gradient changes (oldest first), D = diag(sᵢᵀyᵢ) and
 * L is the strictly lower triangle of SᵀY. M is 2k × 2k, so it is inverted directly.
 */
import { inverse, Matrix } from 'ml-matrix';
import { dot } from '../linalg/blas.js';

/** Machine epsilon; a pair is kept only if sᵀy > EPS·yᵀy (L-BFGS-B's curvature test). */
const EPS = 2.220446049250313e-16;

export class CompactBFGS {
  private readonly s: Float64Array[] = [];
  private readonly y: Float64Array[] = [];
  theta = 1;
  /** M, 2k × 2k row-major. */
  private mInv = new Float64Array(0);

  constructor(private readonly m: number) {}

  /** Number of stored pairs k; W has 2k columns. */
  get pairs(): number {
    return this.s.length;
  }

  reset(): void {
    this.s.length = 0;
    this.y.length = 0;
    this.theta = 1;
    this.mInv = new Float64Array(0);
  }

  /** Adds a pair unless it fails the curvature test; returns whether it was kept. */
  push(s: Float64Array, y: Float64Array): boolean {
    const sy = dot(s, y);
    const yy = dot(y, y);
    if (!(sy > EPS * yy)) return false;
    if (this.s.length === this.m) {
      this.s.shift();
      this.y.shift();
    }
    this.s.push(s);
    this.y.push(y);
    this.theta = yy / sy;
    if (!this.rebuildM()) {
      // K singular in floating point: start over from the newest pair alone.
      this.s.splice(0, this.s.length - 1);
      this.y.splice(0, this.y.length - 1);
      this.rebuildM();
    }
    return true;
  }

  private rebuildM(): boolean {
    const k = this.s.length;
    const K = new Matrix(2 * k, 2 * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        const sy = dot(this.s[i], this.y[j]);
        if (i === j) {
          K.set(i, i, -sy);
        } else {
          K.set(k + i, j, sy); // L
          K.set(j, k + i, sy); // Lᵀ
        }
        const ss = this.theta * dot(this.s[i], this.s[j]);
        K.set(k + i, k + j, ss);
        K.set(k + j, k + i, ss);
      }
    }
    try {
      const inv = inverse(K);
      const out = new Float64Array(4 * k * k);
      for (let i = 0; i < 2 * k; i++) for (let j = 0; j < 2 * k; j++) out[i * 2 * k + j] = inv.get(i, j);
      if (!out.every(Number.isFinite)) return false;
      this.mInv = out;
      return true;
    } catch {
      return false;
    }
  }

  /** out = row `i` of W = [y₀ᵢ … y_{k−1}ᵢ, θs₀ᵢ … θs_{k−1}ᵢ]. */
  wRow(i: number, out: Float64Array): Float64Array {
    const k = this.s.length;
    for (let j = 0; j < k; j++) {
      out[j] = this.y[j][i];
      out[k + j] = this.theta * this.s[j][i];
    }
    return out;
  }

  /** out = Wᵀv. */
  wTimes(v: Float64Array, out: Float64Array): Float64Array {
    const k = this.s.length;
    for (let j = 0; j < k; j++) {
      out[j] = dot(this.y[j], v);
      out[k + j] = this.theta * dot(this.s[j], v);
    }
    return out;
  }

  /** out = M·v (v of length 2k). */
  mTimes(v: Float64Array, out: Float64Array): Float64Array {
    const w = 2 * this.s.length;
    for (let i = 0; i < w; i++) out[i] = dot(this.mInv, v, w, i * w, 0);
    return out;
  }
}
