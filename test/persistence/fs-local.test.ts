/** Local-only behaviour: a write is all-or-nothing for readers and leaves no temp file behind. */
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FileSystemError, LocalFileSystem } from '../../src/persistence/fs/index.js';

describe('LocalFileSystem', () => {
  const fs = new LocalFileSystem();
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(nodePath.join(tmpdir(), 'quiver-fs-local-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('never lets a reader see half a file while it is being replaced', async () => {
    const file = nodePath.join(dir, 'atomic', 'big.bin');
    const size = 4 << 20;
    await fs.writeFile(file, new Uint8Array(size).fill(1));
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 12; i++) await fs.writeFile(file, new Uint8Array(size).fill(i % 2 === 0 ? 2 : 3));
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const bytes = await fs.readFile(file);
      expect(bytes.byteLength).toBe(size);
      expect(bytes.every((b) => b === bytes[0])).toBe(true);
      reads++;
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
    expect(await readdir(nodePath.dirname(file))).toEqual(['big.bin']);
  });

  it('cleans up its temp file when a write fails', async () => {
    const parent = nodePath.join(dir, 'failing');
    await fs.mkdirs(nodePath.join(parent, 'a-directory'));
    const error = await fs.writeFile(nodePath.join(parent, 'a-directory'), 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileSystemError);
    expect((error as FileSystemError).code).toBe('is-a-directory');
    expect((error as FileSystemError).message).toContain(nodePath.join(parent, 'a-directory'));
    expect(await readdir(parent)).toEqual(['a-directory']);
  });

  it('names the path when a parent directory is a file', async () => {
    const file = nodePath.join(dir, 'parent-is-file');
    await fs.writeFile(file, 'x');
    const target = nodePath.join(file, 'child.txt');
    const error = await fs.writeFile(target, 'y').catch((e: unknown) => e);
    expect((error as FileSystemError).code).toBe('not-a-directory');
    expect((error as FileSystemError).message).toContain(target);
  });

  it('resolves symbolic links in realPath, and names a missing path', async () => {
    const real = nodePath.join(dir, 'real-dir');
    await mkdir(real);
    await fs.writeFile(nodePath.join(real, 'f'), 'x');
    await symlink(real, nodePath.join(dir, 'link'));
    expect(await fs.realPath(nodePath.join(dir, 'link', 'f'))).toBe(nodePath.join(await fs.realPath(dir), 'real-dir', 'f'));
    const error = await fs.realPath(nodePath.join(dir, 'nothing')).catch((e: unknown) => e);
    expect((error as FileSystemError).code).toBe('not-found');
    expect((error as FileSystemError).message).toContain(nodePath.join(dir, 'nothing'));
  });

  it('refuses to delete the file system root', async () => {
    await expect(fs.delete('/', true)).rejects.toThrow(/refusing to delete the root directory/);
  });
});
