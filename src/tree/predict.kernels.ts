// Scoring: every tree of a model packed into flat arrays (one broadcast per session), the column
// mapper behind transform, and the single-row functions behind predict / predictRaw /
// predictProbability / predictLeaf, so both paths run the same loops.
import { registerMapper } from '../dataframe/mappers.js';
import { denseVectorData, primitiveData, type AnyData } from '../dataframe/batch.js';
import type { BroadcastRef } from '../engine/protocol.js';
import { columnByName, denseColumn, sparseColumn } from '../feature/columns.js';
import type { TreeNodes } from './nodes.js';

/** How the trees' outputs combine. */
export type EnsembleKind = 'dtc' | 'dtr' | 'rfc' | 'rfr' | 'gbtc' | 'gbtr';

export interface PackedForest {
  kind: EnsembleKind;
  numTrees: number;
  numClasses: number;
  numFeatures: number;
  treeStart: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  prediction: Float64Array;
  impurity: Float64Array;
  leafIndex: Int32Array;
  /** Left categories of node i: catValues[catStart[i] .. catStart[i+1]); empty for continuous splits. */
  catStart: Int32Array;
  catValues: Float64Array;
  /** Classification trees: class counts per node (numClasses each). */
  classStats: Float64Array | null;
  treeWeights: Float64Array;
}

export function packForest(kind: EnsembleKind, trees: readonly TreeNodes[], weights: ArrayLike<number>, numClasses: number, numFeatures: number): PackedForest {
  const T = trees.length;
  const treeStart = new Int32Array(T + 1);
  trees.forEach((t, i) => { treeStart[i + 1] = treeStart[i] + t.numNodes; });
  const N = treeStart[T];
  const f: PackedForest = {
    kind, numTrees: T, numClasses, numFeatures, treeStart,
    feature: new Int32Array(N), threshold: new Float64Array(N), left: new Int32Array(N), right: new Int32Array(N),
    prediction: new Float64Array(N), impurity: new Float64Array(N), leafIndex: new Int32Array(N), catStart: new Int32Array(N + 1),
    catValues: new Float64Array(0), classStats: kind === 'dtc' || kind === 'rfc' ? new Float64Array(N * numClasses) : null,
    treeWeights: Float64Array.from(weights),
  };
  const cats: number[] = [];
  trees.forEach((t, ti) => {
    const o = treeStart[ti];
    for (let i = 0; i < t.numNodes; i++) {
      const g = o + i;
      f.feature[g] = t.feature[i];
      f.threshold[g] = t.threshold[i];
      f.left[g] = t.left[i] < 0 ? -1 : o + t.left[i];
      f.right[g] = t.right[i] < 0 ? -1 : o + t.right[i];
      f.prediction[g] = t.prediction[i];
      f.impurity[g] = t.impurity[i];
      f.leafIndex[g] = t.leafIndex[i];
      const c = t.categories[i];
      if (c) cats.push(...c);
      f.catStart[g + 1] = cats.length;
      if (f.classStats) {
        const S = t.statsSize;
        for (let k = 0; k < numClasses && k < S; k++) f.classStats[g * numClasses + k] = t.stats[i * S + k];
      }
    }
  });
  f.catValues = Float64Array.from(cats);
  return f;
}

/** The leaf (global node index) tree t reaches for the row at values[offset ..]. */
export function leafOf(f: PackedForest, t: number, values: ArrayLike<number>, offset: number): number {
  const { feature, threshold, left, right, catStart, catValues } = f;
  let i = f.treeStart[t];
  while (feature[i] >= 0) {
    const v = values[offset + feature[i]];
    const cs = catStart[i], ce = catStart[i + 1];
    let goLeft: boolean;
    if (cs === ce) goLeft = v <= threshold[i];
    else { goLeft = false; for (let k = cs; k < ce; k++) if (catValues[k] === v) { goLeft = true; break; } }
    i = goLeft ? left[i] : right[i];
  }
  return i;
}

/** Raw prediction of a classifier (class counts, summed class distributions, or margins) into out. */
export function rawInto(f: PackedForest, values: ArrayLike<number>, offset: number, out: Float64Array): void {
  const K = f.numClasses;
  out.fill(0);
  switch (f.kind) {
    case 'dtc': {
      const leaf = leafOf(f, 0, values, offset);
      for (let k = 0; k < K; k++) out[k] = f.classStats![leaf * K + k];
      return;
    }
    case 'rfc': {
      for (let t = 0; t < f.numTrees; t++) {
        const leaf = leafOf(f, t, values, offset);
        let total = 0;
        for (let k = 0; k < K; k++) total += f.classStats![leaf * K + k];
        if (total !== 0) for (let k = 0; k < K; k++) out[k] += f.classStats![leaf * K + k] / total;
      }
      return;
    }
    case 'gbtc': {
      if (K === 2) {
        const m = margin(f, values, offset);
        out[0] = -m; out[1] = m;
      } else {
        for (let t = 0; t < f.numTrees; t++) out[t % K] += f.treeWeights[t] * f.prediction[leafOf(f, t, values, offset)];
      }
      return;
    }
    default: throw new Error(`${f.kind} models have no raw prediction`);
  }
}

/** Σ weight × tree prediction (GBT). */
export function margin(f: PackedForest, values: ArrayLike<number>, offset: number): number {
  let m = 0;
  for (let t = 0; t < f.numTrees; t++) m += f.treeWeights[t] * f.prediction[leafOf(f, t, values, offset)];
  return m;
}

/** Probabilities from a raw prediction, in place (Spark's raw2probabilityInPlace). */
export function probabilityInPlace(f: PackedForest, raw: Float64Array): Float64Array {
  const K = f.numClasses;
  if (f.kind === 'gbtc') {
    if (K === 2) {
      // Spark's LogLoss.computeProbability: 1 / (1 + exp(-2 margin)).
      const p1 = 1 / (1 + Math.exp(-2 * raw[1]));
      raw[0] = 1 - p1; raw[1] = p1;
      return raw;
    }
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, raw[k]);
    let s = 0;
    for (let k = 0; k < K; k++) { raw[k] = Math.exp(raw[k] - max); s += raw[k]; }
    for (let k = 0; k < K; k++) raw[k] /= s;
    return raw;
  }
  let s = 0;
  for (let k = 0; k < K; k++) s += raw[k];
  if (s > 0) for (let k = 0; k < K; k++) raw[k] /= s;
  return raw;
}

/** The class with the largest p / threshold (Spark's probability2prediction), or the first largest raw value. */
export function classOf(values: Float64Array, thresholds: readonly number[] | null): number {
  let best = 0, max = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = thresholds ? values[k] / thresholds[k] : values[k];
    if (v > max) { max = v; best = k; }
  }
  return best;
}

/**
 * A classifier's outputs for one row, in Spark's order: the raw prediction into `tmp` (copied to
 * `raws` at `at`), then probabilities in place (copied to `probs`), then the predicted class
 * (NaN unless `withPrediction`). The DataFrame mapper and the row scorer both score with it.
 */
export function classifyInto(f: PackedForest, values: ArrayLike<number>, o: number, thresholds: readonly number[] | null, tmp: Float64Array,
  raws: Float64Array | null, probs: Float64Array | null, at: number, withPrediction: boolean): number {
  rawInto(f, values, o, tmp);
  if (raws) raws.set(tmp, at);
  if (probs || (withPrediction && thresholds)) probabilityInPlace(f, tmp);
  if (probs) probs.set(tmp, at);
  return withPrediction ? classOf(tmp, thresholds) : NaN;
}

/** A regressor's prediction. */
export function regressionOf(f: PackedForest, values: ArrayLike<number>, offset: number): number {
  switch (f.kind) {
    case 'dtr': return f.prediction[leafOf(f, 0, values, offset)];
    case 'rfr': {
      let s = 0;
      for (let t = 0; t < f.numTrees; t++) s += f.prediction[leafOf(f, t, values, offset)];
      return s / f.numTrees;
    }
    case 'gbtr': return margin(f, values, offset);
    default: throw new Error(`${f.kind} is not a regressor`);
  }
}

export interface PredictParams {
  forest: BroadcastRef;
  features: string;
  featureKind: 'dense' | 'sparse';
  raw: boolean;
  probability: boolean;
  prediction: boolean;
  leaf: boolean;
  /** DecisionTreeRegressionModel's varianceCol. */
  variance: boolean;
  thresholds: number[] | null;
}

/** Appends (in Spark's order) rawPrediction, probability, prediction, variance and leaf columns. */
export const TREE_PREDICT = registerMapper<PredictParams>('tree.predict', (batch, p, ctx) => {
  const f = ctx.broadcast<PackedForest>(p.forest.$broadcast);
  const n = batch.numRows, d = f.numFeatures, K = f.numClasses, T = f.numTrees;
  const data = columnByName(batch, p.features);
  let values: Float64Array, stride: number, base: number, valid: Uint8Array | null;
  let row: (i: number) => number;
  if (p.featureKind === 'dense') {
    const c = denseColumn(data);
    if (c.d !== d) throw new Error(`Column '${p.features}' holds vectors of size ${c.d} but the model expects ${d} features`);
    values = c.values; stride = c.d; base = c.offset; valid = c.valid;
    row = (i) => base + i * stride;
  } else {
    const sv = sparseColumn(data);
    valid = sv.valid;
    values = new Float64Array(d);
    row = (i) => {
      if (sv.sizes[i] !== d) throw new Error(`Column '${p.features}' holds a vector of size ${sv.sizes[i]} but the model expects ${d} features`);
      values.fill(0);
      for (let e = sv.offsets[i]; e < sv.offsets[i + 1]; e++) values[sv.indices[e]] = sv.values[e];
      return 0;
    };
  }
  const classifier = f.kind === 'dtc' || f.kind === 'rfc' || f.kind === 'gbtc';
  const raws = p.raw ? new Float64Array(n * K) : null;
  const probs = p.probability ? new Float64Array(n * K) : null;
  const preds = p.prediction ? new Float64Array(n) : null;
  const vars = p.variance ? new Float64Array(n) : null;
  const leaves = p.leaf ? new Float64Array(n * T) : null;
  const tmp = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) throw new Error(`Column '${p.features}' holds a null features vector at row ${i} of partition ${ctx.partitionIndex}`);
    const o = row(i);
    if (classifier) {
      if (raws || probs || preds) {
        const c = classifyInto(f, values, o, p.thresholds, tmp, raws, probs, i * K, preds !== null);
        if (preds) preds[i] = c;
      }
    } else {
      if (preds) preds[i] = regressionOf(f, values, o);
      if (vars) vars[i] = f.impurity[leafOf(f, 0, values, o)];
    }
    if (leaves) for (let t = 0; t < T; t++) leaves[i * T + t] = f.leafIndex[leafOf(f, t, values, o)];
  }
  const columns: AnyData[] = [];
  if (raws) columns.push(denseVectorData(K, raws, null, n));
  if (probs) columns.push(denseVectorData(K, probs, null, n));
  if (preds) columns.push(primitiveData({ kind: 'double' }, preds, null));
  if (vars) columns.push(primitiveData({ kind: 'double' }, vars, null));
  if (leaves) columns.push(f.kind === 'dtc' || f.kind === 'dtr' ? primitiveData({ kind: 'double' }, leaves, null) : denseVectorData(T, leaves, null, n));
  return { columns };
});
