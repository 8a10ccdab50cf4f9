// The one closeness assertion of the tests: linalg/tolerance.ts's rule,
// |actual − expected| ≤ atol + rtol·|expected| (NaN close to NaN), for a number or element by
// element, with a message naming the element, both values and the tolerance.
import { expect } from 'vitest';

import { isClose, type Tolerance } from '../../src/linalg/tolerance.js';

/** Both tolerances default to 0 here: a test names the one it means. */
export function expectClose(actual: number | ArrayLike<number>, expected: number | ArrayLike<number>, { rtol = 0, atol = 0 }: Tolerance, what = 'value'): void {
  const a = typeof actual === 'number' ? [actual] : actual, e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length, `${what}: length`).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    const at = typeof expected === 'number' ? what : `${what}[${i}]`;
    if (!isClose(a[i]!, e[i]!, { rtol, atol })) expect.fail(`${at} = ${a[i]}, expected ${e[i]} (atol ${atol}, rtol ${rtol})`);
  }
}
