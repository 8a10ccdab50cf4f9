/**
 * Builds the Arrow table a model writes to `data/`, column by column with Spark's types:
 *
 *   dataTable({ std: vectorColumn([model.std]), mean: vectorColumn([model.mean]) })
 *
 * Nullability follows Spark's encoders: primitives are non-null, objects (strings, arrays, vectors,
 * matrices) nullable.
 */
import {
  Bool, Field, Float64, Int32, Int64, List, makeData, RecordBatch, Schema, Struct, Table, Utf8,
  vectorFromArray, type DataType,
} from 'apache-arrow';

import type { DenseMatrix } from '../../linalg/matrix.js';
import type { Vector } from '../../linalg/vectors.js';
import { MATRIX_UDT, VECTOR_UDT, matrixToStruct, vectorToStruct } from './udt.js';
import { MLLIB_UDT } from './spark-schema.js';

export interface DataColumn {
  readonly type: DataType;
  readonly nullable: boolean;
  readonly values: readonly unknown[];
  /** Field metadata (e.g. MLLIB_UDT for a vector column Spark writes with mllib's VectorUDT). */
  readonly metadata?: ReadonlyMap<string, string>;
}

const list = (child: DataType, nullable = true, metadata?: ReadonlyMap<string, string>): List =>
  new List(new Field('element', child, nullable, metadata ? new Map(metadata) : null));
const column = (type: DataType, nullable: boolean, values: readonly unknown[], metadata?: ReadonlyMap<string, string>): DataColumn =>
  ({ type, nullable, values, ...(metadata ? { metadata } : {}) });
/** `{ mllib: true }`: Spark's old spark.mllib VectorUDT/MatrixUDT (models whose data Spark writes with mllib classes). */
export interface UdtOptions { mllib?: boolean }
const udtMetadata = (o?: UdtOptions) => (o?.mllib ? MLLIB_UDT : undefined);

/** `double` */
export const doubleColumn = (values: ArrayLike<number>): DataColumn => column(new Float64(), false, Array.from(values));
/** `int` */
export const intColumn = (values: ArrayLike<number>): DataColumn => column(new Int32(), false, Array.from(values));
/** `bigint` (Spark's Long); values must be safe integers. */
export const longColumn = (values: ArrayLike<number>): DataColumn =>
  column(new Int64(), false, Array.from(values, (v) => BigInt(v)));
export const booleanColumn = (values: readonly boolean[]): DataColumn => column(new Bool(), false, [...values]);
export const stringColumn = (values: readonly (string | null)[]): DataColumn => column(new Utf8(), true, [...values]);
/** `array<double>` per row. */
export const doubleArrayColumn = (rows: readonly ArrayLike<number>[]): DataColumn =>
  column(list(new Float64(), false), true, rows.map((r) => Array.from(r)));
/** `array<int>` per row. */
export const intArrayColumn = (rows: readonly ArrayLike<number>[]): DataColumn =>
  column(list(new Int32(), false), true, rows.map((r) => Array.from(r)));
/** `array<string>` per row. */
export const stringArrayColumn = (rows: readonly (readonly string[])[]): DataColumn =>
  column(list(new Utf8()), true, rows.map((r) => [...r]));
/** `array<array<string>>` per row (e.g. StringIndexerModel's `labelsArray`). */
export const stringArrayArrayColumn = (rows: readonly (readonly (readonly string[])[])[]): DataColumn =>
  column(list(list(new Utf8())), true, rows.map((r) => r.map((a) => [...a])));
/** Spark's VectorUDT struct per row. */
export const vectorColumn = (vectors: readonly Vector[], options?: UdtOptions): DataColumn =>
  column(VECTOR_UDT, true, vectors.map(vectorToStruct), udtMetadata(options));
/** Spark's MatrixUDT struct per row. */
export const matrixColumn = (matrices: readonly DenseMatrix[]): DataColumn =>
  column(MATRIX_UDT, true, matrices.map(matrixToStruct));

/** `array<vector>` per row (e.g. GaussianMixtureModel's `mus`). */
export const vectorArrayColumn = (rows: readonly (readonly Vector[])[], options?: UdtOptions): DataColumn =>
  column(list(VECTOR_UDT, true, udtMetadata(options)), true, rows.map((r) => r.map(vectorToStruct)));
/** `array<matrix>` per row (e.g. GaussianMixtureModel's `sigmas`). */
export const matrixArrayColumn = (rows: readonly (readonly DenseMatrix[])[], options?: UdtOptions): DataColumn =>
  column(list(MATRIX_UDT, true, udtMetadata(options)), true, rows.map((r) => r.map(matrixToStruct)));

/** One table from named columns of equal length, in the given order. */
export function dataTable(columns: Readonly<Record<string, DataColumn>>): Table {
  const entries = Object.entries(columns);
  if (entries.length === 0) throw new Error('dataTable: at least one column is needed');
  const length = entries[0]![1].values.length;
  const bad = entries.find(([, c]) => c.values.length !== length);
  if (bad) {
    throw new Error(`dataTable: column '${bad[0]}' has ${bad[1].values.length} rows but '${entries[0]![0]}' has ${length}`);
  }
  const fields = entries.map(([name, c]) => new Field(name, c.type, c.nullable, c.metadata ? new Map(c.metadata) : null));
  const children = entries.map(([name, c]) => {
    try {
      return vectorFromArray(c.values as unknown[], c.type).data[0]!;
    } catch (error) {
      throw new Error(`dataTable: cannot build column '${name}': ${(error as Error).message}`, { cause: error });
    }
  });
  const schema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return new Table([new RecordBatch(schema, data)]);
}
