// The one way an expression's literals become text. JSON has no NaN, ±Infinity or -0
// (JSON.stringify writes null, null and 0), yet a literal may hold them: `lit(NaN)`, a comparison
// with Infinity, lag's default. Generated code, compile-cache keys and window placeholders all
// go through here, so `lit(NaN)` never turns into `lit(null)` or `lit(-0)` into `lit(0)`.
import type { Literal } from './column.js';

const isSpecialNumber = (v: unknown): v is number => typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0));
const numberText = (v: number): string => (Object.is(v, -0) ? '-0' : String(v)); // String(-0) is '0'

const replacer = (_: string, v: unknown): unknown => (isSpecialNumber(v) ? { $number: numberText(v) } : v);
const reviver = (_: string, v: unknown): unknown =>
  (v !== null && typeof v === 'object' && '$number' in v ? Number((v as { $number: string }).$number) : v);

/** JSON of an expression (or anything holding literals) that keeps NaN, ±Infinity and -0 apart. */
export function exprJson(value: unknown): string { return JSON.stringify(value, replacer); }

/** The inverse of `exprJson`. */
export function parseExprJson(text: string): unknown { return JSON.parse(text, reviver); }

/**
 * A literal as JavaScript source for generated code: `NaN`, `-Infinity` and `-0` as themselves
 * (the global NaN and Infinity cannot be reassigned), strings quoted, booleans as 1/0 (the
 * generated code's boolean representation), null as `null`.
 */
export function literalSource(v: Literal): string {
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return JSON.stringify(v);
}
