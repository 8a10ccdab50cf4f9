// textFile and saveAsTextFile on s3:// paths, against a local S3 server.
import { describe, expect, it } from 'vitest';
import { useS3Session } from '../helpers/s3-session.js';

describe('RDD files on S3', () => {
  const { s3, spark } = useS3Session('rdd-bucket');

  it('textFile and saveAsTextFile take s3:// paths', async () => {
    const sc = spark().sparkContext;
    const base = `s3://${s3().bucket}/rdd`;
    await sc.parallelize(['x y', 'y z', 'z'], 2).saveAsTextFile(`${base}/in`);
    const lines = await sc.textFile(`${base}/in`);
    expect(await lines.collect()).toEqual(['x y', 'y z', 'z']);
    const counts = await lines.flatMap((l) => l.split(' ')).countByValue();
    expect([...counts].sort()).toEqual([['x', 1], ['y', 2], ['z', 2]]);
  });
});
