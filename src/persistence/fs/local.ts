/** The local-disk FileSystem, on node:fs/promises. */
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';

import { FileSystemError, type FileSystemErrorCode } from './errors.js';
import type { FileEntry, FileSystem } from './filesystem.js';
import { formatLocation, invalidPath, joinPath, parsePath, tempSiblingPath } from './paths.js';
import { checkRename } from './preconditions.js';

export class LocalFileSystem implements FileSystem {
  readonly scheme = 'file' as const;

  async readFile(path: string): Promise<Uint8Array> {
    const file = this.resolve('readFile', path);
    try {
      const buffer = await fsp.readFile(file);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      throw localError('readFile', file, error);
    }
  }

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const file = this.resolve('writeFile', path);
    await this.createParent('writeFile', file);
    // Write beside the target and rename over it: a reader sees the old file or the new one, never half.
    const temp = tempSiblingPath(file);
    try {
      await fsp.writeFile(temp, data, { flag: 'wx' });
      await fsp.rename(temp, file);
    } catch (error) {
      await fsp.rm(temp, { force: true }).catch(() => undefined);
      throw localError('writeFile', file, error);
    }
  }

  async exists(path: string): Promise<boolean> {
    const target = this.resolve('exists', path);
    return (await statOrUndefined('exists', target)) !== undefined;
  }

  async isDirectory(path: string): Promise<boolean> {
    const target = this.resolve('isDirectory', path);
    return (await statOrUndefined('isDirectory', target))?.isDirectory() ?? false;
  }

  async list(dir: string): Promise<string[]> {
    const target = this.resolve('list', dir);
    try {
      return (await fsp.readdir(target)).sort();
    } catch (error) {
      throw localError('list', target, error);
    }
  }

  async listFiles(dir: string, recursive = false): Promise<FileEntry[]> {
    const target = this.resolve('listFiles', dir);
    const files: FileEntry[] = [];
    await collectFiles(target, recursive, files);
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async mkdirs(path: string): Promise<void> {
    const target = this.resolve('mkdirs', path);
    try {
      await fsp.mkdir(target, { recursive: true });
    } catch (error) {
      throw notADirectory('mkdirs', target, error, 'the path or one of its parents is a file');
    }
  }

  async delete(path: string, recursive = false): Promise<void> {
    const target = this.resolve('delete', path);
    if (target === '/') throw invalidPath('delete', target, 'refusing to delete the root directory');
    const stat = await statOrUndefined('delete', target, fsp.lstat);
    if (stat === undefined) return;
    try {
      if (!stat.isDirectory()) await fsp.unlink(target);
      else if (recursive) await fsp.rm(target, { recursive: true, force: true });
      else await fsp.rmdir(target);
    } catch (error) {
      throw localError('delete', target, error);
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const source = this.resolve('rename', from);
    const destination = this.resolve('rename', to);
    await checkRename(this, source, destination);
    await this.createParent('rename', destination);
    try {
      await fsp.rename(source, destination);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') {
        throw localError('rename', source, error, ` (to '${destination}')`);
      }
      // Another device: no atomic rename exists, so copy then remove the source.
      await fsp.cp(source, destination, { recursive: true, errorOnExist: true, force: false });
      await fsp.rm(source, { recursive: true, force: true });
    }
  }

  async realPath(path: string): Promise<string> {
    const target = this.resolve('realPath', path);
    try {
      return await fsp.realpath(target);
    } catch (error) {
      throw localError('realPath', target, error);
    }
  }

  tempSibling(path: string): string {
    return tempSiblingPath(this.resolve('tempSibling', path));
  }

  join(...parts: string[]): string {
    const joined = joinPath(...parts);
    this.resolve('join', joined);
    return joined;
  }

  private resolve(op: string, path: string): string {
    const location = parsePath(path, op);
    if (location.scheme !== 'file') {
      throw invalidPath(op, formatLocation(location), 'the local file system cannot open an S3 path; use fileSystemFor(path)');
    }
    return location.path;
  }

  private async createParent(op: string, path: string): Promise<void> {
    const parent = nodePath.dirname(path);
    try {
      await fsp.mkdir(parent, { recursive: true });
    } catch (error) {
      throw notADirectory(op, path, error, `cannot create the parent directory '${parent}': it or one of its parents is a file`);
    }
  }
}

async function collectFiles(dir: string, recursive: boolean, out: FileEntry[]): Promise<void> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (error) {
    throw localError('listFiles', dir, error);
  }
  await Promise.all(
    names.map(async (name) => {
      const child = nodePath.join(dir, name);
      const stat = await statOrUndefined('listFiles', child); // follows symlinks; undefined if it just vanished
      if (stat?.isFile()) out.push({ path: child, size: stat.size });
      else if (stat?.isDirectory() && recursive) await collectFiles(child, true, out);
    }),
  );
}

async function statOrUndefined(
  op: string,
  path: string,
  stat: typeof fsp.stat = fsp.stat,
): Promise<import('node:fs').Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw localError(op, path, error);
  }
}

const ERRNO: Record<string, [FileSystemErrorCode, string]> = {
  ENOENT: ['not-found', 'no such file or directory'],
  ENOTDIR: ['not-a-directory', 'not a directory (or one of its parents is a file)'],
  EISDIR: ['is-a-directory', 'is a directory'],
  EEXIST: ['already-exists', 'already exists'],
  ENOTEMPTY: ['not-empty', 'the directory is not empty; pass recursive = true to delete it'],
  EACCES: ['access-denied', 'permission denied'],
  EPERM: ['access-denied', 'operation not permitted'],
  EROFS: ['access-denied', 'read-only file system'],
};

function localError(op: string, path: string, error: unknown, suffix = ''): FileSystemError {
  const errno = (error as NodeJS.ErrnoException).code ?? '';
  const [code, reason] = ERRNO[errno] ?? ['io', `${errno || 'error'}: ${(error as Error).message}`];
  return new FileSystemError({ op, path, code, reason: reason + suffix, cause: error });
}

/** mkdir fails with EEXIST or ENOTDIR when a file stands where a directory should be. */
function notADirectory(op: string, path: string, error: unknown, reason: string): FileSystemError {
  const errno = (error as NodeJS.ErrnoException).code;
  if (errno !== 'EEXIST' && errno !== 'ENOTDIR') return localError(op, path, error);
  return new FileSystemError({ op, path, code: 'not-a-directory', reason, cause: error });
}
