import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ThresholdSearch } from '../../src/tree/dataset.kernels.js';
import { exp } from '../../src/tree/exp.js';

const ULP = 2.220446049250313e-16;

describe('exp (the kernels\' exponential, the same in JavaScript and WebAssembly)', () => {
  it('is within 4 ulp of Math.exp on [-708, 708]', () => {
    fc.assert(fc.property(fc.double({ min: -708, max: 708, noNaN: true }), (x) => {
      const want = Math.exp(x);
      expect(Math.abs(exp(x) - want)).toBeLessThanOrEqual(4 * ULP * want);
    }), { numRuns: 20000 });
  });

  it('is exact at 0, and clamps instead of overflowing', () => {
    expect(exp(0)).toBe(1);
    expect(exp(1e6)).toBe(exp(708));
    expect(Number.isFinite(exp(1e6))).toBe(true);
    expect(exp(-1e6)).toBe(exp(-708));
    expect(exp(-1e6)).toBeGreaterThan(0);
    expect(exp(NaN)).toBeNaN();
  });
});

describe('ThresholdSearch (continuous bin codes)', () => {
  it('gives the number of thresholds strictly below the value, for any number of thresholds', () => {
    const thresholds = fc.uniqueArray(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), { maxLength: 70 })
      .map((t) => Float64Array.from(t).sort());
    fc.assert(fc.property(fc.array(thresholds, { minLength: 1, maxLength: 4 }), fc.array(fc.double({ noNaN: true }), { maxLength: 30 }), (features, extra) => {
      const starts = [0];
      for (const t of features) starts.push(starts[starts.length - 1] + t.length);
      const all = new Float64Array(starts[starts.length - 1]);
      features.forEach((t, f) => all.set(t, starts[f]));
      const search = new ThresholdSearch(all, Int32Array.from(starts));
      features.forEach((t, f) => {
        // Every threshold itself (goes left), its neighbours, and arbitrary values.
        const probes = [...t, ...t.map((v) => v + Math.abs(v) * 1e-12 + 1e-300), ...extra, -Infinity, Infinity];
        for (const v of probes) expect(search.bin(f, v)).toBe(t.filter((x) => x < v).length);
      });
    }), { numRuns: 300 });
  });
});
