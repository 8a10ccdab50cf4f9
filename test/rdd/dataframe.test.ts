// Between RDDs and DataFrames: df.rdd gives rows as plain objects; rdd.toDF and
// spark.createDataFrame(rdd, schema) make DataFrames computed from the RDD's partitions.
import { describe, expect, it } from 'vitest';
import { col, functions as F, StructType, DoubleType, StringType } from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const MASTERS = ['local[2]', 'inline'] as const;
const session = useSessions(MASTERS);

describe.each(MASTERS)('RDDs and DataFrames on %s', (master) => {
  const spark = () => session(master);

  it('df.rdd holds the rows as objects, partition by partition', async () => {
    const df = spark().createDataFrame([{ name: 'Alice', age: 5 }, { name: 'Bob', age: 7 }, { name: 'Cy', age: null }], { numPartitions: 2 });
    const rdd = df.rdd;
    expect(rdd.getNumPartitions()).toBe(2);
    expect(await rdd.map((r) => r.name).collect()).toEqual(['Alice', 'Bob', 'Cy']);
    expect(await df.filter(col('age').gt(5)).rdd.map((r) => [r.name, r.age]).collect()).toEqual([['Bob', 7]]);
  });

  it('toDF names tuple fields _1, _2 or as told, infers types, and keeps object fields', async () => {
    const sc = spark().sparkContext;
    const pairs = sc.parallelize<[string, number]>([['a', 1], ['b', 2], ['a', 3]], 2);
    const df = await pairs.toDF(['key', 'n']);
    expect(df.schema.fieldNames).toEqual(['key', 'n']);
    expect(df.schema.field('n').type).toEqual({ kind: 'int' });
    expect(await df.groupBy('key').agg(F.sum('n').alias('total')).orderBy('key').collect()).toEqual([{ key: 'a', total: 4 }, { key: 'b', total: 2 }]);
    expect((await pairs.toDF()).schema.fieldNames).toEqual(['_1', '_2']);
    const objs = await sc.parallelize([{ x: 1.5, s: 'p' }, { x: 2, s: null }]).toDF();
    expect(await objs.collect()).toEqual([{ x: 1.5, s: 'p' }, { x: 2, s: null }]);
    expect(await (await sc.parallelize([{ x: 1.5, s: 'p' }]).toDF(['a', 'b'])).collect()).toEqual([{ a: 1.5, b: 'p' }]);
    expect(await (await sc.parallelize([3, 4]).toDF()).collect()).toEqual([{ value: 3 }, { value: 4 }]);
    await expect(sc.emptyRDD().toDF()).rejects.toThrow(/cannot infer a schema from an empty RDD/);
  });

  it('createDataFrame(rdd, schema) takes a StructType, a DDL string or a name -> type map', async () => {
    const sc = spark().sparkContext;
    const rdd = sc.parallelize<[string, number]>([['a', 1], ['b', 2.5]], 2);
    const schema = new StructType([{ name: 'k', type: StringType, nullable: true }, { name: 'v', type: DoubleType, nullable: true }]);
    for (const s of [schema, 'k string, v double', { k: 'string', v: 'double' }]) {
      const df = spark().createDataFrame(rdd, s);
      expect(df.schema.fieldNames).toEqual(['k', 'v']);
      expect(await df.collect()).toEqual([{ k: 'a', v: 1 }, { k: 'b', v: 2.5 }]);
    }
    const bad = spark().createDataFrame(sc.parallelize<[string, unknown]>([['a', 'not a number']]), 'k string, v double');
    await expect(bad.collect()).rejects.toThrow(/column 'v' is double but element 0 of RDD partition \d holds string "not a number"/);
    expect(() => spark().createDataFrame(rdd, undefined as never)).toThrow(/pass the schema/);
    // Rows still work as before.
    expect(await spark().createDataFrame([{ a: 1 }]).count()).toBe(1);
  });
});
