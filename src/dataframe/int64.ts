// The range of Spark's LongType (a Java long) and the one conversion into it from a double.
// A BigInt64Array wraps silently (2n ** 64n + 5n is stored as 5), so every value headed for a
// long column is checked against these bounds first.
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export const fitsInt64 = (v: bigint): boolean => v >= INT64_MIN && v <= INT64_MAX;

/**
 * Java's `(long) d`: truncates toward zero and saturates at the bounds, NaN gives 0 (Spark's
 * non-ANSI cast). Long results are computed in doubles, where 2^63 is the first value past the
 * top, so without saturation a cast of 1e30 would wrap to -2^63.
 */
export function longFromDouble(d: number): bigint {
  if (d !== d) return 0n;
  if (d >= 9223372036854775807) return INT64_MAX; // the double nearest 2^63 - 1 is 2^63
  if (d <= -9223372036854775808) return INT64_MIN;
  return BigInt(Math.trunc(d));
}
