import { formatDouble } from '../linalg/format.js';
import type { Identifiable } from './uid.js';
import type { Validator } from './params-validators.js';
import { parseJSONExact, stringifyJSONExact } from './json-exact.js';

/**
 * A JSON value as Spark's metadata holds it (`paramMap`, `defaultParamMap`). Integers beyond
 * Number's safe range (Spark's 64-bit longs, e.g. PySpark's default seeds) are bigints, exact
 * (json-exact.ts reads and writes them).
 */
export type JsonValue = null | boolean | number | bigint | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A Spark long: a number when it is a safe integer, else a bigint holding all 64 bits exactly,
 * so that a long Spark saved (a seed) is saved again unchanged.
 */
export type Long = number | bigint;

/**
 * The type of a param's value: a runtime check (JavaScript callers can pass anything), the JSON
 * encoding Spark's persistence uses, and the text `explainParams` shows. A kind for vectors or
 * matrices only has to implement this interface.
 */
export interface ParamKind<T> {
  readonly name: string;
  /** Phrased to follow "must be": "a double", "an array of strings". */
  readonly description: string;
  accepts(value: unknown): value is T;
  toJSON(value: T): JsonValue;
  /** Throws a TypeError saying what was expected when `json` is not this kind. */
  fromJSON(json: JsonValue): T;
  /** As Spark (Scala's toString) shows the value: doubles as Java does, "1.0E-6", "0.0". */
  format(value: T): string;
}

function kind<T>(
  name: string,
  description: string,
  accepts: (value: unknown) => value is T,
  encode: (value: T) => JsonValue,
  decode: (json: JsonValue) => T | undefined,
  format: (value: T) => string,
): ParamKind<T> {
  return {
    name,
    description,
    accepts,
    toJSON: encode,
    fromJSON(json) {
      const value = decode(json);
      if (value === undefined) throw new TypeError(`expected ${description}, got ${stringifyJSONExact(json)}`);
      return value;
    },
    format,
  };
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= INT_MIN && (v as number) <= INT_MAX;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const isLong = (v: unknown): v is Long =>
  Number.isSafeInteger(v) || (typeof v === 'bigint' && v >= LONG_MIN && v <= LONG_MAX);
/** A long in its canonical form: a number when safe, else a bigint. */
const canonicalLong = (v: Long): Long =>
  (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);

// Spark writes NaN and ±Infinity as these strings, since JSON has no such numbers.
const double = kind<number>(
  'double',
  'a double',
  (v): v is number => typeof v === 'number',
  (v) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Inf' : v === -Infinity ? '-Inf' : v),
  (j) => (typeof j === 'number' ? j : j === 'NaN' ? NaN : j === 'Inf' ? Infinity : j === '-Inf' ? -Infinity : undefined),
  formatDouble,
);

const int = kind<number>('int', 'an int', isInt, (v) => v, (j) => (isInt(j) ? j : undefined), String);
const long = kind<Long>('long', 'a long (a safe integer, or a bigint within 64 bits)', isLong, canonicalLong,
  (j) => (isLong(j) ? canonicalLong(j) : undefined), String);
const boolean = kind<boolean>(
  'boolean',
  'a boolean',
  (v): v is boolean => typeof v === 'boolean',
  (v) => v,
  (j) => (typeof j === 'boolean' ? j : undefined),
  String,
);
const string = kind<string>(
  'string',
  'a string',
  (v): v is string => typeof v === 'string',
  (v) => v,
  (j) => (typeof j === 'string' ? j : undefined),
  (v) => v,
);

/** Arrays of a kind, encoded element by element (so NaN inside a double[] is "NaN" too). */
function arrayOf<T>(element: ParamKind<T>, name: string, description: string): ParamKind<readonly T[]> {
  return kind<readonly T[]>(
    name,
    description,
    (v): v is readonly T[] => Array.isArray(v) && v.every((x) => element.accepts(x)),
    (v) => v.map((x) => element.toJSON(x)),
    (j) => {
      if (!Array.isArray(j)) return undefined;
      const out: T[] = [];
      for (const x of j as JsonValue[]) {
        try {
          out.push(element.fromJSON(x));
        } catch {
          return undefined;
        }
      }
      return out;
    },
    (v) => `[${v.map((x) => element.format(x)).join(', ')}]`,
  );
}

/** A kind whose value may also be null (encoded as JSON null). */
function nullable<T>(inner: ParamKind<T>): ParamKind<T | null> {
  return kind<T | null>(
    `${inner.name}?`,
    `${inner.description} or null`,
    (v): v is T | null => v === null || inner.accepts(v),
    (v) => (v === null ? null : inner.toJSON(v)),
    (j) => {
      if (j === null) return null;
      try {
        return inner.fromJSON(j);
      } catch {
        return undefined;
      }
    },
    (v) => (v === null ? 'null' : inner.format(v)),
  );
}

const doubleArray = arrayOf(double, 'double[]', 'an array of doubles');

export const ParamKinds = {
  double,
  int,
  long,
  boolean,
  string,
  stringArray: arrayOf(string, 'string[]', 'an array of strings'),
  doubleArray,
  intArray: arrayOf(int, 'int[]', 'an array of ints'),
  doubleArrayArray: arrayOf(doubleArray, 'double[][]', 'an array of arrays of doubles'),
  nullable,
  arrayOf,
};

/** A value in an error message: strings as they are, arrays bracketed, the rest as JSON. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  if (Array.isArray(value)) return `[${value.map(showValue).join(', ')}]`;
  try {
    return stringifyJSONExact(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  return t === 'undefined' ? 'undefined' : `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`;
}

/**
 * A typed, documented parameter owned by one stage (its `parent` uid), as Spark's `Param`.
 * Identity is (parent, name): a copy of a stage keeps its uid, so its params equal the original's.
 */
export class Param<T> {
  readonly parent: string;
  readonly isValid: (value: T) => boolean;
  /** What the validator allows ("> 0", "in [0, 1]"); undefined when any value of the kind is valid. */
  readonly validatorDoc: string | undefined;

  constructor(
    parent: string | Identifiable,
    readonly name: string,
    readonly doc: string,
    readonly kind: ParamKind<T>,
    validator?: Validator<T>,
  ) {
    this.parent = typeof parent === 'string' ? parent : parent.uid;
    this.isValid = validator?.isValid ?? (() => true);
    this.validatorDoc = validator?.doc;
  }

  /** Throws an error naming the stage, the param, the value and what is allowed. */
  validate(value: unknown): asserts value is T {
    const prefix = `${this.parent} parameter ${this.name} given invalid value ${showValue(value)}`;
    if (!this.kind.accepts(value)) {
      throw new TypeError(`${prefix} (must be ${this.kind.description}, got ${typeName(value)})`);
    }
    if (!this.isValid(value)) throw new RangeError(`${prefix} (must be ${this.validatorDoc ?? 'valid'})`);
  }

  /** A validated (param, value) pair, as Spark's `param -> value`. */
  w(value: T): ParamPair<T> {
    return new ParamPair(this, value);
  }

  /** JSON text of a value, as Spark's `Param.jsonEncode`. */
  jsonEncode(value: T): string {
    return stringifyJSONExact(this.kind.toJSON(value))!;
  }

  jsonDecode(json: string): T {
    return this.fromJSON(parseJSONExact(json) as JsonValue);
  }

  /** Decodes a JSON value (as parsed from Spark metadata); the error names the param. */
  fromJSON(json: JsonValue): T {
    try {
      return this.kind.fromJSON(json);
    } catch (e) {
      throw new TypeError(`Cannot decode ${this.parent} parameter ${this.name}: ${(e as Error).message}`);
    }
  }

  equals(other: { readonly parent: string; readonly name: string }): boolean {
    return this.parent === other.parent && this.name === other.name;
  }

  toString(): string {
    return `${this.parent}__${this.name}`;
  }
}

/** A param and a value for it, validated on construction (as in Spark, the one place values are checked). */
export class ParamPair<T> {
  constructor(
    readonly param: Param<T>,
    readonly value: T,
  ) {
    param.validate(value);
  }
}

export { formatDouble };
