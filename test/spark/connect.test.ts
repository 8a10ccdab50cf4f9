/**
 * Quiver as a Spark Connect client, against a real Spark Connect server (connect-global.ts): the
 * same DataFrame programs run on a local[2] session and on the remote session give equal rows
 * (the local engine is the reference; Spark is the other side), reads of files written by Quiver
 * agree, SQL returns closed-form results, schemas and show() output match, and Spark's errors
 * come back with Spark's error class and message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, inject, it, vi } from 'vitest';

import {
  coalesce, col, functions as F, isnan, lit, udf, when, type AggColumn, type Column, type Row, type SortOrder, Session, SparkConnectError,
} from '../../src/index.js';
import { randomInt, randomStream } from '../../src/linalg/random.js';
import { useSession } from '../helpers/sessions.js';
import { expectSameRowsInOrder, useRemoteSession } from './connect-harness.js';

const remote = useRemoteSession();
const local = useSession('local[2]');
const scratch = mkdtempSync(join(tmpdir(), 'quiver-connect-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What both DataFrame classes offer (the methods the programs below use). */
interface Frame {
  select(...cols: (string | Column)[]): Frame;
  filter(c: Column): Frame;
  where(c: Column): Frame;
  withColumn(name: string, c: Column): Frame;
  withColumnRenamed(a: string, b: string): Frame;
  drop(...names: string[]): Frame;
  union(other: Frame): Frame;
  distinct(): Frame;
  dropDuplicates(cols?: string[]): Frame;
  join(other: Frame, on: string | string[] | Column, how?: string): Frame;
  limit(n: number): Frame;
  orderBy(...args: (string | Column | SortOrder)[]): Frame;
  groupBy(...keys: string[]): { agg(...a: AggColumn[]): Frame; count(): Frame };
  agg(...a: AggColumn[]): Frame;
  collect(): Promise<Row[]>;
  count(): Promise<number>;
}

/** 200 rows: id, a group key with 4 values, a double with nulls, a small int, a boolean. */
function rows(): Row[] {
  const rng = randomStream(17, 'connect-parity');
  return Array.from({ length: 200 }, (_, id) => ({
    id,
    g: ['north', 'south', 'east', 'west'][randomInt(rng, 4)]!,
    x: rng() < 0.1 ? null : Math.round((rng() * 200 - 100) * 1000) / 1000,
    k: randomInt(rng, 7),
    flag: rng() < 0.5,
  }));
}

const PROGRAMS: Record<string, (df: Frame) => Frame> = {
  'select with arithmetic, alias and cast': (df) => df.select(
    col('id'), col('x').times(2).plus(col('k')).alias('z'), col('k').mod(3).alias('m'), col('id').divide(4).alias('q'),
    col('k').cast('double').alias('kd'), col('x').cast('int').alias('xi'), col('id').cast('string').alias('s'), col('x').negate().alias('nx'),
  ).orderBy('id'),
  'filter with and / or / not / comparisons / null tests': (df) => df
    .filter(col('x').gt(10).and(col('k').le(3)).or(col('g').eq('west').and(col('flag').not())))
    .where(col('x').isNotNull().and(col('id').ne(7)))
    .select('id', 'g', 'x').orderBy('id'),
  'withColumn replaces and adds, when / otherwise': (df) => df
    .withColumn('x', col('x').times(lit(0.5)))
    .withColumn('band', when(col('x').lt(-10), 'low').when(col('x').lt(10), 'mid').otherwise('high'))
    .withColumn('missing', col('x').isNull())
    .orderBy('id'),
  'orderBy on several keys, descending, then limit': (df) => df.orderBy(col('g').desc(), col('k').asc(), col('id').desc()).limit(25),
  'groupBy().agg with every basic aggregate': (df) => df.groupBy('g').agg(
    F.count(), F.count('x').alias('nx'), F.sum('x'), F.avg('x'), F.min('x'), F.max('x'), F.sum('k'), F.max('g').alias('gmax'),
    F.countDistinct('k'),
  ).orderBy('g'),
  'groupBy on two keys with expression inputs': (df) => df.groupBy('g', 'flag').agg(F.sum(col('x').times(col('k'))).alias('xk'), F.min('id'), F.mean('k'))
    .orderBy('g', 'flag'),
  'withColumnRenamed, drop, union': (df) => df.withColumnRenamed('x', 'value').drop('flag', 'no_such_column')
    .filter(col('k').lt(2)).union(df.withColumnRenamed('x', 'value').drop('flag').filter(col('k').gt(5))).orderBy('id'),
  'distinct and dropDuplicates': (df) => df.select('g', 'k').distinct().union(df.dropDuplicates(['g']).select('g', lit(-1).alias('k'))).orderBy('g', 'k'),
  'left join on a name with an aggregate of itself': (df) => df.filter(col('k').ne(4))
    .join(df.filter(col('g').ne('east')).groupBy('g').agg(F.avg('x').alias('gx'), F.count().alias('gn')), 'g', 'left').orderBy('id'),
  'inner join on a condition, semi and anti joins': (df) => df.select('id', 'k')
    .join(df.select(col('id').alias('rid'), col('g')).filter(col('rid').lt(120)), col('id').eq(col('rid')))
    .join(df.filter(col('x').gt(0)).select('id'), 'id', 'left_semi')
    .join(df.filter(col('k').eq(3)).select('id'), ['id'], 'left_anti').orderBy('id'),
  'coalesce, isnan, NaN literals, stddev and variance': (df) => df
    .withColumn('w', when(col('k').eq(0), lit(NaN)).otherwise(col('x')))
    .groupBy('g').agg(F.sum(coalesce(col('x'), lit(0)).times(2)).alias('s0'), F.count(when(isnan(col('w')), 1)).alias('nans'),
      F.stddev('x'), F.variance('x'), F.max('w'))
    .orderBy('g'),
  'global aggregate': (df) => df.agg(F.count(), F.sum('id'), F.avg('x'), F.min('k'), F.max('x')),
  'groupBy().count() after a filter': (df) => df.filter(col('k').ge(2)).groupBy('k').count().orderBy('k'),
};

describe('the same program locally and on Spark through Spark Connect', () => {
  for (const [name, program] of Object.entries(PROGRAMS)) {
    it(name, async () => {
      const data = rows();
      const expected = await program(local().createDataFrame(data) as Frame).collect();
      const actual = await program(remote().createDataFrame(data) as Frame).collect();
      expect(expected.length).toBeGreaterThan(0);
      expectSameRowsInOrder(expected, actual, 1e-12, name);
    });
  }

  it('count() and limit() agree', async () => {
    const data = rows();
    const p = (df: Frame) => df.filter(col('flag')).count();
    expect(await p(remote().createDataFrame(data) as Frame)).toBe(await p(local().createDataFrame(data) as Frame));
    expect(await (remote().createDataFrame(data) as Frame).limit(13).count()).toBe(13);
    const sorted = (s: 'l' | 'r') => (s === 'l' ? local() : remote()).createDataFrame(data).orderBy(col('x').desc_nulls_last(), 'id');
    expectSameRowsInOrder(await sorted('l').take(3), await sorted('r').take(3), 0, 'take');
    expect(await sorted('r').first()).toEqual(await sorted('l').first());
  });

  it('schema(), printSchema() and show() print what the local session prints', async () => {
    const data = rows();
    const l = local().createDataFrame(data).withColumn('y', col('x').plus(col('k')));
    const r = remote().createDataFrame(data).withColumn('y', col('x').plus(col('k')));
    const schema = await r.schema();
    expect(schema.fields.map((f) => [f.name, f.type.kind])).toEqual(l.schema.fields.map((f) => [f.name, f.type.kind]));
    const printed = async (f: () => Promise<void> | void): Promise<string> => {
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try { await f(); return spy.mock.calls.map((c) => String(c[0])).join(''); } finally { spy.mockRestore(); }
    };
    // Nullability differs (Spark knows ids and ints of a LocalRelation are never null), so compare the shows.
    expect(await printed(() => r.orderBy('id').show(7))).toBe(await printed(() => l.orderBy('id').show(7)));
    expect(await printed(() => r.groupBy('g').count().orderBy('g').show())).toBe(await printed(() => l.groupBy('g').count().orderBy('g').show()));
    expect(await printed(() => r.printSchema())).toContain(' |-- y: double (nullable = true)');
  });

  it('toArrow() gives the local engine\'s column types and values', async () => {
    const data = rows();
    const l = await local().createDataFrame(data).orderBy('id').toArrow();
    const r = await remote().createDataFrame(data).orderBy('id').toArrow();
    expect(r.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(l.schema.fields.map((f) => `${f.name}:${String(f.type)}`));
    expect(r.numRows).toBe(200);
    expect(r.getChild('x')!.toArray()).toEqual(l.getChild('x')!.toArray());
  });

  it('range() and sql() give closed-form results', async () => {
    const squares = await remote().range(1, 11).select(col('id').times(col('id')).alias('sq')).collect<{ sq: number }>();
    expect(squares.map((r) => r.sq)).toEqual([1, 4, 9, 16, 25, 36, 49, 64, 81, 100]);
    expect(await remote().range(0, 100, 7).count()).toBe(15); // ceil(100 / 7)
    const [row] = await remote().sql('SELECT sum(id) AS total, count(*) AS n FROM range(1, 101)').collect<{ total: number; n: number }>();
    expect(row).toEqual({ total: 5050, n: 100 }); // n(n+1)/2
  });

  it.each(['parquet', 'csv', 'json'] as const)('read.%s of files Quiver wrote gives the local read\'s rows', async (format) => {
    const path = join(scratch, `table-${format}`);
    const data = rows();
    await local().createDataFrame(data, { numPartitions: 2 }).write.mode('overwrite').option('header', true)[format](path);
    const readLocal = await (format === 'csv' ? local().read.csv(path, { header: true, inferSchema: true }) : local().read[format](path));
    const readRemote = await (format === 'csv' ? remote().read.csv(path, { header: true, inferSchema: true }) : remote().read[format](path));
    const program = (df: Frame) => df.select('id', 'g', 'x', 'k', 'flag').orderBy('id');
    const expected = await program(readLocal as Frame).collect();
    expectSameRowsInOrder(expected, await program(readRemote as Frame).collect(), 0, format);
    expect(expected.length).toBe(200);
  });
});

describe('Spark settings of a remote session', () => {
  it('Spark 4 runs in ANSI mode (division by zero fails); with spark.sql.ansi.enabled false it gives null, as the local engine', async () => {
    const data = [{ a: 1, b: 0, s: 'x7' }, { a: 6, b: 3, s: '12' }];
    const program = (df: Frame) => df.select(col('a').divide(col('b')).alias('q'), col('s').cast('int').alias('n'));
    await expect(program(remote().createDataFrame(data) as Frame).collect()).rejects.toMatchObject({ errorClass: 'DIVIDE_BY_ZERO', sqlState: '22012' });
    const lenient = Session.builder().remote(inject('sparkConnect').url).config('spark.sql.ansi.enabled', false).create();
    try {
      expect(await lenient.conf.get('spark.sql.ansi.enabled')).toBe('false');
      const expected = await program(local().createDataFrame(data) as Frame).collect();
      expect(expected).toEqual([{ q: null, n: null }, { q: 2, n: 12 }]); // Quiver's (and non-ANSI Spark's) null for x / 0 and 'x7' as int
      expectSameRowsInOrder(expected, await program(lenient.createDataFrame(data) as Frame).collect(), 0, 'non-ANSI');
      await lenient.conf.set('spark.sql.shuffle.partitions', 3);
      expect(await lenient.conf.get('spark.sql.shuffle.partitions')).toBe('3');
      expect(await remote().conf.get('spark.sql.ansi.enabled')).toBe('true'); // settings are per session
    } finally {
      await lenient.stop();
    }
  });
});

describe('errors from Spark', () => {
  it('an unknown column gives Spark\'s UNRESOLVED_COLUMN error with its message', async () => {
    const df = remote().createDataFrame(rows());
    const err = await df.select('nope').collect().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SparkConnectError);
    const e = err as SparkConnectError;
    expect(e.errorClass).toBe('UNRESOLVED_COLUMN.WITH_SUGGESTION');
    expect(e.sqlState).toBe('42703');
    expect(e.message).toContain('A column, variable, or function parameter with name `nope` cannot be resolved');
    expect(e.exceptionClasses).toContain('org.apache.spark.sql.AnalysisException');
    // schema() asks Spark too, and fails the same way.
    await expect(df.select(col('nope').plus(1)).schema()).rejects.toThrow(/UNRESOLVED_COLUMN/);
  });

  it('a path that does not exist fails at read time with Spark\'s PATH_NOT_FOUND', async () => {
    const missing = join(scratch, 'no-such-table');
    await expect(remote().read.parquet(missing)).rejects.toMatchObject({ errorClass: 'PATH_NOT_FOUND', message: expect.stringContaining('no-such-table') });
  });

  it('a filter that is not boolean and bad SQL give Spark\'s error classes', async () => {
    const df = remote().createDataFrame(rows());
    await expect(df.filter(col('x')).collect()).rejects.toMatchObject({ errorClass: 'DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN' });
    await expect(remote().sql('SELEC 1').collect()).rejects.toMatchObject({ errorClass: 'PARSE_SYNTAX_ERROR', sqlState: '42601' });
  });

  it('a JavaScript UDF is refused at once, naming the UDF', () => {
    function double_it(v: number): number { return v * 2; }
    const double = udf(double_it, 'double');
    expect(() => remote().createDataFrame(rows()).select(double(col('x')))).toThrow(/udf 'double_it' is a JavaScript function and cannot run on a Spark Connect server/);
  });

  it('a server that is not there gives a clear error naming the address', async () => {
    // Port 1 (tcpmux): nothing listens there on a test machine, and no other test can take it.
    const gone = Session.builder().remote('sc://127.0.0.1:1').create();
    await expect(gone.range(3).collect()).rejects.toThrow(/cannot reach the Spark Connect server at 127\.0\.0\.1:1 \(UNAVAILABLE/);
    await gone.stop();
  });
});
