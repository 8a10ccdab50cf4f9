// The same readers and writers against an S3-compatible server (s3rver in a child process): the
// executors read and write s3:// paths with the session's quiver.s3.* settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, Vectors } from '../../src/index.js';
import { startS3Server, type S3TestServer } from '../persistence/s3-server.js';

let s3: S3TestServer;
let spark: Session;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  s3 = await startS3Server({ bucket: 'quiver-io' });
  // s3rver's built-in account (not a secret); worker threads copy the environment when they start.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  spark = Session.builder().master('local[2]')
    .config('quiver.s3.endpoint', s3.endpoint).config('quiver.s3.forcePathStyle', true).config('quiver.s3.region', 'us-east-1')
    .create();
});
afterAll(async () => {
  await spark?.stop();
  await s3?.stop();
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID; else process.env.AWS_ACCESS_KEY_ID = saved.id;
  if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY; else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
});

describe('files on S3', () => {
  it('round-trips Parquet, Arrow and CSV through s3:// paths, with globs, modes and splits', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: i, x: i / 4, s: i % 4 ? `r${i}` : null, v: Vectors.dense([i, -i]) }));
    const df = spark.createDataFrame(rows, { numPartitions: 3 });
    const base = `s3://quiver-io/data`;
    await df.write.parquet(`${base}/pq`);
    await df.write.arrow(`${base}/arrow`);
    await df.drop('v').write.option('header', true).csv(`${base}/csv`);
    const expected = await df.collect();
    expect(await (await spark.read.parquet(`${base}/pq`)).collect()).toEqual(expected);
    expect(await (await spark.read.arrow(`${base}/arrow`)).collect()).toEqual(expected);
    // S3 objects are read whole (no ranged reads yet), so they are not split.
    const csv = await spark.read.options({ header: true, inferSchema: true, 'quiver.csv.splitBytes': 64 }).csv(`${base}/csv`);
    expect(await csv.numPartitions()).toBe(3);
    expect(await csv.collect()).toEqual(expected.map(({ v: _v, ...r }) => r));
    expect(await (await spark.read.parquet(`${base}/pq/part-0000[02]-*`)).count()).toBe(20);

    await expect(df.write.parquet(`${base}/pq`)).rejects.toThrow(`Path ${base}/pq already exists`);
    await df.limit(5).write.mode('overwrite').parquet(`${base}/pq`);
    await df.limit(2).write.mode('append').parquet(`${base}/pq`);
    expect(await (await spark.read.parquet(`${base}/pq`)).count()).toBe(7);
    await expect(spark.read.parquet(`${base}/missing`)).rejects.toThrow(`Path does not exist: ${base}/missing`);
  });
});
