// Keys compared by value. Two keys are the same key when their canonical strings are equal: 1 and
// 1.0 (one JS number), 0 and -0 (as JS's === and Python's ==), NaN and NaN (Spark groups NaN
// with NaN), ['a', 1] and another ['a', 1]; plain objects compare by their sorted fields. The
// canonical string is what maps are keyed by and what the hash partitioner hashes, so equal keys
// meet in the same partition whatever thread or partition they come from.
import { fmix32 } from '../linalg/random.js';

/** The canonical encoding of a key; throws naming the type of a value that cannot be a key. */
export function keyString(k: unknown): string {
  switch (typeof k) {
    case 'string': return JSON.stringify(k);
    case 'number': return k === 0 ? 'n0' : `n${k}`;
    case 'boolean': return k ? 't' : 'f';
    case 'undefined': return 'u';
    case 'bigint': return `i${k}`;
    case 'object': {
      if (k === null) return 'z';
      if (Array.isArray(k)) return `[${k.map(keyString).join(',')}]`;
      if (k instanceof Date) return `d${k.getTime()}`;
      if (Object.getPrototypeOf(k) === Object.prototype || Object.getPrototypeOf(k) === null) {
        const o = k as Record<string, unknown>;
        return `{${Object.keys(o).sort().map((f) => `${JSON.stringify(f)}:${keyString(o[f])}`).join(',')}}`;
      }
      throw badKey((k as object).constructor?.name ?? 'object');
    }
    default: throw badKey(typeof k);
  }
}

function badKey(what: string): Error {
  return new Error(`cannot use a ${what} as an RDD key (or as an element of distinct/countByValue): keys compare by value and must be ` +
    'numbers, strings, booleans, null, dates, or arrays and plain objects of them');
}

/** A 32-bit hash of a canonical key string (FNV-1a over its UTF-16 units, then a finaliser). */
export function hashKey(canonical: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < canonical.length; i++) h = Math.imul(h ^ canonical.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** The partition of a key under Spark's HashPartitioner contract: equal keys, equal partition. */
export function hashPartition(canonical: string, n: number): number {
  if (n === 1) return 0;
  const m = hashKey(canonical) % n;
  return m < 0 ? m + n : m;
}

const rank = (v: unknown): number => {
  if (v === null || v === undefined) return 0;
  switch (typeof v) {
    case 'boolean': return 1;
    case 'number': case 'bigint': return 2;
    case 'string': return 3;
    default: return Array.isArray(v) ? 4 : v instanceof Date ? 2 : 5;
  }
};

/**
 * A total order over key values for sortByKey, sortBy, takeOrdered and top: null first, then
 * booleans, numbers (NaN last, as Spark), strings (by UTF-16 units, JS's own order), arrays
 * (element by element, then shorter first), plain objects (by canonical string).
 */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0: return 0;
    case 1: return Number(a) - Number(b);
    case 2: {
      const x = a instanceof Date ? a.getTime() : a as number, y = b instanceof Date ? b.getTime() : b as number;
      if (x !== x) return y !== y ? 0 : 1;
      if (y !== y) return -1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3: return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 4: {
      const x = a as unknown[], y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) { const c = compareValues(x[i], y[i]); if (c !== 0) return c; }
      return x.length - y.length;
    }
    default: { const x = keyString(a), y = keyString(b); return x < y ? -1 : x > y ? 1 : 0; }
  }
}
