/**
 * Publishing a saved stage so that an interrupted save never leaves something that loads as a
 * wrong model.
 *
 * Local disk: everything is written into a hidden temporary sibling, then renamed into place (one
 * atomic rename). Overwrite renames the old directory aside, renames the new one in, then deletes
 * the old: until the new model is complete the old one stays loadable at the path; between the two
 * renames (microseconds) the path is briefly absent, never partial.
 *
 * S3 has no atomic rename (a "rename" copies every object). The stage is written in place, data files
 * first and every `metadata/` last (a stage's metadata after its data; a pipeline's after all its
 * stages), and readers require metadata. Overwrite deletes the old top-level `metadata/` first, so
 * no reader can mix old and new files, then the rest of the old tree. Remaining window: from the
 * moment overwrite starts until the new metadata lands, the path holds no loadable model (loads
 * fail with "metadata/part-00000 is missing"); the old model is gone once its metadata is deleted.
 * A crashed save leaves files without metadata, which never load, and a later save must overwrite.
 */
import type { FileSystem } from '../fs/filesystem.js';
import { normalizePath } from '../fs/paths.js';
import { METADATA_DIR } from './metadata.js';

/** Spark's message when saving to an existing path without overwrite. */
export class PathExistsError extends Error {
  constructor(readonly path: string) {
    super(`Path ${path} already exists. To overwrite it, please use write.overwrite().save(path)`);
  }
}

/** Runs `write(dir)` into a location that becomes `path` only once `write` has finished. */
export async function publish(
  fs: FileSystem,
  path: string,
  overwrite: boolean,
  write: (dir: string) => Promise<void>,
): Promise<void> {
  const target = normalizePath(path);
  const exists = await fs.exists(target);
  if (exists && !overwrite) throw new PathExistsError(path);
  if (fs.scheme === 'file') await publishByRename(fs, target, exists, write);
  else await publishInPlace(fs, target, exists, write);
}

async function publishByRename(fs: FileSystem, target: string, exists: boolean, write: (dir: string) => Promise<void>): Promise<void> {
  const temp = fs.tempSibling(target);
  try {
    await write(temp);
    if (!exists) {
      await fs.rename(temp, target); // fails if another writer published meanwhile
      return;
    }
    const aside = fs.tempSibling(target);
    await fs.rename(target, aside);
    try {
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rename(aside, target).catch(() => undefined); // put the old model back
      throw error;
    }
    await fs.delete(aside, true).catch(() => undefined); // a leftover hidden directory is harmless
  } catch (error) {
    await fs.delete(temp, true).catch(() => undefined);
    throw error;
  }
}

async function publishInPlace(fs: FileSystem, target: string, exists: boolean, write: (dir: string) => Promise<void>): Promise<void> {
  if (exists) {
    await fs.delete(fs.join(target, METADATA_DIR), true);
    await fs.delete(target, true);
  }
  try {
    await write(target);
  } catch (error) {
    // Files without metadata never load; removing them lets the next save proceed without overwrite.
    await fs.delete(target, true).catch(() => undefined);
    throw error;
  }
}
