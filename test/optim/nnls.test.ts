import fc from 'fast-check';
import { Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { nnls, NNLSWorkspace } from '../../src/optim/index.js';
import { lipschitz, maxAbsDiff, quadraticArb, quadraticGrad, quadraticValue, type Quadratic } from './problems.js';

/**
 * Reference: the optimum of min ½xᵀAx − bᵀx over x ≥ 0 (A SPD) is, for some support P, the
 * unconstrained optimum on P with zeros elsewhere. Enumerate all 2^k supports, keep the
 * feasible candidates, return the one with the least objective.
 */
function bruteForce(q: Quadratic): Float64Array {
  const k = q.n;
  let best = new Float64Array(k);
  let bestValue = 0; // x = 0 is always feasible, with value 0
  for (let mask = 1; mask < 1 << k; mask++) {
    const P = [...Array(k).keys()].filter((i) => mask & (1 << i));
    const A = new Matrix(P.length, P.length);
    P.forEach((i, a) => P.forEach((j, b) => A.set(a, b, q.A[i * k + j])));
    const xp = solve(A, Matrix.columnVector(P.map((i) => q.b[i]))).getColumn(0);
    if (xp.some((v) => v < 0)) continue;
    const x = new Float64Array(k);
    P.forEach((i, a) => (x[i] = xp[a]));
    const v = quadraticValue(q, x);
    if (v < bestValue) {
      bestValue = v;
      best = x;
    }
  }
  return best;
}

describe('nnls', () => {
  it('matches a brute-force active-set enumeration on tiny problems', () => {
    // Spark's rule stops once ‖projected gradient‖ < 1e-6·‖x‖ on the problem scaled by
    // s = max diag(AᵀA), so the answer is not exact: we check (1) that rule, through the natural
    // residual r(x) = x − max(x − ∇f(x), 0) (‖r‖ ≤ ‖projected gradient‖), and (2) the error
    // bound ‖x − x*‖ ≤ (1 + L)/μ·‖r(x)‖ for a μ-strongly convex quadratic with L-Lipschitz
    // gradient (μ ≥ 0.2 here, L a Gershgorin bound), x* from the enumeration.
    fc.assert(
      fc.property(quadraticArb(5, 0.2), (q) => {
        const x = nnls(q.A, q.b, q.n);
        const ref = bruteForce(q);
        expect(x.every((v) => v >= 0)).toBe(true);
        const g = quadraticGrad(q, x);
        const r = Math.hypot(...x.map((v, i) => v - Math.max(v - g[i], 0)));
        let s = 0;
        for (let i = 0; i < q.n; i++) s = Math.max(s, q.A[i * q.n + i]);
        expect(r).toBeLessThanOrEqual(1e-6 * s * Math.hypot(...x) + 1e-12);
        expect(Math.hypot(...x.map((v, i) => v - ref[i]))).toBeLessThanOrEqual(((1 + lipschitz(q)) / 0.2) * r + 1e-12);
        // In absolute terms: observed errors stay below ~5e-6 relative; 1e-4 is a loose cap.
        expect(maxAbsDiff(x, ref)).toBeLessThan(1e-4 * (1 + Math.max(...ref)));
      }),
      { numRuns: 200 },
    );
  });

  it("reproduces Spark's NNLSSuite case with an active constraint", () => {
    // From Spark's NNLSSuite ("NNLS: nonnegativity constraint active"), tolerance 1e-3 as there.
    const ata = Float64Array.of(
      4.377, -3.531, -1.306, -0.139, 3.418,
      -3.531, 4.344, 0.934, 0.305, -2.14,
      -1.306, 0.934, 2.644, -0.203, -0.17,
      -0.139, 0.305, -0.203, 5.883, 1.428,
      3.418, -2.14, -0.17, 1.428, 4.684,
    );
    const atb = Float64Array.of(-1.632, 2.115, 1.094, -1.025, -0.636);
    const goodx = [0.13025, 0.54506, 0.2874, 0.0, 0.028628];
    const x = nnls(ata, atb, 5);
    for (let i = 0; i < 5; i++) {
      expect(Math.abs(x[i] - goodx[i])).toBeLessThan(1e-3);
      expect(x[i]).toBeGreaterThanOrEqual(0);
    }
  });

  it('returns A⁻¹b when it is non-negative (closed form)', () => {
    // A = [[2, 1], [1, 3]], b = A·(1, 2) = (4, 7): the unconstrained optimum (1, 2) is feasible.
    const x = nnls(Float64Array.of(2, 1, 1, 3), Float64Array.of(4, 7), 2);
    expect(maxAbsDiff(x, Float64Array.of(1, 2))).toBeLessThan(1e-9);
    // b ≤ 0 with A having non-negative entries: x = 0 is optimal (the gradient −b ≥ 0 at 0).
    expect(Array.from(nnls(Float64Array.of(2, 1, 1, 3), Float64Array.of(-1, -2), 2))).toEqual([0, 0]);
  });

  it('reuses a workspace and an output array without changing the answer', () => {
    fc.assert(
      fc.property(fc.array(quadraticArb(4, 0.2).filter((q) => q.n === 4), { minLength: 2, maxLength: 6 }), (qs) => {
        const k = 4;
        const ws = new NNLSWorkspace(k);
        const out = new Float64Array(k);
        for (const q of qs) {
          const fresh = nnls(q.A, q.b, k);
          const reused = nnls(q.A, q.b, k, ws, out);
          expect(reused).toBe(out);
          expect(Array.from(reused)).toEqual(Array.from(fresh));
        }
      }),
      { numRuns: 50 },
    );
  });

  it('gives the same answer when AᵀA and Aᵀb are scaled by 1e9 (scale-invariant stopping)', () => {
    // Spark's fixed thresholds would stop at x = 0 here; the solution of the scaled system is
    // unchanged (closed form), so we expect the unscaled answer to 1e-9 relative.
    fc.assert(
      fc.property(quadraticArb(5, 0.2), (q) => {
        const x = nnls(q.A, q.b, q.n);
        const big = nnls(
          q.A.map((v) => v * 1e9),
          q.b.map((v) => v * 1e9),
          q.n,
        );
        expect(maxAbsDiff(big, x)).toBeLessThanOrEqual(1e-9 * (1 + Math.max(...x)));
      }),
      { numRuns: 50 },
    );
  });

  it('rejects mismatched sizes with clear errors', () => {
    expect(() => nnls(new Float64Array(3), new Float64Array(2), 2)).toThrow(/ata must hold k×k = 4 values, has 3/);
    expect(() => nnls(new Float64Array(4), new Float64Array(3), 2)).toThrow(/atb must hold k = 2 values, has 3/);
    expect(() => nnls(new Float64Array(4), new Float64Array(2), 2, new NNLSWorkspace(3))).toThrow(/workspace is for k = 3/);
    expect(() => new NNLSWorkspace(0)).toThrow(/k must be an integer ≥ 1/);
  });
});
