// RDD functions travel as source text: one that closes over outside variables is refused before
// anything runs, naming them and pointing to broadcast variables, which a function receives as its
// last argument.
import { describe, expect, it } from 'vitest';
import { useSessions } from '../helpers/sessions.js';

const MASTERS = ['local[2]', 'inline'] as const;
const session = useSessions(MASTERS);

describe('RDD closure check', () => {
  const sc = () => session('inline').sparkContext;

  it('refuses a function that reads outside variables, naming them and pointing to broadcast variables', () => {
    const factor = 3, offset = 1;
    const rdd = sc().parallelize([1, 2, 3]);
    expect(() => rdd.map((x) => x * factor + offset)).toThrow(
      /RDD\.map: the function refers to 'factor', 'offset' from outside itself.*broadcast variable \(const bc = sc\.broadcast\(value\); rdd\.map\(\(x, v\) => \.\.\., bc\)\)/);
    expect(() => rdd.filter((x) => x > factor)).toThrow(/RDD\.filter: the function refers to 'factor'/);
    const pairs = sc().parallelize<[string, number]>([['a', 1]]);
    expect(() => pairs.reduceByKey((a, b) => a + b + offset)).toThrow(/RDD\.reduceByKey: the function refers to 'offset'/);
    expect(() => pairs.aggregateByKey(0, (a, v) => a + v, (a, b) => a + b * factor)).toThrow(/RDD\.aggregateByKey: .*'factor'/);
  });

  it('accepts self-contained functions: globals, own locals, parameters, nested arrows', () => {
    const rdd = sc().parallelize([1, 2, 3]);
    expect(() => rdd.map((x) => { const k = Math.sqrt(4); return [1, 2].map((y) => y * x * k); })).not.toThrow();
    expect(() => rdd.map(function named(x: number) { return JSON.stringify({ x }); })).not.toThrow();
  });

  it('runs functions compiled by tsx, whose nested named functions call its __name helper', async () => {
    // What tsx (esbuild with keepNames) makes of `(x) => { function inc(y) { return y + 1; } return inc(x); }`.
    const compiled = new Function('return (x) => { function inc(y) { return y + 1; } __name(inc, "inc"); return inc(x); }')() as (x: number) => number;
    expect(await sc().parallelize([1, 2]).map(compiled).collect()).toEqual([2, 3]);
  });

  it('refuses built-in and bound functions, whose source is not JavaScript', () => {
    expect(() => sc().parallelize([4]).map(Math.sqrt)).toThrow(/RDD\.map: 'sqrt' is a built-in or bound function.*wrap it/);
  });

  it('refuses values that cannot reach the workers', () => {
    expect(() => sc().parallelize([1, () => 2])).toThrow(/parallelize: element 1 cannot be sent to the worker threads/);
  });
});

describe.each(MASTERS)('broadcast variables in RDD functions on %s', (master) => {
  it('the function receives bc.value as its last argument', async () => {
    const sc = session(master).sparkContext;
    const bc = sc.broadcast({ factor: 3, names: ['zero', 'one', 'two'] });
    const rdd = sc.parallelize([0, 1, 2], 2);
    expect(await rdd.map((x, b) => x * b.factor, bc).collect()).toEqual([0, 3, 6]);
    expect(await rdd.filter((x, b) => b.names[x].includes('o'), bc).collect()).toEqual([0, 1, 2]);
    expect(await rdd.flatMap((x, b) => [b.names[x], x], bc).collect()).toEqual(['zero', 0, 'one', 1, 'two', 2]);
    expect(await rdd.keyBy((x, b) => b.names[x], bc).mapValues((v, b) => v * b.factor, bc).collect())
      .toEqual([['zero', 0], ['one', 3], ['two', 6]]);
    bc.destroy();
  });
});
