// Cheap, stateless randomness for tree learning, all derived from the stage's seed so that a fit
// is the same for any thread or partition count: a row's membership in the split-finding sample
// is a hash of (seed, global row index); per-node feature subsets come from a small generator
// seeded by (seed, tree, node); bootstrap counts come from seeded streams (linalg/random.ts).
import { fmix32 as fmix, mulberry32 } from '../linalg/random.js';

/** A 32-bit hash of a list of integers (each may be up to 2^53). */
export function hashInts(...keys: number[]): number {
  let h = 0x9e3779b9;
  for (const k of keys) {
    const lo = k >>> 0, hi = Math.floor(k / 4294967296) >>> 0;
    h = fmix(h ^ fmix(lo + 0x7f4a7c15));
    h = fmix(h ^ fmix(hi + 0x6a09e667));
  }
  return h;
}

/** A uniform draw in [0, 1) for row `row` under `seed` (used to sample rows). */
export function rowUniform(seedHash: number, row: number): number {
  const lo = row >>> 0, hi = Math.floor(row / 4294967296) >>> 0;
  let h = fmix(seedHash ^ fmix(lo ^ 0x5bd1e995));
  if (hi) h = fmix(h ^ fmix(hi));
  return h / 4294967296;
}

/** `k` distinct features of `d`, ascending (a partial Fisher–Yates shuffle). */
export function featureSubset(seedHash: number, tree: number, node: number, d: number, k: number): Int32Array {
  const rng = mulberry32(hashInts(seedHash, tree, node));
  const all = Int32Array.from({ length: d }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (d - i));
    const t = all[i]; all[i] = all[j]; all[j] = t;
  }
  return all.subarray(0, k).sort();
}

/** Cumulative Poisson(lambda) probabilities up to where they reach 1 (to draw counts with one uniform). */
export function poissonTable(lambda: number): Float64Array {
  const out: number[] = [];
  let p = Math.exp(-lambda), cum = p;
  out.push(cum);
  for (let k = 1; cum < 1 - 1e-15 && k < 255; k++) {
    p *= lambda / k;
    cum += p;
    out.push(cum);
  }
  out[out.length - 1] = 1;
  return Float64Array.from(out);
}

/**
 * xoshiro128** seeded from a seedrandom stream: for bulk draws (a bootstrap count per row per
 * tree), where the stream's own per-draw cost would dominate.
 */
export function fastStream(stream: () => number): () => number {
  let a = (stream() * 4294967296) >>> 0 || 1, b = (stream() * 4294967296) >>> 0, c = (stream() * 4294967296) >>> 0, d = (stream() * 4294967296) >>> 0;
  return () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl(d, 11);
    return r / 4294967296;
  };
}

function rotl(x: number, k: number): number { return (x << k) | (x >>> (32 - k)); }
