// IEEE literals: NaN, ±Infinity and -0 keep their values through compiled expressions, the compile
// cache and window placeholders (JSON alone would turn them into null, null and 0). Expected values
// are IEEE 754 arithmetic as JavaScript and Spark (Java doubles) both compute it.
import { describe, expect, it } from 'vitest';
import { Window, col, functions as F, lit, when } from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters);
const xs = [1, 2, 3];

describe.each(masters)('IEEE literals on %s', (master) => {
  const df = () => session(master).createDataFrame(xs.map((x) => ({ x: x + 0.5, i: x })), { numPartitions: 2, schema: { x: 'double', i: 'int' } });
  const values = async (c: ReturnType<typeof lit>) => (await df().select(c.alias('v')).collect()).map((r) => r.v as number);

  it('compares with ±Infinity', async () => {
    expect(await df().filter(col('x').lt(Infinity)).count()).toBe(3);
    expect(await df().filter(col('x').gt(-Infinity)).count()).toBe(3);
    expect(await df().filter(col('i').lt(lit(Infinity))).count()).toBe(3);
    expect(await df().filter(col('x').gt(Infinity)).count()).toBe(0);
  });

  it('computes with NaN and Infinity', async () => {
    expect(await values(col('x').times(lit(NaN)))).toEqual([NaN, NaN, NaN]);
    expect(await values(col('i').plus(lit(-Infinity)))).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(await values(when(col('i').gt(1), lit(Infinity)).otherwise(lit(NaN)))).toEqual([NaN, Infinity, Infinity]);
  });

  it('keeps -0 a (negative) double', async () => {
    const got = await values(col('x').times(lit(-0)));
    expect(got.every((v) => Object.is(v, -0))).toBe(true);
    expect(Object.is((await values(lit(-0)))[0], -0)).toBe(true);
    expect(df().select(lit(-0).alias('z')).schema.field('z').type.kind).toBe('double');
  });

  it('does not mix up cached compilations of null and NaN, or of 0 and -0', async () => {
    // The same expression shape compiled twice in one process: the cache must key on the value.
    expect(await values(col('x').plus(lit(null)))).toEqual([null, null, null]);
    expect(await values(col('x').plus(lit(NaN)))).toEqual([NaN, NaN, NaN]);
    expect(await values(col('x').times(lit(0)))).toEqual([0, 0, 0]);
    expect((await values(col('x').times(lit(-0)))).map((v) => Object.is(v, -0))).toEqual([true, true, true]);
  });

  it('passes -0 and NaN defaults through a window', async () => {
    const w = Window.orderBy('i');
    const lagged = await df().select(F.lag('x', 1, -0).over(w).alias('a'), F.lead('x', 1, NaN).over(w).alias('b')).collect();
    expect(Object.is(lagged[0].a, -0)).toBe(true);
    expect(lagged.map((r) => r.b)).toEqual([2.5, 3.5, NaN]);
  });
});
