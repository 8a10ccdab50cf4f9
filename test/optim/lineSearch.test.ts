import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConvergenceCheck } from '../../src/optim/convergence.js';
import { SearchFailure } from '../../src/optim/failure.js';
import { backtracking, strongWolfe, type LinePoint } from '../../src/optim/lineSearch.js';

/**
 * phi(t) = a(t − c)² + e·t⁴ with a, c > 0 and e ≥ 0, so phi'(0) = −2ac < 0; the first trial is
 * within a factor 20 of c, where Breeze's 10 bracketing steps (×1.5 each) can reach the minimum.
 */
const lineArb = fc
  .record({
    a: fc.double({ min: 0.01, max: 100, noNaN: true }),
    c: fc.double({ min: 0.01, max: 100, noNaN: true }),
    e: fc.double({ min: 0, max: 10, noNaN: true }),
    ratio: fc.double({ min: 0.05, max: 20, noNaN: true }),
  })
  .map(({ a, c, e, ratio }) => {
    const init = ratio * c;
    let calls = 0;
    const phi = async (t: number): Promise<LinePoint<null>> => {
      calls++;
      return { t, value: a * (t - c) ** 2 + e * t ** 4, deriv: 2 * a * (t - c) + 4 * e * t ** 3, payload: null };
    };
    const at0: LinePoint<null> = { t: 0, value: a * c * c, deriv: -2 * a * c, payload: null };
    return { phi, at0, init, calls: () => calls };
  });

describe('strongWolfe (Breeze StrongWolfeLineSearch)', () => {
  it('returns a point meeting the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9)', async () => {
    await fc.assert(
      fc.asyncProperty(lineArb, async ({ phi, at0, init }) => {
        const p = await strongWolfe(phi, at0, init, { maxZoomIter: 10, maxLineSearchIter: 10 });
        expect(p.value).toBeLessThanOrEqual(at0.value + 1e-4 * p.t * at0.deriv);
        expect(Math.abs(p.deriv)).toBeLessThanOrEqual(0.9 * Math.abs(at0.deriv));
      }),
      { numRuns: 300 },
    );
  });

  it('stays within the bound and returns it when sufficient decrease holds there', async () => {
    // phi(t) = (t − 10)²: the curvature condition fails at t ≤ 0.5, sufficient decrease holds.
    const phi = async (t: number): Promise<LinePoint<null>> => ({ t, value: (t - 10) ** 2, deriv: 2 * (t - 10), payload: null });
    const p = await strongWolfe(phi, await phi(0), 0.25, { maxZoomIter: 10, maxLineSearchIter: 10, bound: 0.5 });
    expect(p.t).toBe(0.5);
  });

  it('halves the step when the objective is NaN, then succeeds', async () => {
    // (t − 1)² for t < 3, NaN beyond: from t = 8 the halvings (8 → 4 → 2) reach a finite point,
    // where sufficient decrease fails (phi(2) = phi(0)), so the search zooms into [0, 2].
    const phi = async (t: number): Promise<LinePoint<null>> =>
      t < 3 ? { t, value: (t - 1) ** 2, deriv: 2 * (t - 1), payload: null } : { t, value: Number.NaN, deriv: Number.NaN, payload: null };
    const p = await strongWolfe(phi, await phi(0), 8, { maxZoomIter: 10, maxLineSearchIter: 10 });
    expect(p.t).toBeLessThan(3);
    expect(p.value).toBeLessThanOrEqual(1 - 1e-4 * p.t * 2);
  });

  it('fails with nonFinite set when every trial is NaN, and rejects ascent directions', async () => {
    const nan = async (t: number): Promise<LinePoint<null>> => ({ t, value: Number.NaN, deriv: Number.NaN, payload: null });
    const start: LinePoint<null> = { t: 0, value: 1, deriv: -1, payload: null };
    const err = await strongWolfe(nan, start, 1, { maxZoomIter: 10, maxLineSearchIter: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(SearchFailure);
    expect(err.nonFinite).toBe(true);
    await expect(strongWolfe(nan, { ...start, deriv: 1 }, 1, { maxZoomIter: 1, maxLineSearchIter: 1 })).rejects.toThrow(/non-descent/);
  });
});

describe('backtracking (Breeze BacktrackingLineSearch, strong Wolfe enforced)', () => {
  it('returns a point with sufficient decrease whose value never exceeds phi(0)', async () => {
    await fc.assert(
      fc.asyncProperty(lineArb, fc.constantFrom(0.1, 0.5), async ({ phi, at0, init }, shrink) => {
        const p = await backtracking(phi, at0, init, { shrink });
        expect(p.value).toBeLessThanOrEqual(at0.value + 1e-4 * p.t * at0.deriv);
      }),
      { numRuns: 300 },
    );
  });

  it('judges the first trial by its own value (Breeze judges it by phi(0), scalanlp/breeze#697)', async () => {
    // phi(t) = (t − 1)²: the first trial t = 3 has value 4 > phi(0) = 1 and must be rejected.
    const phi = async (t: number): Promise<LinePoint<null>> => ({ t, value: (t - 1) ** 2, deriv: 2 * (t - 1), payload: null });
    const p = await backtracking(phi, await phi(0), 3, { shrink: 0.5 });
    expect(p.t).toBeLessThan(2);
    expect(p.value).toBeLessThan(1);
  });
});

describe('ConvergenceCheck (Breeze defaultConvergenceCheck)', () => {
  it('tests the function values only once fvalMemory values are recorded (the memory starts at +∞)', () => {
    const check = new ConvergenceCheck(100, 1e-6, 3, 10);
    // Constant values with a large gradient: only the function-values test can fire.
    check.record(5);
    expect(check.check(1, 5, 1, false)).toBeUndefined(); // memory [∞, 5]
    check.record(5);
    expect(check.check(2, 5, 1, false)).toBeUndefined(); // memory [∞, 5, 5]
    check.record(5);
    expect(check.check(3, 5, 1, false)).toBe('function values converged'); // [5, 5, 5]
  });

  it('compares |f − max(memory)| with tol·|f₀| and the gradient norm with max(tol·|f|, 1e-8)', () => {
    const check = new ConvergenceCheck(100, 1e-3, 2, 10);
    check.record(4);
    check.record(3.995);
    expect(check.check(2, 3.995, 1, false)).toBe('function values converged'); // 0.005 ≤ 1e-3·10
    const other = new ConvergenceCheck(100, 1e-3, 2, 10);
    other.record(4);
    other.record(3.98);
    expect(other.check(2, 3.98, 1, false)).toBeUndefined(); // 0.02 > 0.01
    expect(other.check(2, 3.98, 3.98e-3, false)).toBe('gradient converged');
    expect(new ConvergenceCheck(100, 0, 20, 0).check(0, 0, 1e-8, false)).toBe('gradient converged');
    expect(new ConvergenceCheck(5, 0, 20, 0).check(5, 0, 1, false)).toBe('max iterations reached');
    expect(new ConvergenceCheck(5, 0, 20, 0).check(1, 0, 1, true)).toBe('line search failed');
  });
});
