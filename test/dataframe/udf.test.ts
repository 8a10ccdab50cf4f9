import { describe, expect, it } from 'vitest';
import { col, lit, udf } from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const session = useSessions(['inline', 'local[2]']);

describe.each(['inline', 'local[2]'])('udf on %s', (master) => {
  const rows = [{ a: 1, b: 2.5, s: 'x', f: true }, { a: null, b: 1, s: null, f: false }, { a: 3, b: -1, s: 'yz', f: null }];
  const df = () => session(master).createDataFrame(rows, { numPartitions: 2 });

  it('runs a pure function of the row values in the executors, with nulls passed as null', async () => {
    const weighted = udf((a: number | null, b: number) => (a === null ? -1 : a * b + Math.sqrt(4)), 'double');
    const label = udf(function label(s: string | null, f: boolean | null) { return `${s ?? '?'}:${f === null ? 'null' : f ? 'T' : 'F'}`; }, 'string');
    const got = await df().select(weighted(col('a'), col('b')).alias('w'), label('s', 'f').alias('l')).collect();
    expect(got).toEqual([{ w: 4.5, l: 'x:T' }, { w: -1, l: '?:F' }, { w: -1, l: 'yz:null' }]);
  });

  it('takes constants as literal columns', async () => {
    const scale = udf((b: number, k: number) => b * k, 'double');
    expect((await df().select(scale(col('b'), lit(10)).alias('x')).collect()).map((r) => r.x)).toEqual([25, 10, -10]);
  });

  it('names a UDF whose result has the wrong type, and the row', async () => {
    const bad = udf((b: number) => (b > 2 ? 'big' : b), 'double');
    await expect(df().select(bad(col('b'))).collect()).rejects.toThrow(/udf udf returned "big" \(string\) for row 0, but its return type is double/);
  });
});

describe('udf definition', () => {
  it('refuses a function that uses variables from outside itself', () => {
    const factor = 3;
    expect(() => udf((x: number) => x * factor, 'double')).toThrow(/refers to 'factor' from outside itself.*pass constants as literal columns/);
    expect(() => udf(function (this: unknown, x: number) { return x + (this as { k: number }).k; }, 'double')).toThrow(/'this'/);
  });

  it('sees outer variables hidden by names declared in inner blocks, nested parameters and catch clauses', () => {
    const k = 3;
    const refusesK = /refers to 'k' from outside itself/;
    expect(() => udf((x: number) => { { const k = 1; void k; } return x * k; }, 'double')).toThrow(refusesK);
    expect(() => udf((x: number) => { const f = (k: number) => k + 1; return f(x) + k; }, 'double')).toThrow(refusesK);
    expect(() => udf((x: number) => { try { return x; } catch (k) { return -1; } finally { void k; } }, 'double')).toThrow(refusesK);
    expect(() => udf((x: number) => { for (let k = 0; k < 2; k++) x += k; return x + k; }, 'double')).toThrow(refusesK);
    expect(() => udf(function outer(x: number) { function inner() { return 1; } return inner() + x + k; }, 'double')).toThrow(refusesK);
    expect(() => udf((x: number) => ['a', 'bc'].map(({ length: k }) => k).length + x + k, 'double')).toThrow(refusesK);
  });

  it('follows JavaScript scoping where it allows a name: var hoisting, function declarations, named function expressions', () => {
    expect(() => udf((x: number) => { if (x > 0) { var v: number | undefined = 1; } return v ?? 0; }, 'double')).not.toThrow();
    expect(() => udf((x: number) => { return twice(x); function twice(y: number) { return 2 * y; } }, 'double')).not.toThrow();
    expect(() => udf(function fact(n: number): number { return n <= 1 ? 1 : n * fact(n - 1); }, 'double')).not.toThrow();
    expect(() => udf(function (x: number) { return arguments.length + x; }, 'double')).not.toThrow();
    // An arrow has no `arguments` or `this` of its own: both would be the definer's.
    expect(() => udf((x: number) => x, 'double')).not.toThrow();
    expect(() => udf((x: number) => ({ k: x, get() { return this.k; } }).get(), 'double')).not.toThrow();
  });

  it.each(['inline', 'local[2]'])('runs a UDF whose inner names shadow nothing outside (%s)', async (master) => {
    const f = udf((x: number) => { let s = 0; { const k = 2; s += k * x; } try { throw new Error('e'); } catch (k) { s += String(k).length; } return s; }, 'double');
    const got = await session(master).createDataFrame([{ x: 1 }, { x: 4 }], { numPartitions: 2 }).select(f(col('x')).alias('y')).collect();
    expect(got.map((r) => r.y)).toEqual([2 + 'Error: e'.length, 8 + 'Error: e'.length]);
  });

  it('accepts locals, parameters with defaults and destructuring, and standard globals', () => {
    expect(() => udf((x: number, { k } = { k: 2 }) => { const y = Math.max(x, k); let z = 0; for (let i = 0; i < y; i++) z += i; return JSON.stringify({ z }).length; }, 'int')).not.toThrow();
  });

  it('checks return types and argument counts', () => {
    expect(() => udf((x: number) => x, 'decimal')).toThrow(/unsupported return type 'decimal'/);
    expect(() => udf((x: number, y: number) => x + y, 'double')(col('a'))).toThrow(/takes 2 argument\(s\) but was given 1/);
  });
});
