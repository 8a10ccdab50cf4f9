/**
 * Test problems for the optimizers, with references computed independently of src/optim:
 * closed forms through ml-matrix, and slow but simple iterative solvers.
 */
import fc from 'fast-check';
import { Matrix, solve } from 'ml-matrix';
import seedrandom from 'seedrandom';
import type { DiffFunction } from '../../src/optim/index.js';

/** A strictly convex quadratic ½xᵀAx − bᵀx with A = MᵀM + εI (row-major n×n). */
export interface Quadratic {
  n: number;
  A: Float64Array;
  b: Float64Array;
}

/** A uniform random stream in [lo, hi) from a seed, for data fast-check should not bias to edge values. */
export function uniform(seed: number): (lo: number, hi: number) => number {
  const rng = seedrandom(`optim-${seed}`);
  return (lo, hi) => lo + (hi - lo) * rng();
}

/**
 * Random n×n SPD A = MᵀM + εI with M uniform in [-1, 1], b uniform in [-2, 2]: λmin(A) ≥ ε.
 * fast-check picks n and the seed; entries come from the seeded stream, so that problems are
 * typical rather than made of fast-check's favourite edge values (0, ±1, subnormals).
 */
export function quadraticArb(maxN: number, eps: number): fc.Arbitrary<Quadratic> {
  return fc.record({ n: fc.integer({ min: 1, max: maxN }), seed: fc.integer() }).map(({ n, seed }) => {
    const u = uniform(seed);
    const M = Array.from({ length: n * n }, () => u(-1, 1));
    const b = Float64Array.from({ length: n }, () => u(-2, 2));
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? eps : 0;
        for (let r = 0; r < n; r++) s += M[r * n + i] * M[r * n + j];
        A[i * n + j] = s;
      }
    return { n, A, b };
  });
}

export function quadraticValue(q: Quadratic, x: Float64Array): number {
  let v = 0;
  for (let i = 0; i < q.n; i++) {
    let ax = 0;
    for (let j = 0; j < q.n; j++) ax += q.A[i * q.n + j] * x[j];
    v += 0.5 * x[i] * ax - q.b[i] * x[i];
  }
  return v;
}

export function quadraticGrad(q: Quadratic, x: Float64Array): Float64Array {
  const g = new Float64Array(q.n);
  for (let i = 0; i < q.n; i++) {
    let ax = 0;
    for (let j = 0; j < q.n; j++) ax += q.A[i * q.n + j] * x[j];
    g[i] = ax - q.b[i];
  }
  return g;
}

/** The objective of `q` as the optimizers see it, counting calls and recording the points. */
export function quadraticObjective(q: Quadratic): DiffFunction & { points: Float64Array[] } {
  const points: Float64Array[] = [];
  const f = async (x: Float64Array) => {
    points.push(Float64Array.from(x));
    return { loss: quadraticValue(q, x), grad: quadraticGrad(q, x) };
  };
  return Object.assign(f, { points });
}

/** Closed-form optimum A⁻¹b (LU through ml-matrix). */
export function quadraticOptimum(q: Quadratic): Float64Array {
  const A = new Matrix(q.n, q.n);
  for (let i = 0; i < q.n; i++) for (let j = 0; j < q.n; j++) A.set(i, j, q.A[i * q.n + j]);
  const x = solve(A, Matrix.columnVector(Array.from(q.b)));
  return Float64Array.from(x.getColumn(0));
}

export function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function isNonIncreasing(values: number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] > values[i - 1]) return false;
  return true;
}

/** Gershgorin bound on λmax(A), a safe Lipschitz constant for the gradient of `q`. */
export function lipschitz(q: Quadratic): number {
  let L = 0;
  for (let i = 0; i < q.n; i++) {
    let s = 0;
    for (let j = 0; j < q.n; j++) s += Math.abs(q.A[i * q.n + j]);
    L = Math.max(L, s);
  }
  return L;
}
