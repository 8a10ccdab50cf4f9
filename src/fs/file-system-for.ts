/**
 * Picks the FileSystem for a path by its scheme. S3 settings come in as an argument: this layer
 * never reads a session (the callers above, `dataframe/io` and `persistence/ml`, pass them in).
 */
import type { FileSystem } from './filesystem.js';
import { LocalFileSystem } from './local.js';
import { parsePath } from './paths.js';
import { S3FileSystem } from './s3.js';
import type { S3Config } from './s3-config.js';

// Stateless, so one instance serves every local path.
const localFileSystem = new LocalFileSystem();

/**
 * The file system serving `path`: local for plain paths and `file://`, S3 for `s3://` and `s3a://`.
 * `config` only matters for S3; each call builds a new S3 client, so keep the result for reuse.
 */
export function fileSystemFor(path: string, config?: S3Config): FileSystem {
  return parsePath(path).scheme === 'file' ? localFileSystem : new S3FileSystem(config);
}
