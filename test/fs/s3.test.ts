/** S3-only behaviour: configuration, error translation, bucket roots, and the test server helper. */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  FileSystemError,
  fileSystemFor,
  LocalFileSystem,
  resolveS3Settings,
  S3FileSystem,
  type FileSystemErrorCode,
} from '../../src/fs/index.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';

async function failure(promise: Promise<unknown>): Promise<FileSystemError> {
  const error = await promise.then(
    () => expect.fail('expected a FileSystemError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileSystemError);
  return error as FileSystemError;
}

function expectNamed(error: FileSystemError, code: FileSystemErrorCode, bucket: string, key: string): void {
  expect(error.code).toBe(code);
  expect([error.bucket, error.key]).toEqual([bucket, key]);
  expect(error.message).toContain(`s3://${bucket}${key ? `/${key}` : ''}`);
  expect(error.message).toContain(`bucket '${bucket}', key '${key}'`);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('S3 settings', () => {
  it('reads the endpoint and region from the environment; config wins', () => {
    const env = { AWS_REGION: 'eu-west-3', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' };
    expect(resolveS3Settings({}, env)).toEqual({
      region: 'eu-west-3',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true, // S3-compatible servers rarely resolve bucket host names
    });
    expect(resolveS3Settings({ region: 'us-west-2', endpoint: 'http://minio:9000', forcePathStyle: false }, env)).toEqual({
      region: 'us-west-2',
      endpoint: 'http://minio:9000',
      forcePathStyle: false,
    });
    expect(resolveS3Settings({}, {})).toEqual({ region: undefined, endpoint: undefined, forcePathStyle: false });
    expect(resolveS3Settings({}, { AWS_DEFAULT_REGION: 'ap-south-1', AWS_ENDPOINT_URL: 'http://x:1' }).region).toBe('ap-south-1');
  });

  it('rejects a malformed endpoint at once', () => {
    expect(() => new S3FileSystem({ endpoint: 'not a url' })).toThrow(/S3 endpoint 'not a url' is not a URL/);
    expect(() => new S3FileSystem({ maxAttempts: 0 })).toThrow(/maxAttempts/);
  });

  it('fileSystemFor picks the implementation from the scheme', () => {
    expect(fileSystemFor('/tmp/x')).toBeInstanceOf(LocalFileSystem);
    expect(fileSystemFor('file:///tmp/x').scheme).toBe('file');
    expect(fileSystemFor('s3://b/x')).toBeInstanceOf(S3FileSystem);
    expect(fileSystemFor('s3a://b/x').scheme).toBe('s3');
    expect(() => fileSystemFor('hdfs://nn/x')).toThrow(/unsupported scheme 'hdfs:\/\/'.*hdfs:\/\/nn\/x|hdfs:\/\/nn\/x.*unsupported scheme/);
  });

  it('reports an unreachable endpoint as a network error naming the path and the endpoint', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const fs = new S3FileSystem({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    try {
      const error = await failure(fs.readFile('s3://some-bucket/models/lr/metadata/part-00000'));
      expectNamed(error, 'network', 'some-bucket', 'models/lr/metadata/part-00000');
      expect(error.message).toContain(endpoint);
      expect(error.message).toContain('ECONNREFUSED');
    } finally {
      fs.close();
    }
  });
});

describe('S3FileSystem against s3rver', () => {
  let server: S3TestServer;
  let fs: S3FileSystem;
  let base: string;

  beforeAll(async () => {
    server = await startS3Server();
    fs = new S3FileSystem(server.config);
    base = `s3://${server.bucket}/s3-only`;
  });
  afterAll(async () => {
    fs?.close();
    await server?.stop();
  });

  it('names a missing bucket', async () => {
    expectNamed(await failure(fs.readFile('s3://no-such-bucket/a/b')), 'not-found', 'no-such-bucket', 'a/b');
    const error = await failure(fs.writeFile('s3://no-such-bucket/a/b', 'x'));
    expectNamed(error, 'not-found', 'no-such-bucket', 'a/b');
    expect(error.message).toContain("the bucket 'no-such-bucket' does not exist");
    expect(await fs.exists('s3://no-such-bucket')).toBe(false);
    expect(await fs.exists('s3://no-such-bucket/a')).toBe(false);
  });

  it('names the path when the credentials are rejected', async () => {
    const intruder = new S3FileSystem({ ...server.config, credentials: { accessKeyId: 'WRONG', secretAccessKey: 'nope' }, maxAttempts: 1 });
    try {
      const error = await failure(intruder.readFile(`s3://${server.bucket}/secret`));
      expectNamed(error, 'access-denied', server.bucket, 'secret');
      expect(error.message).toContain('InvalidAccessKeyId');
    } finally {
      intruder.close();
    }
  });

  it('treats the bucket root as a directory it will not delete', async () => {
    const root = `s3://${server.bucket}`;
    await fs.writeFile(`${base}/root-test/f`, 'x');
    expect(await fs.isDirectory(root)).toBe(true);
    expect(await fs.list(`${root}/`)).toContain('s3-only');
    expect((await failure(fs.readFile(root))).code).toBe('is-a-directory');
    expect((await failure(fs.delete(root, true))).message).toContain('refusing to delete the root of a bucket');
    await fs.mkdirs(root); // exists already: nothing to do
    expect((await failure(fs.mkdirs('s3://no-such-bucket'))).code).toBe('not-found');
  });

  it('keeps an empty directory as a marker that listings hide', async () => {
    const dir = `${base}/marker-test/empty`;
    await fs.mkdirs(dir);
    expect(await fs.list(`${base}/marker-test`)).toEqual(['empty']);
    expect(await fs.listFiles(`${base}/marker-test`, true)).toEqual([]);
    await fs.writeFile(`${dir}/f`, 'x');
    expect(await fs.list(dir)).toEqual(['f']);
    expect(await fs.listFiles(dir)).toEqual([{ path: `${dir}/f`, size: 1 }]);
  });

  it('uses the endpoint from AWS_ENDPOINT_URL_S3 when the config has none', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = server.endpoint;
    try {
      const fromEnv = fileSystemFor(`s3://${server.bucket}`, { region: 'us-east-1', credentials: server.config.credentials });
      await fromEnv.writeFile(`${base}/env/f`, 'via env');
      expect(new TextDecoder().decode(await fs.readFile(`${base}/env/f`))).toBe('via env');
      (fromEnv as S3FileSystem).close();
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
      else process.env.AWS_ENDPOINT_URL_S3 = saved;
    }
  });
});

describe('startS3Server', () => {
  it('stops cleanly: the child is gone and its directory removed; stop twice is fine', async () => {
    const server = await startS3Server({ bucket: 'lifecycle' });
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(server.directory)).toBe(true);
    expect(() => process.kill(server.pid, 0)).not.toThrow();
    await server.stop();
    await server.stop();
    expect(() => process.kill(server.pid, 0)).toThrow(/ESRCH/);
    expect(existsSync(server.directory)).toBe(false);
  });

  it('fails with a clear error when the server does not come up in time', async () => {
    await expect(startS3Server({ timeoutMs: 1 })).rejects.toThrow(/s3rver did not start within 1 ms/);
  });
});
