/**
 * Spark's `MLWriter` for every stage: `stage.write().overwrite().option(k, v).save(path)`.
 * What is written comes from the stage's registered persistence (class-registry.ts): its `save`
 * hook (data, sub-stages) first, then `metadata/`. Publication is crash safe (publish.ts).
 */
import type { Table } from 'apache-arrow';

import { registerDefaultWriter, type MLWriter, type SessionSettings } from '../../pipeline/ml-writable.js';
import type { Params } from '../../pipeline/params.js';
import type { FileSystem } from '../fs/filesystem.js';
import type { S3Config } from '../fs/s3-config.js';
import { persistenceOf } from './class-registry.js';
import type { SaveContext } from './contexts.js';
import { ModelPersistenceError, atPath } from './errors.js';
import { openFileSystem } from './location.js';
import { metadataJSON, writeMetadata } from './metadata.js';
import { writeDataDir } from './parquet-data.js';
import { PathExistsError, publish } from './publish.js';

export class StageWriter implements MLWriter {
  #overwrite = false;
  readonly #options = new Map<string, string>();
  #session: SessionSettings | null | undefined;
  #s3: S3Config | undefined;
  #fs: FileSystem | undefined;

  constructor(readonly stage: Params) {}

  overwrite(): this {
    this.#overwrite = true;
    return this;
  }

  /** Options are passed to the stage's `save` hook; keys are case-insensitive, as Spark's. */
  option(key: string, value: string): this {
    this.#options.set(key.toLowerCase(), value);
    return this;
  }

  session(session: SessionSettings): this {
    this.#session = session;
    return this;
  }

  /** Explicit S3 settings (endpoint, credentials, ...); win over the session's. */
  s3(config: S3Config): this {
    this.#s3 = config;
    return this;
  }

  /** Writes through this file system instead of the one the path implies. */
  fileSystem(fs: FileSystem): this {
    this.#fs = fs;
    return this;
  }

  async save(path: string): Promise<void> {
    const { fs, close } = openFileSystem(path, { session: this.#session, s3: this.#s3, fs: this.#fs });
    try {
      await publish(fs, path, this.#overwrite, (dir) => writeStage(this.stage, fs, dir, this.#options));
    } catch (error) {
      if (error instanceof PathExistsError) throw error;
      // Name the path the user gave (inner errors may name the temporary directory).
      throw new ModelPersistenceError(path, `cannot save ${this.stage.uid}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    } finally {
      close();
    }
  }
}

/** Writes a stage's directory at `dir` as it is (no publication protocol): hook first, metadata last. */
export async function writeStage(stage: Params, fs: FileSystem, dir: string, options: ReadonlyMap<string, string> = new Map()): Promise<void> {
  const persistence = persistenceOf(stage);
  // Built before anything is written, so a stage that cannot describe itself writes nothing.
  const json = metadataJSON(stage, persistence.className, {
    paramMap: persistence.paramMap?.(stage),
    extra: persistence.extraMetadata?.(stage),
  });
  if (persistence.save) await persistence.save(stage, new StageSaveContext(stage, fs, dir, options));
  await writeMetadata(fs, dir, json);
}

class StageSaveContext implements SaveContext {
  constructor(
    private readonly stage: Params,
    readonly fs: FileSystem,
    readonly path: string,
    private readonly options: ReadonlyMap<string, string>,
  ) {}

  option(key: string): string | undefined {
    return this.options.get(key.toLowerCase());
  }

  join(...parts: string[]): string {
    return this.fs.join(this.path, ...parts);
  }

  async writeData(table: Table, dir = 'data'): Promise<void> {
    try {
      await writeDataDir(this.fs, this.join(dir), table);
    } catch (error) {
      throw atPath(this.path, `cannot write the data of ${this.stage.uid}`, error);
    }
  }

  saveStage(stage: Params, relativeDir: string): Promise<void> {
    return writeStage(stage, this.fs, this.join(relativeDir), this.options);
  }
}

// Every stage without a class-specific writer uses this one (Spark's DefaultParamsWritable).
registerDefaultWriter((stage) => new StageWriter(stage));
