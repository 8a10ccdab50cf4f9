// Kernels that turn a DataFrame's partitions into the learner's cached, binned training set: a scan
// that validates and counts, a sample for split candidates, and the binning pass that writes each
// partition's rows into shared arrays at the partition's global offset.
import type { RecordBatch } from 'apache-arrow';
import { registerKernel, type TaskContext } from '../engine/kernels.js';
import type { BroadcastRef } from '../engine/protocol.js';
import { columnByName, denseColumn, doubleColumn, sparseColumn } from '../feature/columns.js';
import { unpackBits, validityBytes } from '../dataframe/batch.js';
import type { ColumnKind } from '../feature/shared.js';
import { formatDouble } from '../linalg/format.js';
import { rowUniform } from './random.js';
import type { WasmMemory } from './wasm/kernels.js';

/** Where the columns are and what they hold (resolved on the driver from the schema). */
export interface InputSpec {
  features: string;
  featureKind: 'dense' | 'sparse';
  d: number;
  label: string;
  labelKind: ColumnKind;
  weight: string | null;
  weightKind: ColumnKind | null;
  /** Validation indicator (boolean), GBT only. */
  validation: string | null;
  classification: boolean;
  /** Known number of classes (label metadata), 0 when it must be inferred. */
  numClasses: number;
}

/** The cached training set: every partition's rows one after another, in shared memory. */
export interface TreeData {
  n: number;
  d: number;
  /** n × d bin codes, row-major (rows of big nodes are read in order). */
  bins: Uint8Array | Uint16Array;
  /** The same codes column-major, d × n (small nodes read one feature column at a time, which stays in cache). */
  binsT: Uint8Array | Uint16Array;
  labels: Float64Array;
  /** Instance weights, null when every weight is 1. */
  weights: Float64Array | null;
  /** 1 for validation rows (GBT's validationIndicatorCol), null without one. */
  validation: Uint8Array | null;
  /** The WebAssembly arena holding every array above, or null (JavaScript kernels only). */
  memory: WasmMemory | null;
}

interface RowReader {
  n: number;
  /** Writes row i's d values into out (zeros included for sparse vectors). */
  row(i: number, out: Float64Array): void;
  /** Dense columns: row i is values[offset + i*d ..] (no null rows). */
  dense: { values: Float64Array; offset: number } | null;
}

function where(spec: InputSpec, ctx: TaskContext, i: number): string {
  return `row ${i} of partition ${ctx.partitionIndex}`;
}

function featureReader(batch: RecordBatch, spec: InputSpec, ctx: TaskContext): RowReader {
  const data = columnByName(batch, spec.features);
  const n = batch.numRows, d = spec.d;
  const valid = validityBytes(data);
  const checkNull = (i: number) => {
    if (valid && !valid[i]) throw new Error(`Column '${spec.features}' holds a null features vector at ${where(spec, ctx, i)}; trees need a vector in every row`);
  };
  if (spec.featureKind === 'dense') {
    const c = denseColumn(data);
    if (c.d !== d) throw new Error(`Column '${spec.features}' holds vectors of size ${c.d} but the first rows had size ${d}`);
    return {
      n,
      dense: valid ? null : { values: c.values, offset: c.offset },
      row(i, out) {
        checkNull(i);
        const base = c.offset + i * d;
        for (let j = 0; j < d; j++) out[j] = c.values[base + j];
      },
    };
  }
  const sv = sparseColumn(data);
  return {
    n,
    dense: null,
    row(i, out) {
      checkNull(i);
      if (sv.sizes[i] !== d) throw new Error(`Column '${spec.features}' holds a vector of size ${sv.sizes[i]} at ${where(spec, ctx, i)}, but others have size ${d}`);
      out.fill(0);
      for (let e = sv.offsets[i]; e < sv.offsets[i + 1]; e++) out[sv.indices[e]] = sv.values[e];
    },
  };
}

interface Scalars {
  labels: Float64Array;
  labelValid: Uint8Array | null;
  weights: Float64Array | null;
  weightValid: Uint8Array | null;
  validation: Uint8Array | null;
}

function scalars(batch: RecordBatch, spec: InputSpec): Scalars {
  const l = doubleColumn(columnByName(batch, spec.label), spec.labelKind);
  const w = spec.weight ? doubleColumn(columnByName(batch, spec.weight), spec.weightKind!) : null;
  let validation: Uint8Array | null = null;
  if (spec.validation) {
    const v = columnByName(batch, spec.validation);
    const bits = unpackBits(v.values as Uint8Array, v.offset, v.length, 0);
    const ok = validityBytes(v);
    if (ok) for (let i = 0; i < bits.length; i++) if (!ok[i]) throw new Error(`Column '${spec.validation}' (validationIndicatorCol) holds a null at row ${i}; it must be true or false in every row`);
    validation = bits;
  }
  return { labels: l.values, labelValid: l.valid, weights: w?.values ?? null, weightValid: w?.valid ?? null, validation };
}

export interface ScanResult { n: number; nTrain: number; maxLabel: number }

/** Pass 1: validates every row (labels, weights, NaN features) and counts rows and training weight. */
export const TREE_SCAN = registerKernel<InputSpec, ScanResult>('tree.scan', (batch, spec, ctx) => {
  const reader = featureReader(batch, spec, ctx);
  const s = scalars(batch, spec);
  const x = new Float64Array(spec.d);
  let nTrain = 0, maxLabel = -Infinity;
  for (let i = 0; i < reader.n; i++) {
    reader.row(i, x);
    for (let j = 0; j < spec.d; j++) {
      if (x[j] !== x[j]) {
        throw new Error(`Column '${spec.features}' holds NaN at feature ${j} (${where(spec, ctx, i)}): trees cannot split on NaN values; impute or filter them first`);
      }
    }
    const y = s.labels[i];
    if ((s.labelValid && !s.labelValid[i]) || y !== y) {
      throw new Error(`Column '${spec.label}' (labelCol) holds a ${y !== y ? 'NaN' : 'null'} label at ${where(spec, ctx, i)}; labels must be set in every row`);
    }
    if (spec.classification) {
      if (!Number.isInteger(y) || y < 0 || (spec.numClasses > 0 && y >= spec.numClasses)) {
        const range = spec.numClasses > 0 ? `integers in range [0, ${spec.numClasses})` : 'non-negative integers';
        throw new Error(`Classifier was given dataset with invalid label ${formatDouble(y)} in column '${spec.label}' (${where(spec, ctx, i)}). Labels must be ${range}.`);
      }
    } else if (!Number.isFinite(y)) {
      throw new Error(`Column '${spec.label}' (labelCol) holds the label ${formatDouble(y)} at ${where(spec, ctx, i)}; regression labels must be finite`);
    }
    if (s.weights) {
      const w = s.weights[i];
      if ((s.weightValid && !s.weightValid[i]) || !(w >= 0) || w === Infinity) {
        const shown = s.weightValid && !s.weightValid[i] ? 'null' : formatDouble(w);
        throw new Error(`Column '${spec.weight}' (weightCol) holds the weight ${shown} at ${where(spec, ctx, i)}; weights must be non-negative and finite`);
      }
    }
    if (y > maxLabel) maxLabel = y;
    if (s.validation && s.validation[i]) continue;
    nTrain++;
  }
  return { n: reader.n, nTrain, maxLabel };
});

export interface SampleParams { spec: InputSpec; start: number; fraction: number; seedHash: number; continuous: Int32Array }
export interface SampleResult { values: Float64Array; weights: Float64Array }

/**
 * Pass 2: the rows in the split-finding sample (a row is in it when a hash of (seed, its global
 * index) falls below `fraction`, so the sample does not depend on partitioning), continuous
 * features only, row-major.
 */
export const TREE_SAMPLE = registerKernel<SampleParams, SampleResult>('tree.sample', (batch, p, ctx) => {
  const reader = featureReader(batch, p.spec, ctx);
  const s = scalars(batch, p.spec);
  const x = new Float64Array(p.spec.d);
  const nc = p.continuous.length;
  const rows: number[] = [];
  for (let i = 0; i < reader.n; i++) {
    if (s.validation && s.validation[i]) continue;
    if (p.fraction < 1 && rowUniform(p.seedHash, p.start + i) >= p.fraction) continue;
    rows.push(i);
  }
  const values = new Float64Array(rows.length * nc), weights = new Float64Array(rows.length);
  rows.forEach((i, k) => {
    reader.row(i, x);
    for (let j = 0; j < nc; j++) values[k * nc + j] = x[p.continuous[j]];
    weights[k] = s.weights ? s.weights[i] : 1;
  });
  return { values, weights };
});

/**
 * A continuous feature's bin: the number of its thresholds below the value (values equal to a
 * threshold go left, as Spark's `x <= threshold`), by a binary search in fixed steps. Each
 * feature's thresholds are padded with +Infinity to 2·top - 1 entries (top: the largest power of
 * two <= their number), so the search needs no bounds test, and the step is taken with a mask: a
 * conditional here costs a mispredicted branch per step, three times the whole search.
 */
export class ThresholdSearch {
  private readonly thr: Float64Array;
  private readonly start: Int32Array;
  private readonly top: Int32Array;

  /** Thresholds of feature f: thresholds[thrStart[f] .. thrStart[f + 1]), ascending. */
  constructor(thresholds: Float64Array, thrStart: Int32Array) {
    const d = thrStart.length - 1;
    this.top = new Int32Array(d);
    this.start = new Int32Array(d);
    let size = 0;
    for (let f = 0; f < d; f++) {
      const len = thrStart[f + 1] - thrStart[f];
      this.top[f] = len > 0 ? 2 ** Math.floor(Math.log2(len)) : 0;
      this.start[f] = size;
      size += Math.max(2 * this.top[f] - 1, 0);
    }
    this.thr = new Float64Array(size).fill(Infinity);
    for (let f = 0; f < d; f++) this.thr.set(thresholds.subarray(thrStart[f], thrStart[f + 1]), this.start[f]);
  }

  bin(f: number, v: number): number {
    const thr = this.thr, t0 = this.start[f];
    let b = 0;
    for (let step = this.top[f]; step > 0; step >>= 1) b += step & -+(thr[t0 + b + step - 1] < v);
    return b;
  }
}

export interface BinParams {
  spec: InputSpec;
  start: number;
  data: BroadcastRef;
  /** Thresholds of feature f: thresholds[thrStart[f] .. thrStart[f+1]). */
  thresholds: Float64Array;
  thrStart: Int32Array;
  /** 0 for continuous features, else the number of categories. */
  arity: Int32Array;
}

/** Pass 3: writes the partition's bin codes, labels, weights and validation flags at its global offset. */
export const TREE_BIN = registerKernel<BinParams, number>('tree.bin', (batch, p, ctx) => {
  const spec = p.spec, d = spec.d;
  const data = ctx.broadcast<TreeData>(p.data.$broadcast);
  const reader = featureReader(batch, spec, ctx);
  const s = scalars(batch, spec);
  const x = new Float64Array(d);
  const { bins, binsT, labels, weights, validation, n } = data;
  const arity = p.arity;
  const search = new ThresholdSearch(p.thresholds, p.thrStart);
  const dense = reader.dense;
  for (let i = 0; i < reader.n; i++) {
    const r = p.start + i;
    let src: Float64Array = x, so = 0;
    if (dense) { src = dense.values; so = dense.offset + i * d; } else reader.row(i, x);
    const base = r * d;
    for (let f = 0; f < d; f++) {
      const v = src[so + f];
      const k = arity[f];
      if (k > 0) {
        if (!(v >= 0 && v < k && Number.isInteger(v))) {
          throw new Error(`DecisionTree given invalid data: Feature ${f} is categorical with values in {0,...,${k - 1}}, but a data point gives it value ${formatDouble(v)} (column '${spec.features}', ${where(spec, ctx, i)}).`);
        }
        bins[base + f] = v;
      } else {
        bins[base + f] = search.bin(f, v);
      }
    }
    labels[r] = s.labels[i];
    if (weights) weights[r] = s.weights ? s.weights[i] : 1;
    if (validation) validation[r] = s.validation![i];
  }
  // The column-major copy, one feature at a time (sequential writes).
  const r0 = p.start, m = reader.n;
  for (let f = 0; f < d; f++) {
    const col = f * n + r0;
    for (let i = 0; i < m; i++) binsT[col + i] = bins[(r0 + i) * d + f];
  }
  return reader.n;
});
