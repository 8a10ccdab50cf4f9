/**
 * Spark's local vectors: `DenseVector`, `SparseVector` and the `Vectors` factory.
 *
 * Vectors are values: treat them as immutable. Like Spark, `new DenseVector(arr)` and
 * `Vectors.dense(float64Array)` wrap the array they are given rather than copy it.
 */
import { axpy, dot, nrm2 } from './blas.js';
import {
  checkDimension, checkIndex, decodeJsonDouble, encodeJsonDouble, formatDouble, parseJsonObject, toFloat64Array, type JsonDouble,
} from './format.js';

export type Vector = DenseVector | SparseVector;

/** Spark's JSON for a dense vector (`"type":1`). Non-finite values are spelled "NaN", "Inf", "-Inf". */
export interface DenseVectorJSON {
  type: 1;
  values: JsonDouble[];
}

/** Spark's JSON for a sparse vector (`"type":0`). */
export interface SparseVectorJSON {
  type: 0;
  size: number;
  indices: number[];
  values: JsonDouble[];
}

export type VectorJSON = DenseVectorJSON | SparseVectorJSON;

export class DenseVector {
  readonly values: Float64Array;

  constructor(values: Float64Array) {
    if (!(values instanceof Float64Array)) {
      throw new TypeError('DenseVector: values must be a Float64Array (use Vectors.dense for arrays of numbers)');
    }
    this.values = values;
  }

  get size(): number {
    return this.values.length;
  }

  /** Number of stored entries: every entry of a dense vector. */
  get numActives(): number {
    return this.values.length;
  }

  get(i: number): number {
    checkIndex('DenseVector.get', i, this.values.length);
    return this.values[i];
  }

  /** A dense copy of the values. */
  toArray(): Float64Array {
    return this.values.slice();
  }

  /** Number of entries that are not 0 (NaN counts as nonzero, as in Spark). */
  numNonzeros(): number {
    const v = this.values;
    let nnz = 0;
    for (let i = 0; i < v.length; i++) if (v[i] !== 0) nnz++;
    return nnz;
  }

  toDense(): DenseVector {
    return new DenseVector(this.values.slice());
  }

  /** A sparse copy holding only the nonzero entries. */
  toSparse(): SparseVector {
    const v = this.values;
    const nnz = this.numNonzeros();
    const indices = new Int32Array(nnz);
    const values = new Float64Array(nnz);
    for (let i = 0, k = 0; i < v.length; i++) {
      if (v[i] !== 0) {
        indices[k] = i;
        values[k++] = v[i];
      }
    }
    return new SparseVector(v.length, indices, values);
  }

  /** Whichever of dense or sparse takes less memory (Spark's rule). */
  compressed(): Vector {
    return compress(this);
  }

  /** Calls f(i, v) for every stored entry, in index order. */
  foreachActive(f: (index: number, value: number) => void): void {
    const v = this.values;
    for (let i = 0; i < v.length; i++) f(i, v[i]);
  }

  /** Index of the first maximal entry, -1 for an empty vector (as Spark: NaN compares false). */
  argmax(): number {
    const v = this.values;
    if (v.length === 0) return -1;
    let best = 0;
    for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
    return best;
  }

  dot(other: Vector): number {
    return vectorDot('DenseVector.dot', this, other);
  }

  equals(other: unknown): boolean {
    return vectorEquals(this, other);
  }

  /** Spark's format: `[1.0,2.0]`. */
  toString(): string {
    return `[${Array.from(this.values, formatDouble).join(',')}]`;
  }

  toJSON(): DenseVectorJSON {
    return { type: 1, values: Array.from(this.values, encodeJsonDouble) };
  }
}

export class SparseVector {
  readonly size: number;
  readonly indices: Int32Array;
  readonly values: Float64Array;

  /** Checks what Spark's constructor checks: equal lengths, indices strictly increasing and < size. */
  constructor(size: number, indices: Int32Array, values: Float64Array) {
    const op = 'SparseVector';
    checkDimension(op, 'size', size);
    if (!(indices instanceof Int32Array)) throw new TypeError(`${op}: indices must be an Int32Array`);
    if (!(values instanceof Float64Array)) throw new TypeError(`${op}: values must be a Float64Array`);
    if (indices.length !== values.length) {
      throw new RangeError(
        `${op}: indices and values must have the same length, got ${indices.length} indices and ${values.length} values`,
      );
    }
    let prev = -1;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (i <= prev) {
        throw new RangeError(`${op}: indices must be strictly increasing, but indices[${k}] = ${i} follows ${prev}`);
      }
      prev = i;
    }
    if (prev >= size) throw new RangeError(`${op}: index ${prev} is out of range for size ${size}`);
    this.size = size;
    this.indices = indices;
    this.values = values;
  }

  get numActives(): number {
    return this.values.length;
  }

  get(i: number): number {
    checkIndex('SparseVector.get', i, this.size);
    const k = findIndex(this.indices, i);
    return k >= 0 ? this.values[k] : 0;
  }

  toArray(): Float64Array {
    const out = new Float64Array(this.size);
    const { indices, values } = this;
    for (let k = 0; k < indices.length; k++) out[indices[k]] = values[k];
    return out;
  }

  numNonzeros(): number {
    const v = this.values;
    let nnz = 0;
    for (let k = 0; k < v.length; k++) if (v[k] !== 0) nnz++;
    return nnz;
  }

  toDense(): DenseVector {
    return new DenseVector(this.toArray());
  }

  /** A copy without explicitly stored zeros. */
  toSparse(): SparseVector {
    const nnz = this.numNonzeros();
    if (nnz === this.values.length) return new SparseVector(this.size, this.indices.slice(), this.values.slice());
    const indices = new Int32Array(nnz);
    const values = new Float64Array(nnz);
    for (let k = 0, m = 0; k < this.values.length; k++) {
      if (this.values[k] !== 0) {
        indices[m] = this.indices[k];
        values[m++] = this.values[k];
      }
    }
    return new SparseVector(this.size, indices, values);
  }

  compressed(): Vector {
    return compress(this);
  }

  foreachActive(f: (index: number, value: number) => void): void {
    const { indices, values } = this;
    for (let k = 0; k < indices.length; k++) f(indices[k], values[k]);
  }

  /** Spark's sparse argmax: implicit zeros count, and the first maximal index wins. */
  argmax(): number {
    const { size, indices, values } = this;
    if (size === 0) return -1;
    const na = values.length;
    if (na === 0) return 0;
    let maxJ = 0;
    for (let j = 1; j < na; j++) if (values[j] > values[maxJ]) maxJ = j;
    let maxIdx = indices[maxJ];
    const maxValue = values[maxJ];
    if (maxValue <= 0 && na < size) {
      // An implicit zero beats a negative maximum, and an earlier implicit zero ties with a zero one.
      const limit = maxValue === 0 ? maxJ : na;
      if (maxValue < 0 || maxJ < maxIdx) {
        let k = 0;
        while (k < limit && indices[k] === k) k++;
        maxIdx = k;
      }
    }
    return maxIdx;
  }

  dot(other: Vector): number {
    return vectorDot('SparseVector.dot', this, other);
  }

  equals(other: unknown): boolean {
    return vectorEquals(this, other);
  }

  /** Spark's format: `(3,[0,2],[1.0,3.0])`. */
  toString(): string {
    return `(${this.size},[${this.indices.join(',')}],[${Array.from(this.values, formatDouble).join(',')}])`;
  }

  toJSON(): SparseVectorJSON {
    return {
      type: 0,
      size: this.size,
      indices: Array.from(this.indices),
      values: Array.from(this.values, encodeJsonDouble),
    };
  }
}

/** Position of `i` in the sorted `indices`, or -1. */
function findIndex(indices: Int32Array, i: number): number {
  let lo = 0;
  let hi = indices.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = indices[mid];
    if (v === i) return mid;
    if (v < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function compress(v: Vector): Vector {
  // A dense vector needs 8·size + 8 bytes, a sparse one 12·nnz + 20 bytes.
  const nnz = v.numNonzeros();
  return 1.5 * (nnz + 1) < v.size ? v.toSparse() : v.toDense();
}

/**
 * Spark's equality: same size and the same nonzero entries, whatever the storage, so a dense and a
 * sparse vector with the same values are equal. Values compare with SameValueZero (NaN equals NaN,
 * 0 equals -0) for every pair of storages; Spark equates NaNs only between two dense vectors (where
 * it also tells 0 from -0) and uses == for the other pairs.
 */
function vectorEquals(a: Vector, b: unknown): boolean {
  if (a === b) return true;
  if (!(b instanceof DenseVector || b instanceof SparseVector) || a.size !== b.size) return false;
  const aIdx = a instanceof SparseVector ? a.indices : null;
  const bIdx = b instanceof SparseVector ? b.indices : null;
  const av = a.values;
  const bv = b.values;
  let k1 = 0;
  let k2 = 0;
  for (;;) {
    while (k1 < av.length && av[k1] === 0) k1++;
    while (k2 < bv.length && bv[k2] === 0) k2++;
    if (k1 >= av.length || k2 >= bv.length) return k1 >= av.length && k2 >= bv.length;
    const i1 = aIdx === null ? k1 : aIdx[k1];
    const i2 = bIdx === null ? k2 : bIdx[k2];
    const x = av[k1];
    const y = bv[k2];
    if (i1 !== i2 || !(x === y || (Number.isNaN(x) && Number.isNaN(y)))) return false;
    k1++;
    k2++;
  }
}

function checkVector(op: string, name: string, v: unknown): asserts v is Vector {
  if (!(v instanceof DenseVector || v instanceof SparseVector)) {
    throw new TypeError(`${op}: ${name} must be a DenseVector or SparseVector`);
  }
}

function checkSameSize(op: string, a: Vector, b: Vector): void {
  if (a.size !== b.size) throw new RangeError(`${op}: vector sizes differ: ${a.size} and ${b.size}`);
}

function vectorDot(op: string, a: Vector, b: Vector): number {
  checkVector(op, 'other', b);
  checkSameSize(op, a, b);
  if (a instanceof DenseVector && b instanceof DenseVector) return dot(a.values, b.values);
  if (a instanceof SparseVector && b instanceof SparseVector) {
    let s = 0;
    for (let k1 = 0, k2 = 0; k1 < a.indices.length && k2 < b.indices.length; ) {
      const i1 = a.indices[k1];
      const i2 = b.indices[k2];
      if (i1 === i2) s += a.values[k1++] * b.values[k2++];
      else if (i1 < i2) k1++;
      else k2++;
    }
    return s;
  }
  const [sp, de] = a instanceof SparseVector ? [a, b as DenseVector] : [b as SparseVector, a];
  let s = 0;
  for (let k = 0; k < sp.indices.length; k++) s += sp.values[k] * de.values[sp.indices[k]];
  return s;
}

function dense(values: ArrayLike<number>): DenseVector;
function dense(first: number, ...rest: number[]): DenseVector;
function dense(first: ArrayLike<number> | number, ...rest: number[]): DenseVector {
  const op = 'Vectors.dense';
  if (typeof first === 'number') return new DenseVector(toFloat64Array(op, 'values', [first, ...rest]));
  if (rest.length > 0) throw new TypeError(`${op}: pass either one array or numbers, not both`);
  if (first instanceof Float64Array) return new DenseVector(first);
  if (first === null || typeof first !== 'object' || typeof first.length !== 'number') {
    throw new TypeError(`${op}: values must be an array of numbers or a Float64Array`);
  }
  return new DenseVector(toFloat64Array(op, 'values', first));
}

function toIndexArray(op: string, indices: ArrayLike<number>): Int32Array {
  if (indices instanceof Int32Array) return indices;
  const out = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i > 0x7fffffff) {
      throw new RangeError(`${op}: indices[${k}] must be a non-negative integer, got ${i}`);
    }
    out[k] = i;
  }
  return out;
}

/**
 * `sparse(size, indices, values)`: indices strictly increasing (Int32Array / Float64Array arguments
 * are used as they are, as Spark does). `sparse(size, [[i, v], ...])`: pairs in any order, sorted
 * here; a repeated index is an error.
 */
function sparse(size: number, indices: ArrayLike<number>, values: ArrayLike<number>): SparseVector;
function sparse(size: number, entries: Iterable<readonly [number, number]>): SparseVector;
function sparse(
  size: number,
  indicesOrEntries: ArrayLike<number> | Iterable<readonly [number, number]>,
  values?: ArrayLike<number>,
): SparseVector {
  const op = 'Vectors.sparse';
  checkDimension(op, 'size', size);
  if (values !== undefined) {
    const idx = toIndexArray(op, indicesOrEntries as ArrayLike<number>);
    const vals = values instanceof Float64Array ? values : toFloat64Array(op, 'values', values);
    return new SparseVector(size, idx, vals); // checks lengths, order and range
  }
  if (indicesOrEntries == null || typeof (indicesOrEntries as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${op}: expected (size, indices, values) or (size, [[index, value], ...])`);
  }
  const entries = Array.from(indicesOrEntries as Iterable<readonly [number, number]>);
  entries.forEach((e, k) => {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[1] !== 'number') {
      throw new TypeError(`${op}: entry ${k} must be an [index, value] pair of numbers`);
    }
    if (!Number.isInteger(e[0]) || e[0] < 0 || e[0] >= size) {
      throw new RangeError(`${op}: index ${e[0]} of entry ${k} is out of range [0, ${size})`);
    }
  });
  entries.sort((x, y) => x[0] - y[0]);
  const idx = new Int32Array(entries.length);
  const vals = new Float64Array(entries.length);
  for (let k = 0; k < entries.length; k++) {
    if (k > 0 && entries[k][0] === entries[k - 1][0]) throw new RangeError(`${op}: duplicate index ${entries[k][0]}`);
    idx[k] = entries[k][0];
    vals[k] = entries[k][1];
  }
  return new SparseVector(size, idx, vals);
}

function zeros(size: number): DenseVector {
  checkDimension('Vectors.zeros', 'size', size);
  return new DenseVector(new Float64Array(size));
}

/** p-norm of the stored values, p ≥ 1 (Infinity for the max norm). */
function norm(v: Vector, p: number): number {
  const op = 'Vectors.norm';
  checkVector(op, 'v', v);
  if (!(p >= 1)) throw new RangeError(`${op}: p must be >= 1, got ${p}`);
  const x = v.values;
  if (p === 2) return nrm2(x);
  let s = 0;
  if (p === 1) {
    for (let i = 0; i < x.length; i++) s += Math.abs(x[i]);
    return s;
  }
  if (p === Infinity) {
    for (let i = 0; i < x.length; i++) {
      const a = Math.abs(x[i]);
      if (a > s || Number.isNaN(a)) s = a;
    }
    return s;
  }
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]) ** p;
  return s ** (1 / p);
}

/** Squared Euclidean distance. */
function sqdist(a: Vector, b: Vector): number {
  const op = 'Vectors.sqdist';
  checkVector(op, 'a', a);
  checkVector(op, 'b', b);
  checkSameSize(op, a, b);
  if (a instanceof DenseVector && b instanceof DenseVector) {
    const x = a.values;
    const y = b.values;
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const t = x[i] - y[i];
      s += t * t;
    }
    return s;
  }
  if (a instanceof SparseVector && b instanceof SparseVector) {
    let s = 0;
    let k1 = 0;
    let k2 = 0;
    while (k1 < a.indices.length || k2 < b.indices.length) {
      const i1 = k1 < a.indices.length ? a.indices[k1] : Infinity;
      const i2 = k2 < b.indices.length ? b.indices[k2] : Infinity;
      let t: number;
      if (i1 === i2) t = a.values[k1++] - b.values[k2++];
      else if (i1 < i2) t = a.values[k1++];
      else t = b.values[k2++];
      s += t * t;
    }
    return s;
  }
  // Sparse against dense: ‖d‖² over all entries, corrected at the sparse entries.
  const [sp, de] = a instanceof SparseVector ? [a, b as DenseVector] : [b as SparseVector, a];
  const y = de.values;
  let s = 0;
  let k = 0;
  for (let i = 0; i < y.length; i++) {
    let t = y[i];
    if (k < sp.indices.length && sp.indices[k] === i) t -= sp.values[k++];
    s += t * t;
  }
  return s;
}

function fromJSON(json: string | VectorJSON): Vector {
  const op = 'Vectors.fromJSON';
  const o = parseJsonObject(op, json);
  const decode = (vs: unknown, name: string): Float64Array => {
    if (!Array.isArray(vs)) throw new TypeError(`${op}: "${name}" must be an array`);
    return Float64Array.from(vs, (v, k) => decodeJsonDouble(v, `${op}: ${name}[${k}]`));
  };
  if (o.type === 1) return new DenseVector(decode(o.values, 'values'));
  if (o.type === 0) {
    if (typeof o.size !== 'number') throw new TypeError(`${op}: "size" must be a number`);
    if (!Array.isArray(o.indices)) throw new TypeError(`${op}: "indices" must be an array`);
    return sparse(o.size, o.indices as number[], decode(o.values, 'values'));
  }
  throw new TypeError(`${op}: "type" must be 0 (sparse) or 1 (dense), got ${JSON.stringify(o.type)}`);
}

/** Factory methods, as Spark's `Vectors` object. */
export const Vectors = { dense, sparse, zeros, norm, sqdist, fromJSON } as const;

/** Adds a·x to the dense accumulator y (x dense or sparse): the per-row update of many aggregators. */
export function axpyVector(a: number, x: Vector, y: Float64Array): void {
  if (y.length !== x.size) throw new RangeError(`axpyVector: sizes differ: ${x.size} and ${y.length}`);
  if (x instanceof DenseVector) {
    axpy(a, x.values, y);
    return;
  }
  const { indices, values } = x;
  for (let k = 0; k < indices.length; k++) y[indices[k]] += a * values[k];
}
