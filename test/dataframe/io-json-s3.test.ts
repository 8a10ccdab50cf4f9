// JSON lines and LibSVM through s3:// paths (s3rver in a child process): inference and numFeatures
// passes and partition reads run in the executors with the session's quiver.s3.* settings.
import { describe, expect, it } from 'vitest';
import { Vectors } from '../../src/index.js';
import { useS3Session } from '../helpers/s3-session.js';

const env = useS3Session('quiver-json');

describe('JSON and LibSVM on S3', () => {
  it('round-trip through s3:// paths (inferred and given schemas, numFeatures found by a pass)', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ id: i, x: i / 4, s: i % 4 ? `r${i}é` : null, v: Vectors.dense([i, -i]) }));
    const df = env.spark().createDataFrame(rows, { numPartitions: 3 });
    const base = 's3://quiver-json/data';
    await df.write.json(`${base}/json`);
    const expected = await df.collect();
    const inferred = await env.spark().read.option('quiver.json.splitBytes', 64).json(`${base}/json`);
    expect(inferred.numPartitions()).toBe(3); // S3 objects are read whole
    expect(inferred.columns).toEqual(['id', 's', 'v', 'x']);
    expect(await inferred.select('id', 'x', 's', 'v').collect()).toEqual(expected);
    expect(await (await env.spark().read.schema(df.schema).json(`${base}/json`)).collect()).toEqual(expected);

    const labeled = env.spark().createDataFrame(rows.map((r) => ({ label: r.id % 2, features: Vectors.sparse(9, [r.id % 9], [r.x]) })), { numPartitions: 2 });
    await labeled.write.format('libsvm').save(`${base}/svm`);
    const back = await env.spark().read.libsvm(`${base}/svm`);
    expect(await back.collect()).toEqual((await labeled.collect()).map((r) => ({ label: r.label, features: r.features })));
  });
});
