// LongType's range [-2^63, 2^63 - 1]: values outside it are errors naming the column and row (as
// Spark's createDataFrame raises "object of LongType out of range"), never wrapped by a
// BigInt64Array; casts saturate as Java's (long) does (Long.MAX_VALUE for 1e30).
import { describe, expect, it } from 'vitest';
import { makeData, RecordBatch, Schema, Field, Struct, Table, Uint64 } from 'apache-arrow';
import { col, lit, udf } from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const session = useSessions(['inline', 'local[2]']);
const spark = () => session('inline');
const MAX = 2n ** 63n - 1n, MIN = -(2n ** 63n);

describe('bigint values outside int64', () => {
  it('createDataFrame refuses them, naming the column and the row', () => {
    const rows = [{ id: 1, x: 5n }, { id: 2, x: 2n ** 64n + 5n }];
    expect(() => spark().createDataFrame(rows, { schema: { id: 'int', x: 'long' } }))
      .toThrow("createDataFrame: column 'x' is long but row 1 holds bigint 18446744073709551621, outside the long range [-2^63, 2^63 - 1]");
    expect(() => spark().createDataFrame([{ x: 2n ** 63n }])).toThrow(/column 'x' is long but row 0 holds bigint 9223372036854775808, outside the long range/);
    expect(() => spark().createDataFrame([{ x: MIN - 1n }])).toThrow(/row 0 holds bigint -9223372036854775809, outside the long range/);
  });

  it('keeps the bounds themselves exactly', async () => {
    const rows = await spark().createDataFrame([{ x: MAX }, { x: MIN }, { x: 7n }], { numPartitions: 2 }).collect();
    expect(rows.map((r) => r.x)).toEqual([MAX, MIN, 7]);
  });

  it('an Arrow Uint64 column above 2^63 - 1 is refused with the table row', () => {
    const type = new Uint64();
    const batch = (values: bigint[]) => {
      const schema = new Schema([new Field('u', type, false)]);
      const data = makeData({ type, length: values.length, data: BigUint64Array.from(values) });
      return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: values.length, children: [data] }));
    };
    const table = new Table([batch([1n, 2n]), batch([3n, 2n ** 63n])]);
    expect(() => spark().createDataFrame(table)).toThrow("Column 'u' (Uint64): row 3 holds 9223372036854775808, outside the long range [-2^63, 2^63 - 1]");
  });

  it.each(['inline', 'local[2]'])('a long UDF returning one is refused, naming the UDF and row (%s)', async (master) => {
    const huge = udf(function huge(x: number) { return x > 1 ? 2n ** 64n : BigInt(x); }, 'long');
    const df = session(master).createDataFrame([{ x: 1 }, { x: 2 }], { numPartitions: 1 });
    await expect(df.select(huge(col('x'))).collect()).rejects.toThrow(/udf huge returned 18446744073709551616 \(bigint\) for row 1, but its return type is long/);
  });

  it.each(['inline', 'local[2]'])('cast to long saturates as Java does (%s)', async (master) => {
    const df = session(master).createDataFrame([{ x: 1e30 }, { x: -1e30 }, { x: -2.7 }, { x: NaN }], { numPartitions: 2 });
    const got = await df.select(col('x').cast('long').alias('l'), lit(1e19).cast('long').alias('k')).collect();
    expect(got.map((r) => r.l)).toEqual([MAX, MIN, -2, 0]);
    expect(got.map((r) => r.k)).toEqual([MAX, MAX, MAX, MAX]);
  });
});
