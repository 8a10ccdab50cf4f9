// Invariants rather than magic numbers (ml-matrix's style): A·x ≈ b, A·A⁻¹ ≈ I, A·V ≈ V·D, VᵀV ≈ I.
// Tolerances are relative to ‖A‖ and scaled by the condition of the random SPD matrices (BᵀB + I).
import { fc, test } from '@fast-check/vitest';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect } from 'vitest';
import {
  assertAllClose,
  choleskyInverse,
  choleskySolve,
  choleskySolveInPlace,
  randomStream,
  symmetricEigen,
} from '../../src/linalg/index.js';

/** Random SPD d×d row-major matrix with NaN below the diagonal: the solvers must read only the upper triangle. */
function randomSpd(d: number, seed: number): { A: Float64Array; full: Float64Array } {
  const rng = randomStream(seed, 'spd');
  const B = Float64Array.from({ length: d * d }, () => 2 * rng() - 1);
  const full = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < d; k++) s += B[k * d + i] * B[k * d + j];
      full[i * d + j] = s;
    }
  }
  const A = full.slice();
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) A[i * d + j] = NaN;
  return { A, full };
}

function matVec(d: number, A: Float64Array, x: Float64Array): Float64Array {
  return Float64Array.from({ length: d }, (_, i) => x.reduce((t, v, j) => t + A[i * d + j] * v, 0));
}

function matMul(d: number, A: Float64Array, B: Float64Array): Float64Array {
  const C = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) C[i * d + j] += A[i * d + k] * B[k * d + j];
  return C;
}

const identity = (d: number): Float64Array => Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0));
const dim = fc.integer({ min: 1, max: 14 });
const seed = fc.integer({ min: 0, max: 1e6 });

describe('Cholesky', () => {
  test.prop([dim, seed])('choleskySolve gives A·x ≈ b and leaves its inputs alone', (d, s) => {
    const { A, full } = randomSpd(d, s);
    const rng = randomStream(s, 'rhs');
    const b = Float64Array.from({ length: d }, () => 10 * rng() - 5);
    const [A0, b0] = [A.slice(), b.slice()];
    const x = choleskySolve(d, A, b);
    expect(x).not.toBeNull();
    assertAllClose(matVec(d, full, x!), b, { rtol: 1e-9, atol: 1e-9 });
    expect(A).toEqual(A0);
    expect(b).toEqual(b0);
    // The in-place path computes the same solution into b.
    const b2 = b.slice();
    expect(choleskySolveInPlace(d, A.slice(), b2)).toBe(true);
    expect(b2).toEqual(x);
  });

  test('agrees with ml-matrix on a fixed system', () => {
    const full = [4, 12, -16, 12, 37, -43, -16, -43, 98]; // Wikipedia's example: L = [[2],[6,1],[-8,5,3]]
    const b = [1, 2, 3];
    const ours = choleskySolve(3, Float64Array.from(full), Float64Array.from(b))!;
    const theirs = new CholeskyDecomposition(Matrix.from1DArray(3, 3, full)).solve(Matrix.columnVector(b));
    assertAllClose(ours, theirs.getColumn(0), { rtol: 1e-12 });
  });

  test('null when A is not positive definite, so callers can fall back', () => {
    expect(choleskySolve(2, Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1))).toBeNull(); // eigenvalues 3, -1
    expect(choleskySolve(2, new Float64Array(4), Float64Array.of(1, 1))).toBeNull(); // singular
    expect(choleskySolve(1, Float64Array.of(NaN), Float64Array.of(1))).toBeNull();
    expect(choleskyInverse(2, Float64Array.of(1, 2, 2, 1))).toBeNull();
  });

  test('sizes are checked', () => {
    expect(() => choleskySolve(3, new Float64Array(4), new Float64Array(3))).toThrow(/A has length 4, but a 3×3 matrix needs 9/);
    expect(() => choleskySolve(2, new Float64Array(4), new Float64Array(1))).toThrow(/b has length 1/);
    expect(choleskySolve(0, new Float64Array(0), new Float64Array(0))).toEqual(new Float64Array(0));
  });

  test.prop([dim, seed])('choleskyInverse gives A·A⁻¹ ≈ I and a symmetric inverse', (d, s) => {
    const { A, full } = randomSpd(d, s);
    const inv = choleskyInverse(d, A)!;
    assertAllClose(matMul(d, full, inv), identity(d), { atol: 1e-9 });
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(inv[i * d + j]).toBe(inv[j * d + i]);
  });
});

describe('symmetricEigen', () => {
  test('closed form: [[2, 1], [1, 2]] has eigenvalues 3 and 1', () => {
    const { values, vectors } = symmetricEigen(2, Float64Array.of(2, 1, 1, 2));
    assertAllClose(values, [3, 1], { rtol: 1e-14 });
    // Column 0 is ±(1, 1)/√2.
    assertAllClose([Math.abs(vectors[0]), Math.abs(vectors[2])], [Math.SQRT1_2, Math.SQRT1_2], { rtol: 1e-12 });
  });

  test.prop([dim, seed, fc.boolean()])('A·V ≈ V·D, VᵀV ≈ I, values descending', (d, s, indefinite) => {
    const { A, full } = randomSpd(d, s);
    if (indefinite) {
      for (let i = 0; i < d; i++) {
        A[i * d + i] -= 3;
        full[i * d + i] -= 3;
      }
    }
    const { values, vectors: V } = symmetricEigen(d, A);
    for (let j = 1; j < d; j++) expect(values[j]).toBeLessThanOrEqual(values[j - 1]);
    const AV = matMul(d, full, V);
    const VD = V.map((v, k) => v * values[k % d]);
    assertAllClose(AV, VD, { atol: 1e-9 * Math.max(1, Math.abs(values[0])) });
    const VtV = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) VtV[i * d + j] += V[k * d + i] * V[k * d + j];
    assertAllClose(VtV, identity(d), { atol: 1e-12 });
  });

  test('rejects non-finite entries and handles d = 0', () => {
    expect(() => symmetricEigen(2, Float64Array.of(1, NaN, 0, 1))).toThrow(/A\(0, 1\) is NaN/);
    expect(symmetricEigen(0, new Float64Array(0)).values.length).toBe(0);
  });
});
