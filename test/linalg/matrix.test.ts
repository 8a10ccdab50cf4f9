// Layout and strings follow Spark's DenseMatrix (column-major, Breeze's toString).
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { DenseMatrix, Matrices, Vectors, assertAllClose, randomStream } from '../../src/linalg/index.js';

function randomMatrix(m: number, n: number, seed: number, transposed: boolean): DenseMatrix {
  const rng = randomStream(seed, 'matrix-test');
  const values = Float64Array.from({ length: m * n }, () => Math.round(20 * rng() - 10) / 4);
  return new DenseMatrix(m, n, values, transposed);
}

/** The entries as rows of numbers, read through get(). */
function rowsOf(A: DenseMatrix): number[][] {
  return Array.from({ length: A.numRows }, (_, i) => Array.from({ length: A.numCols }, (_, j) => A.get(i, j)));
}

describe('layout', () => {
  test('column-major values, as Spark', () => {
    const A = Matrices.dense(2, 3, [1, 2, 3, 4, 5, 6]);
    expect(rowsOf(A)).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    expect(Array.from(A.toArray())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(A.isTransposed).toBe(false);
  });

  test('fromRowMajor sets isTransposed and toArray is still column-major', () => {
    const A = DenseMatrix.fromRowMajor(2, 3, [1, 2, 3, 4, 5, 6]);
    expect(A.isTransposed).toBe(true);
    expect(rowsOf(A)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(A.toArray())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(A.equals(Matrices.dense(2, 3, [1, 4, 2, 5, 3, 6]))).toBe(true);
  });

  test('transpose shares values and flips the flag', () => {
    const A = Matrices.dense(2, 3, [1, 2, 3, 4, 5, 6]);
    const T = A.transpose();
    expect(T.values).toBe(A.values);
    expect([T.numRows, T.numCols, T.isTransposed]).toEqual([3, 2, true]);
    expect(T.get(2, 1)).toBe(A.get(1, 2));
    expect(T.transpose().equals(A)).toBe(true);
  });

  test('zeros and eye', () => {
    expect(rowsOf(DenseMatrix.eye(2))).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(Matrices.zeros(2, 3).values).toEqual(new Float64Array(6));
  });

  test('bounds and sizes are checked', () => {
    const A = Matrices.dense(2, 2, [1, 2, 3, 4]);
    expect(() => A.get(2, 0)).toThrow(/row\): index 2 is out of range \[0, 2\)/);
    expect(() => A.get(0, -1)).toThrow(RangeError);
    expect(() => Matrices.dense(2, 2, [1, 2, 3])).toThrow(/2×2 needs 4 values, got 3/);
    expect(() => Matrices.dense(2, 1.5, [1, 2, 3])).toThrow(/numCols must be a non-negative integer/);
    expect(() => Matrices.dense(1, 1, ['a' as unknown as number])).toThrow(TypeError);
  });
});

describe('multiply', () => {
  const dims = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }));

  test.prop([dims, fc.boolean(), fc.boolean(), fc.integer()])('A·x for dense and sparse x', ([m, n], transposed, sparse, seed) => {
    const A = randomMatrix(m, n, seed, transposed);
    const xs = Array.from({ length: n }, (_, j) => (j % 3 === 1 ? 0 : j - 2.5));
    const x = sparse ? Vectors.dense(xs).toSparse() : Vectors.dense(xs);
    const expected = rowsOf(A).map((row) => row.reduce((t, a, j) => t + a * xs[j], 0));
    assertAllClose(A.multiply(x).values, expected, { rtol: 1e-12 });
  });

  test.prop([dims, fc.boolean(), fc.boolean(), fc.integer()])('A·B against the triple loop', ([m, k, n], ta, tb, seed) => {
    const A = randomMatrix(m, k, seed, ta);
    const B = randomMatrix(k, n, seed + 1, tb);
    const C = A.multiply(B);
    expect([C.numRows, C.numCols]).toEqual([m, n]);
    const a = rowsOf(A);
    const b = rowsOf(B);
    const expected = Array.from({ length: m }, (_, i) =>
      Array.from({ length: n }, (_, j) => a[i].reduce((t, v, p) => t + v * b[p][j], 0)),
    );
    assertAllClose(rowsOf(C).flat(), expected.flat(), { rtol: 1e-12 });
  });

  test('shape mismatches are errors', () => {
    const A = Matrices.dense(2, 3, [1, 2, 3, 4, 5, 6]);
    expect(() => A.multiply(Vectors.dense(1, 2))).toThrow(/2×3 matrix cannot multiply a vector of size 2/);
    expect(() => A.multiply(A)).toThrow(/cannot multiply 2×3 by 2×3/);
  });
});

describe('formats', () => {
  test('toString is Breeze’s, as Spark prints it', () => {
    // Spark: Matrices.dense(2, 2, Array(1.0, 2.0, 3.0, 4.0)).toString
    expect(Matrices.dense(2, 2, [1, 2, 3, 4]).toString()).toBe('1.0  3.0  \n2.0  4.0  ');
    expect(Matrices.dense(2, 2, [1, -0.5, 12, 4]).toString()).toBe('1.0   12.0  \n-0.5  4.0   ');
  });

  test('toString elides rows and columns past the limits', () => {
    const big = DenseMatrix.zeros(100, 100);
    const lines = big.toString().split('\n');
    expect(lines.length).toBe(77);
    expect(lines[0].endsWith('... (100 total)')).toBe(true);
    expect(lines[1].endsWith('...')).toBe(true);
    expect(lines[76]).toBe('... (100 total)');
    expect(big.toString(5, 4)).toBe('100 x 100 matrix');
  });

  test('JSON round-trips, including the transposed flag and non-finite values', () => {
    const A = DenseMatrix.fromRowMajor(2, 2, [1, NaN, -Infinity, 4]);
    const json = JSON.stringify(A);
    expect(json).toBe('{"type":1,"numRows":2,"numCols":2,"values":[1,"NaN","-Inf",4],"isTransposed":true}');
    const back = Matrices.fromJSON(json);
    expect(back.isTransposed).toBe(true);
    expect(back.equals(A)).toBe(true);
    expect(() => Matrices.fromJSON('{"type":0}')).toThrow(/only dense matrices/);
  });
});
