// The training set of a tree fit, prepared once: three passes over the DataFrame (validate and
// count, sample split candidates, bin), after which every learner pass reads only the cached bin
// codes in shared memory. Split candidates follow Spark's findSplits: weighted quantiles of a
// sample of max(maxBins², 10000) rows, thresholds at midpoints between distinct values.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import type { Broadcast } from '../engine/broadcast.js';
import { attributeOf, categoricalFeatures, numValuesOf, vectorSizeOf } from '../feature/attributes.js';
import { columnKind, type ColumnKind } from '../feature/shared.js';
import type { FeatureMeta } from './impurity.js';
import { hashInts } from './random.js';
import { TreeMemory } from './memory.js';
import {
  TREE_BIN, TREE_SAMPLE, TREE_SCAN,
  type BinParams, type InputSpec, type SampleParams, type SampleResult, type ScanResult, type TreeData,
} from './dataset.kernels.js';

export interface DatasetOptions {
  featuresCol: string;
  labelCol: string;
  weightCol?: string;
  validationCol?: string;
  classification: boolean;
  maxBins: number;
  seed: number;
  /** categoricalFeatures param (merged with the features column's nominal attributes). */
  categorical?: Readonly<Record<string, number>>;
  /** Use the WebAssembly kernels when the data fits their arena (default true). */
  wasm?: boolean;
}

export interface TreeDataset {
  /** Rows, validation rows included. */
  n: number;
  /** Training rows (without validation rows) and their total weight. */
  nTrain: number;
  weightSum: number;
  /** Σ weight × label over training rows, and the training weight of each class. */
  labelSum: number;
  classWeights: Float64Array;
  d: number;
  /** Classes (classification), from label metadata or the largest label + 1. */
  numClasses: number;
  weighted: boolean;
  data: TreeData;
  /** Where the fit's other shared arrays (row states) are allocated. */
  memory: TreeMemory;
  broadcast: Broadcast<TreeData>;
  /** Continuous thresholds per feature (empty for categorical features). */
  thresholds: Float64Array[];
  meta: FeatureMeta;
  /** Feature index -> number of categories, for the model. */
  categorical: Map<number, number>;
  destroy(): void;
}

/** Spark's findSplitsForContinuousFeature over distinct (value, weight) pairs sorted by value. */
export function continuousThresholds(values: Float64Array, weights: Float64Array, numSplits: number, totalWeight: number): Float64Array {
  const n = values.length;
  if (n <= 1) return new Float64Array(0);
  const possible = n - 1;
  if (possible <= numSplits) {
    const out = new Float64Array(possible);
    for (let i = 1; i < n; i++) out[i - 1] = (values[i - 1] + values[i]) / 2;
    return out;
  }
  const stride = totalWeight / (numSplits + 1);
  const out: number[] = [];
  let current = weights[0], target = stride;
  for (let i = 1; i < n; i++) {
    const previous = current;
    current += weights[i];
    if (Math.abs(previous - target) < Math.abs(current - target)) {
      out.push((values[i - 1] + values[i]) / 2);
      target += stride;
    }
  }
  return Float64Array.from(out);
}

/** Distinct values (ascending) of column j of a row-major sample, with their summed weights. */
function distinctWeighted(sample: Float64Array, weights: Float64Array, nc: number, j: number, unit: boolean): { values: Float64Array; weights: Float64Array; total: number } {
  const m = weights.length;
  const values: number[] = [], sums: number[] = [];
  let total = 0;
  if (unit) {
    // Every weight is 1: a numeric sort of the column and run lengths (the same sums, exactly).
    const column = new Float64Array(m);
    for (let i = 0; i < m; i++) column[i] = sample[i * nc + j];
    column.sort();
    for (let i = 0; i < m; i++) {
      const v = column[i];
      if (values.length && values[values.length - 1] === v) sums[sums.length - 1] += 1;
      else { values.push(v); sums.push(1); }
    }
    return { values: Float64Array.from(values), weights: Float64Array.from(sums), total: m };
  }
  const idx = Array.from({ length: m }, (_, i) => i).sort((a, b) => sample[a * nc + j] - sample[b * nc + j]);
  for (const i of idx) {
    const v = sample[i * nc + j], w = weights[i];
    total += w;
    if (values.length && values[values.length - 1] === v) sums[sums.length - 1] += w;
    else { values.push(v); sums.push(w); }
  }
  return { values: Float64Array.from(values), weights: Float64Array.from(sums), total };
}

function scalarKind(schema: StructType, name: string): ColumnKind {
  return columnKind(schema.field(name).type);
}

/** Classes from label metadata (a nominal or binary attribute), 0 when unknown. */
export function numClassesFromMetadata(schema: StructType, labelCol: string): number {
  const attr = attributeOf(schema.field(labelCol));
  return attr ? numValuesOf(attr) ?? 0 : 0;
}


const MAX_INFERRED_CLASSES = 100;

export async function prepareDataset(df: DataFrame, o: DatasetOptions): Promise<TreeDataset> {
  const schema = df.schema;
  const field = schema.field(o.featuresCol);
  if (field.type.kind !== 'vector') throw new Error(`Column ${o.featuresCol} must be of type vector but was actually ${field.type.kind}.`);
  const featureKind = field.type.encoding;
  let d = vectorSizeOf(field);
  if (d === undefined) {
    const first = await df.select(o.featuresCol).first();
    const v = first?.[o.featuresCol] as { size: number } | null | undefined;
    d = v ? v.size : 0;
  }
  const numClassesHint = o.classification ? numClassesFromMetadata(schema, o.labelCol) : 0;
  const spec: InputSpec = {
    features: o.featuresCol, featureKind, d, label: o.labelCol, labelKind: scalarKind(schema, o.labelCol),
    weight: o.weightCol ?? null, weightKind: o.weightCol ? scalarKind(schema, o.weightCol) : null,
    validation: o.validationCol ?? null, classification: o.classification, numClasses: numClassesHint,
  };

  // Pass 1: validate and count.
  const plans = await df.plans();
  const scans = await df.engine.runJob<ScanResult>(TREE_SCAN, plans, spec);
  const starts: number[] = [];
  let n = 0, nTrain = 0, maxLabel = -Infinity;
  for (const s of scans) {
    starts.push(n);
    n += s.n; nTrain += s.nTrain; maxLabel = Math.max(maxLabel, s.maxLabel);
  }
  if (nTrain === 0) throw new Error('DecisionTree requires a non-empty training set, but the DataFrame has no training rows');
  if (d === 0) throw new Error('DecisionTree requires number of features > 0, but was given an empty features vector');
  let numClasses = 0;
  if (o.classification) {
    numClasses = numClassesHint || maxLabel + 1;
    if (!numClassesHint && numClasses > MAX_INFERRED_CLASSES) {
      throw new Error(`Classifier inferred ${numClasses} from label values in column ${o.labelCol}, but this exceeded the max numClasses (${MAX_INFERRED_CLASSES}) allowed to be inferred from values. To avoid this error for labels with > ${MAX_INFERRED_CLASSES} classes, specify numClasses explicitly in the metadata; this can be done by applying StringIndexer to the label column.`);
    }
  }

  // Feature kinds: categorical from the column's nominal attributes and the categoricalFeatures param.
  const categorical = categoricalFeatures(field);
  for (const [k, v] of Object.entries(o.categorical ?? {})) categorical.set(Number(k), v);
  const maxPossibleBins = Math.min(o.maxBins, nTrain);
  const arity = new Int32Array(d), unordered = new Uint8Array(d), numBins = new Int32Array(d);
  for (const [f, k] of categorical) {
    if (f >= d) throw new Error(`categoricalFeatures lists feature ${f}, but the features vectors have size ${d}`);
    arity[f] = k;
  }
  if (categorical.size > 0) {
    let maxCat = -1, maxArity = 0;
    for (const [f, k] of categorical) if (k > maxArity) { maxArity = k; maxCat = f; }
    if (maxArity > maxPossibleBins) {
      throw new Error(`DecisionTree requires maxBins (= ${maxPossibleBins}) to be at least as large as the number of values in each categorical feature, but categorical feature ${maxCat} has ${maxArity} values. Consider removing this and other categorical features with a large number of values, or add more training examples.`);
    }
  }
  const maxUnorderedArity = Math.floor(Math.log2(Math.floor(maxPossibleBins / 2) + 1) + 1);
  for (let f = 0; f < d; f++) {
    if (arity[f] === 0) continue;
    numBins[f] = arity[f];
    if (numClasses > 2 && arity[f] > 1 && arity[f] <= maxUnorderedArity) unordered[f] = 1;
  }

  // Pass 2: sample continuous features and find thresholds.
  const continuous = Int32Array.from({ length: d }, (_, f) => f).filter((f) => arity[f] === 0);
  const thresholds: Float64Array[] = Array.from({ length: d }, () => new Float64Array(0));
  if (continuous.length > 0) {
    const required = Math.max(maxPossibleBins * maxPossibleBins, 10000);
    const fraction = required < nTrain ? required / nTrain : 1;
    const seedHash = hashInts(o.seed, 0x5a3b1e);
    const parts = await df.engine.runJob<SampleResult>(TREE_SAMPLE, plans,
      (i: number): SampleParams => ({ spec, start: starts[i], fraction, seedHash, continuous }));
    const nc = continuous.length;
    const m = parts.reduce((s, p) => s + p.weights.length, 0);
    const sample = new Float64Array(m * nc), sw = new Float64Array(m);
    let pos = 0;
    for (const p of parts) { sample.set(p.values, pos * nc); sw.set(p.weights, pos); pos += p.weights.length; }
    const unit = sw.every((w) => w === 1);
    for (let j = 0; j < nc; j++) {
      const { values, weights, total } = distinctWeighted(sample, sw, nc, j, unit);
      thresholds[continuous[j]] = continuousThresholds(values, weights, maxPossibleBins - 1, total);
    }
  }
  for (const f of continuous) numBins[f] = thresholds[f].length + 1;

  // Pass 3: bin every row into shared memory.
  let maxNumBins = 0;
  for (let f = 0; f < d; f++) maxNumBins = Math.max(maxNumBins, numBins[f]);
  const wide = maxNumBins > 256;
  const memory = new TreeMemory(2 * n * d * (wide ? 2 : 1) + n * 16, o.wasm ?? true);
  const codes = () => (wide ? memory.uint16(n * d) : memory.uint8(n * d));
  const data: TreeData = {
    n, d,
    bins: codes(),
    binsT: codes(),
    labels: memory.float64(n),
    weights: o.weightCol ? memory.float64(n) : null,
    validation: o.validationCol ? memory.uint8(n) : null,
    memory: null,
  };
  data.memory = memory.memory;
  const broadcast = df.engine.broadcast(data);
  const thrStart = new Int32Array(d + 1);
  for (let f = 0; f < d; f++) thrStart[f + 1] = thrStart[f] + thresholds[f].length;
  const allThresholds = new Float64Array(thrStart[d]);
  for (let f = 0; f < d; f++) allThresholds.set(thresholds[f], thrStart[f]);
  try {
    await df.engine.runJob<number>(TREE_BIN, plans,
      (i: number): BinParams => ({ spec, start: starts[i], data: broadcast.ref, thresholds: allThresholds, thrStart, arity }));
  } catch (e) {
    broadcast.destroy();
    throw e;
  }
  // Sums in global row order, so that they do not depend on the partitioning.
  const { labels, weights, validation } = data;
  const cw = new Float64Array(Math.max(numClasses, 1));
  let ws = 0, ls = 0;
  for (let r = 0; r < n; r++) {
    if (validation && validation[r]) continue;
    const w = weights ? weights[r] : 1;
    ws += w;
    ls += w * labels[r];
    if (o.classification) cw[labels[r]] += w;
  }
  return {
    n, nTrain, weightSum: ws, labelSum: ls, classWeights: cw, d, numClasses, weighted: !!o.weightCol, data, memory, broadcast, thresholds,
    meta: { numBins, arity, unordered }, categorical,
    destroy: () => broadcast.destroy(),
  };
}
