// Rows as JSON lines for `quiver score`: a schema from the first row (or given as DDL), values
// into what stages read (arrays of numbers as dense vectors), outputs back to JSON.
import { parseDdlSchema } from '../dataframe/io/ddl.js';
import { denseVectorType, StructType, type StructField } from '../dataframe/types.js';
import { DenseVector } from '../linalg/vectors.js';
import { CliError } from './errors.js';

/** A schema for rows like `first`: numbers double, strings, booleans, arrays of numbers dense vectors of their length. */
export function schemaOfRow(first: Record<string, unknown>): StructType {
  const fields: StructField[] = Object.entries(first).map(([name, v]) => {
    if (typeof v === 'number') return { name, type: { kind: 'double' }, nullable: true };
    if (typeof v === 'string') return { name, type: { kind: 'string' }, nullable: true };
    if (typeof v === 'boolean') return { name, type: { kind: 'boolean' }, nullable: true };
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return { name, type: denseVectorType(v.length), nullable: true };
    throw new CliError(`quiver score: cannot infer a type for field '${name}' of the first row (${JSON.stringify(v)}); give --schema "${name} DOUBLE, ..."`);
  });
  return new StructType(fields);
}

export function schemaOfDdl(ddl: string): StructType {
  try {
    return parseDdlSchema(ddl);
  } catch (error) {
    throw new CliError(`quiver score: --schema: ${(error as Error).message}`);
  }
}

/** A parsed JSON line as a row: arrays of numbers become DenseVectors. */
export function rowOfJson(value: unknown, line: number): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`quiver score: line ${line} is not a JSON object`);
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    row[k] = Array.isArray(v) && v.every((x) => typeof x === 'number') ? new DenseVector(Float64Array.from(v)) : v;
  }
  return row;
}

/** The named columns of a scored row as JSON: vectors as arrays of their values (sparse ones expanded). */
export function jsonOfOutputs(row: Record<string, unknown>, columns: readonly string[]): string {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = row[c];
    out[c] = v instanceof DenseVector ? Array.from(v.values)
      : v !== null && typeof v === 'object' && 'toArray' in v ? Array.from((v as { toArray(): Float64Array }).toArray()) : v;
  }
  return JSON.stringify(out);
}
