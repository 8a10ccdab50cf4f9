/** What a stage's `save` and `load` hooks receive (see class-registry.ts `StagePersistence`). */
import type { Table } from 'apache-arrow';

import type { Params } from '../../pipeline/params.js';
import type { FileSystem } from '../fs/filesystem.js';
import type { ModelData } from './model-data.js';
import type { Metadata } from './metadata.js';

export interface SaveContext {
  /** The stage's directory as being written (locally a temporary sibling of the target). */
  readonly path: string;
  readonly fs: FileSystem;
  /** Writer options set with `write().option(key, value)`. */
  option(key: string): string | undefined;
  /** `path` joined with relative parts. */
  join(...parts: string[]): string;
  /**
   * Writes `<path>/<dir>` (default `data`) as Spark does: one Parquet part file and `_SUCCESS`.
   * Build the table with `dataTable({ col: vectorColumn([...]), ... })`.
   */
  writeData(table: Table, dir?: string): Promise<void>;
  /** Saves another stage (with its own metadata) into `<path>/<relativeDir>`: pipeline stages, sub-models. */
  saveStage(stage: Params, relativeDir: string): Promise<void>;
}

export interface LoadContext {
  /** The stage's directory. */
  readonly path: string;
  readonly fs: FileSystem;
  /** Parsed `metadata/part-00000`. */
  readonly metadata: Metadata;
  join(...parts: string[]): string;
  /** Reads `<path>/<dir>` (default `data`): every Parquet part file, with checked column accessors. */
  readData(dir?: string): Promise<ModelData>;
  /**
   * Loads the stage saved in `<path>/<relativeDir>`, whatever its class (dispatching on its metadata).
   * `relativeDir` must be a plain relative path (no `..`, not absolute); when it comes from metadata,
   * `field` names the metadata field, for the error that refuses it (e.g. `paramMap.stageUids[2]`).
   */
  loadStage(relativeDir: string, field?: string): Promise<Params>;
  /**
   * Runs `make` so that the stage it constructs takes the saved uid, then restores the saved params
   * and defaults (Spark's `getAndSetParams`), skipping `skipParams`.
   */
  construct<T extends Params>(make: () => T, skipParams?: readonly string[]): T;
}
