/**
 * Number formatting and validation shared by the linalg classes.
 */

/**
 * Formats a double as Java's `Double.toString` does, which is what Spark prints:
 * `1.0`, `0.001`, `1234567.0`, `1.0E7`, `1.0E-4`, `-0.0`, `NaN`, `Infinity`.
 * Digits are the shortest that round-trip (JavaScript's choice, and Java's since JDK 19); where one
 * digit is not the closest decimal, Java prints two (4.9E-324, not 5.0E-324).
 */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    // JavaScript prints plain decimals for this whole range.
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  let e = x.toExponential();
  if (!e.includes('.')) {
    const two = x.toExponential(1);
    if (two[x < 0 ? 3 : 2] !== '0') e = two;
  }
  const [mantissa, exponent] = e.split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}

/** A JSON number, or Spark's string spelling of a non-finite one (JSON has no NaN or Infinity). */
export type JsonDouble = number | 'NaN' | 'Inf' | '-Inf';

export function encodeJsonDouble(x: number): JsonDouble {
  if (Number.isFinite(x)) return x;
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Inf' : '-Inf';
}

export function decodeJsonDouble(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Inf' || v === 'Infinity') return Infinity;
  if (v === '-Inf' || v === '-Infinity') return -Infinity;
  throw new TypeError(`${where}: expected a number, got ${JSON.stringify(v)}`);
}

/** Throws a RangeError unless `i` is an integer in [0, size). */
export function checkIndex(op: string, i: number, size: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= size) {
    throw new RangeError(`${op}: index ${i} is out of range [0, ${size})`);
  }
}

/** Throws unless `n` is a non-negative integer that fits an Int32 (the limit of Spark's sizes). */
export function checkDimension(op: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new RangeError(`${op}: ${name} must be a non-negative integer, got ${n}`);
  }
}

/** Copies an array-like of numbers into a new Float64Array, rejecting anything that is not a number. */
export function toFloat64Array(op: string, name: string, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') {
      throw new TypeError(`${op}: ${name}[${i}] must be a number, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
    }
    out[i] = v;
  }
  return out;
}

/** A JSON object from text or an already-parsed value; errors name the operation. */
export function parseJsonObject(op: string, json: unknown): Record<string, unknown> {
  let obj = json;
  if (typeof json === 'string') {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw new SyntaxError(`${op}: invalid JSON: ${(e as Error).message}`);
    }
  }
  if (obj === null || typeof obj !== 'object') throw new TypeError(`${op}: expected a JSON object`);
  return obj as Record<string, unknown>;
}
