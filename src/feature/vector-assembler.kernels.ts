// VectorAssembler's column mapper: concatenates scalar and vector columns row by row, with Spark's
// handling of nulls and NaNs (VectorAssembler.assemble).
import { registerMapper } from '../dataframe/mappers.js';
import { denseVectorData, sparseVectorData } from '../dataframe/batch.js';
import { columnByName, denseColumn, doubleColumn, sparseColumn, type DenseColumn, type DoubleColumn, type SparseColumn } from './columns.js';
import type { ColumnKind } from './shared.js';

export interface AssemblerInput {
  name: string;
  kind: ColumnKind;
  /** Vector size (1 for scalars); -1 when unknown (sparse column without size metadata). */
  size: number;
}

export interface AssemblerParams {
  inputs: AssemblerInput[];
  handleInvalid: 'error' | 'skip' | 'keep';
  /** Output encoding: dense when true (every size is then known), else sparse. */
  dense: boolean;
}

type Input =
  | { kind: 'scalar'; name: string; col: DoubleColumn; canBeNaN: boolean }
  | { kind: 'dense'; name: string; col: DenseColumn }
  | { kind: 'sparse'; name: string; col: SparseColumn; size: number };

const NULL_ERROR = 'Encountered null while assembling a row with handleInvalid = "error". Consider removing nulls from dataset or using handleInvalid = "keep" or "skip".';
const NAN_ERROR = 'Encountered NaN while assembling a row with handleInvalid = "error". Consider removing NaNs from dataset or using handleInvalid = "keep" or "skip".';

/** The first invalid input of row r, in column order (as Spark meets them), or null when the row is valid. */
function invalidAt(inputs: Input[], r: number): { what: 'null' | 'nan'; column: string } | null {
  for (const input of inputs) {
    const valid = input.col.valid;
    if (valid && !valid[r]) return { what: 'null', column: input.name };
    if (input.kind === 'scalar' && input.canBeNaN && Number.isNaN(input.col.values[r])) return { what: 'nan', column: input.name };
  }
  return null;
}

function sizeMismatch(input: { name: string; size: number }, actual: number): Error {
  return new Error(`VectorAssembler: column '${input.name}' holds a vector of size ${actual} but its metadata declares size ${input.size}`);
}

export const VECTOR_ASSEMBLER = registerMapper<AssemblerParams>('feature.vectorAssembler', (batch, p) => {
  const inputs: Input[] = p.inputs.map((spec) => {
    const data = columnByName(batch, spec.name);
    if (spec.kind === 'dense') return { kind: 'dense', name: spec.name, col: denseColumn(data) };
    if (spec.kind === 'sparse') return { kind: 'sparse', name: spec.name, col: sparseColumn(data), size: spec.size };
    return { kind: 'scalar', name: spec.name, col: doubleColumn(data, spec.kind), canBeNaN: spec.kind === 'double' };
  });
  const n = batch.numRows;

  // Which rows to assemble: 'skip' drops rows with a null input or a NaN scalar (Spark's na.drop);
  // 'error' throws at the first one.
  let rows: Int32Array | undefined;
  if (p.handleInvalid === 'skip') {
    const kept: number[] = [];
    for (let r = 0; r < n; r++) if (invalidAt(inputs, r) === null) kept.push(r);
    if (kept.length < n) rows = Int32Array.from(kept);
  } else if (p.handleInvalid === 'error') {
    for (let r = 0; r < n; r++) {
      const bad = invalidAt(inputs, r);
      // Spark's message, then which input column and row (of this partition) held the value.
      if (bad) throw new Error(`${bad.what === 'null' ? NULL_ERROR : NAN_ERROR} (input column '${bad.column}', row ${r} of the partition)`);
    }
  }
  const m = rows ? rows.length : n;
  const rowAt = (k: number) => (rows ? rows[k] : k);
  return { columns: [p.dense ? assembleDense(inputs, m, rowAt) : assembleSparse(inputs, m, rowAt)], ...(rows ? { rows } : {}) };
});

/** Every size is known here; nulls (only under 'keep') become NaN. */
function assembleDense(inputs: Input[], m: number, rowAt: (k: number) => number) {
  let size = 0;
  for (const input of inputs) size += input.kind === 'scalar' ? 1 : input.kind === 'dense' ? input.col.d : input.size;
  const out = new Float64Array(m * size);
  for (let k = 0; k < m; k++) {
    const r = rowAt(k);
    let pos = k * size;
    for (const input of inputs) {
      const isNull = input.col.valid !== null && !input.col.valid[r];
      if (input.kind === 'scalar') {
        out[pos++] = isNull ? NaN : input.col.values[r];
      } else if (input.kind === 'dense') {
        const { d, values, offset } = input.col;
        if (isNull) out.fill(NaN, pos, pos + d);
        else out.set(values.subarray(offset + r * d, offset + (r + 1) * d), pos);
        pos += d;
      } else {
        const s = input.size, sv = input.col;
        if (isNull) out.fill(NaN, pos, pos + s);
        else {
          if (sv.sizes[r] !== s) throw sizeMismatch(input, sv.sizes[r]);
          for (let e = sv.offsets[r]; e < sv.offsets[r + 1]; e++) out[pos + sv.indices[e]] = sv.values[e];
        }
        pos += s;
      }
    }
  }
  return denseVectorData(size, out, null, m);
}

/** Stores the nonzero entries (NaN included), as Spark's assemble; a null vector under 'keep' is all NaN. */
function assembleSparse(inputs: Input[], m: number, rowAt: (k: number) => number) {
  // An upper bound on the stored entries, to allocate once.
  let bound = 0;
  for (let k = 0; k < m; k++) {
    const r = rowAt(k);
    for (const input of inputs) {
      if (input.kind === 'scalar') bound += 1;
      else if (input.kind === 'dense') bound += input.col.d;
      else if (input.col.valid && !input.col.valid[r]) bound += input.size;
      else bound += input.col.offsets[r + 1] - input.col.offsets[r];
    }
  }
  const indices = new Int32Array(bound), values = new Float64Array(bound);
  const sizes = new Int32Array(m), offsets = new Int32Array(m + 1);
  let e = 0;
  const put = (i: number, v: number) => { if (v !== 0) { indices[e] = i; values[e++] = v; } };
  for (let k = 0; k < m; k++) {
    const r = rowAt(k);
    let pos = 0;
    for (const input of inputs) {
      const isNull = input.col.valid !== null && !input.col.valid[r];
      if (input.kind === 'scalar') {
        put(pos++, isNull ? NaN : input.col.values[r]);
      } else if (input.kind === 'dense') {
        const { d, values: v, offset } = input.col;
        for (let j = 0; j < d; j++) put(pos + j, isNull ? NaN : v[offset + r * d + j]);
        pos += d;
      } else {
        const sv = input.col;
        if (isNull) {
          for (let j = 0; j < input.size; j++) put(pos + j, NaN);
          pos += input.size;
        } else {
          if (input.size >= 0 && sv.sizes[r] !== input.size) throw sizeMismatch(input, sv.sizes[r]);
          for (let q = sv.offsets[r]; q < sv.offsets[r + 1]; q++) put(pos + sv.indices[q], sv.values[q]);
          pos += sv.sizes[r];
        }
      }
    }
    sizes[k] = pos;
    offsets[k + 1] = e;
  }
  return sparseVectorData(sizes, offsets, indices.slice(0, e), values.slice(0, e), null);
}

/**
 * One row's assembly into `out` (dense output; the sizes of `inputs` are known), with the mapper's
 * rules: a null input is invalid (as is NaN in a double column); 'error' throws Spark's message,
 * 'skip' returns false, 'keep' writes NaN. Values of a row object: numbers, bigints (long),
 * booleans, DenseVector/SparseVector, or null.
 */
export function assembleRowInto(row: Readonly<Record<string, unknown>>, inputs: readonly AssemblerInput[], handleInvalid: AssemblerParams['handleInvalid'], out: Float64Array): boolean {
  let pos = 0;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    const v = row[input.name];
    if (input.kind === 'dense' || input.kind === 'sparse') {
      if (v === null || v === undefined) {
        if (handleInvalid !== 'keep') return invalidRow(handleInvalid, 'null', input.name);
        out.fill(NaN, pos, pos + input.size);
      } else {
        const vec = v as { size: number; values: Float64Array; indices?: Int32Array };
        if (vec.size !== input.size) throw sizeMismatch(input, vec.size);
        if (vec.indices === undefined) out.set(vec.values, pos);
        else {
          out.fill(0, pos, pos + input.size);
          for (let e = 0; e < vec.indices.length; e++) out[pos + vec.indices[e]] = vec.values[e];
        }
      }
      pos += input.size;
      continue;
    }
    let x: number;
    if (v === null || v === undefined) {
      if (handleInvalid !== 'keep') return invalidRow(handleInvalid, 'null', input.name);
      x = NaN;
    } else {
      x = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
      if (input.kind === 'double' && x !== x && handleInvalid !== 'keep') return invalidRow(handleInvalid, 'nan', input.name);
    }
    out[pos++] = x;
  }
  return true;
}

function invalidRow(handleInvalid: 'error' | 'skip', what: 'null' | 'nan', column: string): false {
  if (handleInvalid === 'skip') return false;
  throw new Error(`${what === 'null' ? NULL_ERROR : NAN_ERROR} (input column '${column}')`);
}
