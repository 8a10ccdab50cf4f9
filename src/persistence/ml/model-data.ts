/**
 * What a loader reads back from `data/`: the Arrow table plus checked accessors, so a truncated,
 * reshaped or foreign table fails with the path, the column, the row and what was expected.
 *
 *   const data = await ctx.readData();
 *   const std = data.vector('std'), mean = data.vector('mean');   // row 0 by default
 */
import type { Table } from 'apache-arrow';

import type { DenseMatrix } from '../../linalg/matrix.js';
import type { Vector } from '../../linalg/vectors.js';
import { ModelPersistenceError } from './errors.js';
import { structToMatrix, structToVector } from './udt.js';

export class ModelData {
  constructor(
    /** The model directory, for errors. */
    readonly path: string,
    readonly table: Table,
    /** The directory read, relative to `path` (`data`). */
    readonly dir = 'data',
  ) {}

  get numRows(): number {
    return this.table.numRows;
  }

  get columns(): string[] {
    return this.table.schema.fields.map((f) => f.name);
  }

  double(name: string, row = 0): number {
    return this.read(name, row, 'a double', (v) => (typeof v === 'number' ? v : undefined));
  }

  int(name: string, row = 0): number {
    return this.read(name, row, 'an int', (v) => (Number.isInteger(v) ? (v as number) : undefined));
  }

  /** A Spark Long as a number; fails beyond 2^53. */
  long(name: string, row = 0): number {
    return this.read(name, row, 'a long', (v) => {
      const n = typeof v === 'bigint' ? Number(v) : v;
      return Number.isSafeInteger(n) ? (n as number) : undefined;
    });
  }

  boolean(name: string, row = 0): boolean {
    return this.read(name, row, 'a boolean', (v) => (typeof v === 'boolean' ? v : undefined));
  }

  string(name: string, row = 0): string {
    return this.read(name, row, 'a string', (v) => (typeof v === 'string' ? v : undefined));
  }

  doubleArray(name: string, row = 0): Float64Array {
    return this.read(name, row, 'an array of doubles', (v) => {
      const a = arrayOf(v);
      return a?.every((x) => typeof x === 'number') ? Float64Array.from(a as number[]) : undefined;
    });
  }

  intArray(name: string, row = 0): Int32Array {
    return this.read(name, row, 'an array of ints', (v) => {
      const a = arrayOf(v);
      return a?.every((x) => Number.isInteger(x)) ? Int32Array.from(a as number[]) : undefined;
    });
  }

  stringArray(name: string, row = 0): string[] {
    return this.read(name, row, 'an array of strings', (v) => strings(v));
  }

  stringArrayArray(name: string, row = 0): string[][] {
    return this.read(name, row, 'an array of arrays of strings', (v) => {
      const outer = arrayOf(v);
      const inner = outer?.map(strings);
      return inner?.every((a) => a !== undefined) ? (inner as string[][]) : undefined;
    });
  }

  vector(name: string, row = 0): Vector {
    return this.read(name, row, 'a vector (VectorUDT struct)', (v) => structToVector(v));
  }

  matrix(name: string, row = 0): DenseMatrix {
    return this.read(name, row, 'a matrix (MatrixUDT struct)', (v) => structToMatrix(v));
  }

  vectorArray(name: string, row = 0): Vector[] {
    return this.read(name, row, 'an array of vectors (VectorUDT structs)', (v) => arrayOf(v)?.map((e) => structToVector(e)));
  }

  matrixArray(name: string, row = 0): DenseMatrix[] {
    return this.read(name, row, 'an array of matrices (MatrixUDT structs)', (v) => arrayOf(v)?.map((e) => structToMatrix(e)));
  }

  /** Fails unless the table has exactly `n` rows (Spark's single-row model data). */
  requireRows(n: number): this {
    if (this.numRows !== n) throw this.corrupt(`expected ${n} row(s), found ${this.numRows}`);
    return this;
  }

  private read<T>(name: string, row: number, what: string, decode: (v: unknown) => T | undefined): T {
    const column = this.table.getChild(name);
    if (column === null) throw this.corrupt(`column '${name}' is missing (columns: ${this.columns.join(', ') || 'none'})`);
    if (!(Number.isInteger(row) && row >= 0 && row < this.numRows)) {
      throw this.corrupt(`column '${name}' has no row ${row} (${this.numRows} row(s))`);
    }
    const value: unknown = column.get(row);
    let decoded: T | undefined;
    let reason = '';
    try {
      decoded = value === null ? undefined : decode(value);
    } catch (error) {
      reason = `: ${(error as Error).message}`;
    }
    if (decoded === undefined) {
      throw this.corrupt(`column '${name}' row ${row} is not ${what} (found ${String(column.type)}${value === null ? ' null' : ''})${reason}`);
    }
    return decoded;
  }

  private corrupt(problem: string): ModelPersistenceError {
    return new ModelPersistenceError(this.path, `corrupt model data (${this.dir}/): ${problem}`);
  }
}

function arrayOf(v: unknown): unknown[] | undefined {
  if (v !== null && typeof v === 'object' && typeof (v as { toArray?: unknown }).toArray === 'function') {
    v = (v as { toArray(): unknown }).toArray();
  }
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<unknown>);
  return undefined;
}

function strings(v: unknown): string[] | undefined {
  const a = arrayOf(v);
  return a?.every((x) => typeof x === 'string') ? (a as string[]) : undefined;
}
