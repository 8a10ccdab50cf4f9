/**
 * The one tolerance rule for comparing floating-point results (numpy.isclose's):
 * |actual − expected| ≤ atol + rtol·|expected|. NaN is close to NaN, and an infinity to itself.
 */
export interface Tolerance {
  /** Relative tolerance; default 1e-9. */
  rtol?: number;
  /** Absolute tolerance, for values near 0; default 0. */
  atol?: number;
}

export function isClose(actual: number, expected: number, { rtol = 1e-9, atol = 0 }: Tolerance = {}): boolean {
  if (actual === expected) return true;
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Number.isNaN(actual) && Number.isNaN(expected);
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/** Throws an Error naming the first element (and the tolerance) where the arrays differ. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance = {},
  what = 'values',
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length} differs from the expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (!isClose(actual[i], expected[i], tolerance)) {
      const { rtol = 1e-9, atol = 0 } = tolerance;
      throw new Error(`${what}[${i}] = ${actual[i]}, expected ${expected[i]} (rtol ${rtol}, atol ${atol})`);
    }
  }
}
