/**
 * `data/` as Spark writes it: Parquet part files plus an empty `_SUCCESS`. Model data is small, so
 * the table is built on the driver and written as one part, `part-00000-<uuid>-c000.snappy.parquet`
 * (Snappy, Spark's default codec), with parquet-wasm.
 */
import { randomUUID } from 'node:crypto';

import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';

import { parquetWasm } from '../../fs/parquet-wasm.js';
import { isFileSystemError } from '../../fs/errors.js';
import type { FileSystem } from '../../fs/filesystem.js';
import { ModelPersistenceError, atPath } from './errors.js';
import { SUCCESS_FILE } from './metadata.js';
import { SPARK_ROW_METADATA_KEY, sparkSchemaJSON } from './spark-schema.js';

/** Writes `table` into the directory `dir` (created as needed). */
export async function writeDataDir(fs: FileSystem, dir: string, table: Table): Promise<void> {
  const w = parquetWasm();
  let bytes: Uint8Array;
  try {
    const props = new w.WriterPropertiesBuilder()
      .setCompression(w.Compression.SNAPPY)
      .setKeyValueMetadata(new Map([[SPARK_ROW_METADATA_KEY, sparkSchemaJSON(table.schema)]]))
      .build();
    bytes = w.writeParquet(w.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
  } catch (error) {
    throw atPath(dir, 'cannot encode the model data as Parquet', error);
  }
  await fs.writeFile(fs.join(dir, `part-00000-${randomUUID()}-c000.snappy.parquet`), bytes);
  await fs.writeFile(fs.join(dir, SUCCESS_FILE), '');
}

/**
 * Reads every visible Parquet part file of `<modelDir>/<relative>` into one table. Fails naming the
 * model directory for a missing directory, no part files, or a file that is not (complete) Parquet.
 */
export async function readDataDir(fs: FileSystem, modelDir: string, relative = 'data'): Promise<Table> {
  const dir = fs.join(modelDir, relative);
  let files: { path: string; size: number }[];
  try {
    files = await fs.listFiles(dir);
  } catch (error) {
    if (isFileSystemError(error, 'not-found') || isFileSystemError(error, 'not-a-directory')) {
      throw new ModelPersistenceError(modelDir, `model data is missing: ${relative}/ does not exist`);
    }
    throw atPath(modelDir, `cannot list ${relative}/`, error);
  }
  const parts = files.filter((f) => {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    return !name.startsWith('_') && !name.startsWith('.') && name.endsWith('.parquet');
  });
  if (parts.length === 0) {
    throw new ModelPersistenceError(modelDir, `model data is missing: ${relative}/ holds no Parquet part file`);
  }
  const w = parquetWasm();
  const tables: Table[] = [];
  for (const part of parts) {
    const name = `${relative}/${part.path.slice(part.path.lastIndexOf('/') + 1)}`;
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(part.path);
    } catch (error) {
      throw atPath(modelDir, `cannot read ${name}`, error);
    }
    try {
      tables.push(tableFromIPC(w.readParquet(bytes).intoIPCStream()));
    } catch (error) {
      throw new ModelPersistenceError(modelDir, `corrupt model data: ${name} is not a readable Parquet file (${(error as Error).message ?? String(error)})`, { cause: error });
    }
  }
  if (tables.length === 1) return tables[0]!;
  try {
    return tables.reduce((a, b) => a.concat(b));
  } catch (error) {
    throw atPath(modelDir, `the part files of ${relative}/ have different schemas`, error);
  }
}
