/**
 * One contract for every FileSystem: the same suite runs against the local disk (a temp dir) and
 * against S3 (s3rver on the loopback interface, in a child process).
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  FileSystemError,
  fileSystemFor,
  S3FileSystem,
  type FileSystem,
  type FileSystemErrorCode,
} from '../../src/persistence/fs/index.js';
import { startS3Server } from './s3-server.js';

interface Backend {
  name: 'local' | 's3';
  setup(): Promise<{ fs: FileSystem; root: string; teardown(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'local',
    async setup() {
      const dir = await mkdtemp(nodePath.join(tmpdir(), 'quiver-fs-contract-'));
      return { fs: fileSystemFor(dir), root: dir, teardown: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3',
    async setup() {
      const server = await startS3Server();
      const fs = fileSystemFor(`s3://${server.bucket}`, server.config);
      return {
        fs,
        root: `s3://${server.bucket}/contract`,
        async teardown() {
          (fs as S3FileSystem).close();
          await server.stop();
        },
      };
    },
  },
];

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Awaits a rejection and checks it is a FileSystemError with `code` whose message names `path`. */
async function expectFailure(promise: Promise<unknown>, code: FileSystemErrorCode, path: string): Promise<FileSystemError> {
  const error = await promise.then(
    () => expect.fail(`expected a '${code}' error naming ${path}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileSystemError);
  expect((error as FileSystemError).code).toBe(code);
  expect((error as FileSystemError).message).toContain(path);
  return error as FileSystemError;
}

describe.each(backends)('FileSystem contract: $name', ({ name, setup }) => {
  let fs: FileSystem;
  let root: string;
  let teardown: (() => Promise<void>) | undefined;
  let counter = 0;
  /** A fresh directory path (not yet created) per test, so tests never see each other's files. */
  const fresh = (): string => fs.join(root, `case-${counter++}`);

  beforeAll(async () => {
    ({ fs, root, teardown } = await setup());
  });
  afterAll(async () => {
    await teardown?.();
  });

  it('has the scheme of its paths', () => {
    expect(fs.scheme).toBe(name === 'local' ? 'file' : 's3');
  });

  it('writes and reads back every byte value', async () => {
    const file = fs.join(fresh(), 'bytes.bin');
    const bytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
    await fs.writeFile(file, bytes);
    const read = await fs.readFile(file);
    expect(read).toBeInstanceOf(Uint8Array);
    expect([...read]).toEqual([...bytes]);
  });

  it('writes strings as UTF-8', async () => {
    const file = fs.join(fresh(), 'metadata', 'part-00000');
    const line = '{"class":"Modèle","uid":"lr_0a1b2c3d4e5f","note":"✓ 🚀"}\n';
    await fs.writeFile(file, line);
    expect(text(await fs.readFile(file))).toBe(line);
  });

  it('creates parent directories on write', async () => {
    const dir = fresh();
    await fs.writeFile(fs.join(dir, 'a', 'b', 'c.txt'), 'deep');
    expect(await fs.isDirectory(fs.join(dir, 'a'))).toBe(true);
    expect(await fs.isDirectory(fs.join(dir, 'a', 'b'))).toBe(true);
    expect(await fs.list(fs.join(dir, 'a', 'b'))).toEqual(['c.txt']);
  });

  it('overwrites a file, shorter content included', async () => {
    const file = fs.join(fresh(), 'f.txt');
    await fs.writeFile(file, 'first version, longer');
    await fs.writeFile(file, 'second');
    expect(text(await fs.readFile(file))).toBe('second');
    expect(await fs.list(parentDir(fs, file))).toEqual(['f.txt']); // no temp file left behind
  });

  it('stores an empty file', async () => {
    const dir = fresh();
    const file = fs.join(dir, 'empty');
    await fs.writeFile(file, new Uint8Array(0));
    expect((await fs.readFile(file)).byteLength).toBe(0);
    expect(await fs.exists(file)).toBe(true);
    expect(await fs.isDirectory(file)).toBe(false);
    expect(await fs.listFiles(dir)).toEqual([{ path: file, size: 0 }]);
  });

  it('tells files, directories and missing paths apart', async () => {
    const dir = fresh();
    const file = fs.join(dir, 'sub', 'file.txt');
    await fs.writeFile(file, 'x');
    expect([await fs.exists(file), await fs.isDirectory(file)]).toEqual([true, false]);
    expect([await fs.exists(fs.join(dir, 'sub')), await fs.isDirectory(fs.join(dir, 'sub'))]).toEqual([true, true]);
    const missing = fs.join(dir, 'missing');
    expect([await fs.exists(missing), await fs.isDirectory(missing)]).toEqual([false, false]);
    // A name that only shares a prefix with an existing entry does not exist.
    expect(await fs.exists(fs.join(dir, 'su'))).toBe(false);
    expect(await fs.exists(fs.join(dir, 'sub', 'file.txt', 'below-a-file'))).toBe(false);
  });

  it('makes empty directories, idempotently', async () => {
    const dir = fs.join(fresh(), 'x', 'y');
    await fs.mkdirs(dir);
    await fs.mkdirs(dir);
    expect(await fs.isDirectory(dir)).toBe(true);
    expect(await fs.exists(dir)).toBe(true);
    expect(await fs.list(dir)).toEqual([]);
    expect(await fs.listFiles(dir, true)).toEqual([]);
    await fs.writeFile(fs.join(dir, 'f'), 'in a made directory');
    expect(await fs.list(dir)).toEqual(['f']);
  });

  it('refuses to make a directory where a file is', async () => {
    const file = fs.join(fresh(), 'file');
    await fs.writeFile(file, 'x');
    await expectFailure(fs.mkdirs(file), 'not-a-directory', file);
  });

  it('lists immediate children, files and directories, sorted', async () => {
    const dir = fresh();
    for (const name of ['b.txt', 'a/inner.txt', 'c/d/e.txt', 'B', '_SUCCESS', 'a0']) {
      await fs.writeFile(fs.join(dir, name), name);
    }
    await fs.mkdirs(fs.join(dir, 'empty'));
    expect(await fs.list(dir)).toEqual(['B', '_SUCCESS', 'a', 'a0', 'b.txt', 'c', 'empty']);
    expect(await fs.list(fs.join(dir, 'c'))).toEqual(['d']);
  });

  it('lists files with sizes, one level or recursively, sorted by path', async () => {
    const dir = fresh();
    const files: Record<string, string> = {
      'part-00001': '22',
      'part-00000': '1',
      'stages/1_b/data/x': '4444',
      'stages/0_a/metadata/part-00000': '333',
    };
    for (const [name, content] of Object.entries(files)) await fs.writeFile(fs.join(dir, name), content);
    await fs.mkdirs(fs.join(dir, 'stages', 'empty'));

    expect(await fs.listFiles(dir)).toEqual([
      { path: fs.join(dir, 'part-00000'), size: 1 },
      { path: fs.join(dir, 'part-00001'), size: 2 },
    ]);
    expect(await fs.listFiles(dir, true)).toEqual([
      { path: fs.join(dir, 'part-00000'), size: 1 },
      { path: fs.join(dir, 'part-00001'), size: 2 },
      { path: fs.join(dir, 'stages/0_a/metadata/part-00000'), size: 3 },
      { path: fs.join(dir, 'stages/1_b/data/x'), size: 4 },
    ]);
  });

  it('fails to list a missing directory or a file, naming it', async () => {
    const dir = fresh();
    await expectFailure(fs.list(dir), 'not-found', dir);
    await expectFailure(fs.listFiles(dir, true), 'not-found', dir);
    const file = fs.join(dir, 'file');
    await fs.writeFile(file, 'x');
    await expectFailure(fs.list(file), 'not-a-directory', file);
  });

  it('fails to read a missing path with an error naming it', async () => {
    const missing = fs.join(fresh(), 'no', 'such', 'file.bin');
    const error = await expectFailure(fs.readFile(missing), 'not-found', missing);
    if (name === 's3') {
      expect(error.bucket).toBe(root.split('/')[2]);
      expect(error.message).toContain(`key '${error.key}'`);
    }
  });

  it('fails to read a directory as a file', async () => {
    const dir = fresh();
    await fs.writeFile(fs.join(dir, 'child'), 'x');
    await expectFailure(fs.readFile(dir), 'is-a-directory', dir);
  });

  it('deletes files; a missing path is not an error', async () => {
    const dir = fresh();
    const file = fs.join(dir, 'f');
    await fs.writeFile(file, 'x');
    await fs.writeFile(fs.join(dir, 'keep'), 'y');
    await fs.delete(file);
    expect(await fs.exists(file)).toBe(false);
    expect(await fs.list(dir)).toEqual(['keep']);
    await fs.delete(file);
    await fs.delete(fs.join(dir, 'never', 'existed'), true);
  });

  it('deletes an empty directory without recursive, but not a full one', async () => {
    const dir = fresh();
    await fs.mkdirs(fs.join(dir, 'empty'));
    await fs.delete(fs.join(dir, 'empty'));
    expect(await fs.exists(fs.join(dir, 'empty'))).toBe(false);

    await fs.writeFile(fs.join(dir, 'full', 'f'), 'x');
    await expectFailure(fs.delete(fs.join(dir, 'full')), 'not-empty', fs.join(dir, 'full'));
    expect(text(await fs.readFile(fs.join(dir, 'full', 'f')))).toBe('x');
  });

  it('deletes a tree recursively and nothing that merely shares its name prefix', async () => {
    const dir = fresh();
    for (const name of ['model/metadata/part-00000', 'model/data/a/b/c', 'model/data/d', 'model2/keep', 'model.txt']) {
      await fs.writeFile(fs.join(dir, name), name);
    }
    await fs.mkdirs(fs.join(dir, 'model', 'empty'));
    await fs.delete(fs.join(dir, 'model'), true);
    expect(await fs.exists(fs.join(dir, 'model'))).toBe(false);
    expect(await fs.list(dir)).toEqual(['model.txt', 'model2']);
    expect(text(await fs.readFile(fs.join(dir, 'model2', 'keep')))).toBe('model2/keep');
  });

  it('renames a directory tree', async () => {
    const dir = fresh();
    const from = fs.join(dir, 'tmp-save');
    const to = fs.join(dir, 'published', 'model');
    const files = ['metadata/part-00000', 'data/part-00000.parquet', 'stages/0_x/metadata/part-00000'];
    for (const f of files) await fs.writeFile(fs.join(from, f), `content of ${f}`);
    await fs.writeFile(fs.join(dir, 'tmp-save-sibling'), 'not part of the tree');

    await fs.rename(from, to);

    expect(await fs.exists(from)).toBe(false);
    expect((await fs.listFiles(to, true)).map((e) => e.path)).toEqual([...files].sort().map((f) => fs.join(to, f)));
    for (const f of files) expect(text(await fs.readFile(fs.join(to, f)))).toBe(`content of ${f}`);
    expect(await fs.exists(fs.join(dir, 'tmp-save-sibling'))).toBe(true);
  });

  it('renames a single file', async () => {
    const dir = fresh();
    await fs.writeFile(fs.join(dir, 'a'), 'payload');
    await fs.rename(fs.join(dir, 'a'), fs.join(dir, 'b'));
    expect(await fs.list(dir)).toEqual(['b']);
    expect(text(await fs.readFile(fs.join(dir, 'b')))).toBe('payload');
  });

  it('refuses a rename onto an existing path, from a missing one, or into itself', async () => {
    const dir = fresh();
    const from = fs.join(dir, 'from');
    const to = fs.join(dir, 'to');
    await fs.writeFile(fs.join(from, 'f'), 'source');
    await fs.writeFile(fs.join(to, 'g'), 'destination');
    await expectFailure(fs.rename(from, to), 'already-exists', to);
    expect(await fs.list(to)).toEqual(['g']);
    expect(await fs.list(from)).toEqual(['f']);

    const missing = fs.join(dir, 'missing');
    await expectFailure(fs.rename(missing, fs.join(dir, 'elsewhere')), 'not-found', missing);
    await expectFailure(fs.rename(from, fs.join(from, 'inside')), 'invalid-path', from);
  });

  it('publishes through a temp sibling: write there, then rename', async () => {
    const dir = fresh();
    const target = fs.join(dir, 'model');
    const temp = fs.tempSibling(target);
    expect(fs.tempSibling(target)).not.toBe(temp);
    expect(fs.join(temp, '..')).toBe(dir);
    expect(temp.slice(dir.length + 1)).toMatch(/^\.model\.tmp-[0-9a-f]+$/);
    expect(await fs.exists(temp)).toBe(false);

    await fs.writeFile(fs.join(temp, 'metadata', 'part-00000'), '{}');
    await fs.rename(temp, target);
    expect(await fs.list(dir)).toEqual(['model']);
    expect(text(await fs.readFile(fs.join(target, 'metadata', 'part-00000')))).toBe('{}');
  });

  it('lists, counts and deletes more than 1000 entries (S3 pages hold 1000)', async () => {
    const dir = fs.join(fresh(), 'many');
    // More than 1000 direct files, so the delimited listing behind `list` spans pages too.
    const fileNames = Array.from({ length: 1005 }, (_, i) => `part-${String(i).padStart(5, '0')}`);
    const dirNames = Array.from({ length: 20 }, (_, i) => `sub-${String(i).padStart(3, '0')}`);
    const writes = [...fileNames, ...dirNames.map((d) => `${d}/x`)];
    await forEachLimit(writes, 32, (name) => fs.writeFile(fs.join(dir, name), 'v'));

    expect(await fs.list(dir)).toEqual([...fileNames, ...dirNames]);
    expect((await fs.listFiles(dir)).length).toBe(1005);
    const all = await fs.listFiles(dir, true);
    expect(all.length).toBe(1025);
    expect(all.map((e) => e.path)).toEqual(writes.map((w) => fs.join(dir, w)).sort());

    await fs.delete(dir, true);
    expect(await fs.exists(dir)).toBe(false);
  });

  it('accepts every spelling of a path and returns canonical paths', async () => {
    const dir = fresh();
    const file = fs.join(dir, 'f.txt');
    await fs.writeFile(file, 'same file');
    const spellings =
      name === 'local'
        ? [`file://${file}`, `file:${file}`, nodePath.relative(process.cwd(), file), `${dir}//./f.txt`]
        : [file.replace(/^s3:/, 's3a:'), file.replace(/\/f\.txt$/, '//./f.txt'), `${dir}/sub/../f.txt`];
    for (const spelling of spellings) {
      expect(text(await fs.readFile(spelling)), spelling).toBe('same file');
    }
    expect(await fs.list(`${dir}/`)).toEqual(['f.txt']);
    expect((await fs.listFiles(name === 'local' ? `file://${dir}/` : dir.replace(/^s3:/, 's3a:')))[0]!.path).toBe(file);
    expect(fs.join(`${dir}/`, 'a/', '/b')).toBe(`${dir}/a/b`);
  });

  it('gives the canonical path of a plain (link-free) path in realPath', async () => {
    const file = fs.join(fresh(), 'a', 'b.txt');
    await fs.writeFile(file, 'x');
    expect(await fs.realPath(file)).toBe(name === 'local' ? await realpath(file) : file);
  });

  it('rejects paths of the other scheme, naming them', async () => {
    const foreign = name === 'local' ? 's3://bucket/key' : '/tmp/some/file';
    await expectFailure(fs.readFile(foreign), 'invalid-path', foreign);
    await expectFailure(fs.readFile('hdfs://namenode/x'), 'invalid-path', 'hdfs://namenode/x');
  });
});

function parentDir(fs: FileSystem, path: string): string {
  return fs.join(path, '..');
}

async function forEachLimit<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
