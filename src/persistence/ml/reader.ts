/**
 * Loading: `load(path)` dispatches on metadata's `class` through the registry (Spark's
 * `DefaultParamsReader.loadParamsInstance`); `loadStage(Cls, path)` — behind every static
 * `Cls.load(path)` — first checks that the class is the one expected.
 */
import { registerReader, type LoadOptions as BaseLoadOptions } from '../../pipeline/ml-writable.js';
import { constructWithUid, type Params } from '../../pipeline/params.js';
import type { PipelineStage } from '../../pipeline/stage.js';
import type { FileSystem } from '../fs/filesystem.js';
import { normalizePath } from '../fs/paths.js';
import type { S3Config } from '../fs/s3-config.js';
import {
  classNameOf, persistenceForClassName, registeredClassNames, type RegisteredStage, type StageClass,
} from './class-registry.js';
import { checkRelativePath, confineTo } from './confinement.js';
import type { LoadContext } from './contexts.js';
import { ModelPersistenceError, atPath } from './errors.js';
import { openFileSystem } from './location.js';
import { readMetadata, setParamsFromMetadata, type Metadata } from './metadata.js';
import { ModelData } from './model-data.js';
import { readDataDir } from './parquet-data.js';

export interface LoadOptions extends BaseLoadOptions {
  /** Explicit S3 settings (endpoint, credentials, ...); win over the session's. */
  s3?: S3Config;
  /** Read through this file system instead of the one the path implies. */
  fs?: FileSystem;
}

/** Loads any saved stage, whatever its class (`class` in its metadata picks the loader). */
export async function load<T extends Params = PipelineStage>(path: string, options: LoadOptions = {}): Promise<T> {
  return (await withFileSystem(path, options, (fs, dir) => readStageAt(fs, dir))) as T;
}

/** Loads the stage at `path`, failing unless it was saved as a `cls`. */
export async function loadStage<S extends Params>(cls: StageClass<S>, path: string, options: LoadOptions = {}): Promise<S> {
  return (await withFileSystem(path, options, (fs, dir) => readStageAt(fs, dir, cls))) as S;
}

/**
 * Reads the stage saved in `dir` of `fs`; with `cls`, the saved class must be `cls`'s. Every read,
 * sub-stages' included, stays inside `dir` (confinement.ts).
 */
export async function readStageAt(unconfined: FileSystem, dir: string, cls?: StageClass): Promise<Params> {
  const fs = confineTo(unconfined, dir);
  const expected = cls === undefined ? undefined : classNameOf(cls);
  if (cls !== undefined && expected === undefined) {
    throw new ModelPersistenceError(dir, `${cls.name} cannot be loaded: it declares no static sparkClassName and is not registered`);
  }
  const metadata = await readMetadata(fs, dir, expected);
  const persistence = cls === undefined ? persistenceForClassName(metadata.className) : persistenceOfClass(cls, metadata.className);
  if (persistence === undefined) {
    throw new ModelPersistenceError(
      dir,
      `unknown class ${metadata.className}: no stage class is registered under this name ` +
        `(import the module defining it; known: ${registeredClassNames().join(', ') || 'none'})`,
    );
  }
  const ctx = new StageLoadContext(fs, dir, metadata);
  let stage: Params;
  try {
    stage = persistence.load ? await persistence.load(ctx) : ctx.construct(() => newStage(persistence));
  } catch (error) {
    throw atPath(dir, `cannot load ${metadata.className}`, error);
  }
  if (!(stage instanceof persistence.cls) || stage.uid !== metadata.uid) {
    throw new ModelPersistenceError(
      dir,
      `the loader of ${metadata.className} returned ${String(stage)} instead of a ${persistence.cls.name} with uid ${metadata.uid} (use ctx.construct)`,
    );
  }
  return stage;
}

function persistenceOfClass(cls: StageClass, className: string): RegisteredStage {
  const registered = persistenceForClassName(className);
  return registered?.cls === cls ? registered : { className, cls };
}

function newStage(persistence: RegisteredStage): Params {
  const Stage = persistence.cls as unknown as new () => Params;
  return new Stage();
}

async function withFileSystem<T>(path: string, options: LoadOptions, read: (fs: FileSystem, dir: string) => Promise<T>): Promise<T> {
  let dir: string;
  try {
    dir = normalizePath(path);
  } catch (error) {
    throw atPath(String(path), 'invalid path', error);
  }
  const { fs, close } = openFileSystem(dir, options);
  try {
    return await read(fs, dir);
  } finally {
    close();
  }
}

class StageLoadContext implements LoadContext {
  constructor(
    readonly fs: FileSystem,
    readonly path: string,
    readonly metadata: Metadata,
  ) {}

  join(...parts: string[]): string {
    for (const part of parts) checkRelativePath(this.path, part, `the loader of ${this.metadata.className}`);
    return this.fs.join(this.path, ...parts);
  }

  async readData(dir = 'data'): Promise<ModelData> {
    checkRelativePath(this.path, dir, `the loader of ${this.metadata.className}`);
    return new ModelData(this.path, await readDataDir(this.fs, this.path, dir), dir);
  }

  loadStage(relativeDir: string, field?: string): Promise<Params> {
    checkRelativePath(this.path, relativeDir, field === undefined ? `the loader of ${this.metadata.className}` : `metadata field ${field}`);
    return readStageAt(this.fs, this.fs.join(this.path, relativeDir));
  }

  construct<T extends Params>(make: () => T, skipParams: readonly string[] = []): T {
    const stage = constructWithUid(this.metadata.uid, make);
    return setParamsFromMetadata(this.path, stage, this.metadata, skipParams);
  }
}

registerReader((cls, path, options) => loadStage(cls as StageClass, path, options));
