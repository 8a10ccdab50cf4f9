import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { denseFiller, mergeScatter, scatterOfRows, sparseFiller } from '../../src/feature/pca.kernels.js';
import { gaussian, randomStream } from '../../src/linalg/random.js';

/** Σ w(z − μ)(z − μ)ᵀ by the textbook two-pass formula: the slow reference. */
function naive(rows: number[][], w: number[]): { mean: number[]; s: number[][] } {
  const W = w.reduce((a, b) => a + b, 0), k = rows[0].length;
  const mean = Array.from({ length: k }, (_, j) => rows.reduce((a, r, i) => a + w[i] * r[j], 0) / W);
  const s = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => rows.reduce((acc, r, i) => acc + w[i] * (r[a] - mean[a]) * (r[b] - mean[b]), 0)));
  return { mean, s };
}

describe('centered scatter (PCA covariance, normal equations)', () => {
  it('equals the two-pass reference for weighted rows with huge offsets, across chunks and merged partitions', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 700 }), fc.constantFrom(1e9, 1, -3e6), (seed, n, offset) => {
      const rng = randomStream(seed, 'scatter');
      const d = 3;
      const rows = Array.from({ length: n }, () => Array.from({ length: d }, (_, j) => offset * (j + 1) + gaussian(rng) * (j + 1)));
      const label = rows.map((r) => r[0] - offset + gaussian(rng));
      const w = rows.map(() => rng() * 2);
      const X = Float64Array.from(rows.flat());
      const cut = Math.floor(n / 2);
      const part = (lo: number, hi: number) =>
        scatterOfRows(hi - lo, d + 1, denseFiller(X.subarray(lo * d, hi * d), 0, d, Float64Array.from(label.slice(lo, hi))), Float64Array.from(w.slice(lo, hi)));
      const merged = mergeScatter(part(0, cut), part(cut, n));
      const ref = naive(rows.map((r, i) => [...r, label[i]]), w);
      for (let a = 0; a <= d; a++) {
        expect(Math.abs(merged.mean[a] - ref.mean[a])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.mean[a])));
        for (let b = a; b <= d; b++) {
          const scale = Math.sqrt(ref.s[a][a] * ref.s[b][b]) + 1e-12; // a spread of order 1: 1e-12 is nothing
          // The data are only known to ulp(offset): both computations agree to about that, relative to
          // a spread of 1 (XᵀX − n·μμᵀ would be off by ~ε·offset², i.e. 200 at offset 1e9).
          expect(Math.abs(merged.s[a * (d + 1) + b] - ref.s[a][b]) / scale).toBeLessThan(1e-9 + 1e-14 * Math.abs(offset));
        }
      }
      expect(merged.count).toBe(n);
    }), { numRuns: 25 });
  });

  it('densifies sparse rows exactly as dense ones', () => {
    const rows = [[0, 2, 0], [1, 0, 0], [0, 0, 3], [4, 5, 6]];
    const offsets = Int32Array.of(0, 1, 2, 3, 6);
    const sv = { sizes: Int32Array.of(3, 3, 3, 3), offsets, indices: Int32Array.of(1, 0, 2, 0, 1, 2), values: Float64Array.of(2, 1, 3, 4, 5, 6) };
    const dense = scatterOfRows(4, 3, denseFiller(Float64Array.from(rows.flat()), 0, 3, null), null);
    const sparse = scatterOfRows(4, 3, sparseFiller(sv, 3, null), null);
    expect(Array.from(sparse.s)).toEqual(Array.from(dense.s));
    expect(Array.from(sparse.mean)).toEqual(Array.from(dense.mean));
  });
});
