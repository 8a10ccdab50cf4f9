import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Param, ParamKinds, ParamPair, formatDouble, type JsonValue, type ParamKind } from '../../src/pipeline/param.js';
import { ParamValidators } from '../../src/pipeline/params-validators.js';

const { gt, gtEq, lt, ltEq, inRange, inArray, arrayLengthGt, isInteger, and, or, each, custom } = ParamValidators;

/** Through JSON text, as metadata is written and read. */
const roundTrip = <T>(kind: ParamKind<T>, value: T): T =>
  kind.fromJSON(JSON.parse(JSON.stringify(kind.toJSON(value))) as JsonValue);

// JSON has no -0 (it is written as 0), so doubles here are generated without it.
const double = fc.double().map((x) => (x === 0 ? 0 : x));
const int = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

describe('param kinds: JSON round trip (property)', () => {
  const cases: [string, ParamKind<never>, fc.Arbitrary<unknown>][] = [
    ['double', ParamKinds.double as ParamKind<never>, double],
    ['int', ParamKinds.int as ParamKind<never>, int],
    ['long', ParamKinds.long as ParamKind<never>, fc.maxSafeInteger()],
    ['boolean', ParamKinds.boolean as ParamKind<never>, fc.boolean()],
    ['string', ParamKinds.string as ParamKind<never>, fc.string({ unit: 'binary' })],
    ['string[]', ParamKinds.stringArray as ParamKind<never>, fc.array(fc.string())],
    ['double[]', ParamKinds.doubleArray as ParamKind<never>, fc.array(double)],
    ['int[]', ParamKinds.intArray as ParamKind<never>, fc.array(int)],
    ['double[][]', ParamKinds.doubleArrayArray as ParamKind<never>, fc.array(fc.array(double))],
    ['double?', ParamKinds.nullable(ParamKinds.double) as ParamKind<never>, fc.option(double, { nil: null })],
    ['double[]?', ParamKinds.nullable(ParamKinds.doubleArray) as ParamKind<never>, fc.option(fc.array(double), { nil: null })],
  ];
  it.each(cases)('%s', (name, kind, arbitrary) => {
    expect(kind.name).toBe(name);
    fc.assert(
      fc.property(arbitrary, (value) => {
        expect(kind.accepts(value)).toBe(true);
        expect(roundTrip(kind, value as never)).toEqual(value);
      }),
    );
  });

  it('always generates NaN and both infinities for doubles', () => {
    for (const x of [NaN, Infinity, -Infinity]) expect(roundTrip(ParamKinds.double, x)).toBe(x);
    expect(roundTrip(ParamKinds.doubleArrayArray, [[NaN], [Infinity, -Infinity]])).toEqual([[NaN], [Infinity, -Infinity]]);
  });
});

describe("param kinds: Spark's encoding", () => {
  it('writes NaN and infinities as "NaN", "Inf", "-Inf", inside arrays too', () => {
    const { double, doubleArray, doubleArrayArray } = ParamKinds;
    expect([NaN, Infinity, -Infinity, 1.5].map((x) => double.toJSON(x))).toEqual(['NaN', 'Inf', '-Inf', 1.5]);
    expect(doubleArray.toJSON([NaN, 2])).toEqual(['NaN', 2]);
    expect(doubleArrayArray.toJSON([[-Infinity], []])).toEqual([['-Inf'], []]);
  });

  it('reads what Spark writes', () => {
    const meta = JSON.parse(
      '{"regParam":0.0,"maxIter":100,"seed":-1774303775,"fitIntercept":true,"family":"auto",' +
        '"thresholds":[0.5,"NaN"],"inputCols":["a","b"],"bounds":[["-Inf",1.0]],"x":"Inf"}',
    );
    expect(ParamKinds.double.fromJSON(meta.regParam)).toBe(0);
    expect(ParamKinds.int.fromJSON(meta.maxIter)).toBe(100);
    expect(ParamKinds.long.fromJSON(meta.seed)).toBe(-1774303775);
    expect(ParamKinds.boolean.fromJSON(meta.fitIntercept)).toBe(true);
    expect(ParamKinds.string.fromJSON(meta.family)).toBe('auto');
    expect(ParamKinds.doubleArray.fromJSON(meta.thresholds)).toEqual([0.5, NaN]);
    expect(ParamKinds.stringArray.fromJSON(meta.inputCols)).toEqual(['a', 'b']);
    expect(ParamKinds.doubleArrayArray.fromJSON(meta.bounds)).toEqual([[-Infinity, 1]]);
    expect(ParamKinds.double.fromJSON(meta.x)).toBe(Infinity);
  });

  it('refuses JSON of the wrong kind, saying what was expected', () => {
    const bad: [ParamKind<unknown>, JsonValue, string][] = [
      [ParamKinds.double as ParamKind<unknown>, 'Infinity', 'expected a double, got "Infinity"'],
      [ParamKinds.double as ParamKind<unknown>, '1', 'expected a double, got "1"'],
      [ParamKinds.double as ParamKind<unknown>, null, 'expected a double, got null'],
      [ParamKinds.int as ParamKind<unknown>, 1.5, 'expected an int, got 1.5'],
      [ParamKinds.int as ParamKind<unknown>, 2 ** 31, 'expected an int'],
      [ParamKinds.long as ParamKind<unknown>, 2 ** 53, 'expected a long'],
      [ParamKinds.boolean as ParamKind<unknown>, 'true', 'expected a boolean'],
      [ParamKinds.string as ParamKind<unknown>, 3, 'expected a string, got 3'],
      [ParamKinds.stringArray as ParamKind<unknown>, ['a', 1], 'expected an array of strings, got ["a",1]'],
      [ParamKinds.doubleArray as ParamKind<unknown>, [1, 'x'], 'expected an array of doubles'],
      [ParamKinds.doubleArrayArray as ParamKind<unknown>, [1], 'expected an array of arrays of doubles'],
      [ParamKinds.nullable(ParamKinds.int) as ParamKind<unknown>, 'x', 'expected an int or null'],
    ];
    for (const [kind, json, message] of bad) expect(() => kind.fromJSON(json)).toThrow(message);
  });

  it('checks values by kind at run time', () => {
    expect(ParamKinds.int.accepts(2 ** 31 - 1)).toBe(true);
    expect(ParamKinds.int.accepts(2 ** 31)).toBe(false);
    expect(ParamKinds.int.accepts(1.5)).toBe(false);
    expect(ParamKinds.long.accepts(2 ** 40)).toBe(true);
    expect(ParamKinds.long.accepts(2 ** 53)).toBe(false);
    expect(ParamKinds.double.accepts(NaN)).toBe(true);
    expect(ParamKinds.double.accepts('1')).toBe(false);
    expect(ParamKinds.doubleArray.accepts(new Float64Array(2))).toBe(false);
    expect(ParamKinds.stringArray.accepts(['a', undefined])).toBe(false);
    expect(ParamKinds.nullable(ParamKinds.string).accepts(null)).toBe(true);
    expect(ParamKinds.string.accepts(null)).toBe(false);
  });
});

describe('formatDouble (Java Double.toString, as explainParams shows values)', () => {
  it('matches Java for known values', () => {
    // Expected strings printed by Java 17's Double.toString.
    const java: [number, string][] = [
      [0, '0.0'], [1e-6, '1.0E-6'], [1e-4, '1.0E-4'], [0.001, '0.001'], [1e7, '1.0E7'], [123.456, '123.456'],
      [1e21, '1.0E21'], [-2.5e-9, '-2.5E-9'], [100, '100.0'], [0.1, '0.1'], [9999999, '9999999.0'],
      [12345678.9, '1.23456789E7'], [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [-0, '-0.0'],
    ];
    for (const [x, s] of java) expect(formatDouble(x)).toBe(s);
  });

  it('reads back as the same double, with a point or an exponent (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = formatDouble(x);
        expect(Number(s)).toBe(x); // Object.is: -0 prints as -0.0 and reads back as -0
        expect(s).toMatch(/^-?\d+\.\d+(E-?\d+)?$/);
      }),
    );
  });
});

describe('Param', () => {
  const p = new Param('LogisticRegression_4c1f3a2b9d0e', 'regParam', 'regularization parameter (>= 0)', ParamKinds.double, gtEq(0));

  it('is identified by parent and name, printed as parent__name', () => {
    expect(String(p)).toBe('LogisticRegression_4c1f3a2b9d0e__regParam');
    expect(p.validatorDoc).toBe('>= 0');
    expect(p.isValid(0)).toBe(true);
    expect(p.isValid(-1)).toBe(false);
    expect(p.equals(new Param({ uid: 'LogisticRegression_4c1f3a2b9d0e' }, 'regParam', 'other doc', ParamKinds.int))).toBe(true);
    expect(p.equals(new Param('LogisticRegression_000000000000', 'regParam', '', ParamKinds.double))).toBe(false);
    expect(p.equals(new Param('LogisticRegression_4c1f3a2b9d0e', 'tol', '', ParamKinds.double))).toBe(false);
  });

  it('validates in w(value): the error names stage, param, value and range', () => {
    expect(p.w(0.5)).toBeInstanceOf(ParamPair);
    expect(p.w(0.5).value).toBe(0.5);
    expect(() => p.w(-1)).toThrow('LogisticRegression_4c1f3a2b9d0e parameter regParam given invalid value -1 (must be >= 0)');
    expect(() => new ParamPair(p, 'x' as unknown as number)).toThrow(
      'LogisticRegression_4c1f3a2b9d0e parameter regParam given invalid value x (must be a double, got a string)',
    );
    expect(() => p.w(undefined as unknown as number)).toThrow(/given invalid value undefined \(must be a double, got undefined\)/);
  });

  it('accepts every value of its kind when it has no validator', () => {
    const free = new Param('s', 'x', '', ParamKinds.double);
    expect(free.validatorDoc).toBeUndefined();
    fc.assert(fc.property(fc.double(), (x) => free.isValid(x)));
  });

  it('jsonEncode / jsonDecode are JSON text, with Spark strings for non-finite doubles', () => {
    expect(p.jsonEncode(NaN)).toBe('"NaN"');
    expect(p.jsonEncode(0.25)).toBe('0.25');
    expect(p.jsonDecode('"-Inf"')).toBe(-Infinity);
    expect(() => p.jsonDecode('"nan"')).toThrow(
      'Cannot decode LogisticRegression_4c1f3a2b9d0e parameter regParam: expected a double, got "nan"',
    );
  });
});

describe('ParamValidators', () => {
  it('have docs that follow "must be"', () => {
    expect(gt(0).doc).toBe('> 0');
    expect(gtEq(2).doc).toBe('>= 2');
    expect(lt(1).doc).toBe('< 1');
    expect(ltEq(1).doc).toBe('<= 1');
    expect(inRange(0, 1).doc).toBe('in [0, 1]');
    expect(inRange(0, 1, false, true).doc).toBe('in (0, 1]');
    expect(inRange(0, 1, true, false).doc).toBe('in [0, 1)');
    expect(inArray(['auto', 'binomial', 'multinomial']).doc).toBe('one of [auto, binomial, multinomial]');
    expect(arrayLengthGt(1).doc).toBe('an array of length > 1');
    expect(isInteger.doc).toBe('an integer');
    expect(and(gtEq(0), isInteger).doc).toBe('>= 0 and an integer');
    expect(or(inArray([-1]), gtEq(1)).doc).toBe('one of [-1] or >= 1');
    expect(each(gt(0)).doc).toBe('an array of values > 0');
  });

  it('bound checks agree with the comparison, NaN never valid (property)', () => {
    fc.assert(
      fc.property(fc.double(), fc.double({ noNaN: true }), (x, b) => {
        expect(gt(b).isValid(x)).toBe(x > b);
        expect(gtEq(b).isValid(x)).toBe(x >= b);
        expect(lt(b).isValid(x)).toBe(x < b);
        expect(ltEq(b).isValid(x)).toBe(x <= b);
        if (Number.isNaN(x)) expect(gtEq(b).isValid(x) || ltEq(b).isValid(x)).toBe(false);
      }),
    );
  });

  it('inRange honours each inclusive flag (property)', () => {
    fc.assert(
      fc.property(fc.double(), fc.boolean(), fc.boolean(), (x, lo, hi) => {
        const expected = (lo ? x >= 0 : x > 0) && (hi ? x <= 1 : x < 1);
        expect(inRange(0, 1, lo, hi).isValid(x)).toBe(expected);
      }),
    );
    expect(inRange(0, 1).isValid(0) && inRange(0, 1).isValid(1)).toBe(true);
    expect(inRange(0, 1, false, false).isValid(0) || inRange(0, 1, false, false).isValid(1)).toBe(false);
  });

  it('inArray, arrayLengthGt, isInteger, and, or, each, custom', () => {
    expect(inArray(['a', 'b']).isValid('b')).toBe(true);
    expect(inArray(['a', 'b']).isValid('A')).toBe(false); // case-sensitive, as Spark
    expect(arrayLengthGt(1).isValid([1, 2])).toBe(true);
    expect(arrayLengthGt(1).isValid([1])).toBe(false);
    expect(isInteger.isValid(3)).toBe(true);
    expect(isInteger.isValid(3.5)).toBe(false);
    expect(and(gtEq(0), isInteger).isValid(-1)).toBe(false);
    expect(and(gtEq(0), isInteger).isValid(2)).toBe(true);
    expect([-1, 0, 1].map((v) => or(inArray([-1]), gtEq(1)).isValid(v))).toEqual([true, false, true]);
    expect(each(gt(0)).isValid([1, 2])).toBe(true);
    expect(each(gt(0)).isValid([1, 0])).toBe(false);
    const even = custom((v: number) => v % 2 === 0, 'even');
    expect([even.isValid(2), even.isValid(3), even.doc]).toEqual([true, false, 'even']);
  });
});
