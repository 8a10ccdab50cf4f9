/**
 * Param validators, as Spark's `ParamValidators`. Each carries a `doc` ("> 0", "in [0, 1]",
 * "one of [a, b]") so that an invalid value's error can say what is allowed.
 */
export interface Validator<T> {
  readonly isValid: (value: T) => boolean;
  /** What is allowed, phrased to follow "must be": "> 0", "in [0, 1]". */
  readonly doc: string;
}

function validator<T>(isValid: (value: T) => boolean, doc: string): Validator<T> {
  return { isValid, doc };
}

/** A value for "one of [...]" lists and range bounds: strings as they are, the rest as JSON. */
function show(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
}

export const ParamValidators = {
  /** Any validator: a predicate and what it allows. */
  custom: validator,

  gt: (lowerBound: number): Validator<number> => validator((v) => v > lowerBound, `> ${lowerBound}`),
  gtEq: (lowerBound: number): Validator<number> => validator((v) => v >= lowerBound, `>= ${lowerBound}`),
  lt: (upperBound: number): Validator<number> => validator((v) => v < upperBound, `< ${upperBound}`),
  ltEq: (upperBound: number): Validator<number> => validator((v) => v <= upperBound, `<= ${upperBound}`),

  /** Spark's default: both bounds inclusive. */
  inRange(lowerBound: number, upperBound: number, lowerInclusive = true, upperInclusive = true): Validator<number> {
    const doc = `in ${lowerInclusive ? '[' : '('}${lowerBound}, ${upperBound}${upperInclusive ? ']' : ')'}`;
    return validator(
      (v) =>
        (lowerInclusive ? v >= lowerBound : v > lowerBound) && (upperInclusive ? v <= upperBound : v < upperBound),
      doc,
    );
  },

  inArray<T>(allowed: readonly T[]): Validator<T> {
    const options = [...allowed];
    return validator((v) => options.includes(v), `one of [${options.map(show).join(', ')}]`);
  },

  arrayLengthGt(lowerBound: number): Validator<readonly unknown[]> {
    return validator((v) => v.length > lowerBound, `an array of length > ${lowerBound}`);
  },

  isInteger: validator<number>((v) => Number.isInteger(v), 'an integer'),

  /** Every validator holds; the doc joins theirs with "and". */
  and<T>(...validators: readonly Validator<T>[]): Validator<T> {
    return validator((v) => validators.every((x) => x.isValid(v)), validators.map((x) => x.doc).join(' and '));
  },

  /** Some validator holds, e.g. checkpointInterval: `or(inArray([-1]), gtEq(1))`. */
  or<T>(...validators: readonly Validator<T>[]): Validator<T> {
    return validator((v) => validators.some((x) => x.isValid(v)), validators.map((x) => x.doc).join(' or '));
  },

  /** Every element of an array holds. */
  each<T>(element: Validator<T>): Validator<readonly T[]> {
    return validator((v) => v.every((x) => element.isValid(x)), `an array of values ${element.doc}`);
  },
};
