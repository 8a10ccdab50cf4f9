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
 * A crashed save leaves files without metadata, which never load.
 *
 * Leftovers of a killed save are swept by the next save of the same target. Every temporary name
 * carries its writer (writer-owner.ts): `.<name>.tmp-<owner>-<random>` (the new copy; on S3 an empty
 * marker object saying "being written in place"), `.<name>.old-<owner>-<random>` (the old model
 * renamed aside during an overwrite). Only a writer known to be dead is swept: its new copy is
 * deleted; its aside copy is renamed back if the target is missing (it was killed between the two
 * renames, so the old model is restored) or else deleted; on S3 its half-written target is deleted
 * unless it has metadata or another writer may still be writing it. Another host's temporaries are
 * left alone (their writer cannot be checked from here).
 */
import { randomBytes } from 'node:crypto';

import { isFileSystemError } from '../fs/errors.js';
import type { FileSystem } from '../fs/filesystem.js';
import { baseName, formatLocation, normalizePath, parentOf, parsePath } from '../fs/paths.js';
import { METADATA_DIR, METADATA_FILE } from './metadata.js';
import { OWNER_PATTERN, currentOwner, ownerState, ownerTag, type WriterOwner } from './writer-owner.js';

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
  await sweepStaleTemporaries(fs, target);
  const exists = await fs.exists(target);
  if (exists && !overwrite) throw new PathExistsError(path);
  if (fs.scheme === 'file') await publishByRename(fs, target, exists, write);
  else await publishInPlace(fs, target, exists, write);
}

async function publishByRename(fs: FileSystem, target: string, exists: boolean, write: (dir: string) => Promise<void>): Promise<void> {
  const temp = temporaryPath(fs, target, 'tmp');
  try {
    await write(temp);
    if (!exists) {
      await fs.rename(temp, target); // fails if another writer published meanwhile
      return;
    }
    const aside = temporaryPath(fs, target, 'old');
    await fs.rename(target, aside);
    try {
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rename(aside, target).catch(() => undefined); // put the old model back
      throw error;
    }
    await fs.delete(aside, true).catch(() => undefined); // if this fails, the next save sweeps it
  } catch (error) {
    await fs.delete(temp, true).catch(() => undefined);
    throw error;
  }
}

async function publishInPlace(fs: FileSystem, target: string, exists: boolean, write: (dir: string) => Promise<void>): Promise<void> {
  // Says "a save is writing the target in place" until it is done, so that a later save can tell a
  // dead writer's half-written files (to delete) from a live one's.
  const marker = temporaryPath(fs, target, 'tmp');
  await fs.writeFile(marker, '');
  try {
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
  } finally {
    await fs.delete(marker).catch(() => undefined);
  }
}

// --- temporaries ---------------------------------------------------------------------------------

type TemporaryKind = 'tmp' | 'old';

interface Temporary { path: string; kind: TemporaryKind; owner: WriterOwner }

function temporaryPath(fs: FileSystem, target: string, kind: TemporaryKind): string {
  const location = parsePath(target);
  return fs.join(formatLocation(parentOf(location)!), `.${baseName(location)}.${kind}-${ownerTag(currentOwner())}-${randomBytes(6).toString('hex')}`);
}

/** The temporaries of `target` found beside it, with their owners. */
async function temporariesOf(fs: FileSystem, target: string): Promise<Temporary[]> {
  const location = parsePath(target);
  const parent = parentOf(location);
  if (parent === undefined) return [];
  const escaped = baseName(location).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\.${escaped}\\.(tmp|old)-${OWNER_PATTERN}-[0-9a-f]{12}$`);
  let names: string[];
  try {
    names = await fs.list(formatLocation(parent));
  } catch (error) {
    if (isFileSystemError(error, 'not-found') || isFileSystemError(error, 'not-a-directory')) return [];
    throw error;
  }
  const out: Temporary[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (m) out.push({ path: fs.join(formatLocation(parent), name), kind: m[1] as TemporaryKind, owner: { host: m[2]!, pid: Number(m[3]), start: m[4]! } });
  }
  return out;
}

/**
 * Removes (or, for an old model set aside, restores) the temporaries that writers known to be
 * dead left beside `target`. Best effort: a sweep that fails leaves things as they were for the next one.
 */
export async function sweepStaleTemporaries(fs: FileSystem, target: string): Promise<void> {
  const temporaries = await temporariesOf(fs, target).catch(() => []);
  const dead = temporaries.filter((t) => ownerState(t.owner) === 'dead');
  if (dead.length === 0) return;
  const othersWriting = temporaries.some((t) => t.kind === 'tmp' && !dead.includes(t));
  for (const t of dead) {
    await sweepOne(fs, target, t, othersWriting).catch(() => undefined); // e.g. another sweep got there first
  }
}

async function sweepOne(fs: FileSystem, target: string, t: Temporary, othersWriting: boolean): Promise<void> {
  if (t.kind === 'old') {
    // Killed between renaming the old model aside and the new one in: the old one goes back.
    if (!(await fs.exists(target))) await fs.rename(t.path, target);
    else await fs.delete(t.path, true);
    return;
  }
  if (fs.scheme !== 'file') {
    // A marker: its writer wrote the target in place. Without metadata the target is its half-written save.
    const complete = await fs.exists(fs.join(target, METADATA_DIR, METADATA_FILE));
    if (!complete && !othersWriting && (await fs.exists(target))) await fs.delete(target, true);
    await fs.delete(t.path);
    return;
  }
  await fs.delete(t.path, true);
}
