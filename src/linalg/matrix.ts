/**
 * Spark's local `DenseMatrix`: column-major values, or row-major when `isTransposed` is true.
 */
import { axpy, gemm, gemv } from './blas.js';
import {
  checkDimension, checkIndex, decodeJsonDouble, encodeJsonDouble, formatDouble, parseJsonObject, toFloat64Array, type JsonDouble,
} from './format.js';
import { DenseVector, SparseVector, type Vector } from './vectors.js';

/** Spark's JSON for a dense matrix (JsonMatrixConverter, `"type":1`). */
export interface DenseMatrixJSON {
  type: 1;
  numRows: number;
  numCols: number;
  values: JsonDouble[];
  isTransposed: boolean;
}

export class DenseMatrix {
  readonly numRows: number;
  readonly numCols: number;
  /** Column-major, or row-major when `isTransposed` (Spark's layout; `transpose()` shares it). */
  readonly values: Float64Array;
  readonly isTransposed: boolean;

  constructor(numRows: number, numCols: number, values: Float64Array, isTransposed = false) {
    const op = 'DenseMatrix';
    checkDimension(op, 'numRows', numRows);
    checkDimension(op, 'numCols', numCols);
    if (!(values instanceof Float64Array)) {
      throw new TypeError(`${op}: values must be a Float64Array (use Matrices.dense for arrays of numbers)`);
    }
    if (values.length !== numRows * numCols) {
      throw new RangeError(`${op}: ${numRows}×${numCols} needs ${numRows * numCols} values, got ${values.length}`);
    }
    this.numRows = numRows;
    this.numCols = numCols;
    this.values = values;
    this.isTransposed = isTransposed;
  }

  static zeros(numRows: number, numCols: number): DenseMatrix {
    checkDimension('DenseMatrix.zeros', 'numRows', numRows);
    checkDimension('DenseMatrix.zeros', 'numCols', numCols);
    return new DenseMatrix(numRows, numCols, new Float64Array(numRows * numCols));
  }

  static eye(n: number): DenseMatrix {
    const m = DenseMatrix.zeros(n, n);
    for (let i = 0; i < n; i++) m.values[i * n + i] = 1;
    return m;
  }

  /** A matrix over row-major values (`isTransposed` = true). A Float64Array is used as it is. */
  static fromRowMajor(numRows: number, numCols: number, values: ArrayLike<number>): DenseMatrix {
    const v = values instanceof Float64Array ? values : toFloat64Array('DenseMatrix.fromRowMajor', 'values', values);
    return new DenseMatrix(numRows, numCols, v, true);
  }

  /** Position of (i, j) in `values`. */
  index(i: number, j: number): number {
    return this.isTransposed ? i * this.numCols + j : i + j * this.numRows;
  }

  get(i: number, j: number): number {
    checkIndex('DenseMatrix.get (row)', i, this.numRows);
    checkIndex('DenseMatrix.get (column)', j, this.numCols);
    return this.values[this.index(i, j)];
  }

  /** Column-major copy of the values. */
  toArray(): Float64Array {
    if (!this.isTransposed) return this.values.slice();
    const { numRows: m, numCols: n, values } = this;
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i + j * m] = values[i * n + j];
    return out;
  }

  /** Row-major values: a view when `isTransposed`, else a copy. */
  rowMajorValues(): Float64Array {
    return this.isTransposed ? this.values : this.transpose().toArray();
  }

  /** The transpose, sharing `values` (Spark's flag flip, no copy). */
  transpose(): DenseMatrix {
    return new DenseMatrix(this.numCols, this.numRows, this.values, !this.isTransposed);
  }

  /** A·x for a vector of size numCols, or A·B for a matrix with numCols rows. */
  multiply(x: Vector): DenseVector;
  multiply(B: DenseMatrix): DenseMatrix;
  multiply(x: Vector | DenseMatrix): DenseVector | DenseMatrix {
    const op = 'DenseMatrix.multiply';
    if (x instanceof DenseMatrix) return this.multiplyMatrix(x);
    if (!(x instanceof DenseVector || x instanceof SparseVector)) {
      throw new TypeError(`${op}: expected a DenseVector, SparseVector or DenseMatrix`);
    }
    const { numRows: m, numCols: n, values } = this;
    if (x.size !== n) throw new RangeError(`${op}: a ${m}×${n} matrix cannot multiply a vector of size ${x.size}`);
    const y = new Float64Array(m);
    if (x instanceof DenseVector) {
      if (this.isTransposed) gemv(m, n, values, x.values, y);
      else for (let j = 0; j < n; j++) axpy(x.values[j], values, y, m, j * m, 0);
    } else {
      const { indices, values: xv } = x;
      for (let k = 0; k < indices.length; k++) {
        const j = indices[k];
        if (this.isTransposed) for (let i = 0; i < m; i++) y[i] += values[i * n + j] * xv[k];
        else axpy(xv[k], values, y, m, j * m, 0);
      }
    }
    return new DenseVector(y);
  }

  private multiplyMatrix(B: DenseMatrix): DenseMatrix {
    if (B.numRows !== this.numCols) {
      throw new RangeError(
        `DenseMatrix.multiply: cannot multiply ${this.numRows}×${this.numCols} by ${B.numRows}×${B.numCols}`,
      );
    }
    const m = this.numRows;
    const n = B.numCols;
    const out = new Float64Array(m * n);
    gemm(m, n, this.numCols, this.rowMajorValues(), B.rowMajorValues(), out);
    return new DenseMatrix(m, n, out, true);
  }

  /** Same shape and entries (SameValueZero), whatever the layout of each. */
  equals(other: unknown): boolean {
    if (!(other instanceof DenseMatrix) || other.numRows !== this.numRows || other.numCols !== this.numCols) {
      return false;
    }
    for (let i = 0; i < this.numRows; i++) {
      for (let j = 0; j < this.numCols; j++) {
        const a = this.values[this.index(i, j)];
        const b = other.values[other.index(i, j)];
        if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) return false;
      }
    }
    return true;
  }

  /**
   * Spark's (Breeze's) layout: rows of left-aligned cells, each column as wide as its widest entry
   * plus two spaces; rows past `maxLines` and columns past `maxLineWidth` are elided with a count.
   */
  toString(maxLines = 77, maxLineWidth = 80): string {
    const { numRows: rows, numCols: cols } = this;
    const showRows = rows > maxLines ? maxLines - 1 : rows;
    const cell = (i: number, j: number): string => formatDouble(this.values[this.index(i, j)]);
    const colWidths: number[] = [];
    let total = 0;
    for (let j = 0; j < cols && total < maxLineWidth; j++) {
      let w = 0;
      for (let i = 0; i < showRows; i++) w = Math.max(w, cell(i, j).length + 2);
      colWidths.push(w);
      total += w;
    }
    if (colWidths.length < cols) {
      // Make room for "... (K total)".
      while (total + String(cols).length + 12 >= maxLineWidth) {
        if (colWidths.length === 0) return `${rows} x ${cols} matrix`;
        total -= colWidths.pop()!;
      }
    }
    const lines: string[] = [];
    for (let i = 0; i < showRows; i++) {
      let line = '';
      colWidths.forEach((w, j) => {
        line += cell(i, j).padEnd(w);
      });
      if (colWidths.length < cols) line += i === 0 ? `... (${cols} total)` : '...';
      lines.push(line);
    }
    if (rows > showRows) lines.push(`... (${rows} total)`);
    return lines.join('\n');
  }

  toJSON(): DenseMatrixJSON {
    return {
      type: 1,
      numRows: this.numRows,
      numCols: this.numCols,
      values: Array.from(this.values, encodeJsonDouble),
      isTransposed: this.isTransposed,
    };
  }
}

function dense(numRows: number, numCols: number, values: ArrayLike<number>): DenseMatrix {
  const v = values instanceof Float64Array ? values : toFloat64Array('Matrices.dense', 'values', values);
  return new DenseMatrix(numRows, numCols, v);
}

function fromJSON(json: string | DenseMatrixJSON): DenseMatrix {
  const op = 'Matrices.fromJSON';
  const o = parseJsonObject(op, json);
  if (o.type !== 1) throw new TypeError(`${op}: only dense matrices ("type":1) are supported, got ${JSON.stringify(o.type)}`);
  if (typeof o.numRows !== 'number' || typeof o.numCols !== 'number' || !Array.isArray(o.values)) {
    throw new TypeError(`${op}: "numRows", "numCols" and "values" are required`);
  }
  const values = Float64Array.from(o.values, (v, k) => decodeJsonDouble(v, `${op}: values[${k}]`));
  return new DenseMatrix(o.numRows, o.numCols, values, o.isTransposed === true);
}

/** Factory methods, as Spark's `Matrices` object; `dense` takes column-major values. */
export const Matrices = {
  dense,
  zeros: DenseMatrix.zeros,
  eye: DenseMatrix.eye,
  fromJSON,
} as const;
