// exp(x) by range reduction and a polynomial, written so that this JavaScript function and its
// WebAssembly twin (emitExp in wasm/gbt.ts) perform the same IEEE operations in the same order
// and so return the same double. Math.exp is a call into C++ from optimised code (about 9 ns a
// row in GBT's gradient pass); this is a few multiply-adds. Within 4 ulp on [-708, 708].

/** Arguments are clamped to ±EXP_MAX, so that 2^k stays a normal double. */
export const EXP_MAX = 708;
export const LOG2E = 1.4426950408889634;
/** ln 2 split (fdlibm's ln2HI / ln2LO): k × LN2_HI is exact for |k| < 2^11. */
export const LN2_HI = 6.93147180369123816490e-1;
export const LN2_LO = 1.90821492927058770002e-10;
/** Taylor coefficients 1/i!, i = 0..12: with |r| ≤ ln2/2 the tail is below 2e-16. */
export const EXP_TAYLOR = [
  1, 1, 0.5, 0.16666666666666666, 0.041666666666666664, 0.008333333333333333, 0.001388888888888889,
  0.0001984126984126984, 0.0000248015873015873, 0.0000027557319223985893, 2.755731922398589e-7,
  2.505210838544172e-8, 2.08767569878681e-9,
] as const;
const [C0, C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12] = EXP_TAYLOR;

/** 2^k for k in [-1022, 1023], indexed by k + 1023 (exact: powers of two). */
const POW2 = (() => {
  const t = new Float64Array(2046);
  t[1023] = 1;
  for (let k = 1; k <= 1022; k++) { t[1023 + k] = t[1022 + k] * 2; t[1023 - k] = t[1024 - k] / 2; }
  t[2045] = t[2044] * 2;
  return t;
})();

export function exp(x: number): number {
  x = Math.min(Math.max(x, -EXP_MAX), EXP_MAX);
  const k = Math.floor(x * LOG2E + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  // Estrin's scheme: short dependency chains.
  const r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const q0 = (C0 + C1 * r) + (C2 + C3 * r) * r2;
  const q1 = (C4 + C5 * r) + (C6 + C7 * r) * r2;
  const q2 = (C8 + C9 * r) + (C10 + C11 * r) * r2;
  const p = (q0 + q1 * r4) + (q2 + C12 * r4) * r8;
  return p * POW2[k + 1023];
}
