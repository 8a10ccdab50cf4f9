// Streams are seeded, so these statistical checks are deterministic; their bounds are ~5 standard
// errors of the estimate, so a correct generator passes with any seed.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { gaussian, logGamma, poisson, randomInt, randomStream, shuffleInPlace, type Rng } from '../../src/linalg/index.js';

const draw = (rng: Rng, n: number, f: (r: Rng) => number = (r) => r()): number[] => Array.from({ length: n }, () => f(rng));
const mean = (xs: number[]): number => xs.reduce((t, x) => t + x, 0) / xs.length;
const variance = (xs: number[]): number => {
  const m = mean(xs);
  return xs.reduce((t, x) => t + (x - m) ** 2, 0) / (xs.length - 1);
};
function correlation(xs: number[], ys: number[]): number {
  const [mx, my] = [mean(xs), mean(ys)];
  let sxy = 0;
  for (let i = 0; i < xs.length; i++) sxy += (xs[i] - mx) * (ys[i] - my);
  return sxy / (xs.length - 1) / Math.sqrt(variance(xs) * variance(ys));
}

const key = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -1000, max: 1000 }));

describe('randomStream', () => {
  test.prop([fc.integer(), fc.array(key, { maxLength: 4 })])('the same seed and keys give the same stream', (seed, keys) => {
    expect(draw(randomStream(seed, ...keys), 20)).toEqual(draw(randomStream(seed, ...keys), 20));
  });

  test.prop([fc.integer(), fc.array(key, { maxLength: 3 }), key, key])(
    'a different key gives a different stream',
    (seed, keys, k1, k2) => {
      fc.pre(k1 !== k2);
      expect(draw(randomStream(seed, ...keys, k1), 4)).not.toEqual(draw(randomStream(seed, ...keys, k2), 4));
    },
  );

  test('keys are encoded unambiguously', () => {
    const first = (rng: Rng): number => rng();
    expect(first(randomStream(1, 1))).not.toBe(first(randomStream(1, '1')));
    expect(first(randomStream(1, 'a,b'))).not.toBe(first(randomStream(1, 'a', 'b')));
    expect(first(randomStream(1, 'a', 'b'))).not.toBe(first(randomStream(1, 'b', 'a')));
    expect(first(randomStream(1))).not.toBe(first(randomStream(2)));
  });

  test('draws are uniform on [0, 1) and streams of neighbouring partitions are uncorrelated', () => {
    const n = 20_000;
    const streams = [0, 1, 2].map((p) => draw(randomStream(42, 'sample', p, 0), n));
    for (const xs of streams) {
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xs)).toBeLessThan(1);
      expect(Math.abs(mean(xs) - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
      expect(Math.abs(variance(xs) - 1 / 12)).toBeLessThan(0.005);
    }
    // The correlation of independent streams has standard error 1/√n ≈ 0.007.
    expect(Math.abs(correlation(streams[0], streams[1]))).toBeLessThan(0.035);
    expect(Math.abs(correlation(streams[1], streams[2]))).toBeLessThan(0.035);
    const nextIteration = draw(randomStream(42, 'sample', 0, 1), n);
    expect(Math.abs(correlation(streams[0], nextIteration))).toBeLessThan(0.035);
  });

  test('bad seeds and keys are rejected', () => {
    expect(() => randomStream(NaN)).toThrow(/seed must be a finite number/);
    expect(() => randomStream(1, {} as unknown as string)).toThrow(/key 0 must be a string or a finite number/);
  });
});

describe('distributions', () => {
  test('gaussian has mean 0 and variance 1', () => {
    const n = 40_000;
    const xs = draw(randomStream(7, 'gauss'), n, gaussian);
    expect(Math.abs(mean(xs))).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance(xs) - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    // About 95.45% within two standard deviations.
    const within2 = xs.filter((x) => Math.abs(x) < 2).length / n;
    expect(Math.abs(within2 - 0.9545)).toBeLessThan(0.006);
  });

  test.each([0.5, 1, 3.5, 9.9, 10, 15, 100, 1e4])('poisson(λ = %d) has mean and variance λ', (lambda) => {
    const n = 40_000;
    const xs = draw(randomStream(3, 'poisson', lambda), n, (r) => poisson(r, lambda));
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    expect(Math.abs(mean(xs) - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
    expect(Math.abs(variance(xs) / lambda - 1)).toBeLessThan(5 * Math.sqrt(2 / n + 1 / (lambda * n)));
  });

  test.each([1, 15])('poisson(λ = %d) frequencies match the pmf', (lambda) => {
    // Pearson's χ² over the cells k = 0..K (the tail lumped into the last); a 1e-6 quantile bound.
    const n = 50_000;
    const K = lambda === 1 ? 5 : 30;
    const counts = new Array<number>(K + 1).fill(0);
    const rng = randomStream(11, 'pmf', lambda);
    for (let i = 0; i < n; i++) counts[Math.min(K, poisson(rng, lambda))]++;
    const pmf = (k: number): number => Math.exp(-lambda + k * Math.log(lambda) - logGamma(k + 1));
    let chi2 = 0;
    let tail = 1;
    for (let k = 0; k <= K; k++) {
      const p = k < K ? pmf(k) : tail;
      tail -= p;
      chi2 += (counts[k] - n * p) ** 2 / (n * p);
    }
    // χ²(K) at 1 - 1e-6 is below K + 10·√(2K) for these K.
    expect(chi2).toBeLessThan(K + 10 * Math.sqrt(2 * K));
  });

  test('poisson edge cases', () => {
    expect(poisson(randomStream(1), 0)).toBe(0);
    expect(() => poisson(randomStream(1), -1)).toThrow(/lambda must be a finite number >= 0/);
    expect(() => poisson(randomStream(1), NaN)).toThrow(RangeError);
  });

  test('logGamma against closed forms', () => {
    const cases: [number, number][] = [
      [1, 0], [2, 0], [5, Math.log(24)], [0.5, Math.log(Math.sqrt(Math.PI))], [3.5, Math.log((15 / 8) * Math.sqrt(Math.PI))],
      [101, 363.73937555556347], // ln(100!)
    ];
    for (const [x, expected] of cases) expect(logGamma(x)).toBeCloseTo(expected, 12);
  });
});

describe('shuffleInPlace and randomInt', () => {
  test.prop([fc.array(fc.integer()), fc.integer()])('a shuffle is a permutation, the same for the same stream', (xs, seed) => {
    const a = shuffleInPlace(xs.slice(), randomStream(seed, 'shuffle'));
    const b = shuffleInPlace(xs.slice(), randomStream(seed, 'shuffle'));
    expect(a).toEqual(b);
    expect([...a].sort((p, q) => p - q)).toEqual([...xs].sort((p, q) => p - q));
  });

  test('shuffles typed arrays, and every position is reachable', () => {
    const rng = randomStream(5, 'positions');
    const firsts = new Set<number>();
    for (let t = 0; t < 200; t++) firsts.add(shuffleInPlace(Int32Array.of(0, 1, 2, 3, 4), rng)[0]);
    expect([...firsts].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  test('randomInt stays in [0, n) and hits every value', () => {
    const xs = draw(randomStream(9, 'int'), 1000, (r) => randomInt(r, 7));
    expect(new Set(xs)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
  });
});
