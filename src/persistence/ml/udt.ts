/**
 * Spark's VectorUDT and MatrixUDT as Arrow struct types (their `sqlType`), and the conversions
 * between our linalg values and those structs, so `data/` holds what Spark writes and reads.
 *
 *   VectorUDT: {type: tinyint (0 sparse, 1 dense), size: int (null for dense),
 *               indices: array<int> (null for dense), values: array<double>}
 *   MatrixUDT: {type: tinyint (0 sparse, 1 dense), numRows: int, numCols: int,
 *               colPtrs: array<int> (null for dense), rowIndices: array<int> (null for dense),
 *               values: array<double>, isTransposed: boolean}
 */
import { Bool, Field, Float64, Int32, Int8, List, Struct } from 'apache-arrow';

import { DenseMatrix } from '../../linalg/matrix.js';
import { DenseVector, SparseVector, type Vector } from '../../linalg/vectors.js';

const listOf = (child: Int32 | Float64): List => new List(new Field('element', child, false));

export const VECTOR_UDT = new Struct([
  new Field('type', new Int8(), false),
  new Field('size', new Int32(), true),
  new Field('indices', listOf(new Int32()), true),
  new Field('values', listOf(new Float64()), true),
]);

export const MATRIX_UDT = new Struct([
  new Field('type', new Int8(), false),
  new Field('numRows', new Int32(), false),
  new Field('numCols', new Int32(), false),
  new Field('colPtrs', listOf(new Int32()), true),
  new Field('rowIndices', listOf(new Int32()), true),
  new Field('values', listOf(new Float64()), true),
  new Field('isTransposed', new Bool(), false),
]);

export interface VectorStruct {
  type: number;
  size: number | null;
  indices: ArrayLike<number> | null;
  values: ArrayLike<number> | null;
}

export interface MatrixStruct {
  type: number;
  numRows: number;
  numCols: number;
  colPtrs: ArrayLike<number> | null;
  rowIndices: ArrayLike<number> | null;
  values: ArrayLike<number> | null;
  isTransposed: boolean;
}

/** A vector as VectorUDT's struct (Spark's `VectorUDT.serialize`). */
export function vectorToStruct(v: Vector): VectorStruct {
  if (v instanceof DenseVector) return { type: 1, size: null, indices: null, values: Array.from(v.values) };
  if (v instanceof SparseVector) return { type: 0, size: v.size, indices: Array.from(v.indices), values: Array.from(v.values) };
  throw new TypeError(`expected a DenseVector or SparseVector, got ${describe(v)}`);
}

/** VectorUDT's struct as a vector (Spark's `VectorUDT.deserialize`); throws a TypeError saying what is wrong. */
export function structToVector(s: unknown): Vector {
  const o = struct(s, 'a vector struct {type, size, indices, values}');
  const values = numbers(o.values, 'values');
  if (o.type === 1) return new DenseVector(Float64Array.from(values));
  if (o.type === 0) {
    if (typeof o.size !== 'number') throw new TypeError(`a sparse vector needs a size, got ${describe(o.size)}`);
    return new SparseVector(o.size, Int32Array.from(numbers(o.indices, 'indices')), Float64Array.from(values));
  }
  throw new TypeError(`vector type must be 0 (sparse) or 1 (dense), got ${describe(o.type)}`);
}

/** A dense matrix as MatrixUDT's struct. */
export function matrixToStruct(m: DenseMatrix): MatrixStruct {
  if (!(m instanceof DenseMatrix)) throw new TypeError(`expected a DenseMatrix, got ${describe(m)}`);
  return {
    type: 1,
    numRows: m.numRows,
    numCols: m.numCols,
    colPtrs: null,
    rowIndices: null,
    values: Array.from(m.values),
    isTransposed: m.isTransposed,
  };
}

/** MatrixUDT's struct as a DenseMatrix; a sparse one (Spark's CSC, or CSR when transposed) is densified. */
export function structToMatrix(s: unknown): DenseMatrix {
  const o = struct(s, 'a matrix struct {type, numRows, numCols, colPtrs, rowIndices, values, isTransposed}');
  const { numRows, numCols } = o;
  if (!Number.isInteger(numRows) || !Number.isInteger(numCols) || (numRows as number) < 0 || (numCols as number) < 0) {
    throw new TypeError(`matrix numRows and numCols must be non-negative ints, got ${describe(numRows)} × ${describe(numCols)}`);
  }
  const rows = numRows as number;
  const cols = numCols as number;
  const transposed = o.isTransposed === true;
  const values = numbers(o.values, 'values');
  if (o.type === 1) return new DenseMatrix(rows, cols, Float64Array.from(values), transposed);
  if (o.type !== 0) throw new TypeError(`matrix type must be 0 (sparse) or 1 (dense), got ${describe(o.type)}`);
  const ptrs = numbers(o.colPtrs, 'colPtrs');
  const idx = numbers(o.rowIndices, 'rowIndices');
  // CSC over columns, or (transposed) CSR over rows; written out column-major.
  const outer = transposed ? rows : cols;
  const inner = transposed ? cols : rows;
  if (ptrs.length !== outer + 1 || idx.length !== values.length || ptrs[outer] !== values.length) {
    throw new TypeError(`sparse matrix arrays do not fit ${rows} × ${cols} (colPtrs ${ptrs.length}, rowIndices ${idx.length}, values ${values.length})`);
  }
  const dense = new Float64Array(rows * cols);
  for (let j = 0; j < outer; j++) {
    for (let k = ptrs[j]!; k < ptrs[j + 1]!; k++) {
      const i = idx[k]!;
      if (!(i >= 0 && i < inner)) throw new TypeError(`sparse matrix index ${i} is out of range ${inner}`);
      const [r, c] = transposed ? [j, i] : [i, j];
      dense[c * rows + r] = values[k]!;
    }
  }
  return new DenseMatrix(rows, cols, dense);
}

function struct(s: unknown, what: string): Record<string, unknown> {
  if (typeof s !== 'object' || s === null) throw new TypeError(`expected ${what}, got ${describe(s)}`);
  // Arrow's StructRow exposes fields as properties; toJSON gives a plain object.
  const row = s as { toJSON?: () => Record<string, unknown> } & Record<string, unknown>;
  return typeof row.toJSON === 'function' ? row.toJSON() : row;
}

function numbers(v: unknown, name: string): ArrayLike<number> {
  if (v !== null && typeof v === 'object' && typeof (v as { toArray?: unknown }).toArray === 'function') {
    v = (v as { toArray(): unknown }).toArray();
  }
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return v as unknown as ArrayLike<number>;
  throw new TypeError(`${name} must be an array of numbers, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return v.constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}
