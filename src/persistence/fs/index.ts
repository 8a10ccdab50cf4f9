export { FileSystemError, isFileSystemError, type FileSystemErrorCode } from './errors.js';
export { fileSystemFor, type FileEntry, type FileSystem } from './filesystem.js';
export { LocalFileSystem } from './local.js';
export { joinPath, normalizePath, parsePath, type Location, type LocalLocation, type S3Location } from './paths.js';
export { S3FileSystem } from './s3.js';
export { resolveS3Settings, type S3Config, type S3Credentials } from './s3-config.js';
