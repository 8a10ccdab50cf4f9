/**
 * Which FileSystem serves a model path: local, or S3 configured from the session's
 * `quiver.s3.endpoint` / `quiver.s3.forcePathStyle` / `quiver.s3.region` settings (the given session,
 * else the active one), falling back to the standard AWS environment and config chain.
 */
import { Session } from '../../dataframe/session.js';
import { fileSystemFor } from '../../fs/file-system-for.js';
import type { FileSystem } from '../../fs/filesystem.js';
import { S3FileSystem } from '../../fs/s3.js';
import { s3ConfigFromConf, type S3Config } from '../../fs/s3-config.js';

/** A session's settings, duck-typed (Session satisfies it). */
export interface SessionSettings {
  readonly conf: { get(key: string): unknown };
}

export interface FileSystemOptions {
  /** Whose `quiver.s3.*` settings apply; default: the active session, if any. */
  session?: SessionSettings | null;
  /** Explicit S3 settings; win over the session's. */
  s3?: S3Config;
  /** Use this file system as it is (tests inject failures this way). */
  fs?: FileSystem;
}

/** The S3 settings of a session: `quiver.s3.endpoint`, `quiver.s3.forcePathStyle`, `quiver.s3.region`. */
export function s3ConfigOf(session: SessionSettings | null | undefined): S3Config {
  return s3ConfigFromConf(session?.conf);
}

export interface OpenedFileSystem {
  readonly fs: FileSystem;
  /** Releases what `openFileSystem` created (an S3 client); a given `fs` is left alone. */
  close(): void;
}

export function openFileSystem(path: string, options: FileSystemOptions = {}): OpenedFileSystem {
  if (options.fs) return { fs: options.fs, close: () => undefined };
  const session = options.session === undefined ? Session.getActiveSession() : options.session;
  const fs = fileSystemFor(path, { ...s3ConfigOf(session), ...options.s3 });
  return { fs, close: () => (fs instanceof S3FileSystem ? fs.close() : undefined) };
}
