// Counter-based random draws keyed by a global row (or entity) index: the draw for row i depends
// only on (key, i), never on which partition or thread holds the row, so a fixed seed samples the
// same rows for any partitioning. The key itself comes from a seeded `randomStream`.
import { fmix32, randomStream } from '../linalg/random.js';

/** A 32-bit key for `hashUniform`, drawn from the stream (seed, ...keys). */
export function rowKey(seed: number, ...keys: (string | number)[]): number {
  return Math.floor(randomStream(seed, ...keys)() * 4294967296) >>> 0;
}

/** A uniform draw on [0, 1) with 53 bits, determined by (key, index); index is any safe integer. */
export function hashUniform(key: number, index: number): number {
  const lo = index >>> 0;
  const hi = Math.floor(index / 4294967296) >>> 0;
  const a = fmix32(key ^ fmix32(lo ^ Math.imul(hi, 0x9e3779b1)));
  const b = fmix32(a ^ 0x27d4eb2f ^ Math.imul(key, 0x165667b1));
  return (a * 2097152 + (b >>> 11)) / 9007199254740992;
}

/** A standard normal draw determined by (key, index), by Box–Muller on two hashed uniforms. */
export function hashGaussian(key: number, index: number): number {
  const u1 = 1 - hashUniform(key, 2 * index);
  const u2 = hashUniform(key, 2 * index + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
