import fc from 'fast-check';
import { Matrix, solve } from 'ml-matrix';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { minimizeLBFGS, type DiffFunction } from '../../src/optim/index.js';
import {
  isNonIncreasing,
  maxAbsDiff,
  quadraticArb,
  quadraticGrad,
  quadraticObjective,
  quadraticOptimum,
  quadraticValue,
} from './problems.js';

/** Rosenbrock's function; its minimum is 0 at (1, 1). */
const rosenbrock: DiffFunction = async (x) => {
  const [a, b] = [x[0], x[1]];
  return {
    loss: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
    grad: Float64Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)),
  };
};

/** L2-regularised logistic regression (intercept last, unpenalised) on a small noisy 2-D set. */
function logisticProblem(seed: string, rows = 60, lambda = 0.01) {
  const rng = seedrandom(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const x1 = rng() * 4 - 2;
    const x2 = rng() * 4 - 2;
    // True boundary x1 + 2·x2 = 0.5, labels flipped with the logistic probability: separable-ish.
    const p = 1 / (1 + Math.exp(-3 * (x1 + 2 * x2 - 0.5)));
    X.push([x1, x2, 1]);
    y.push(rng() < p ? 1 : 0);
  }
  const d = 3;
  const evaluate = (w: Float64Array) => {
    let loss = 0;
    const grad = new Float64Array(d);
    const H = new Matrix(d, d);
    for (let i = 0; i < rows; i++) {
      const xi = X[i];
      let z = 0;
      for (let j = 0; j < d; j++) z += xi[j] * w[j];
      // log(1 + e^z) − y·z, computed stably.
      loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
      const p = 1 / (1 + Math.exp(-z));
      for (let j = 0; j < d; j++) {
        grad[j] += (p - y[i]) * xi[j];
        for (let k = 0; k < d; k++) H.set(j, k, H.get(j, k) + p * (1 - p) * xi[j] * xi[k]);
      }
    }
    loss /= rows;
    for (let j = 0; j < d; j++) grad[j] /= rows;
    for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) H.set(j, k, H.get(j, k) / rows);
    for (let j = 0; j < d - 1; j++) {
      loss += 0.5 * lambda * w[j] * w[j];
      grad[j] += lambda * w[j];
      H.set(j, j, H.get(j, j) + lambda);
    }
    return { loss, grad, H };
  };
  /** Reference optimum by Newton's method, iterated until the step is below 1e-14. */
  const newton = () => {
    const w = new Float64Array(d);
    for (let it = 0; it < 100; it++) {
      const { grad, H } = evaluate(w);
      const step = solve(H, Matrix.columnVector(Array.from(grad))).getColumn(0);
      for (let j = 0; j < d; j++) w[j] -= step[j];
      if (Math.max(...step.map(Math.abs)) < 1e-14) break;
    }
    return w;
  };
  const f: DiffFunction = async (w) => evaluate(w);
  return { f, evaluate, newton, d };
}

describe('minimizeLBFGS', () => {
  it('reaches the closed-form optimum A⁻¹b of random strictly convex quadratics', async () => {
    // λmin(A) ≥ 0.5, so ‖x − A⁻¹b‖₂ ≤ ‖g(x)‖₂/λmin = 2‖g(x)‖₂ exactly (strong convexity).
    // With Spark's tol = 1e-6 the run must stop by the gradient test, so that bound is small.
    // With tol = 1e-12 the gradient floor 1e-8 can lie below what a value-based line search
    // resolves (f − f* ≈ 1e-16·|f|), so the run may end by 'line search failed' as Breeze's
    // does — but never by the iteration limit, and within 1e-6 of A⁻¹b.
    await fc.assert(
      fc.asyncProperty(quadraticArb(8, 0.5), fc.integer({ min: 1, max: 10 }), async (q, m) => {
        const xStar = quadraticOptimum(q);
        const f = quadraticObjective(q);
        const res = await minimizeLBFGS(f, new Float64Array(q.n), { m });
        expect(res.reason).toBe('gradient converged');
        expect(res.converged).toBe(true);
        const gNorm = Math.hypot(...quadraticGrad(q, res.x));
        expect(gNorm).toBeLessThanOrEqual(1e-6 * Math.abs(res.loss) + 1e-8);
        expect(maxAbsDiff(res.x, xStar)).toBeLessThanOrEqual(2 * gNorm + 1e-12);
        expect(res.loss).toBe(quadraticValue(q, res.x));
        // Spark's objective history: the initial loss, then one value per iteration, never rising.
        expect(res.objectiveHistory).toHaveLength(res.iterations + 1);
        expect(res.objectiveHistory[0]).toBe(0);
        expect(isNonIncreasing(res.objectiveHistory)).toBe(true);
        expect(res.evaluations).toBe(f.points.length);

        const tight = await minimizeLBFGS(quadraticObjective(q), new Float64Array(q.n), { m, tol: 1e-12 });
        expect(tight.reason).not.toBe('max iterations reached');
        expect(maxAbsDiff(tight.x, xStar)).toBeLessThan(1e-6);
        expect(isNonIncreasing(tight.objectiveHistory)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('does not modify x0', async () => {
    const x0 = Float64Array.of(-1.2, 1);
    await minimizeLBFGS(rosenbrock, x0, { maxIter: 5 });
    expect(Array.from(x0)).toEqual([-1.2, 1]);
  });

  it('minimises Rosenbrock from the classic start (-1.2, 1) to its minimum (1, 1)', async () => {
    const res = await minimizeLBFGS(rosenbrock, Float64Array.of(-1.2, 1), { maxIter: 200, tol: 1e-12 });
    expect(res.converged).toBe(true);
    // Closed form: minimum at (1, 1). The gradient floor 1e-8 and a Hessian with λmin ≈ 0.4
    // give ‖x − (1, 1)‖ ≲ 1e-7.
    expect(maxAbsDiff(res.x, Float64Array.of(1, 1))).toBeLessThan(1e-6);
    expect(isNonIncreasing(res.objectiveHistory)).toBe(true);
  });

  it('converges on a separable-ish logistic regression with Spark defaults', async () => {
    const { f, evaluate, newton } = logisticProblem('lbfgs-logistic');
    const res = await minimizeLBFGS(f, new Float64Array(3));
    expect(res.converged).toBe(true);
    expect(res.reason).toBe('gradient converged');
    expect(isNonIncreasing(res.objectiveHistory)).toBe(true);
    // Reference: Newton's method to machine precision. At stop ‖g‖ ≤ 1e-6·f ≈ 5e-7 and the
    // objective is 0.01-strongly convex, so f − f* ≤ ‖g‖²/(2·0.01) ≈ 1e-11 and ‖w − w*‖ ≤ 5e-5.
    const wStar = newton();
    expect(Math.abs(res.loss - evaluate(wStar).loss)).toBeLessThan(1e-9);
    expect(maxAbsDiff(res.x, wStar)).toBeLessThan(1e-4);
    // A quasi-Newton method should need about one pass per iteration here.
    expect(res.evaluations).toBeLessThanOrEqual(2 * res.iterations + 1);
  });

  it('respects maxIter', async () => {
    const res = await minimizeLBFGS(rosenbrock, Float64Array.of(-1.2, 1), { maxIter: 3 });
    expect(res.iterations).toBe(3);
    expect(res.reason).toBe('max iterations reached');
    expect(res.converged).toBe(false);
    expect(res.objectiveHistory).toHaveLength(4);

    let calls = 0;
    const none = await minimizeLBFGS(
      async (x) => {
        calls++;
        return rosenbrock(x);
      },
      Float64Array.of(-1.2, 1),
      { maxIter: 0 },
    );
    expect(calls).toBe(1);
    expect(none.iterations).toBe(0);
    expect(Array.from(none.x)).toEqual([-1.2, 1]);
    expect(none.objectiveHistory).toEqual([none.loss]);
  });

  it('stops at once when x0 is already optimal (gradient test on the initial state, as Breeze)', async () => {
    const q = { n: 2, A: Float64Array.of(2, 0, 0, 2), b: Float64Array.of(2, 4) };
    const res = await minimizeLBFGS(quadraticObjective(q), Float64Array.of(1, 2));
    expect(res.iterations).toBe(0);
    expect(res.reason).toBe('gradient converged');
  });

  it('reports each iteration through onIteration', async () => {
    const seen: number[] = [];
    const losses: number[] = [];
    const res = await minimizeLBFGS(rosenbrock, Float64Array.of(-1.2, 1), {
      maxIter: 10,
      onIteration: (info) => {
        seen.push(info.iteration);
        losses.push(info.loss);
      },
    });
    expect(seen).toEqual(Array.from({ length: res.iterations }, (_, i) => i + 1));
    expect(losses).toEqual(res.objectiveHistory.slice(1));
  });

  it('rejects with a clear error when the objective returns NaN at x0', async () => {
    const f: DiffFunction = async (x) => ({ loss: Number.NaN, grad: new Float64Array(x.length) });
    await expect(minimizeLBFGS(f, Float64Array.of(1, 2))).rejects.toThrow(/minimizeLBFGS: .*loss NaN at the initial point/);
  });

  it('rejects with a clear error when the gradient at x0 contains NaN', async () => {
    const f: DiffFunction = async () => ({ loss: 1, grad: Float64Array.of(0.5, Number.NaN) });
    await expect(minimizeLBFGS(f, Float64Array.of(1, 2))).rejects.toThrow(/grad\[1\] = NaN at the initial point/);
  });

  it('rejects with a clear error when every trial point after x0 gives NaN', async () => {
    let calls = 0;
    const f: DiffFunction = async (x) => {
      calls++;
      return calls === 1
        ? { loss: x[0] * x[0], grad: Float64Array.of(2 * x[0]) }
        : { loss: Number.NaN, grad: Float64Array.of(Number.NaN) };
    };
    await expect(minimizeLBFGS(f, Float64Array.of(3))).rejects.toThrow(/NaN or infinite values at every trial point/);
  });

  it('backs off from a region where the objective is NaN, as Breeze halves the step', async () => {
    // (x − 1)² on x < 1.5, NaN beyond: the first trial from x0 = −20 (step 1/|g| → x = −19)
    // is fine; longer trials that land past 1.5 are halved. Minimum at 1 (closed form).
    const f: DiffFunction = async (x) =>
      x[0] < 1.5 ? { loss: (x[0] - 1) ** 2, grad: Float64Array.of(2 * (x[0] - 1)) } : { loss: Number.NaN, grad: Float64Array.of(Number.NaN) };
    const res = await minimizeLBFGS(f, Float64Array.of(-20), { tol: 1e-12 });
    expect(Math.abs(res.x[0] - 1)).toBeLessThan(1e-6);
    expect(isNonIncreasing(res.objectiveHistory)).toBe(true);
  });

  it('validates its arguments', async () => {
    const q = { n: 2, A: Float64Array.of(1, 0, 0, 1), b: Float64Array.of(1, 1) };
    const f = quadraticObjective(q);
    await expect(minimizeLBFGS(f, Float64Array.of(1, Number.NaN))).rejects.toThrow(/x0\[1\] is NaN/);
    await expect(minimizeLBFGS(f, new Float64Array(0))).rejects.toThrow(/x0 must not be empty/);
    await expect(minimizeLBFGS(f, [1, 2] as unknown as Float64Array)).rejects.toThrow(/x0 must be a Float64Array/);
    await expect(minimizeLBFGS(f, Float64Array.of(0, 0), { maxIter: -1 })).rejects.toThrow(/maxIter must be an integer ≥ 0/);
    await expect(minimizeLBFGS(f, Float64Array.of(0, 0), { m: 0 })).rejects.toThrow(/m must be an integer ≥ 1/);
    await expect(minimizeLBFGS(f, Float64Array.of(0, 0), { tol: -1 })).rejects.toThrow(/tol must be a finite number/);
    const short: DiffFunction = async () => ({ loss: 0, grad: new Float64Array(1) });
    await expect(minimizeLBFGS(short, Float64Array.of(0, 0))).rejects.toThrow(/grad must be a Float64Array of length 2/);
  });
});
