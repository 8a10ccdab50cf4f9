/**
 * Loading stays inside the directory being loaded. A saved model is data that may come from
 * anyone, and its metadata names further paths (a pipeline's `stageUids`, a validator's
 * `estimatorParamMaps`): none of them may lead out of the model directory, by `..`, by an
 * absolute path or URI, or, locally, through a symbolic link. Two layers:
 *
 * - `checkRelativePath`: a path built from metadata must be relative and plain (no `..`, `.` or
 *   empty segments); the error names the metadata field and the value.
 * - `confineTo`: every file operation of the load goes through a read-only view of the file
 *   system that refuses paths outside the root, and locally resolves links first, so a link in the
 *   model directory cannot lead a read outside it. Nothing outside is ever read, so no error can
 *   show an outside file's content.
 *
 * The root itself may be a link (a user's `latest -> v3`): the user chose it; what is inside is
 * checked against where it resolves.
 */
import { isFileSystemError } from '../fs/errors.js';
import type { FileEntry, FileSystem } from '../fs/filesystem.js';
import { formatLocation, isInside, parentOf, parsePath } from '../fs/paths.js';
import { ModelPersistenceError } from './errors.js';

const URI_OR_FILE = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/|file:)/i;

/**
 * Throws unless `relative` is a plain relative path below `dir`. `source` says where it came from,
 * e.g. `metadata field paramMap.stageUids[2]`.
 */
export function checkRelativePath(dir: string, relative: unknown, source: string): string {
  const refuse = (why: string): never => {
    throw new ModelPersistenceError(dir, `${source} gives the path ${JSON.stringify(relative)}, which ${why}; paths in a model must stay inside its directory`);
  };
  if (typeof relative !== 'string' || relative === '') return refuse('is not a path');
  if (relative.includes('\0')) refuse('contains a NUL character');
  if (relative.startsWith('/') || relative.startsWith('\\') || /^[a-zA-Z]:/.test(relative) || URI_OR_FILE.test(relative)) refuse('is absolute');
  for (const segment of relative.split(/[/\\]/)) {
    if (segment === '..') refuse("climbs out with '..'");
    if (segment === '' || segment === '.') refuse('has an empty or \'.\' segment');
  }
  return relative;
}

/** A read-only view of `fs` that refuses every path outside `root` (and, locally, every link out of it). */
export function confineTo(fs: FileSystem, root: string): FileSystem {
  return fs instanceof ConfinedFileSystem ? fs : new ConfinedFileSystem(fs, formatLocation(parsePath(root)));
}

class ConfinedFileSystem implements FileSystem {
  readonly scheme: 'file' | 's3';
  #resolvedRoot: Promise<string | null> | undefined;

  constructor(private readonly inner: FileSystem, readonly root: string) {
    this.scheme = inner.scheme;
  }

  async readFile(path: string): Promise<Uint8Array> { return this.inner.readFile(await this.inside(path)); }
  async exists(path: string): Promise<boolean> { return this.inner.exists(await this.inside(path)); }
  async isDirectory(path: string): Promise<boolean> { return this.inner.isDirectory(await this.inside(path)); }
  async list(dir: string): Promise<string[]> { return this.inner.list(await this.inside(dir)); }
  async realPath(path: string): Promise<string> { return this.inner.realPath(await this.inside(path)); }

  async listFiles(dir: string, recursive?: boolean): Promise<FileEntry[]> {
    const files = await this.inner.listFiles(await this.inside(dir), recursive);
    // A listing follows links: each entry must resolve inside too (a model silently missing a part would load wrong).
    for (const f of files) await this.inside(f.path);
    return files;
  }

  join(...parts: string[]): string {
    const joined = this.inner.join(...parts);
    this.lexicallyInside(joined);
    return joined;
  }

  writeFile(path: string): Promise<void> { return Promise.reject(this.readOnly('writeFile', path)); }
  mkdirs(path: string): Promise<void> { return Promise.reject(this.readOnly('mkdirs', path)); }
  delete(path: string): Promise<void> { return Promise.reject(this.readOnly('delete', path)); }
  rename(from: string): Promise<void> { return Promise.reject(this.readOnly('rename', from)); }
  tempSibling(path: string): string { throw this.readOnly('tempSibling', path); }

  private readOnly(op: string, path: string): Error {
    return new ModelPersistenceError(this.root, `loading is read-only: ${op} of ${path} refused`);
  }

  /** The canonical path, when it lies in the root (`root` itself included). */
  private lexicallyInside(path: string): string {
    const location = parsePath(path);
    const canonical = formatLocation(location);
    if (canonical !== this.root && !isInside(location, parsePath(this.root))) {
      throw new ModelPersistenceError(this.root, `refusing to read ${canonical}: it is outside the model directory`);
    }
    return canonical;
  }

  /** As `lexicallyInside`, and locally the deepest existing part of the path must resolve inside the resolved root. */
  private async inside(path: string): Promise<string> {
    const canonical = this.lexicallyInside(path);
    if (this.scheme !== 'file') return canonical; // no links on S3
    const root = await (this.#resolvedRoot ??= this.inner.realPath(this.root).catch(orNullIfMissing));
    if (root === null) return canonical; // nothing there to read: the operation reports the missing path
    for (let at = canonical; ; at = parentPath(at)) {
      const resolved = await this.inner.realPath(at).catch(orNullIfMissing);
      if (resolved === null) { if (at === this.root) return canonical; continue; } // the operation reports what is missing
      if (resolved !== root && !isInside(parsePath(resolved), parsePath(root))) {
        const what = at === canonical ? 'it' : at;
        throw new ModelPersistenceError(this.root, `refusing to read ${canonical}: ${what} resolves through a symbolic link to ${resolved}, outside the model directory`);
      }
      return canonical;
    }
  }
}

function orNullIfMissing(error: unknown): null {
  if (isFileSystemError(error, 'not-found') || isFileSystemError(error, 'not-a-directory')) return null;
  throw error;
}

/** The parent of a path strictly inside the root (so never above the file system's root). */
function parentPath(path: string): string {
  return formatLocation(parentOf(parsePath(path))!);
}
