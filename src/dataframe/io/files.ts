// Where data files are: resolving user paths (files, directories of part files, globs) into a list
// of files, and reading whole files or byte ranges of them, locally or on S3. Used on the driver
// (listing, footers, headers) and inside executors (partition reads, part-file writes).
import { openAsBlob } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { fileSystemFor, normalizePath, parsePath, s3ConfigFromConf, type FileSystem, type S3Config } from '../../fs/index.js';

export interface DataFile { path: string; size: number }

/** S3 settings as plain data, so they travel inside partition plans to executors. */
export type S3Settings = Pick<S3Config, 'endpoint' | 'forcePathStyle' | 'region'>;

/** What the reader and writer need from a session: its settings (duck-typed; see reader.ts). */
export interface ConfSource { get(key: string): string | number | boolean | undefined }

export function s3SettingsOf(conf: ConfSource | undefined): S3Settings | undefined {
  const out = s3ConfigFromConf(conf);
  return Object.keys(out).length ? out : undefined;
}

// One FileSystem per (scheme, settings) and thread: an S3 file system owns a client worth reusing.
const systems = new Map<string, FileSystem>();

export function fsFor(path: string, s3?: S3Settings): FileSystem {
  const local = parsePath(path).scheme === 'file';
  const key = local ? 'file' : `s3:${JSON.stringify(s3 ?? {})}`;
  let fs = systems.get(key);
  if (!fs) { fs = fileSystemFor(path, local ? undefined : { ...s3 }); systems.set(key, fs); }
  return fs;
}

export const isLocal = (path: string): boolean => parsePath(path).scheme === 'file';

export function pathNotFound(path: string): Error {
  return new Error(`Path does not exist: ${path}`);
}

/** Hadoop's hidden-file rule, as Spark applies it when listing a directory. */
export const isHiddenName = (name: string): boolean => name.startsWith('_') || name.startsWith('.');

const GLOB_CHARS = /[*?[{]/;

export interface ListOptions {
  /** Descend into subdirectories (Spark's recursiveFileLookup); else a directory's own files only. */
  recursive: boolean;
  s3?: S3Settings;
}

/**
 * The data files behind user paths, in order: a file is itself; a directory gives its files sorted
 * by name, skipping names that start with '_' or '.'; a glob (`*`, `?`, `[ab]`, `{x,y}` in any
 * segment) gives what it matches. A path that matches nothing fails with "Path does not exist".
 */
export async function resolveDataFiles(paths: readonly string[], options: ListOptions): Promise<DataFile[]> {
  if (paths.length === 0) throw new Error('No path given: pass at least one file, directory or glob');
  const files: DataFile[] = [];
  for (const raw of paths) {
    if (typeof raw !== 'string' || raw.length === 0) throw new Error(`Invalid path ${JSON.stringify(raw)}: expected a non-empty string`);
    const fs = fsFor(raw, options.s3);
    let matches = GLOB_CHARS.test(globPart(raw)) ? await expandGlob(fs, raw) : [normalizePath(raw)];
    // A name that merely contains glob characters ('run[2]') and matches nothing as a pattern.
    if (matches.length === 0 && await fs.exists(raw)) matches = [normalizePath(raw)];
    if (matches.length === 0) throw pathNotFound(raw);
    for (const path of matches) {
      if (await fs.isDirectory(path)) {
        for (const f of await fs.listFiles(path, options.recursive)) {
          if (!relativeParts(path, f.path).some(isHiddenName)) files.push({ path: f.path, size: f.size });
        }
      } else if (await fs.exists(path)) {
        files.push({ path, size: await fileSize(fs, path) });
      } else {
        throw pathNotFound(raw);
      }
    }
  }
  return files;
}

/** The part of a path that may hold glob characters (a bucket name never does). */
function globPart(path: string): string {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/.exec(path);
  return m ? path.slice(m[0].length) : path;
}

function relativeParts(dir: string, file: string): string[] {
  const rel = file.slice(dir.length).replace(/^\/+/, '');
  return rel.split('/');
}

async function fileSize(fs: FileSystem, path: string): Promise<number> {
  if (isLocal(path)) return (await stat(path)).size;
  const parent = path.slice(0, path.lastIndexOf('/'));
  const entry = (await fs.listFiles(parent, false)).find((f) => f.path === path);
  return entry?.size ?? (await fs.readFile(path)).byteLength;
}

/** Expands a glob segment by segment, listing only the directories a pattern needs. */
async function expandGlob(fs: FileSystem, pattern: string): Promise<string[]> {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*)(.*)$/.exec(pattern);
  // Split before normalising: path normalisation must not see (or resolve) the glob characters.
  let root: string, rest: string;
  if (m && !/^file:/i.test(pattern)) { root = m[1]; rest = m[2]; }
  else {
    const local = /^file:\/\//i.test(pattern) ? pattern.replace(/^file:\/\//i, '') : pattern;
    const abs = local.startsWith('/') ? local : `${process.cwd()}/${local}`;
    root = '/'; rest = abs;
  }
  const segments = rest.split('/').filter((s) => s !== '' && s !== '.');
  let current = [normalizePath(root)];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    const next: string[] = [];
    if (!GLOB_CHARS.test(seg)) {
      for (const dir of current) {
        const p = seg === '..' ? fs.join(dir, '..') : fs.join(dir, seg);
        if (last ? await fs.exists(p) : await fs.isDirectory(p)) next.push(p);
      }
    } else {
      const re = globToRegExp(seg);
      const showHidden = isHiddenName(seg);
      for (const dir of current) {
        if (!(await fs.isDirectory(dir))) continue;
        for (const name of await fs.list(dir)) {
          if ((showHidden || !isHiddenName(name)) && re.test(name)) {
            const p = fs.join(dir, name);
            if (last || await fs.isDirectory(p)) next.push(p);
          }
        }
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return current.sort();
}

/** Hadoop's glob syntax for one path segment: * ? [abc] [^a] [a-z] {x,y} and \ escapes. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) re += escapeRe(glob[++i]);
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') { re += '(?:'; depth++; }
    else if (c === '}' && depth > 0) { re += ')'; depth--; }
    else if (c === ',' && depth > 0) re += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) { re += '\\['; continue; }
      let body = glob.slice(i + 1, close);
      if (body.startsWith('^') || body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else re += escapeRe(c);
  }
  if (depth !== 0) throw new Error(`Invalid glob '${glob}': unbalanced '{'`);
  return new RegExp(`^${re}$`);
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// --- reading ---------------------------------------------------------------------------------

/** Reads bytes [start, end) of a file; local files are read in place, S3 objects whole (no ranged GET yet). */
export type RangeReader = (start: number, end: number) => Promise<Uint8Array>;

export async function withRangeReader<T>(path: string, s3: S3Settings | undefined, use: (read: RangeReader) => Promise<T>): Promise<T> {
  if (isLocal(path)) {
    const local = parsePath(path);
    let handle;
    try {
      handle = await open(local.scheme === 'file' ? local.path : path, 'r');
    } catch (e) {
      throw (e as NodeJS.ErrnoException).code === 'ENOENT' ? pathNotFound(path) : e;
    }
    try {
      return await use(async (start, end) => {
        const out = new Uint8Array(Math.max(0, end - start));
        let done = 0;
        while (done < out.length) {
          const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done === out.length ? out : out.subarray(0, done);
      });
    } finally {
      await handle.close();
    }
  }
  let whole: Uint8Array | null = null;
  return use(async (start, end) => {
    whole ??= await readWholeFile(path, s3);
    return whole.subarray(start, Math.min(end, whole.byteLength));
  });
}

export async function readWholeFile(path: string, s3?: S3Settings): Promise<Uint8Array> {
  try {
    return await fsFor(path, s3).readFile(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'not-found') throw pathNotFound(path);
    throw e;
  }
}

/** A Blob over a file: lazily read from disk when local, else the object's bytes. */
export async function fileBlob(path: string, s3?: S3Settings): Promise<Blob> {
  if (isLocal(path)) {
    const local = parsePath(path);
    try {
      return await openAsBlob(local.scheme === 'file' ? local.path : path);
    } catch (e) {
      throw (e as NodeJS.ErrnoException).code === 'ENOENT' ? pathNotFound(path) : e;
    }
  }
  return new Blob([await readWholeFile(path, s3)]);
}
