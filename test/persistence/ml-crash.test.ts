/**
 * Crash safety: a save that fails after any number of file operations leaves the target either
 * absent or holding the old model — never a partial or mixed one — and the error names the path.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PipelineModel } from '../../src/pipeline/pipeline.js';
import { LocalFileSystem, load, StageWriter, type FileSystem } from '../../src/persistence/index.js';
import { faultyFileSystem } from './ml-faulty-fs.js';
import { MeanCenterModel, Scale } from './ml-fixtures.js';
import { Vectors } from '../../src/linalg/vectors.js';

let dir: string;
let n = 0;
const local = new LocalFileSystem();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quiver-ml-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function oldModel(): PipelineModel {
  return new PipelineModel([new Scale({ inputCol: 'x', outputCol: 'y', factor: 1 })]);
}

function newModel(): PipelineModel {
  const center = new MeanCenterModel(4, Vectors.dense([4, 2])).setInputCol('y').setOutputCol('z');
  return new PipelineModel([new Scale({ inputCol: 'x', outputCol: 'y', factor: 2 }), center]);
}

async function save(model: PipelineModel, path: string, fs: FileSystem, overwrite: boolean): Promise<void> {
  const writer = new StageWriter(model).fileSystem(fs);
  await (overwrite ? writer.overwrite() : writer).save(path);
}

/** Mutating operations a complete save performs. */
async function countOperations(overwrite: boolean): Promise<number> {
  const parent = join(dir, `count${n++}`);
  const path = join(parent, 'model');
  if (overwrite) await save(oldModel(), path, local, false);
  const counting = faultyFileSystem(local, Infinity);
  await save(newModel(), path, counting, overwrite);
  return counting.operations.length;
}

describe('a save interrupted after N file operations', () => {
  it('over an old model: the path holds the old model (or briefly nothing), never a partial new one', async () => {
    const total = await countOperations(true);
    expect(total).toBeGreaterThan(10);
    const outcomes = new Set<string>();
    for (let ok = 0; ok <= total; ok++) {
      const parent = join(dir, `over${n++}`);
      const path = join(parent, 'model');
      const old = oldModel();
      await save(old, path, local, false);
      const replacement = newModel();
      const failed = await save(replacement, path, faultyFileSystem(local, ok), true).then(() => null, (e: Error) => e);
      if (ok === total) expect(failed).toBeNull();
      if (failed) expect(failed.message).toMatch(new RegExp(`^${path}: cannot save ${replacement.uid}: .*injected failure`));
      const visible = (await readdir(parent)).filter((name) => !name.startsWith('.'));
      if (visible.length === 0) {
        expect(failed).not.toBeNull();
        outcomes.add('absent');
        continue;
      }
      expect(visible).toEqual(['model']);
      const loaded = await load<PipelineModel>(path);
      const which = loaded.uid === old.uid ? 'old' : loaded.uid === replacement.uid ? 'new' : 'other';
      outcomes.add(which);
      if (which === 'new') {
        // Published only once complete; a failure after that (deleting the old copy) is swallowed.
        expect(failed).toBeNull();
        expect(loaded.stages.map((s) => s.uid)).toEqual(replacement.stages.map((s) => s.uid));
        expect((loaded.stages[1] as MeanCenterModel).mean).toBe(4);
      } else {
        expect(which).toBe('old');
        expect(failed).not.toBeNull();
        expect(loaded.stages.map((s) => s.uid)).toEqual(old.stages.map((s) => s.uid));
      }
    }
    expect(outcomes.has('old') && outcomes.has('new')).toBe(true);
  });

  it('to a new path: the path does not exist until the save is complete', async () => {
    const total = await countOperations(false);
    for (let ok = 0; ok < total; ok++) {
      const parent = join(dir, `new${n++}`);
      const path = join(parent, 'model');
      await expect(save(newModel(), path, faultyFileSystem(local, ok), false)).rejects.toThrow(/injected failure/);
      const names = await readdir(parent).catch(() => []);
      expect(names.filter((name) => !name.startsWith('.'))).toEqual([]);
    }
  });

  it('cleans up its temporary directory when the file system still works', async () => {
    const parent = join(dir, `clean${n++}`);
    const path = join(parent, 'model');
    // A stage whose save fails after writing something: the hidden temporary directory goes too.
    const broken = newModel();
    Object.defineProperty(broken.stages[1], 'gram', { get: () => { throw new Error('no gram'); } });
    await expect(new StageWriter(broken).save(path)).rejects.toThrow(`${path}: cannot save ${broken.uid}: `);
    expect(await readdir(parent)).toEqual([]);
  });
});
