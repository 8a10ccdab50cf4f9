// Column mappers: named functions that compute new columns from a partition's batch inside an
// executor. Model transforms (predictions, scaled features, assembled vectors) are mappers, so
// `transform` stays lazy and runs in parallel like any other narrow operation.
import type { RecordBatch } from 'apache-arrow';
import type { TaskContext } from '../engine/kernels.js';
import type { AnyData } from './batch.js';

export interface MapperResult {
  /** New columns, appended after the input's columns, one value per kept row. */
  columns: AnyData[];
  /** Input rows to keep, in order (handleInvalid = 'skip'); all rows when absent. */
  rows?: Int32Array;
}

export type ColumnMapper<P = any> = (batch: RecordBatch, params: P, ctx: TaskContext) => MapperResult | Promise<MapperResult>; // eslint-disable-line @typescript-eslint/no-explicit-any

const mappers = new Map<string, ColumnMapper>();

/** The pipeline stage whose transform is building DataFrames right now (see inStage). */
let currentStage: string | null = null;

/**
 * Runs `build` (a stage's transform, which only describes work) so that the column mappers it adds
 * carry `stage`: a failure inside one is then reported as that stage's, not the consuming kernel's.
 */
export function inStage<T>(stage: string, build: () => T): T {
  const outer = currentStage;
  currentStage = stage;
  try {
    return build();
  } finally {
    currentStage = outer;
  }
}

export function currentStageLabel(): string | null { return currentStage; }

/** An error thrown by a mapper, marked with the stage and columns it was computing. */
export function mapperFailure(e: unknown, stage: string, columns: string[]): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  if (!(err as { origin?: unknown }).origin) Object.assign(err, { origin: { stage, columns } });
  return err;
}

export function registerMapper<P>(name: string, mapper: ColumnMapper<P>): string {
  mappers.set(name, mapper as ColumnMapper);
  return name;
}

export function getMapper(name: string): ColumnMapper {
  const m = mappers.get(name);
  if (!m) throw new Error(`Unknown column mapper '${name}': its module is not loaded in this executor`);
  return m;
}
