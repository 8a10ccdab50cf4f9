// What a stream cannot run fails at start() with Spark's AnalysisException text, before any batch;
// a streaming DataFrame's actions fail with Spark's message too.
import { describe, expect, it } from 'vitest';
import { AnalysisException, col, functions as F, MemoryStream, Window, type DataFrame } from '../../src/index.js';
import { useSession } from '../helpers/sessions.js';
import { schema } from './helpers.js';

const session = useSession('inline');
const stream = (): DataFrame => new MemoryStream(session(), schema).toDF();
const start = (df: DataFrame, mode = 'append') => df.writeStream.format('memory').queryName(`q${Math.random()}`).outputMode(mode).start();

describe('operations a stream does not support', () => {
  it.each([
    ['orderBy in append mode', () => start(stream().orderBy('v')),
      'Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode'],
    ['orderBy of an aggregation in update mode', () => start(stream().groupBy('k').count().orderBy('k'), 'update'), 'Sorting is not supported'],
    ['limit in append mode', () => start(stream().limit(3)), 'Limits are not supported on streaming DataFrames/Datasets in Append output mode'],
    ['limit in update mode', () => start(stream().groupBy('k').count().limit(3), 'update'), 'Limits are not supported on streaming DataFrames/Datasets in Update output mode'],
    ['a stream-stream join', () => start(stream().join(stream().withColumnRenamed('v', 'w'), 'k')), 'Join between two streaming DataFrames/Datasets is not supported'],
    ['a full outer join with a static side', () => start(stream().join(session().createDataFrame([{ k: 'a', x: 1 }]), 'k', 'full')),
      'Full outer joins with streaming DataFrames/Datasets are not supported'],
    ['an aggregation in append mode', () => start(stream().groupBy('k').count()),
      'Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark'],
    ['complete mode without an aggregation', () => start(stream().select('k'), 'complete'),
      'Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets'],
    ['two aggregations', () => start(stream().groupBy('k').count().groupBy('count').agg(F.count().alias('n')), 'complete'),
      'Multiple streaming aggregations are not supported with streaming DataFrames/Datasets'],
    ['countDistinct', () => start(stream().groupBy('k').agg(F.countDistinct('v')), 'complete'), 'countDistinct() is not supported in a streaming aggregation'],
    ['a window function', () => start(stream().withColumn('r', F.row_number().over(Window.partitionBy('k').orderBy('v')))),
      'Non-time-based windows are not supported on streaming DataFrames/Datasets'],
    ['sampling', () => start(stream().sample(0.5, 1)), 'Sampling is not supported on streaming DataFrames/Datasets'],
  ])('%s', async (_, run, message) => {
    const err = await run().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AnalysisException);
    expect((err as Error).message).toContain(message);
    expect(session().streams.active).toEqual([]);
  });

  it('a static DataFrame has no writeStream; a streaming one has no batch actions', async () => {
    const spark = session();
    const s = stream();
    expect(s.isStreaming).toBe(true);
    expect(s.filter(col('v').gt(0)).join(spark.createDataFrame([{ k: 'a', x: 1 }]), 'k').isStreaming).toBe(true);
    expect(spark.createDataFrame([{ k: 'a' }]).isStreaming).toBe(false);
    await expect(spark.createDataFrame([{ k: 'a' }]).writeStream.format('memory').queryName('x').start())
      .rejects.toThrow("'writeStream' can be called only on streaming Dataset/DataFrame");
    await expect(s.count()).rejects.toThrow('Queries with streaming sources must be executed with writeStream.start();');
    await expect(s.collect()).rejects.toThrow(AnalysisException);
  });

  it('a memory sink needs a query name; two active queries cannot share a name', async () => {
    await expect(stream().writeStream.format('memory').start()).rejects.toThrow('queryName must be specified for memory sink');
    const q = await stream().writeStream.format('memory').queryName('dup').start();
    await expect(stream().writeStream.format('memory').queryName('dup').start())
      .rejects.toThrow('Cannot start query with name dup as a query with that name is already active in this SparkSession');
    await q.stop();
  });

  it('bad builder arguments name what is wrong', () => {
    expect(() => stream().writeStream.outputMode('sometimes')).toThrow("Unknown output mode sometimes. Accepted output modes are 'append', 'complete', 'update'");
    expect(() => stream().writeStream.trigger({ processingTime: 'soon' })).toThrow(/cannot parse 'soon' as a duration/);
    expect(() => stream().writeStream.format('kafka')).toThrow(/Data source kafka does not support streamed writing/);
    expect(() => session().readStream.format('socket')).toThrow(/Data source socket does not support streamed reading/);
    expect(() => session().readStream.format('rate').option('rowsPerSecond', 0).load()).toThrow("Invalid value '0'. The option 'rowsPerSecond' must be positive");
    expect(() => session().readStream.format('memory').load()).toThrow(/needs option\('name', \.\.\.\)/);
    const ms = new MemoryStream(session(), schema);
    expect(() => ms.addData([{ k: 'a', v: 1 }, { k: 'b', v: 'x' }])).toThrow(`MemoryStream.addData: column 'v' is int but row 1 holds string "x"`);
  });
});
