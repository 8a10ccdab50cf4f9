// JSON lines and LibSVM through s3:// paths (s3rver in a child process): inference and numFeatures
// passes and partition reads run in the executors with the session's quiver.s3.* settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, Vectors } from '../../src/index.js';
import { startS3Server, type S3TestServer } from '../persistence/s3-server.js';

let s3: S3TestServer;
let spark: Session;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  s3 = await startS3Server({ bucket: 'quiver-json' });
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

describe('JSON and LibSVM on S3', () => {
  it('round-trip through s3:// paths (inferred and given schemas, numFeatures found by a pass)', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ id: i, x: i / 4, s: i % 4 ? `r${i}é` : null, v: Vectors.dense([i, -i]) }));
    const df = spark.createDataFrame(rows, { numPartitions: 3 });
    const base = 's3://quiver-json/data';
    await df.write.json(`${base}/json`);
    const expected = await df.collect();
    const inferred = await spark.read.option('quiver.json.splitBytes', 64).json(`${base}/json`);
    expect(await inferred.numPartitions()).toBe(3); // S3 objects are read whole
    expect(inferred.columns).toEqual(['id', 's', 'v', 'x']);
    expect(await inferred.select('id', 'x', 's', 'v').collect()).toEqual(expected);
    expect(await (await spark.read.schema(df.schema).json(`${base}/json`)).collect()).toEqual(expected);

    const labeled = spark.createDataFrame(rows.map((r) => ({ label: r.id % 2, features: Vectors.sparse(9, [r.id % 9], [r.x]) })), { numPartitions: 2 });
    await labeled.write.format('libsvm').save(`${base}/svm`);
    const back = await spark.read.libsvm(`${base}/svm`);
    expect(await back.collect()).toEqual((await labeled.collect()).map((r) => ({ label: r.label, features: r.features })));
  });
});
