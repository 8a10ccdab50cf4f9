// Each kernel against the plain loop it replaces. Tolerance: the kernels reorder sums (unrolled
// accumulators), so results agree to rounding: rtol 1e-12, atol 1e-12 for values in [-1, 1].
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  assertAllClose,
  axpy,
  dot,
  gemm,
  gemv,
  gemvT,
  nrm2,
  randomStream,
  scal,
  symmetrizeUpper,
  syrk,
} from '../../src/linalg/index.js';

const TOL = { rtol: 1e-12, atol: 1e-12 };

function randomArray(length: number, seed: number): Float64Array {
  const rng = randomStream(seed, 'blas-test');
  return Float64Array.from({ length }, () => 2 * rng() - 1);
}

const seed = fc.integer({ min: 0, max: 1_000_000 });
const len = fc.integer({ min: 0, max: 45 });
const rows = fc.integer({ min: 0, max: 41 });
const width = fc.integer({ min: 1, max: 23 }); // crosses the 4-wide unroll at every remainder
const offset = fc.integer({ min: 0, max: 7 });
// gemv and gemvT switch from four interleaved rows to one row at a time above d = 32.
const anyWidth = fc.oneof(width, fc.integer({ min: 24, max: 70 }));

describe('dot and axpy', () => {
  test.prop([len, offset, offset, seed])('dot matches the naive sum', (n, xOff, yOff, s) => {
    const x = randomArray(n + xOff, s);
    const y = randomArray(n + yOff, s + 1);
    let expected = 0;
    for (let i = 0; i < n; i++) expected += x[xOff + i] * y[yOff + i];
    assertAllClose([dot(x, y, n, xOff, yOff)], [expected], TOL);
  });

  test.prop([len, offset, offset, seed, fc.double({ min: -5, max: 5, noNaN: true })])(
    'axpy adds a·x to the window of y and nothing else',
    (n, xOff, yOff, s, a) => {
      const x = randomArray(n + xOff, s);
      const y = randomArray(n + yOff + 3, s + 1);
      const expected = y.slice();
      for (let i = 0; i < n; i++) expected[yOff + i] += a * x[xOff + i];
      axpy(a, x, y, n, xOff, yOff);
      assertAllClose(y, expected, TOL);
    },
  );

  test('defaults cover the whole array', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5);
    expect(dot(x, x)).toBe(55);
    const y = new Float64Array(5);
    axpy(2, x, y);
    expect(Array.from(y)).toEqual([2, 4, 6, 8, 10]);
  });

  test('short arrays fail with a RangeError naming the argument', () => {
    const x = new Float64Array(4);
    expect(() => dot(x, new Float64Array(3))).toThrow(/dot: y has length 3/);
    expect(() => dot(x, x, 3, 2)).toThrow(/dot: x has length 4, but 5/);
    expect(() => axpy(1, x, x, 4, 0, 1)).toThrow(RangeError);
    expect(() => dot(x, x, -1)).toThrow(/n must be a non-negative integer/);
  });
});

describe('scal and nrm2', () => {
  test.prop([len, seed, fc.double({ min: -5, max: 5, noNaN: true })])('scal multiplies in place', (n, s, a) => {
    const x = randomArray(n, s);
    const expected = x.map((v) => a * v);
    scal(a, x);
    assertAllClose(x, expected, TOL);
  });

  test.prop([len, seed])('nrm2 matches sqrt of the sum of squares', (n, s) => {
    const x = randomArray(n, s);
    assertAllClose([nrm2(x)], [Math.sqrt(x.reduce((t, v) => t + v * v, 0))], TOL);
  });

  test('nrm2 neither overflows nor underflows', () => {
    // Closed form: ‖(3c, 4c)‖ = 5c.
    expect(nrm2(Float64Array.of(3e200, 4e200))).toBeCloseTo(5e200, -190);
    assertAllClose([nrm2(Float64Array.of(3e-200, 4e-200))], [5e-200], { rtol: 1e-15 });
    expect(nrm2(new Float64Array(3))).toBe(0);
    expect(nrm2(Float64Array.of(1, Infinity))).toBe(Infinity);
    expect(nrm2(Float64Array.of(1, NaN))).toBeNaN();
  });
});

describe('gemv and gemvT', () => {
  test.prop([rows, anyWidth, offset, seed])('gemv gives the margin of every row', (n, d, xOff, s) => {
    const X = randomArray(xOff + n * d, s);
    const w = randomArray(d, s + 1);
    const out = new Float64Array(n + 2).fill(7);
    const expected = out.slice();
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < d; j++) t += X[xOff + i * d + j] * w[j];
      expected[i] = t;
    }
    gemv(n, d, X, w, out, xOff);
    assertAllClose(out, expected, TOL);
  });

  test.prop([rows, anyWidth, offset, seed])("gemv gives a row the same bits wherever it sits in the block (alone or among others)", (n, d, xOff, s) => {
    const X = randomArray(xOff + n * d, s);
    const w = randomArray(d, s + 1);
    const all = new Float64Array(n);
    gemv(n, d, X, w, all, xOff);
    const one = new Float64Array(1);
    for (let i = 0; i < n; i++) {
      gemv(1, d, X, w, one, xOff + i * d);
      expect(one[0], `row ${i} of ${n}, d = ${d}`).toBe(all[i]);
    }
  });

  test.prop([rows, anyWidth, offset, seed])('gemvT accumulates Xᵀr into out', (n, d, xOff, s) => {
    const X = randomArray(xOff + n * d, s);
    const r = randomArray(n, s + 1);
    const out = randomArray(d, s + 2);
    const expected = out.slice();
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) expected[j] += r[i] * X[xOff + i * d + j];
    gemvT(n, d, X, r, out, xOff);
    assertAllClose(out, expected, TOL);
  });

  test('sizes are checked', () => {
    expect(() => gemv(3, 2, new Float64Array(5), new Float64Array(2), new Float64Array(3))).toThrow(/gemv: X/);
    expect(() => gemv(3, 2, new Float64Array(6), new Float64Array(1), new Float64Array(3))).toThrow(/gemv: w/);
    expect(() => gemvT(3, 2, new Float64Array(6), new Float64Array(2), new Float64Array(2))).toThrow(/gemvT: r/);
  });
});

describe('syrk', () => {
  function naiveGram(n: number, d: number, X: Float64Array, xOff: number, out: Float64Array, w?: Float64Array): void {
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) out[a * d + b] += wi * X[xOff + i * d + a] * X[xOff + i * d + b];
      }
    }
  }

  test.prop([rows, width, offset, seed, fc.boolean()])(
    'adds XᵀWX to the upper triangle and leaves the lower one alone',
    (n, d, xOff, s, weighted) => {
      const X = randomArray(xOff + n * d, s);
      const w = weighted ? randomArray(n, s + 1).map(Math.abs) : undefined;
      const out = randomArray(d * d, s + 2);
      const expected = out.slice();
      naiveGram(n, d, X, xOff, expected, w);
      syrk(n, d, X, out, xOff, w);
      assertAllClose(out, expected, TOL);
    },
  );

  test('row blocks larger than one cache chunk (d = 21, 1000 rows) and weight subarrays', () => {
    const n = 1000;
    const d = 21;
    const X = randomArray(n * d, 5);
    const w = randomArray(n, 6);
    const expected = new Float64Array(d * d);
    naiveGram(n, d, X, 0, expected, w);
    const out = new Float64Array(d * d);
    syrk(400, d, X, out, 0, w);
    syrk(600, d, X, out, 400 * d, w.subarray(400)); // a second block accumulates
    assertAllClose(out, expected, { rtol: 1e-11, atol: 1e-11 });
  });

  test('symmetrizeUpper mirrors the upper triangle', () => {
    const A = Float64Array.of(1, 2, 3, -1, 5, 6, -1, -1, 9);
    symmetrizeUpper(3, A);
    expect(Array.from(A)).toEqual([1, 2, 3, 2, 5, 6, 3, 6, 9]);
  });

  test('sizes are checked', () => {
    expect(() => syrk(2, 3, new Float64Array(6), new Float64Array(8))).toThrow(/syrk: out/);
    expect(() => syrk(2, 3, new Float64Array(6), new Float64Array(9), 0, new Float64Array(1))).toThrow(/weights/);
  });
});

describe('gemm', () => {
  function naiveGemm(m: number, n: number, k: number, A: Float64Array, B: Float64Array, C: Float64Array, alpha: number, beta: number): void {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[i * k + p] * B[p * n + j];
        C[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * C[i * n + j]);
      }
    }
  }
  const dim = fc.integer({ min: 0, max: 19 });
  const scalar = fc.constantFrom(0, 1, -1, 0.5, 2.25);

  test.prop([dim, dim, dim, scalar, scalar, seed])('C = alpha·A·B + beta·C', (m, n, k, alpha, beta, s) => {
    const A = randomArray(m * k, s);
    const B = randomArray(k * n, s + 1);
    const C = randomArray(m * n, s + 2);
    const expected = C.slice();
    naiveGemm(m, n, k, A, B, expected, alpha, beta);
    gemm(m, n, k, A, B, C, alpha, beta);
    assertAllClose(C, expected, TOL);
  });

  test('k deeper than one packed panel, edges on both sides', () => {
    const [m, n, k] = [13, 10, 601];
    const A = randomArray(m * k, 1);
    const B = randomArray(k * n, 2);
    const expected = new Float64Array(m * n);
    naiveGemm(m, n, k, A, B, expected, 1, 0);
    const C = new Float64Array(m * n).fill(NaN); // beta = 0 ignores what C held, as BLAS
    gemm(m, n, k, A, B, C);
    assertAllClose(C, expected, { rtol: 1e-11, atol: 1e-11 });
  });

  test('sizes are checked', () => {
    expect(() => gemm(2, 2, 2, new Float64Array(3), new Float64Array(4), new Float64Array(4))).toThrow(/gemm: A/);
  });
});
