/**
 * One error type for every FileSystem failure, so callers (model readers and writers) can branch
 * on `code` without knowing whether the path was local or on S3, and users always see the path.
 */

export type FileSystemErrorCode =
  | 'not-found'
  | 'not-a-directory'
  | 'is-a-directory'
  | 'already-exists'
  | 'not-empty'
  | 'access-denied'
  | 'network'
  | 'invalid-path'
  | 'config'
  | 'io';

export interface FileSystemErrorDetails {
  /** The FileSystem operation that failed, e.g. `readFile`. */
  op: string;
  /** The normalised path the operation was given (`/x/y` or `s3://bucket/key`). */
  path: string;
  code: FileSystemErrorCode;
  /** What was wrong, in words; becomes the end of the message. */
  reason: string;
  bucket?: string;
  key?: string;
  cause?: unknown;
}

export class FileSystemError extends Error {
  override readonly name = 'FileSystemError';
  readonly op: string;
  readonly path: string;
  readonly code: FileSystemErrorCode;
  readonly bucket?: string;
  readonly key?: string;

  constructor(details: FileSystemErrorDetails) {
    const where =
      details.bucket === undefined
        ? `'${details.path}'`
        : `'${details.path}' (bucket '${details.bucket}', key '${details.key ?? ''}')`;
    super(`${details.op} ${where}: ${details.reason}`, { cause: details.cause });
    this.op = details.op;
    this.path = details.path;
    this.code = details.code;
    if (details.bucket !== undefined) this.bucket = details.bucket;
    if (details.key !== undefined) this.key = details.key;
  }
}

export function isFileSystemError(error: unknown, code?: FileSystemErrorCode): error is FileSystemError {
  return error instanceof FileSystemError && (code === undefined || error.code === code);
}
