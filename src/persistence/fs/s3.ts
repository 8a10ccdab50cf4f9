/**
 * The S3 FileSystem. Directories are key prefixes ending in '/'; `mkdirs` leaves a zero-byte
 * `dir/` marker object (as Hadoop's S3A does) so that an empty directory exists, and listings
 * hide markers. One instance serves every bucket the credentials reach.
 */
import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';

import { FileSystemError, isFileSystemError } from './errors.js';
import type { FileEntry, FileSystem } from './filesystem.js';
import { errorTarget, formatLocation, invalidPath, joinPath, parsePath, tempSiblingPath, type S3Location } from './paths.js';
import { checkRename } from './preconditions.js';
import { createS3Client, type S3Sdk } from './s3-client.js';
import { resolveS3Settings, type S3Config, type S3Settings } from './s3-config.js';
import { s3Error } from './s3-errors.js';

/** DeleteObjects takes at most 1000 keys per request. */
const DELETE_BATCH = 1000;
/** Parallel CopyObject requests during a rename. */
const COPY_CONCURRENCY = 16;

export class S3FileSystem implements FileSystem {
  readonly scheme = 's3' as const;
  private readonly settings: S3Settings;
  private connection: Promise<{ sdk: S3Sdk; client: S3Client }> | undefined;

  constructor(private readonly config: S3Config = {}) {
    this.settings = resolveS3Settings(config);
  }

  /** Releases the client's sockets. The instance reconnects if it is used again. */
  close(): void {
    const connection = this.connection;
    this.connection = undefined;
    void connection?.then(({ client }) => client.destroy(), () => undefined);
  }

  async readFile(path: string): Promise<Uint8Array> {
    const at = this.resolve('readFile', path);
    if (at.key === '') throw this.error('readFile', at, 'is-a-directory', 'is the root of a bucket, not a file');
    try {
      const response = await this.call('readFile', at, (client, s3) =>
        client.send(new s3.GetObjectCommand({ Bucket: at.bucket, Key: at.key })),
      );
      if (response.Body === undefined) return new Uint8Array(0);
      return await response.Body.transformToByteArray();
    } catch (error) {
      if (isFileSystemError(error, 'not-found') && (await this.hasChildren('readFile', at))) {
        throw this.error('readFile', at, 'is-a-directory', 'is a directory (a key prefix), not a file');
      }
      throw error;
    }
  }

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const at = this.resolve('writeFile', path);
    if (at.key === '') throw this.error('writeFile', at, 'is-a-directory', 'is the root of a bucket, not a file');
    const body = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    // PutObject replaces an object in one step; parent "directories" are implied by the key.
    await this.call('writeFile', at, (client, s3) =>
      client.send(new s3.PutObjectCommand({ Bucket: at.bucket, Key: at.key, Body: body, ContentLength: body.byteLength })),
    );
  }

  async exists(path: string): Promise<boolean> {
    const at = this.resolve('exists', path);
    if (at.key === '') return this.bucketExists('exists', at);
    const [isFile, isDirectory] = await Promise.all([this.objectExists('exists', at), this.hasChildren('exists', at)]);
    return isFile || isDirectory;
  }

  async isDirectory(path: string): Promise<boolean> {
    const at = this.resolve('isDirectory', path);
    return at.key === '' ? this.bucketExists('isDirectory', at) : this.hasChildren('isDirectory', at);
  }

  async list(dir: string): Promise<string[]> {
    const at = this.resolve('list', dir);
    const prefix = prefixOf(at);
    const names = new Set<string>();
    let found = false;
    for await (const page of this.pages('list', at, prefix, '/')) {
      for (const { Prefix } of page.CommonPrefixes ?? []) {
        found = true;
        const name = Prefix!.slice(prefix.length, -1);
        if (name !== '') names.add(name);
      }
      for (const { Key } of page.Contents ?? []) {
        found = true;
        const name = Key!.slice(prefix.length);
        if (name !== '') names.add(name); // '' is this directory's own marker
      }
    }
    if (!found) await this.requireDirectory('list', at);
    return [...names].sort();
  }

  async listFiles(dir: string, recursive = false): Promise<FileEntry[]> {
    const at = this.resolve('listFiles', dir);
    const prefix = prefixOf(at);
    const files: FileEntry[] = [];
    let found = false;
    for await (const page of this.pages('listFiles', at, prefix, recursive ? undefined : '/')) {
      if ((page.CommonPrefixes?.length ?? 0) > 0) found = true;
      for (const { Key, Size } of page.Contents ?? []) {
        found = true;
        if (Key!.endsWith('/')) continue; // directory markers are not files
        files.push({ path: formatLocation({ scheme: 's3', bucket: at.bucket, key: Key! }), size: Size ?? 0 });
      }
    }
    if (!found) await this.requireDirectory('listFiles', at);
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async mkdirs(path: string): Promise<void> {
    const at = this.resolve('mkdirs', path);
    if (at.key === '') {
      if (!(await this.bucketExists('mkdirs', at))) {
        throw this.error('mkdirs', at, 'not-found', `the bucket '${at.bucket}' does not exist`);
      }
      return;
    }
    const [isFile, isDirectory] = await Promise.all([this.objectExists('mkdirs', at), this.hasChildren('mkdirs', at)]);
    if (isFile) throw this.error('mkdirs', at, 'not-a-directory', 'a file (object) exists at this path');
    if (isDirectory) return;
    await this.call('mkdirs', at, (client, s3) =>
      client.send(new s3.PutObjectCommand({ Bucket: at.bucket, Key: prefixOf(at), Body: new Uint8Array(0) })),
    );
  }

  async delete(path: string, recursive = false): Promise<void> {
    const at = this.resolve('delete', path);
    if (at.key === '') throw invalidPath('delete', formatLocation(at), 'refusing to delete the root of a bucket');
    const prefix = prefixOf(at);
    if (!recursive) {
      const page = await this.listPage('delete', at, prefix, undefined, 2);
      const keys = (page.Contents ?? []).map((o) => o.Key!);
      if (keys.some((key) => key !== prefix)) {
        throw this.error('delete', at, 'not-empty', 'the directory is not empty; pass recursive = true to delete it');
      }
      await this.deleteKeys('delete', at, [at.key, ...keys]); // the file and/or the empty directory's marker
      return;
    }
    await this.deleteKeys('delete', at, [at.key]);
    // Deleting page by page keeps memory flat; continuation tokens stay valid as listed keys vanish.
    for await (const page of this.pages('delete', at, prefix, undefined)) {
      await this.deleteKeys('delete', at, (page.Contents ?? []).map((o) => o.Key!));
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const source = this.resolve('rename', from);
    const target = this.resolve('rename', to);
    for (const at of [source, target]) {
      if (at.key === '') throw invalidPath('rename', formatLocation(at), 'cannot rename to or from the root of a bucket');
    }
    await checkRename(this, formatLocation(source), formatLocation(target));

    const keys: string[] = (await this.objectExists('rename', source)) ? [source.key] : [];
    for await (const page of this.pages('rename', source, prefixOf(source), undefined)) {
      for (const { Key } of page.Contents ?? []) keys.push(Key!);
    }
    const copied: string[] = [];
    try {
      await forEachLimit(keys, COPY_CONCURRENCY, async (key) => {
        const copy = target.key + key.slice(source.key.length);
        await this.copyObject(source.bucket, key, target.bucket, copy);
        copied.push(copy);
      });
    } catch (error) {
      // Leave no half tree at the destination: the source is still complete.
      await this.deleteKeys('rename', target, copied).catch(() => undefined);
      throw error;
    }
    await this.deleteKeys('rename', source, keys);
  }

  /** S3 has no symbolic links: the canonical path. */
  async realPath(path: string): Promise<string> {
    return formatLocation(this.resolve('realPath', path));
  }

  tempSibling(path: string): string {
    return tempSiblingPath(formatLocation(this.resolve('tempSibling', path)));
  }

  join(...parts: string[]): string {
    const joined = joinPath(...parts);
    this.resolve('join', joined);
    return joined;
  }

  // --- requests -------------------------------------------------------------------------------

  private connect(): Promise<{ sdk: S3Sdk; client: S3Client }> {
    return (this.connection ??= createS3Client(this.config, this.settings));
  }

  /** Runs one SDK call, translating its failure into a FileSystemError naming `at`. */
  private async call<T>(op: string, at: S3Location, request: (client: S3Client, s3: S3Sdk) => Promise<T>, context = ''): Promise<T> {
    const { sdk, client } = await this.connect().catch((error: unknown) => {
      // Loading the SDK failed (most often: it is not installed): say so once, naming the path.
      throw new FileSystemError({ op, ...errorTarget(at), code: 'config', reason: (error as Error).message, cause: error });
    });
    try {
      return await request(client, sdk);
    } catch (error) {
      throw s3Error(op, at, error, this.settings.endpoint, context);
    }
  }

  private async objectExists(op: string, at: S3Location): Promise<boolean> {
    try {
      await this.call(op, at, (client, s3) => client.send(new s3.HeadObjectCommand({ Bucket: at.bucket, Key: at.key })));
      return true;
    } catch (error) {
      if (isFileSystemError(error, 'not-found')) return false;
      throw error;
    }
  }

  private async bucketExists(op: string, at: S3Location): Promise<boolean> {
    try {
      await this.call(op, at, (client, s3) => client.send(new s3.HeadBucketCommand({ Bucket: at.bucket })));
      return true;
    } catch (error) {
      if (isFileSystemError(error, 'not-found')) return false;
      throw error;
    }
  }

  /** True when some key lies below `at` (a marker counts): `at` is a directory. False in a missing bucket. */
  private async hasChildren(op: string, at: S3Location): Promise<boolean> {
    try {
      const page = await this.listPage(op, at, prefixOf(at), undefined, 1);
      return (page.Contents?.length ?? 0) > 0;
    } catch (error) {
      if (isFileSystemError(error, 'not-found')) return false;
      throw error;
    }
  }

  private listPage(
    op: string,
    at: S3Location,
    prefix: string,
    delimiter: string | undefined,
    maxKeys?: number,
    token?: string,
  ): Promise<ListObjectsV2CommandOutput> {
    return this.call(op, at, (client, s3) =>
      client.send(
        new s3.ListObjectsV2Command({
          Bucket: at.bucket,
          Prefix: prefix,
          Delimiter: delimiter,
          MaxKeys: maxKeys,
          ContinuationToken: token,
        }),
      ),
    );
  }

  /** Every page of a listing; S3 returns at most 1000 entries per page. */
  private async *pages(op: string, at: S3Location, prefix: string, delimiter: string | undefined): AsyncGenerator<ListObjectsV2CommandOutput> {
    let token: string | undefined;
    do {
      const page = await this.listPage(op, at, prefix, delimiter, undefined, token);
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated && token === undefined) {
        throw this.error(op, at, 'io', 'the listing was truncated but S3 sent no continuation token');
      }
    } while (token !== undefined);
  }

  /** Deletes keys of `at.bucket` in batches; S3 reports per-key failures in the response, not as an error. */
  private async deleteKeys(op: string, at: S3Location, keys: string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const response = await this.call(op, at, (client, s3) =>
        client.send(
          new s3.DeleteObjectsCommand({
            Bucket: at.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        ),
      );
      const failure = response.Errors?.[0];
      if (failure !== undefined) {
        const failedAt: S3Location = { scheme: 's3', bucket: at.bucket, key: failure.Key ?? at.key };
        throw this.error(
          op,
          failedAt,
          failure.Code === 'AccessDenied' ? 'access-denied' : 'io',
          `could not delete ${response.Errors!.length} key(s); first: ${failure.Code ?? 'error'}: ${failure.Message ?? ''}`,
        );
      }
    }
  }

  private copyObject(fromBucket: string, fromKey: string, toBucket: string, toKey: string): Promise<unknown> {
    const from: S3Location = { scheme: 's3', bucket: fromBucket, key: fromKey };
    const to = formatLocation({ scheme: 's3', bucket: toBucket, key: toKey });
    // CopySource is URL-encoded; encode each segment so '/' stays a separator. Single copies stop at 5 GB.
    const copySource = [fromBucket, ...fromKey.split('/')].map(encodeURIComponent).join('/');
    return this.call(
      'rename',
      from,
      (client, s3) => client.send(new s3.CopyObjectCommand({ Bucket: toBucket, Key: toKey, CopySource: copySource })),
      ` (copying to '${to}')`,
    );
  }

  /** For an empty listing: fail unless `at` is an existing (empty) directory. */
  private async requireDirectory(op: string, at: S3Location): Promise<void> {
    if (at.key === '') {
      if (await this.bucketExists(op, at)) return;
      throw this.error(op, at, 'not-found', `the bucket '${at.bucket}' does not exist`);
    }
    if (await this.objectExists(op, at)) throw this.error(op, at, 'not-a-directory', 'is a file, not a directory');
    throw this.error(op, at, 'not-found', `no such directory (no keys under '${prefixOf(at)}')`);
  }

  private resolve(op: string, path: string): S3Location {
    const location = parsePath(path, op);
    if (location.scheme !== 's3') {
      throw invalidPath(op, location.path, 'the S3 file system cannot open a local path; use fileSystemFor(path)');
    }
    return location;
  }

  private error(op: string, at: S3Location, code: FileSystemError['code'], reason: string): FileSystemError {
    return new FileSystemError({ op, ...errorTarget(at), code, reason });
  }
}

/** The key prefix of the "directory" `at`: 'key/', or '' for a bucket root. */
function prefixOf(at: S3Location): string {
  return at.key === '' ? '' : `${at.key}/`;
}

/** Runs `task` over `items`, at most `limit` at a time; stops starting new ones after a failure. */
async function forEachLimit<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // allSettled: every in-flight task has finished before the caller cleans up after a failure.
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}
