/**
 * Seeded random streams. Every random choice in Quiver draws from a stream derived from
 * `(seed, purpose, partition, iteration, ...)`, so a fixed seed gives the same result for any thread
 * count or scheduling order.
 *
 * Generator: seedrandom's Alea (Baagøe), not its default ARC4. Alea is several times faster per draw
 * (a multiply-with-carry step on doubles, no byte loop), its state is four numbers, and it passes
 * the usual statistical batteries; ARC4's extra strength is cryptographic, which sampling does not
 * need. Its seeding hashes the whole key string (Baagøe's Mash), so any change of any key gives an
 * unrelated state.
 */
import seedrandom from 'seedrandom';

/** A uniform draw on [0, 1), 32 bits of resolution. */
export type Rng = () => number;

/**
 * A deterministic stream for `seed` and `keys` (e.g. `randomStream(seed, 'kmeans-init', partition,
 * iteration)`). The same arguments always give the same stream; any different key, or the same keys
 * in another order, gives an independent one. Keys are encoded unambiguously (`1` and `'1'` differ,
 * as do `['a,b']` and `['a', 'b']`).
 */
export function randomStream(seed: number, ...keys: (string | number)[]): Rng {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new TypeError(`randomStream: seed must be a finite number, got ${String(seed)}`);
  }
  keys.forEach((k, i) => {
    if (typeof k !== 'string' && !(typeof k === 'number' && Number.isFinite(k))) {
      throw new TypeError(`randomStream: key ${i} must be a string or a finite number, got ${String(k)}`);
    }
  });
  return seedrandom.alea(JSON.stringify(['quiver', seed, ...keys]));
}

/** A draw in (0, 1]: safe to take the logarithm of. */
function uniformPositive(rng: Rng): number {
  return 1 - rng();
}

/** A standard normal draw (Box–Muller; two uniforms per draw, the sine half is dropped to stay stateless). */
export function gaussian(rng: Rng): number {
  const r = Math.sqrt(-2 * Math.log(uniformPositive(rng)));
  return r * Math.cos(2 * Math.PI * rng());
}

/** A uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/**
 * A Poisson(lambda) draw, exact for every lambda: Knuth's product of uniforms for lambda < 10 (the
 * bootstrap weights of random forests use lambda ≈ 1) and Hörmann's PTRS transformed rejection above,
 * as NumPy does.
 */
export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new RangeError(`poisson: lambda must be a finite number >= 0, got ${lambda}`);
  }
  if (lambda === 0) return 0;
  if (lambda < 10) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let prod = rng();
    while (prod > limit) {
      k++;
      prod *= rng();
    }
    return k;
  }
  return poissonPtrs(rng, lambda);
}

/** Hörmann (1993), "The transformed rejection method for generating Poisson random variables". */
function poissonPtrs(rng: Rng, lambda: number): number {
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng() - 0.5;
    const v = rng();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logGamma(k + 1)) {
      return k;
    }
  }
}

const STIRLING = [
  8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4, 8.417508417508418e-4,
  -1.917526917526918e-3, 6.41025641025641e-3, -2.955065359477124e-2, 1.796443723688307e-1, -1.3924322169059,
];

/** log Γ(x) for x > 0 by Stirling's series, shifted up to x ≥ 7 for accuracy. */
export function logGamma(x: number): number {
  if (x === 1 || x === 2) return 0;
  const shift = x < 7 ? Math.floor(7 - x) : 0;
  let x0 = x + shift;
  const x2 = 1 / (x0 * x0);
  let series = STIRLING[9];
  for (let k = 8; k >= 0; k--) series = series * x2 + STIRLING[k];
  let gl = series / x0 + 0.5 * Math.log(2 * Math.PI) + (x0 - 0.5) * Math.log(x0) - x0;
  for (let k = 0; k < shift; k++) {
    x0 -= 1;
    gl -= Math.log(x0);
  }
  return gl;
}

/** Fisher–Yates shuffle, in place; returns its argument. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(array: T, rng: Rng): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
  return array;
}

// --- small integer mixers ---------------------------------------------------------------------
// For hashing a key into a draw, or a short seeded sequence, where a full stream would cost more
// than the work it randomizes.

/** Murmur3's 32-bit finaliser: a bijection on uint32 with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mulberry32: a tiny seeded generator, uniform on [0, 1) with 32 bits. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded Bernoulli(ratio) draws (mulberry32): the sampling of schema inference. */
export function bernoulli(ratio: number, seed: number): () => boolean {
  const draw = mulberry32(seed);
  return () => draw() < ratio;
}
