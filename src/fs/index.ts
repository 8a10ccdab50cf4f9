export { FileSystemError, isFileSystemError, type FileSystemErrorCode } from './errors.js';
export type { FileEntry, FileSystem } from './filesystem.js';
export { fileSystemFor } from './file-system-for.js';
export { LocalFileSystem } from './local.js';
export { joinPath, normalizePath, parsePath, type Location, type LocalLocation, type S3Location } from './paths.js';
export { S3FileSystem } from './s3.js';
export { resolveS3Settings, s3ConfigFromConf, type S3Config, type S3ConfSource, type S3Credentials } from './s3-config.js';
