import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimizeLBFGSB, type DiffFunction } from '../../src/optim/index.js';
import {
  isNonIncreasing,
  lipschitz,
  maxAbsDiff,
  quadraticArb,
  quadraticGrad,
  quadraticObjective,
  quadraticOptimum,
  uniform,
  type Quadratic,
} from './problems.js';

interface Boxed {
  q: Quadratic;
  lower: Float64Array;
  upper: Float64Array;
  x0: Float64Array;
}

/**
 * A quadratic with λmin ≥ 0.5 and a random box: per coordinate no bound, one bound or two
 * (sometimes equal), placed around the origin so that they are often active at the optimum.
 */
const boxedArb: fc.Arbitrary<Boxed> = fc.tuple(quadraticArb(6, 0.5), fc.integer()).map(([q, seed]) => {
  const u = uniform(seed);
  const lower = new Float64Array(q.n);
  const upper = new Float64Array(q.n);
  const x0 = new Float64Array(q.n);
  for (let i = 0; i < q.n; i++) {
    const kind = Math.floor(u(0, 5));
    const l = u(-1.5, 0.5);
    lower[i] = kind === 0 || kind === 2 ? Number.NEGATIVE_INFINITY : l;
    upper[i] = kind === 0 || kind === 1 ? Number.POSITIVE_INFINITY : kind === 4 && u(0, 1) < 0.3 ? l : l + u(0, 2);
    if (kind === 2) upper[i] = l;
    x0[i] = Math.min(Math.max(u(-2, 2), lower[i]), upper[i]);
  }
  return { q, lower, upper, x0 };
});

function project(x: Float64Array, lower: Float64Array, upper: Float64Array): Float64Array {
  return x.map((v, i) => Math.min(Math.max(v, lower[i]), upper[i]));
}

/** ‖x − P(x − ∇f(x))‖₂, the projected-gradient residual: zero exactly at the constrained optimum. */
function residual(b: Boxed, x: Float64Array): number {
  const g = quadraticGrad(b.q, x);
  const p = project(
    x.map((v, i) => v - g[i]),
    b.lower,
    b.upper,
  );
  return Math.hypot(...x.map((v, i) => v - p[i]));
}

/**
 * Reference: projected gradient descent x ← P(x − ∇f(x)/L) with L a Gershgorin bound on λmax,
 * which converges linearly for a strongly convex quadratic; run until the iterates stop moving.
 */
function projectedGradient(b: Boxed): Float64Array {
  const L = lipschitz(b.q);
  let x: Float64Array = Float64Array.from(b.x0);
  for (let it = 0; it < 200000; it++) {
    const g = quadraticGrad(b.q, x);
    const next = project(
      x.map((v, i) => v - g[i] / L),
      b.lower,
      b.upper,
    );
    const moved = maxAbsDiff(next, x);
    x = next;
    if (moved === 0) break;
  }
  return x;
}

/** Wraps the objective to record whether any evaluated point left the box, and every point. */
function guarded(b: Boxed): DiffFunction & { outside: number; seen: { x: Float64Array; loss: number }[] } {
  const inner = quadraticObjective(b.q);
  const f = async (x: Float64Array) => {
    for (let i = 0; i < x.length; i++) if (!(x[i] >= b.lower[i] && x[i] <= b.upper[i])) state.outside++;
    const out = await inner(x);
    state.seen.push({ x: Float64Array.from(x), loss: out.loss });
    return out;
  };
  const state = Object.assign(f, { outside: 0, seen: [] as { x: Float64Array; loss: number }[] });
  return state;
}

/**
 * Extra evaluations the first line search may need: as Breeze, it tries a step of length 1 and
 * its zoom keeps each trial at least a tenth of the bracket from its ends, so reaching an accepted
 * point at distance s from x0 can take ceil(log10(1 / s)) trials more than a well-scaled search.
 */
function firstSearchExtra(f: { seen: { x: Float64Array; loss: number }[] }, x0: Float64Array, history: number[]): number {
  if (history.length < 2) return 0;
  const accepted = f.seen.find((p) => p.loss === history[1]);
  if (!accepted) return 0;
  const s = maxAbsDiff(accepted.x, x0);
  return s > 0 && s < 1 ? Math.ceil(Math.log10(1 / s)) : 0;
}

describe('minimizeLBFGSB', () => {
  it('matches a projected-gradient reference on random box-constrained quadratics', async () => {
    await fc.assert(
      fc.asyncProperty(boxedArb, async (b) => {
        const ref = projectedGradient(b);
        // Error bound for a μ-strongly convex quadratic with L-Lipschitz gradient:
        //   ‖x − x*‖ ≤ (1 + L)/μ · ‖x − P(x − ∇f(x))‖   (μ ≥ 0.5 here).
        const bound = (x: Float64Array) => ((1 + lipschitz(b.q)) / 0.5) * residual(b, x);

        // Spark's settings (pgtol 1e-5 as Breeze, tol 1e-6): must stop by a tolerance test.
        const f = guarded(b);
        const res = await minimizeLBFGSB(f, b.x0, b.lower, b.upper);
        expect(res.converged).toBe(true);
        expect(f.outside).toBe(0);
        expect(maxAbsDiff(res.x, ref)).toBeLessThanOrEqual(bound(res.x) + 1e-9);
        expect(isNonIncreasing(res.objectiveHistory)).toBe(true);
        expect(res.objectiveHistory).toHaveLength(res.iterations + 1);
        // The subspace step must use the curvature pairs: with it, 3000 random runs needed at
        // most 2n + 1 iterations; a Cauchy-point-only method needed up to 69.
        expect(res.iterations).toBeLessThanOrEqual(3 * b.q.n + 6);
        // Seed -660721966 (n = 1, x0 0.0045 from the optimum) took 5 evaluations for 1 iteration:
        // the first step of length 1 overshoots 200-fold and the zoom's tenth-of-bracket safeguard
        // needs two more trials, as Breeze's would.
        expect(res.evaluations).toBeLessThanOrEqual(2 * res.iterations + 2 + firstSearchExtra(f, b.x0, res.objectiveHistory));

        // Tight settings: within 1e-7 of the reference (the run may end by a failed line
        // search once value differences reach rounding, never by the iteration limit).
        const g = guarded(b);
        const tight = await minimizeLBFGSB(g, b.x0, b.lower, b.upper, { tol: 1e-12, pgtol: 1e-10 });
        expect(tight.reason).not.toBe('max iterations reached');
        expect(g.outside).toBe(0);
        expect(maxAbsDiff(tight.x, ref)).toBeLessThan(1e-7);
      }),
      { numRuns: 60 },
    );
  });

  it('with infinite bounds reaches the closed-form optimum A⁻¹b', async () => {
    await fc.assert(
      fc.asyncProperty(quadraticArb(6, 0.5), async (q) => {
        const inf = new Float64Array(q.n).fill(Number.POSITIVE_INFINITY);
        const res = await minimizeLBFGSB(quadraticObjective(q), new Float64Array(q.n), inf.map((v) => -v), inf, {
          tol: 1e-12,
          pgtol: 1e-10,
        });
        // ‖x − A⁻¹b‖ ≤ 2‖g‖ and the run stops at ‖g‖∞ < 1e-10 or at rounding level.
        expect(maxAbsDiff(res.x, quadraticOptimum(q))).toBeLessThan(1e-7);
      }),
      { numRuns: 30 },
    );
  });

  it('projects the centre of a separable quadratic onto the box (closed form)', async () => {
    // f = Σ wᵢ(xᵢ − cᵢ)², minimiser clip(c, lower, upper).
    const c = Float64Array.of(3, -2, 0.5, 10, -7);
    const w = Float64Array.of(1, 2, 0.5, 3, 1);
    const lower = Float64Array.of(-1, -1, -1, Number.NEGATIVE_INFINITY, -3);
    const upper = Float64Array.of(1, 1, 1, 4, Number.POSITIVE_INFINITY);
    const f: DiffFunction = async (x) => ({
      loss: x.reduce((s, v, i) => s + w[i] * (v - c[i]) ** 2, 0),
      grad: x.map((v, i) => 2 * w[i] * (v - c[i])),
    });
    const res = await minimizeLBFGSB(f, new Float64Array(5), lower, upper, { tol: 1e-12, pgtol: 1e-12 });
    expect(maxAbsDiff(res.x, Float64Array.of(1, -1, 0.5, 4, -3))).toBeLessThan(1e-10);
    expect(res.converged).toBe(true);
  });

  it('handles a non-quadratic objective: bounded Rosenbrock', async () => {
    // Rosenbrock with x₀ ≤ 0.5: the constrained minimiser is (0.5, 0.25) (closed form: on the
    // bound x₀ = 0.5 the best x₁ is x₀², and ∂f/∂x₀ = −2(1 − 0.5) < 0 there, pushing against it).
    const f: DiffFunction = async (x) => {
      const [a, b] = [x[0], x[1]];
      return {
        loss: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
        grad: Float64Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)),
      };
    };
    const res = await minimizeLBFGSB(
      f,
      Float64Array.of(-1.2, 1),
      Float64Array.of(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY),
      Float64Array.of(0.5, Number.POSITIVE_INFINITY),
      { maxIter: 200, tol: 1e-12, pgtol: 1e-10 },
    );
    expect(maxAbsDiff(res.x, Float64Array.of(0.5, 0.25))).toBeLessThan(1e-8);
    expect(isNonIncreasing(res.objectiveHistory)).toBe(true);
  });

  it('respects maxIter', async () => {
    const q = { n: 3, A: Float64Array.of(4, 1, 0, 1, 3, 1, 0, 1, 2), b: Float64Array.of(1, 2, 3) };
    const res = await minimizeLBFGSB(quadraticObjective(q), new Float64Array(3), new Float64Array(3).fill(-0.1), new Float64Array(3).fill(0.5), {
      maxIter: 1,
      pgtol: 0,
      tol: 0,
    });
    expect(res.iterations).toBe(1);
    expect(res.reason).toBe('max iterations reached');
    expect(res.objectiveHistory).toHaveLength(2);
  });

  it('rejects bad bounds, an infeasible start and NaN at x0 with clear errors', async () => {
    const q = { n: 2, A: Float64Array.of(1, 0, 0, 1), b: Float64Array.of(1, 1) };
    const f = quadraticObjective(q);
    const lo = Float64Array.of(0, 0);
    const hi = Float64Array.of(1, 1);
    await expect(minimizeLBFGSB(f, Float64Array.of(2, 0), lo, hi)).rejects.toThrow(/x0\[0\] = 2 lies outside its bounds \[0, 1\]/);
    await expect(minimizeLBFGSB(f, Float64Array.of(0, 0), hi, lo)).rejects.toThrow(/bounds for coordinate 0 are \[1, 0\]/);
    await expect(minimizeLBFGSB(f, Float64Array.of(0, 0), Float64Array.of(0, Number.NaN), hi)).rejects.toThrow(/coordinate 1/);
    await expect(minimizeLBFGSB(f, Float64Array.of(0, 0), new Float64Array(1), hi)).rejects.toThrow(/lower must be a Float64Array of length 2/);
    await expect(minimizeLBFGSB(f, Float64Array.of(0, 0), lo, hi, { pgtol: -1 })).rejects.toThrow(/pgtol must be/);
    const nan: DiffFunction = async () => ({ loss: Number.NaN, grad: new Float64Array(2) });
    await expect(minimizeLBFGSB(nan, Float64Array.of(0, 0), lo, hi)).rejects.toThrow(/minimizeLBFGSB: .*loss NaN at the initial point/);
  });
});
