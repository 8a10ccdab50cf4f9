/**
 * The one storage interface model writers and readers use, whether a path is local or on S3.
 *
 * Paths may be given in any accepted spelling (`/x`, `x`, `file:///x`, `s3://b/k`, `s3a://b/k`);
 * paths returned (by `listFiles`, `join`, `tempSibling`) are canonical (see `normalizePath`).
 * Failures throw `FileSystemError`, whose message names the path (and bucket and key on S3).
 */
import { LocalFileSystem } from './local.js';
import { parsePath } from './paths.js';
import { S3FileSystem } from './s3.js';
import type { S3Config } from './s3-config.js';

export interface FileEntry {
  /** Canonical path of the file. */
  path: string;
  /** Size in bytes. */
  size: number;
}

export interface FileSystem {
  readonly scheme: 'file' | 's3';
  /** The whole file; fails with code `not-found` (or `is-a-directory`) naming the path. */
  readFile(path: string): Promise<Uint8Array>;
  /** Replaces the file in one step (readers never see half of it), creating parent directories. */
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  /** True for a file or a directory (on S3: an object, or a non-empty key prefix). */
  exists(path: string): Promise<boolean>;
  isDirectory(path: string): Promise<boolean>;
  /** Names (not paths) of the immediate children, sorted; fails if `dir` is missing or a file. */
  list(dir: string): Promise<string[]>;
  /** Files (not directories) in `dir`, or below it when `recursive`, sorted by path. */
  listFiles(dir: string, recursive?: boolean): Promise<FileEntry[]>;
  mkdirs(path: string): Promise<void>;
  /** Removes a file or directory; a missing path is not an error. A non-empty directory needs `recursive`. */
  delete(path: string, recursive?: boolean): Promise<void>;
  /**
   * Moves a file or directory tree to `to`, which must not exist. Local: one atomic rename.
   * S3: copies every object then deletes the sources — not atomic.
   */
  rename(from: string, to: string): Promise<void>;
  /**
   * The path with every symbolic link resolved, canonical. Local: fails with `not-found` when the
   * path does not exist. S3 has no links: the canonical path (whether or not it exists).
   */
  realPath(path: string): Promise<string>;
  /** A fresh, hidden sibling path to write into before publishing with `rename`. */
  tempSibling(path: string): string;
  /** Joins a base path with relative parts, keeping the base's scheme. */
  join(...parts: string[]): string;
}

// Stateless, so one instance serves every local path.
const localFileSystem = new LocalFileSystem();

/**
 * The file system serving `path`: local for plain paths and `file://`, S3 for `s3://` and `s3a://`.
 * `config` only matters for S3; each call builds a new S3 client, so keep the result for reuse.
 */
export function fileSystemFor(path: string, config?: S3Config): FileSystem {
  return parsePath(path).scheme === 'file' ? localFileSystem : new S3FileSystem(config);
}
