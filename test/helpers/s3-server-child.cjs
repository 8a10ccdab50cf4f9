'use strict';
// Runs s3rver in its own process for test/helpers/s3-server.ts: s3rver needs
// --openssl-legacy-provider on Node 17+ (its continuation tokens use DES), which must not leak
// into the test process. Usage: node --openssl-legacy-provider s3-server-child.cjs <dir> <bucket>

const fs = require('node:fs');
const S3rver = require('s3rver');

const [directory, bucket] = process.argv.slice(2);
if (!directory || !bucket || typeof process.send !== 'function') {
  console.error('usage: fork s3-server-child.cjs <directory> <bucket> with an IPC channel');
  process.exit(2);
}

patchListing();

const server = new S3rver({
  address: '127.0.0.1',
  port: 0, // the OS picks a free port: no race between choosing it and binding it
  silent: true,
  directory,
  configureBuckets: [{ name: bucket, configs: [] }],
});

server.run().then(
  ({ port }) => process.send({ type: 'listening', port }),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

// The parent died (even by SIGKILL): the IPC channel closes, so clean up and exit rather than
// linger as an orphan. (A normal stop() sends SIGTERM and removes the directory itself.)
process.on('disconnect', () => {
  fs.rmSync(directory, { recursive: true, force: true });
  process.exit(0);
});
process.on('SIGTERM', () => {
  const exit = () => process.exit(0);
  server.close().then(exit, exit);
  setTimeout(exit, 1000).unref();
});

/**
 * s3rver 3.7.1 lists in directory-walk order (unsorted on large ext4 directories, which breaks
 * pagination) and, with a delimiter, skips directories below a common prefix before finding their
 * keys, so a prefix holding only deeper keys (`c/` for `c/d/e`) goes missing. Real S3 does
 * neither. Re-implement the grouping over a sorted full listing; as in s3rver, only objects
 * count towards max-keys and the continuation token is the last object's key.
 */
function patchListing() {
  const FilesystemStore = require('s3rver/lib/stores/filesystem');
  const listAll = FilesystemStore.prototype.listObjects;
  FilesystemStore.prototype.listObjects = async function listObjects(bucket, options) {
    const { delimiter = '', prefix = '', maxKeys = Infinity } = options;
    const all = await listAll.call(this, bucket, { ...options, delimiter: '', maxKeys: Infinity });
    all.objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const objects = [];
    const commonPrefixes = new Set();
    let isTruncated = false;
    for (const object of all.objects) {
      const at = delimiter ? object.key.indexOf(delimiter, prefix.length) : -1;
      if (at !== -1) {
        commonPrefixes.add(object.key.slice(0, at + delimiter.length));
      } else if (objects.length < maxKeys) {
        objects.push(object);
      } else {
        isTruncated = true;
        break;
      }
    }
    return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
  };
}
