// Expected strings and JSON come from Spark's VectorsSuite and its documented formats.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  DenseVector,
  SparseVector,
  Vectors,
  assertAllClose,
  axpyVector,
  formatDouble,
  type Vector,
} from '../../src/linalg/index.js';

/** A vector as dense or sparse storage, with some explicit zeros in the sparse form. */
// Magnitudes above 1e-100 keep the naive reference formulas (sums of squares and cubes) from underflowing.
const entry = fc.oneof(
  fc.constant(0),
  fc.double({ min: -100, max: 100, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 1e-100),
);
const denseArray = fc.array(entry, { maxLength: 30 });
const anyVector = fc.tuple(denseArray, fc.boolean()).map(([values, asSparse]): Vector => {
  if (!asSparse) return Vectors.dense(values);
  const pairs = values.map((v, i) => [i, v] as [number, number]).filter(([i, v]) => v !== 0 || i % 3 === 0);
  return Vectors.sparse(values.length, pairs);
});

describe('construction', () => {
  test('dense from an array, a Float64Array (shared, as Spark) or numbers', () => {
    const a = Vectors.dense([1, 2, 3]);
    expect(a.size).toBe(3);
    expect(Array.from(a.values)).toEqual([1, 2, 3]);
    const buf = Float64Array.of(4, 5);
    expect(Vectors.dense(buf).values).toBe(buf);
    expect(Vectors.dense(1, 2).equals(Vectors.dense([1, 2]))).toBe(true);
    expect(Vectors.zeros(4).equals(Vectors.dense(0, 0, 0, 0))).toBe(true);
  });

  test('dense rejects what is not numbers', () => {
    expect(() => Vectors.dense([1, '2' as unknown as number])).toThrow(/Vectors.dense: values\[1\] must be a number/);
    expect(() => Vectors.dense(null as unknown as number[])).toThrow(TypeError);
    expect(() => new DenseVector([1, 2] as unknown as Float64Array)).toThrow(/Float64Array/);
  });

  test('sparse from indices and values, and from unsorted pairs', () => {
    const a = Vectors.sparse(4, [1, 3], [1.5, -2]);
    expect(a.size).toBe(4);
    expect(Array.from(a.indices)).toEqual([1, 3]);
    const b = Vectors.sparse(4, [
      [3, -2],
      [1, 1.5],
    ]);
    expect(b.equals(a)).toBe(true);
    expect(Array.from(b.indices)).toEqual([1, 3]);
  });

  test('sparse validation names the problem', () => {
    expect(() => Vectors.sparse(3, [0, 1], [1])).toThrow(/same length, got 2 indices and 1 values/);
    expect(() => Vectors.sparse(3, [1, 0], [1, 2])).toThrow(/strictly increasing, but indices\[1\] = 0 follows 1/);
    expect(() => Vectors.sparse(3, [1, 1], [1, 2])).toThrow(/strictly increasing/);
    expect(() => Vectors.sparse(3, [0, 3], [1, 2])).toThrow(/index 3 is out of range for size 3/);
    expect(() => Vectors.sparse(3, [-1], [1])).toThrow(/indices\[0\] must be a non-negative integer/);
    expect(() => Vectors.sparse(3, [0.5], [1])).toThrow(RangeError);
    expect(() => Vectors.sparse(-1, [], [])).toThrow(/size must be a non-negative integer/);
    expect(() => Vectors.sparse(3, [[1, 1], [1, 2]])).toThrow(/duplicate index 1/);
    expect(() => Vectors.sparse(3, [[3, 1]])).toThrow(/index 3 of entry 0 is out of range \[0, 3\)/);
    expect(() => Vectors.sparse(3, [[1]] as unknown as [number, number][])).toThrow(/\[index, value\] pair/);
    expect(() => new SparseVector(2, Int32Array.of(0), Float64Array.of(1, 2))).toThrow(RangeError);
  });
});

describe('access', () => {
  test('get is bounds-checked for both kinds', () => {
    const d = Vectors.dense(1, 2, 3);
    const s = Vectors.sparse(3, [2], [5]);
    expect(d.get(2)).toBe(3);
    expect(s.get(0)).toBe(0);
    expect(s.get(2)).toBe(5);
    for (const v of [d, s]) {
      expect(() => v.get(3)).toThrow(RangeError);
      expect(() => v.get(-1)).toThrow(/index -1 is out of range \[0, 3\)/);
      expect(() => v.get(1.5)).toThrow(RangeError);
    }
  });

  test.prop([anyVector])('get, toArray, toDense and toSparse agree', (v) => {
    const arr = v.toArray();
    expect(arr.length).toBe(v.size);
    for (let i = 0; i < v.size; i++) expect(v.get(i)).toBe(arr[i]);
    expect(v.toDense().equals(v)).toBe(true);
    expect(v.toSparse().equals(v)).toBe(true);
    expect(v.toSparse().numActives).toBe(v.numNonzeros());
    expect(v.numNonzeros()).toBe(arr.filter((x) => x !== 0).length);
    arr[0] = 12345; // a copy, not a view
    expect(v.size === 0 || v.get(0) !== 12345).toBe(true);
  });

  test('numActives counts stored entries, numNonzeros counts NaN as nonzero', () => {
    const s = Vectors.sparse(5, [0, 2, 4], [0, NaN, 1]);
    expect(s.numActives).toBe(3);
    expect(s.numNonzeros()).toBe(2);
    expect(Vectors.dense(0, 1, 0).numActives).toBe(3);
  });
});

describe('equality and compression', () => {
  test('dense and sparse with the same values are equal (Spark semantics)', () => {
    const d = Vectors.dense(1, 0, 3);
    expect(d.equals(Vectors.sparse(3, [0, 2], [1, 3]))).toBe(true);
    expect(Vectors.sparse(3, [0, 1, 2], [1, 0, 3]).equals(d)).toBe(true); // explicit zero
    expect(d.equals(Vectors.sparse(4, [0, 2], [1, 3]))).toBe(false);
    expect(d.equals(Vectors.dense(1, 0, 3.5))).toBe(false);
    expect(d.equals(Vectors.sparse(3, [0, 1], [1, 3]))).toBe(false); // same values, other places
    expect(d.equals([1, 0, 3])).toBe(false);
    expect(Vectors.dense(NaN, 0).equals(Vectors.sparse(2, [0], [NaN]))).toBe(true);
    expect(Vectors.dense(-0, 1).equals(Vectors.dense(0, 1))).toBe(true);
  });

  test.prop([anyVector])('compressed follows 1.5·(nnz + 1) < size and keeps the value', (v) => {
    const c = v.compressed();
    expect(c instanceof SparseVector).toBe(1.5 * (v.numNonzeros() + 1) < v.size);
    expect(c.equals(v)).toBe(true);
  });
});

describe('formats', () => {
  test('toString is Spark’s', () => {
    expect(Vectors.dense(1, 2).toString()).toBe('[1.0,2.0]');
    expect(Vectors.sparse(3, [0, 2], [1, 3]).toString()).toBe('(3,[0,2],[1.0,3.0])');
    expect(Vectors.dense([]).toString()).toBe('[]');
    expect(String(Vectors.dense(0.5, -0, 1e7, 1e-4, 0.001, 1234567.5, NaN, -Infinity))).toBe(
      '[0.5,-0.0,1.0E7,1.0E-4,0.001,1234567.5,NaN,-Infinity]',
    );
  });

  test('formatDouble follows Java’s Double.toString', () => {
    const cases: [number, string][] = [
      [1, '1.0'], [-2.5, '-2.5'], [0.1, '0.1'], [9999999, '9999999.0'], [1e7, '1.0E7'],
      [123456789, '1.23456789E8'], [0.00099, '9.9E-4'], [1e21, '1.0E21'], [1.5e300, '1.5E300'],
      [2.5e-8, '2.5E-8'], [Infinity, 'Infinity'], [0, '0.0'],
    ];
    for (const [x, s] of cases) expect(formatDouble(x)).toBe(s);
  });

  test('JSON is Spark’s', () => {
    expect(JSON.stringify(Vectors.dense(1, 2.5))).toBe('{"type":1,"values":[1,2.5]}');
    expect(JSON.stringify(Vectors.sparse(3, [0, 2], [1, 3]))).toBe('{"type":0,"size":3,"indices":[0,2],"values":[1,3]}');
    // Spark writes 1.0 where JavaScript writes 1; both parse.
    expect(Vectors.fromJSON('{"type":1,"values":[1.0,0.0,3.0]}').equals(Vectors.dense(1, 0, 3))).toBe(true);
    expect(Vectors.fromJSON('{"type":0,"size":3,"indices":[0,2],"values":[1.0,3.0]}')).toBeInstanceOf(SparseVector);
  });

  test.prop([anyVector, fc.constantFrom(NaN, Infinity, -Infinity, 1)])('JSON round-trips, non-finite values too', (v, special) => {
    const withSpecial = v.size > 0 && v instanceof DenseVector ? Vectors.dense([...v.values.slice(1), special]) : v;
    const back = Vectors.fromJSON(JSON.stringify(withSpecial));
    expect(back.constructor).toBe(withSpecial.constructor);
    expect(back.equals(withSpecial)).toBe(true);
    expect(Vectors.fromJSON(withSpecial.toJSON()).equals(withSpecial)).toBe(true);
  });

  test('fromJSON rejects what is not a vector', () => {
    expect(() => Vectors.fromJSON('{"type":2}')).toThrow(/"type" must be 0 \(sparse\) or 1 \(dense\), got 2/);
    expect(() => Vectors.fromJSON('{"type":1,"values":["x"]}')).toThrow(/values\[0\]: expected a number/);
    expect(() => Vectors.fromJSON('{"type":0,"size":2,"indices":[5],"values":[1]}')).toThrow(RangeError);
    expect(() => Vectors.fromJSON('[1,2')).toThrow(/Vectors.fromJSON: invalid JSON/);
    expect(() => Vectors.fromJSON('null')).toThrow(/expected a JSON object/);
  });
});

describe('arithmetic', () => {
  const pair = fc.integer({ min: 0, max: 20 }).chain((n) =>
    fc.tuple(
      fc.array(entry, { minLength: n, maxLength: n }),
      fc.array(entry, { minLength: n, maxLength: n }),
      fc.boolean(),
      fc.boolean(),
    ),
  );
  const make = (values: number[], sparse: boolean): Vector => (sparse ? Vectors.dense(values).toSparse() : Vectors.dense(values));

  test.prop([pair])('sqdist and dot match the dense formulas for every storage pair', ([xs, ys, sx, sy]) => {
    const a = make(xs, sx);
    const b = make(ys, sy);
    const sq = xs.reduce((t, x, i) => t + (x - ys[i]) ** 2, 0);
    const dt = xs.reduce((t, x, i) => t + x * ys[i], 0);
    assertAllClose([Vectors.sqdist(a, b), a.dot(b)], [sq, dt], { rtol: 1e-12, atol: 1e-9 });
  });

  test.prop([anyVector])('norm for p = 1, 2, 3, Infinity', (v) => {
    const x = Array.from(v.toArray(), Math.abs);
    const expected = [
      x.reduce((t, a) => t + a, 0),
      Math.sqrt(x.reduce((t, a) => t + a * a, 0)),
      x.reduce((t, a) => t + a ** 3, 0) ** (1 / 3),
      x.reduce((t, a) => Math.max(t, a), 0),
    ];
    const actual = [1, 2, 3, Infinity].map((p) => Vectors.norm(v, p));
    assertAllClose(actual, expected, { rtol: 1e-12 });
  });

  test('size mismatches and bad p are errors', () => {
    expect(() => Vectors.sqdist(Vectors.dense(1), Vectors.dense(1, 2))).toThrow(/sizes differ: 1 and 2/);
    expect(() => Vectors.dense(1).dot(Vectors.sparse(2, [], []))).toThrow(RangeError);
    expect(() => Vectors.norm(Vectors.dense(1), 0.5)).toThrow(/p must be >= 1/);
  });

  test('argmax, including Spark’s sparse cases', () => {
    expect(Vectors.dense([]).argmax()).toBe(-1);
    expect(Vectors.dense(1, 3, 3, -1).argmax()).toBe(1);
    expect(Vectors.sparse(0, [], []).argmax()).toBe(-1);
    expect(Vectors.sparse(5, [2, 3, 4], [1, 0, -0.7]).argmax()).toBe(2);
    expect(Vectors.sparse(5, [2, 3], [-1, -0.7]).argmax()).toBe(0);
    expect(Vectors.sparse(5, [0, 3], [-1, -0.7]).argmax()).toBe(1);
    expect(Vectors.sparse(11, [0, 3, 10], [-1, -0.7, 0]).argmax()).toBe(1);
    expect(Vectors.sparse(11, [0, 1, 2], [-1, -0.7, 0]).argmax()).toBe(2);
    expect(Vectors.sparse(5, [0, 1, 3], [-1, 0, -0.7]).argmax()).toBe(1);
    expect(Vectors.sparse(5, [1, 2], [0, -1]).argmax()).toBe(0);
  });

  test.prop([anyVector])('sparse argmax is the dense argmax', (v) => {
    expect(v.toSparse().argmax()).toBe(v.toDense().argmax());
  });

  test('axpyVector and foreachActive', () => {
    const y = new Float64Array(3);
    axpyVector(2, Vectors.sparse(3, [1], [4]), y);
    axpyVector(1, Vectors.dense(1, 1, 1), y);
    expect(Array.from(y)).toEqual([1, 9, 1]);
    expect(() => axpyVector(1, Vectors.dense(1), y)).toThrow(RangeError);
    const seen: number[][] = [];
    Vectors.sparse(4, [1, 3], [5, 6]).foreachActive((i, v) => seen.push([i, v]));
    expect(seen).toEqual([[1, 5], [3, 6]]);
  });
});
