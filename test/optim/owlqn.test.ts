import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimizeLBFGS, minimizeOWLQN, type DiffFunction } from '../../src/optim/index.js';
import { isNonIncreasing, maxAbsDiff, quadraticArb, quadraticObjective, quadraticOptimum, uniform } from './problems.js';

/**
 * Elastic-net least squares: F(w) = 1/(2N)‖Xw − y‖² + ρ/2‖w‖² + Σ λⱼ|wⱼ|, X row-major N×d.
 * The smooth part is what OWL-QN's objective returns; the L1 part is OWL-QN's to add.
 */
interface Lasso {
  N: number;
  d: number;
  X: Float64Array;
  y: Float64Array;
  rho: number;
  l1: Float64Array;
}

/** d and the seed from fast-check, entries uniform from the seeded stream; λⱼ in [0, 0.2], a quarter exactly 0. */
const lassoArb: fc.Arbitrary<Lasso> = fc.record({ d: fc.integer({ min: 1, max: 6 }), seed: fc.integer() }).map(({ d, seed }) => {
  const u = uniform(seed);
  const N = d + 4;
  return {
    N,
    d,
    X: Float64Array.from({ length: N * d }, () => u(-1, 1)),
    y: Float64Array.from({ length: N }, () => u(-2, 2)),
    rho: 0.05,
    l1: Float64Array.from({ length: d }, () => (u(0, 1) < 0.25 ? 0 : u(0, 0.2))),
  };
});

function smoothPart(p: Lasso): DiffFunction {
  return async (w) => {
    const grad = new Float64Array(p.d);
    let loss = 0;
    for (let i = 0; i < p.N; i++) {
      let r = -p.y[i];
      for (let j = 0; j < p.d; j++) r += p.X[i * p.d + j] * w[j];
      loss += (0.5 * r * r) / p.N;
      for (let j = 0; j < p.d; j++) grad[j] += (r * p.X[i * p.d + j]) / p.N;
    }
    for (let j = 0; j < p.d; j++) {
      loss += 0.5 * p.rho * w[j] * w[j];
      grad[j] += p.rho * w[j];
    }
    return { loss, grad };
  };
}

function objective(p: Lasso, w: Float64Array): number {
  let v = 0;
  for (let i = 0; i < p.N; i++) {
    let r = -p.y[i];
    for (let j = 0; j < p.d; j++) r += p.X[i * p.d + j] * w[j];
    v += (0.5 * r * r) / p.N;
  }
  for (let j = 0; j < p.d; j++) v += 0.5 * p.rho * w[j] * w[j] + p.l1[j] * Math.abs(w[j]);
  return v;
}

/**
 * Reference: cyclic coordinate descent with soft-thresholding, the textbook lasso solver
 * (Friedman, Hastie & Tibshirani 2010), swept until no coordinate moves by more than 1e-15.
 */
function coordinateDescent(p: Lasso): Float64Array {
  const w = new Float64Array(p.d);
  const r = Float64Array.from(p.y); // y − Xw
  const a = new Float64Array(p.d);
  for (let j = 0; j < p.d; j++) for (let i = 0; i < p.N; i++) a[j] += p.X[i * p.d + j] ** 2 / p.N;
  for (let sweep = 0; sweep < 200000; sweep++) {
    let moved = 0;
    for (let j = 0; j < p.d; j++) {
      let z = a[j] * w[j];
      for (let i = 0; i < p.N; i++) z += (p.X[i * p.d + j] * r[i]) / p.N;
      const soft = Math.sign(z) * Math.max(Math.abs(z) - p.l1[j], 0);
      const wj = soft / (a[j] + p.rho);
      const delta = wj - w[j];
      if (delta !== 0) {
        for (let i = 0; i < p.N; i++) r[i] -= delta * p.X[i * p.d + j];
        w[j] = wj;
        moved = Math.max(moved, Math.abs(delta));
      }
    }
    if (moved < 1e-15) break;
  }
  return w;
}

describe('minimizeOWLQN', () => {
  it('matches coordinate-descent lasso on random small least-squares problems', async () => {
    // F is ρ = 0.05 strongly convex, so ‖w − w*‖ ≤ ‖pseudo-gradient‖/ρ; the run stops at
    // ‖pg‖ ≤ 1e-8 (Breeze's floor), i.e. ‖w − w*‖ ≤ 2e-7. We allow 1e-6.
    await fc.assert(
      fc.asyncProperty(lassoArb, async (p) => {
        const res = await minimizeOWLQN(smoothPart(p), new Float64Array(p.d), p.l1, { tol: 1e-12, maxIter: 500 });
        const ref = coordinateDescent(p);
        expect(res.reason).not.toBe('max iterations reached');
        expect(maxAbsDiff(res.x, ref)).toBeLessThan(1e-6);
        // Coordinates the reference zeroes are exactly zero here too: the orthant projection
        // lands on 0 rather than near it.
        for (let j = 0; j < p.d; j++) if (ref[j] === 0 && p.l1[j] > 0) expect(res.x[j]).toBe(0);
        // loss and history include the penalty, as Spark's objective history does.
        expect(res.loss).toBeCloseTo(objective(p, res.x), 12);
        expect(res.objectiveHistory[0]).toBeCloseTo(objective(p, new Float64Array(p.d)), 12);
        expect(isNonIncreasing(res.objectiveHistory)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same run for l1 as an array and as a function of the index', async () => {
    const p: Lasso = {
      N: 5,
      d: 2,
      X: Float64Array.of(1, 0.5, -0.3, 1, 0.2, -0.7, 0.9, 0.1, -1, 0.4),
      y: Float64Array.of(1, -0.5, 0.3, 2, -1),
      rho: 0.05,
      l1: Float64Array.of(0.1, 0),
    };
    const a = await minimizeOWLQN(smoothPart(p), new Float64Array(2), p.l1);
    const b = await minimizeOWLQN(smoothPart(p), new Float64Array(2), (i) => (i === 0 ? 0.1 : 0));
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(b.objectiveHistory).toEqual(a.objectiveHistory);
  });

  it('with zero L1 reaches the closed-form optimum of a quadratic', async () => {
    // Same bound as for L-BFGS: λmin ≥ 0.5 and ‖g‖ ≤ 1e-8 give ‖x − A⁻¹b‖ ≤ 2e-8.
    await fc.assert(
      fc.asyncProperty(quadraticArb(6, 0.5), async (q) => {
        const res = await minimizeOWLQN(quadraticObjective(q), new Float64Array(q.n), new Float64Array(q.n), { tol: 1e-12 });
        expect(maxAbsDiff(res.x, quadraticOptimum(q))).toBeLessThan(1e-6);
      }),
      { numRuns: 30 },
    );
  });

  it('returns exactly zero when the penalty exceeds the gradient at zero', async () => {
    // Closed form: w = 0 is optimal iff |∂f(0)/∂wⱼ| ≤ λⱼ for all j. Here ∇f(0) = −b = (−1, 2).
    const q = { n: 2, A: Float64Array.of(2, 0.5, 0.5, 1), b: Float64Array.of(1, -2) };
    const res = await minimizeOWLQN(quadraticObjective(q), Float64Array.of(0.3, -0.2), Float64Array.of(1.5, 2.5));
    expect(Array.from(res.x)).toEqual([0, 0]);
    expect(res.converged).toBe(true);
  });

  it('solves a one-dimensional lasso to its soft-threshold closed form', async () => {
    // F(w) = ½(w − 3)² + |w| has minimiser S(3, 1) = 2; with λ = 4, S(3, 4) = 0.
    const f: DiffFunction = async (w) => ({ loss: 0.5 * (w[0] - 3) ** 2, grad: Float64Array.of(w[0] - 3) });
    const one = await minimizeOWLQN(f, Float64Array.of(-5), Float64Array.of(1), { tol: 1e-12 });
    expect(Math.abs(one.x[0] - 2)).toBeLessThan(1e-8);
    const four = await minimizeOWLQN(f, Float64Array.of(-5), Float64Array.of(4));
    expect(four.x[0]).toBe(0);
  });

  it('leaves an unpenalised coordinate free to change sign (λ = 0 coordinates are not orthant-constrained)', async () => {
    // f = ½(w₀ + 2)² + ½(w₁ − 1)², λ = (0, 0.5): optimum (−2, 0.5). From w₀ = 1 the intercept-like
    // coordinate must cross zero.
    const f: DiffFunction = async (w) => ({
      loss: 0.5 * (w[0] + 2) ** 2 + 0.5 * (w[1] - 1) ** 2,
      grad: Float64Array.of(w[0] + 2, w[1] - 1),
    });
    const firstCoordinate: number[] = [];
    const res = await minimizeOWLQN(f, Float64Array.of(1, 0), Float64Array.of(0, 0.5), {
      tol: 1e-12,
      onIteration: ({ x }) => void firstCoordinate.push(x[0]),
    });
    expect(maxAbsDiff(res.x, Float64Array.of(-2, 0.5))).toBeLessThan(1e-8);
    // Breeze would clip w₀ to exactly 0 on the step that crosses zero.
    expect(firstCoordinate).not.toContain(0);
  });

  it('agrees with L-BFGS on a smooth problem when l1 is zero (same optimum, both converge)', async () => {
    const f: DiffFunction = async (w) => ({
      loss: Math.log(Math.exp(w[0]) + Math.exp(-w[0])) + 0.1 * w[1] * w[1] + 0.5 * (w[1] - w[0]) ** 2,
      grad: Float64Array.of(Math.tanh(w[0]) - (w[1] - w[0]), 0.2 * w[1] + (w[1] - w[0])),
    });
    const a = await minimizeOWLQN(f, Float64Array.of(2, -1), new Float64Array(2), { tol: 1e-12 });
    const b = await minimizeLBFGS(f, Float64Array.of(2, -1), { tol: 1e-12 });
    // The optimum is (0, 0) (closed form: the gradient vanishes only there, f is strictly convex).
    expect(maxAbsDiff(a.x, new Float64Array(2))).toBeLessThan(1e-7);
    expect(maxAbsDiff(b.x, new Float64Array(2))).toBeLessThan(1e-7);
  });

  it('respects maxIter', async () => {
    const p: Lasso = {
      N: 4,
      d: 3,
      X: Float64Array.of(1, 2, 0, 0, 1, 3, 2, 0, 1, 1, 1, 1),
      y: Float64Array.of(1, 2, 3, 4),
      rho: 0.05,
      l1: Float64Array.of(0.01, 0.01, 0.01),
    };
    const res = await minimizeOWLQN(smoothPart(p), new Float64Array(3), p.l1, { maxIter: 2, tol: 0 });
    expect(res.iterations).toBe(2);
    expect(res.reason).toBe('max iterations reached');
    expect(res.objectiveHistory).toHaveLength(3);
  });

  it('rejects bad penalties and NaN at x0 with clear errors', async () => {
    const f: DiffFunction = async (w) => ({ loss: w[0] * w[0], grad: Float64Array.of(2 * w[0]) });
    await expect(minimizeOWLQN(f, Float64Array.of(1), Float64Array.of(-1))).rejects.toThrow(/l1 strength for coordinate 0 is -1/);
    await expect(minimizeOWLQN(f, Float64Array.of(1), () => Number.NaN)).rejects.toThrow(/l1 strength for coordinate 0 is NaN/);
    await expect(minimizeOWLQN(f, Float64Array.of(1), new Float64Array(2))).rejects.toThrow(/l1 has length 2, x0 has length 1/);
    const nan: DiffFunction = async () => ({ loss: Number.NaN, grad: new Float64Array(1) });
    await expect(minimizeOWLQN(nan, Float64Array.of(1), Float64Array.of(0.1))).rejects.toThrow(/minimizeOWLQN: .*loss NaN at the initial point/);
  });
});
