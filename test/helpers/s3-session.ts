// A local[2] session wired to an s3rver started for the test file (s3rver's built-in account,
// which is not a secret, set in the environment because worker threads copy it when they start).
import { afterAll, beforeAll } from 'vitest';
import { Session } from '../../src/index.js';
import { startS3Server, type S3TestServer } from './s3-server.js';

export function useS3Session(bucket: string): { s3: () => S3TestServer; spark: () => Session } {
  let s3: S3TestServer;
  let spark: Session;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  beforeAll(async () => {
    s3 = await startS3Server({ bucket });
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
  return { s3: () => s3, spark: () => spark };
}
