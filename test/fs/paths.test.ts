import * as nodePath from 'node:path';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { FileSystemError, joinPath, normalizePath, parsePath } from '../../src/fs/index.js';

function expectInvalid(path: string, ...fragments: string[]): void {
  let error: unknown;
  try {
    normalizePath(path);
  } catch (e) {
    error = e;
  }
  expect(error, `normalizePath(${JSON.stringify(path)}) should fail`).toBeInstanceOf(FileSystemError);
  expect((error as FileSystemError).code).toBe('invalid-path');
  for (const fragment of [path, ...fragments]) expect((error as FileSystemError).message).toContain(fragment);
}

describe('normalizePath', () => {
  it('resolves local spellings to one absolute path', () => {
    expect(normalizePath('/tmp/models/lr')).toBe('/tmp/models/lr');
    expect(normalizePath('/tmp//models/./x/../lr/')).toBe('/tmp/models/lr');
    expect(normalizePath('file:///tmp/models/lr')).toBe('/tmp/models/lr');
    expect(normalizePath('file://localhost/tmp/models/lr')).toBe('/tmp/models/lr');
    expect(normalizePath('file:/tmp/models/lr')).toBe('/tmp/models/lr'); // Hadoop's spelling
    expect(normalizePath('FILE:///tmp/a%20b')).toBe('/tmp/a b');
    expect(normalizePath('models/lr')).toBe(nodePath.join(process.cwd(), 'models/lr'));
    expect(normalizePath('model:v1')).toBe(nodePath.join(process.cwd(), 'model:v1')); // a name, not a scheme
    expect(normalizePath('/')).toBe('/');
  });

  it('canonicalises S3 paths: s3a becomes s3, slashes and dots collapse', () => {
    expect(normalizePath('s3://bucket/models/lr')).toBe('s3://bucket/models/lr');
    expect(normalizePath('s3a://bucket/models/lr/')).toBe('s3://bucket/models/lr');
    expect(normalizePath('S3://bucket//models/./x/../lr')).toBe('s3://bucket/models/lr');
    expect(normalizePath('s3://bucket')).toBe('s3://bucket');
    expect(normalizePath('s3://bucket/')).toBe('s3://bucket');
    expect(parsePath('s3a://my.bucket-1/a/b')).toEqual({ scheme: 's3', bucket: 'my.bucket-1', key: 'a/b' });
    expect(parsePath('s3://b/a b/c%20d')).toEqual({ scheme: 's3', bucket: 'b', key: 'a b/c%20d' }); // keys are literal
  });

  it('rejects unknown schemes and malformed paths, naming them', () => {
    expectInvalid('hdfs://namenode:8020/models', "'hdfs://'", 's3://');
    expectInvalid('gs://bucket/x', "'gs://'");
    expectInvalid('http://example.com/x', "'http://'");
    expectInvalid('s3:///key', 'needs a bucket');
    expectInvalid('s3a://', 'needs a bucket');
    expectInvalid('s3://bad bucket/key', "'bad bucket'");
    expectInvalid('s3://bucket/a/../../x', "'..'", 'bucket');
    expectInvalid('file://otherhost/x', 'file URL');
    expectInvalid('', 'non-empty');
  });

  it('is idempotent for any S3 or local path built from awkward segments', () => {
    const segment = fc.constantFrom('', '.', '..', 'a', 'b c', 'part-00000', '_SUCCESS', 'x.y', 'é', 'k=v');
    fc.assert(
      fc.property(fc.boolean(), fc.array(segment, { maxLength: 8 }), (s3, segments) => {
        const path = (s3 ? 's3a://bucket/' : '/') + segments.join('/');
        let once: string;
        try {
          once = normalizePath(path);
        } catch (error) {
          return (error as FileSystemError).code === 'invalid-path';
        }
        expect(normalizePath(once)).toBe(once);
        expect(once.endsWith('/') && once !== '/').toBe(false);
        expect(once.includes('//', s3 ? 's3://'.length : 0)).toBe(false);
        return true;
      }),
    );
  });
});

describe('joinPath', () => {
  it('joins under the base and keeps its scheme', () => {
    expect(joinPath('/tmp/m', 'stages', '0_lr', 'metadata')).toBe('/tmp/m/stages/0_lr/metadata');
    expect(joinPath('file:///tmp/m/', '/data/')).toBe('/tmp/m/data');
    expect(joinPath('s3a://b/m/', 'stages/', '/0_lr')).toBe('s3://b/m/stages/0_lr');
    expect(joinPath('s3://b', 'x')).toBe('s3://b/x');
    expect(joinPath('s3://b/m/x', '..')).toBe('s3://b/m');
  });

  it('refuses a scheme after the first part and climbing above a bucket', () => {
    expect(() => joinPath('/tmp/m', 's3://b/k')).toThrow(/only the first part may carry a scheme/);
    expect(() => joinPath('s3://b/m', '../..')).toThrow(/climbs above the root of bucket 'b'/);
    expect(() => joinPath()).toThrow(FileSystemError);
  });
});
