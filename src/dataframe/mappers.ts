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

export function registerMapper<P>(name: string, mapper: ColumnMapper<P>): string {
  mappers.set(name, mapper as ColumnMapper);
  return name;
}

export function getMapper(name: string): ColumnMapper {
  const m = mappers.get(name);
  if (!m) throw new Error(`Unknown column mapper '${name}': its module is not loaded in this executor`);
  return m;
}
