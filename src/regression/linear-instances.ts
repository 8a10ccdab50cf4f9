// Training instances (label, weight, features) as the linear models' kernels read them from one
// partition: features as a row-major block or a sparse view, labels and weights as Float64Arrays.
// Also the boundary checks Spark makes (DatasetUtils.checkClassificationLabels, checkRegressionLabels,
// checkNonNegativeWeights, checkNonNanVectors), each naming the stage, the column and the row.
import type { RecordBatch } from 'apache-arrow';
import { columnByName, sparseView, validityBytes, type AnyData, type SparseView } from '../dataframe/batch.js';
import type { DataType, StructField, StructType } from '../dataframe/types.js';
import { vectorSizeOf } from '../feature/attributes.js';
import { formatDouble } from '../linalg/format.js';

/** Where a kernel finds its columns; sent in task params. */
export interface InstanceSpec {
  /** Stage name for messages ("LogisticRegression"). */
  stage: string;
  features: string;
  sparse: boolean;
  /** Number of features when known on the driver (dense columns, sized sparse columns), else -1. */
  d: number;
  label: string | null;
  weight: string | null;
}

export interface Instances {
  n: number;
  /** Dense: the block (row i at X[xOff + i·d]); null for sparse columns. */
  X: Float64Array | null;
  xOff: number;
  sv: SparseView | null;
  labels: Float64Array | null;
  /** null when every weight is 1. */
  weights: Float64Array | null;
}

// Integer labels and weights are read as doubles once per cached partition, not once per pass.
const asDoubleCache = new WeakMap<object, Float64Array>();

function numericAsDouble(data: AnyData, n: number): Float64Array {
  const off = data.offset;
  const v = data.values as Float64Array | Int32Array | BigInt64Array;
  if (v instanceof Float64Array) return v.subarray(off, off + n);
  const cached = asDoubleCache.get(data);
  if (cached) return cached;
  const out = new Float64Array(n);
  if (v instanceof BigInt64Array) for (let i = 0; i < n; i++) out[i] = Number(v[off + i]);
  else for (let i = 0; i < n; i++) out[i] = v[off + i];
  asDoubleCache.set(data, out);
  return out;
}

/** Reads the instance columns of a partition; `check` adds the null checks (first pass only). */
export function readInstances(batch: RecordBatch, spec: InstanceSpec, partition: number, check = false): Instances {
  const n = batch.numRows;
  const fData = columnByName(batch, spec.features);
  if (check) {
    const valid = validityBytes(fData);
    if (valid) {
      const r = valid.indexOf(0);
      throw new Error(`${spec.stage}: Vectors MUST NOT be Null, but column '${spec.features}' (featuresCol) is null at row ${r} of partition ${partition}`);
    }
  }
  let X: Float64Array | null = null, xOff = 0, sv: SparseView | null = null;
  if (spec.sparse) {
    sv = sparseView(fData);
  } else {
    const d = (fData.type as { listSize: number }).listSize;
    const child = fData.children[0] as AnyData;
    X = child.values as Float64Array;
    xOff = child.offset + fData.offset * d;
  }
  const read = (name: string | null, role: string): Float64Array | null =>
    name === null ? null : readDoubleColumn(batch, name, partition, check ? `${spec.stage}: ${role}` : null);
  return { n, X, xOff, sv, labels: read(spec.label, 'Labels'), weights: read(spec.weight, 'Weights') };
}

/**
 * The first pass's read of a partition: the instances with the null checks, and a copy of the spec
 * holding the partition's feature count (a dense column's size; for sparse columns the driver's, or
 * else the first vector's). An empty partition comes back with n = 0 and the spec as given.
 */
export function readFirstPass(batch: RecordBatch, spec: InstanceSpec, partition: number): { inst: Instances; spec: InstanceSpec } {
  const sized = { ...spec };
  const inst = readInstances(batch, sized, partition, true);
  if (inst.n > 0) {
    if (inst.X) sized.d = (columnByName(batch, spec.features).type as { listSize: number }).listSize;
    else if (sized.d < 0) sized.d = inst.sv!.sizes[0];
  }
  return { inst, spec: sized };
}

/**
 * A numeric column as doubles (integers converted once per cached partition). With `nullCheck`
 * (a message prefix such as "LinearRegression: Labels"), a null fails naming the column and row.
 */
export function readDoubleColumn(batch: RecordBatch, name: string, partition: number, nullCheck: string | null): Float64Array {
  const data = columnByName(batch, name);
  if (nullCheck !== null) {
    const valid = validityBytes(data);
    if (valid) {
      throw new Error(`${nullCheck} MUST NOT be Null or NaN, but column '${name}' is null at row ${valid.indexOf(0)} of partition ${partition}`);
    }
  }
  return numericAsDouble(data, batch.numRows);
}

/** More classes than this is a wrong label column, not a model to fit (the label histogram alone would not fit in memory). */
export const MAX_CLASSES = 1 << 20;

function where(column: string, r: number, partition: number): string {
  return `column '${column}' at row ${r} of partition ${partition}`;
}

/**
 * The checks of Spark's instance extraction that cost O(n): null/NaN/infinite labels, null/NaN/
 * negative/infinite weights, for classification labels that are not integers in [0, numClasses),
 * and sparse vectors of another size than `spec.d`. Feature values are checked by `validateFeatures`,
 * which kernels call only when the sums they computed anyway came out non-finite (a NaN or infinity
 * always makes them so), saving a read of the data.
 */
export function validateRows(
  inst: Instances, spec: InstanceSpec, partition: number, classification: boolean, numClasses = Number.MAX_SAFE_INTEGER,
): void {
  const { n, sv, labels, weights } = inst;
  const stage = spec.stage;
  if (sv && spec.d >= 0) {
    for (let i = 0; i < n; i++) {
      if (sv.sizes[i] !== spec.d) {
        throw new Error(`${stage}: ${where(spec.features, i, partition)} holds a vector of size ${sv.sizes[i]}, but earlier vectors have size ${spec.d}`);
      }
    }
  }
  if (labels && spec.label) {
    for (let i = 0; i < n; i++) {
      const y = labels[i];
      if (y !== y) throw new Error(`${stage}: Labels MUST NOT be Null or NaN, but ${where(spec.label, i, partition)} is NaN`);
      if (classification) {
        if (numClasses === 2 && y !== 0 && y !== 1) {
          throw new Error(`${stage}: Labels MUST be in {0, 1}, but ${where(spec.label, i, partition)} is ${formatDouble(y)}`);
        }
        if (y < 0 || y >= numClasses) {
          throw new Error(`${stage}: Labels MUST be in [0, ${numClasses === Number.MAX_SAFE_INTEGER ? 'Int.MaxValue' : numClasses}), but ${where(spec.label, i, partition)} is ${formatDouble(y)}`);
        }
        if (!Number.isInteger(y) || y > 2147483647) {
          throw new Error(`${stage}: Labels MUST be Integers, but ${where(spec.label, i, partition)} is ${formatDouble(y)}`);
        }
        if (y >= MAX_CLASSES) {
          throw new Error(`${stage}: ${where(spec.label, i, partition)} is ${formatDouble(y)}, which would make more than ${MAX_CLASSES} classes; labels must be class indices 0, 1, …, K − 1 (use StringIndexer)`);
        }
      } else if (y - y !== 0) {
        throw new Error(`${stage}: Labels MUST NOT be Infinity, but ${where(spec.label, i, partition)} is ${formatDouble(y)}`);
      }
    }
  }
  if (weights && spec.weight) {
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (w !== w) throw new Error(`${stage}: Weights MUST NOT be Null or NaN, but ${where(spec.weight, i, partition)} is NaN`);
      if (w < 0 || w === Infinity) {
        throw new Error(`${stage}: Weights MUST NOT be Negative or Infinity, but ${where(spec.weight, i, partition)} is ${formatDouble(w)}`);
      }
    }
  }
}

/** Fails naming the first NaN or infinite feature value (Spark's checkNonNanVectors). */
export function validateFeatures(inst: Instances, spec: InstanceSpec, partition: number): void {
  const { n, X, xOff, sv } = inst;
  if (X) {
    const d = spec.d;
    for (let i = 0, p = xOff; i < n; i++) {
      for (let j = 0; j < d; j++, p++) {
        const v = X[p];
        if (v - v !== 0) {
          throw new Error(`${spec.stage}: Vector values MUST NOT be NaN or Infinity, but ${where(spec.features, i, partition)} has ${formatDouble(v)} at index ${j}`);
        }
      }
    }
  } else if (sv) {
    for (let i = 0; i < n; i++) {
      for (let e = sv.offsets[i]; e < sv.offsets[i + 1]; e++) {
        const v = sv.values[e];
        if (v - v !== 0) {
          throw new Error(`${spec.stage}: Vector values MUST NOT be NaN or Infinity, but ${where(spec.features, i, partition)} has ${formatDouble(v)} at index ${sv.indices[e]}`);
        }
      }
    }
  }
}

/** True when every value is finite. */
export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] - values[i] !== 0) return false;
  return true;
}

// --- driver-side schema checks --------------------------------------------------------------

export function isNumericType(t: DataType): boolean {
  return t.kind === 'double' || t.kind === 'int' || t.kind === 'long';
}

/** The features field, which must be a vector column. */
export function requireFeatures(stage: string, schema: StructType, name: string): StructField {
  const f = schema.field(name);
  if (f.type.kind !== 'vector') {
    throw new Error(`${stage}: column '${name}' (featuresCol) must be of type vector but was actually of type ${f.type.kind}`);
  }
  return f;
}

/** A label or weight field, which must be numeric. */
export function requireNumeric(stage: string, schema: StructType, name: string, role: string): StructField {
  const f = schema.field(name);
  if (!isNumericType(f.type)) {
    throw new Error(`${stage}: column '${name}' (${role}) must be of type numeric but was actually of type ${f.type.kind}`);
  }
  return f;
}

/**
 * Spark's PredictorParams input checks: features a vector column (of the model's size, when the
 * model is known and the column's size too), and when fitting, label and weight numeric.
 */
export function requirePredictorInputs(
  stage: string, p: { getFeaturesCol(): string; getLabelCol(): string }, schema: StructType, fitting: boolean,
  weight: string | undefined, numFeatures?: number,
): void {
  const features = requireFeatures(stage, schema, p.getFeaturesCol());
  const size = vectorSizeOf(features);
  if (numFeatures !== undefined && size !== undefined && size !== numFeatures) {
    throw new Error(`${stage}: column '${features.name}' (featuresCol) holds vectors of size ${size}, but the model has ${numFeatures} features`);
  }
  if (fitting) {
    requireNumeric(stage, schema, p.getLabelCol(), 'labelCol');
    if (weight !== undefined) requireNumeric(stage, schema, weight, 'weightCol');
  }
}

/** Output columns must not exist yet. */
export function requireAbsent(stage: string, schema: StructType, name: string, role: string): void {
  if (schema.has(name)) throw new Error(`${stage}: output column '${name}' (${role}) already exists`);
}

/**
 * One row's features as Instances (n = 1, dense), for scoring single rows with the same code as
 * a batch: `load(vector)` copies a DenseVector or SparseVector of size d into the block (false for
 * a null vector).
 */
export function rowInstances(d: number, stage: string, column: string): { inst: Instances; load(value: unknown): boolean } {
  const X = new Float64Array(d);
  return {
    inst: { n: 1, X, xOff: 0, sv: null, labels: null, weights: null },
    load(value) {
      if (value === null || value === undefined) return false;
      const v = value as { size: number; values: Float64Array; indices?: Int32Array };
      if (v.size !== d) throw new Error(`${stage}: column '${column}' holds a vector of size ${v.size}, but the model has ${d} features`);
      if (v.indices === undefined) X.set(v.values);
      else { X.fill(0); for (let e = 0; e < v.indices.length; e++) X[v.indices[e]] = v.values[e]; }
      return true;
    },
  };
}
