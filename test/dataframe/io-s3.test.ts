// The same readers and writers against an S3-compatible server (s3rver in a child process): the
// executors read and write s3:// paths with the session's quiver.s3.* settings.
import { describe, expect, it } from 'vitest';
import { Vectors } from '../../src/index.js';
import { useS3Session } from '../helpers/s3-session.js';

const env = useS3Session('quiver-io');

describe('files on S3', () => {
  it('round-trips Parquet, Arrow and CSV through s3:// paths, with globs, modes and splits', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: i, x: i / 4, s: i % 4 ? `r${i}` : null, v: Vectors.dense([i, -i]) }));
    const df = env.spark().createDataFrame(rows, { numPartitions: 3 });
    const base = `s3://quiver-io/data`;
    await df.write.parquet(`${base}/pq`);
    await df.write.arrow(`${base}/arrow`);
    await df.drop('v').write.option('header', true).csv(`${base}/csv`);
    const expected = await df.collect();
    expect(await (await env.spark().read.parquet(`${base}/pq`)).collect()).toEqual(expected);
    expect(await (await env.spark().read.arrow(`${base}/arrow`)).collect()).toEqual(expected);
    // S3 objects are read whole (no ranged reads yet), so they are not split.
    const csv = await env.spark().read.options({ header: true, inferSchema: true, 'quiver.csv.splitBytes': 64 }).csv(`${base}/csv`);
    expect(csv.numPartitions()).toBe(3);
    expect(await csv.collect()).toEqual(expected.map(({ v: _v, ...r }) => r));
    expect(await (await env.spark().read.parquet(`${base}/pq/part-0000[02]-*`)).count()).toBe(20);

    await expect(df.write.parquet(`${base}/pq`)).rejects.toThrow(`Path ${base}/pq already exists`);
    await df.limit(5).write.mode('overwrite').parquet(`${base}/pq`);
    await df.limit(2).write.mode('append').parquet(`${base}/pq`);
    expect(await (await env.spark().read.parquet(`${base}/pq`)).count()).toBe(7);
    await expect(env.spark().read.parquet(`${base}/missing`)).rejects.toThrow(`Path does not exist: ${base}/missing`);
  });
});
