/**
 * Path parsing shared by both file systems. Every path a FileSystem method receives goes through
 * `parsePath`, so `/x`, `x`, `file:///x`, `s3://b/k` and `s3a://b/k` all reach the implementations
 * in one canonical form: an absolute local path, or a bucket plus a key without leading, trailing
 * or doubled slashes. Canonical forms never end in `/` (except the local root).
 */
import { randomBytes } from 'node:crypto';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';

import { FileSystemError } from './errors.js';

export interface LocalLocation {
  readonly scheme: 'file';
  /** Absolute, resolved, without a trailing slash. */
  readonly path: string;
}

export interface S3Location {
  readonly scheme: 's3';
  readonly bucket: string;
  /** Object key or key prefix; '' is the bucket root. Never starts or ends with '/'. */
  readonly key: string;
}

export type Location = LocalLocation | S3Location;

// `scheme://` marks a URI; a bare `name:rest` stays a relative local file name (e.g. `model:v1`),
// except `file:` which Hadoop-style tools also write as `file:/x`.
const URI_PREFIX = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;
const FILE_PREFIX = /^file:/i;
const S3_SCHEMES = new Set(['s3', 's3a']);
// Lenient on purpose: buckets created before 2018 may hold upper case and underscores.
const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/** Parses any accepted spelling; `op` names the calling operation in errors. */
export function parsePath(path: string, op = 'parsePath'): Location {
  if (typeof path !== 'string' || path.length === 0) {
    throw invalidPath(op, String(path), 'a path must be a non-empty string');
  }
  if (path.includes('\0')) throw invalidPath(op, path, 'the path contains a NUL character');
  const uri = URI_PREFIX.exec(path);
  const scheme = uri ? uri[1]!.toLowerCase() : FILE_PREFIX.test(path) ? 'file' : undefined;
  if (scheme === undefined) return { scheme: 'file', path: nodePath.resolve(path) };
  if (scheme === 'file') return { scheme: 'file', path: fileUrlToPath(op, path) };
  if (S3_SCHEMES.has(scheme)) return parseS3(op, path, uri![0].length);
  throw invalidPath(
    op,
    path,
    `unsupported scheme '${scheme}://'; expected a local path, file://, s3:// or s3a://`,
  );
}

/** The canonical spelling of a path: `/abs/path` or `s3://bucket/key` (`s3a://` becomes `s3://`). */
export function normalizePath(path: string): string {
  return formatLocation(parsePath(path));
}

export function formatLocation(location: Location): string {
  if (location.scheme === 'file') return location.path;
  return location.key === '' ? `s3://${location.bucket}` : `s3://${location.bucket}/${location.key}`;
}

/** The `path` (plus `bucket` and `key` on S3) fields of a FileSystemError about `location`. */
export function errorTarget(location: Location): { path: string; bucket?: string; key?: string } {
  const path = formatLocation(location);
  return location.scheme === 'file' ? { path } : { path, bucket: location.bucket, key: location.key };
}

/**
 * Joins a base path with relative parts, like `path.join` but keeping the base's scheme.
 * `..` may climb within the base's file system but not above a bucket.
 */
export function joinPath(...parts: string[]): string {
  if (parts.length === 0) throw invalidPath('join', '', 'join needs at least one path part');
  const [first, ...rest] = parts as [string, ...string[]];
  for (const part of rest) {
    if (typeof part !== 'string') throw invalidPath('join', first, `join part ${String(part)} is not a string`);
    if (URI_PREFIX.test(part) || FILE_PREFIX.test(part)) {
      throw invalidPath('join', first, `cannot join '${part}': only the first part may carry a scheme`);
    }
  }
  const base = parsePath(first, 'join');
  if (base.scheme === 'file') return nodePath.resolve(nodePath.join(base.path, ...rest)); // resolve drops a trailing '/'
  const joined = [base.key, ...rest].filter((p) => p !== '').join('/');
  return formatLocation(parseS3('join', `s3://${base.bucket}/${joined}`, 's3://'.length, first));
}

/** The directory holding `location`, or undefined for a root. */
export function parentOf(location: Location): Location | undefined {
  if (location.scheme === 'file') {
    const parent = nodePath.dirname(location.path);
    return parent === location.path ? undefined : { scheme: 'file', path: parent };
  }
  if (location.key === '') return undefined;
  const slash = location.key.lastIndexOf('/');
  return { scheme: 's3', bucket: location.bucket, key: slash < 0 ? '' : location.key.slice(0, slash) };
}

export function baseName(location: Location): string {
  if (location.scheme === 'file') return nodePath.basename(location.path);
  return location.key.slice(location.key.lastIndexOf('/') + 1);
}

/** True when `inner` lies strictly below `outer` (not equal to it). */
export function isInside(inner: Location, outer: Location): boolean {
  if (inner.scheme === 'file' && outer.scheme === 'file') {
    const prefix = outer.path === '/' ? '/' : `${outer.path}/`;
    return inner.path !== outer.path && inner.path.startsWith(prefix);
  }
  if (inner.scheme === 's3' && outer.scheme === 's3' && inner.bucket === outer.bucket) {
    return outer.key === '' ? inner.key !== '' : inner.key.startsWith(`${outer.key}/`);
  }
  return false;
}

/**
 * A fresh hidden sibling: `<dir>/.<name>.tmp-<random>`. Hidden so that listings by Spark/Hadoop
 * (which skip `.` and `_` names) ignore leftovers of an interrupted write.
 */
export function tempSiblingPath(path: string): string {
  const location = parsePath(path, 'tempSibling');
  const parent = parentOf(location);
  if (parent === undefined) throw invalidPath('tempSibling', formatLocation(location), 'a root has no sibling');
  return joinPath(formatLocation(parent), `.${baseName(location)}.tmp-${randomBytes(6).toString('hex')}`);
}

function fileUrlToPath(op: string, url: string): string {
  try {
    return nodePath.resolve(fileURLToPath(new URL(url)));
  } catch (cause) {
    throw invalidPath(op, url, `not a valid local file URL (${(cause as Error).message})`, cause);
  }
}

function parseS3(op: string, path: string, prefixLength: number, shownPath: string = path): S3Location {
  const rest = path.slice(prefixLength);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (bucket === '') throw invalidPath(op, shownPath, 'an S3 path needs a bucket: s3://bucket/key');
  if (!BUCKET_NAME.test(bucket)) {
    throw invalidPath(op, shownPath, `'${bucket}' is not a valid S3 bucket name`);
  }
  const segments: string[] = [];
  for (const segment of slash < 0 ? [] : rest.slice(slash + 1).split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') segments.push(segment);
    else if (segments.pop() === undefined) {
      throw invalidPath(op, shownPath, `'..' climbs above the root of bucket '${bucket}'`);
    }
  }
  return { scheme: 's3', bucket, key: segments.join('/') };
}

export function invalidPath(op: string, path: string, reason: string, cause?: unknown): FileSystemError {
  return new FileSystemError({ op, path, code: 'invalid-path', reason, cause });
}
