/** Checks both file systems make before a rename, so the two behave alike. */
import { FileSystemError } from './errors.js';
import type { FileSystem } from './filesystem.js';
import { errorTarget, invalidPath, isInside, parsePath } from './paths.js';

/**
 * Refuses a missing source, an existing destination and a move of a directory into itself.
 * `from` and `to` are canonical paths.
 */
export async function checkRename(fs: FileSystem, from: string, to: string): Promise<void> {
  if (from === to) throw invalidPath('rename', from, 'source and destination are the same path');
  const source = parsePath(from);
  const destination = parsePath(to);
  if (isInside(destination, source)) {
    throw invalidPath('rename', from, `cannot move a directory into itself ('${to}')`);
  }
  const [sourceExists, destinationExists] = await Promise.all([fs.exists(from), fs.exists(to)]);
  if (!sourceExists) {
    throw new FileSystemError({
      op: 'rename',
      ...errorTarget(source),
      code: 'not-found',
      reason: `the source does not exist (renaming to '${to}')`,
    });
  }
  if (destinationExists) {
    throw new FileSystemError({
      op: 'rename',
      ...errorTarget(destination),
      code: 'already-exists',
      reason: `the destination already exists (renaming from '${from}'); delete it first`,
    });
  }
}
