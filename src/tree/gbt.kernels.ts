// Gradient boosting passes. Predictions of every training row live in shared memory and are
// updated once per round with the round's new trees (never recomputed from all trees); the same
// pass computes the next round's gradients and hessians, draws the round's subsample and sums the
// validation error. The update runs again when a task is retried and must then read what its
// first attempt read: the predictions are two buffers that rounds alternate between (round r reads
// pred[1 - r % 2], writes pred[r % 2]), and so are the rows' node ids and samples (round r's
// trees grow in node[(r % 2) R + k] and bag[(r % 2) R + k] while its update reads where the
// previous round's trees left the rows); everything else it writes is a function of what it reads.
import { registerKernel } from '../engine/kernels.js';
import type { BroadcastRef } from '../engine/protocol.js';
import { columnByName, denseColumn, doubleColumn, sparseColumn } from '../feature/columns.js';
import type { ColumnKind } from '../feature/shared.js';
import type { TreeData } from './dataset.kernels.js';
import type { ForestState } from './learner.kernels.js';
import type { PackedForest } from './predict.kernels.js';
import { leafOf } from './predict.kernels.js';
import { rowUniform } from './random.js';
import { exp } from './exp.js';
import { WasmKernels } from './wasm/kernels.js';
import { WASM_GBT_LOSSES } from './wasm/gbt.js';

/**
 * Losses, with predictions in the model's units: for 'logistic' F with P(y=1) = 1/(1+exp(-2F))
 * (Spark's LogLoss), for 'softmax' one margin per class.
 */
export type GbtLoss = 'squared' | 'absolute' | 'logistic' | 'softmax';

/**
 * A tree in bin space, breadth-first node ids: feature (-1 = leaf), left child, goLeft per bin, leaf
 * value × weight; plus the routing table of its last split pass (in-bag rows still sit in those nodes).
 */
export interface BinnedTree {
  feat: Int32Array;
  left: Int32Array;
  mask: Uint8Array;
  value: Float64Array;
  routeBase: number;
  routeFeat: Int32Array;
  routeLeft: Int32Array;
  routeMask: Uint8Array;
}

export interface GbtUpdateParams {
  data: BroadcastRef;
  state: BroadcastRef;
  r0: number;
  r1: number;
  /** Trees per round (numClasses for softmax, else 1) = predictions per row. */
  R: number;
  maxBins: number;
  /** The trees of the previous round, to add to the predictions; null before the first round. */
  previous: BinnedTree[] | null;
  /** Which prediction buffer the update writes (it reads the other): the round's parity. */
  parity: number;
  /** Loss whose gradients the next round fits; null for a final pass that only updates. */
  gradientLoss: GbtLoss | null;
  /** Loss of the validation error (Spark's computeError). */
  errorLoss: GbtLoss;
  /** Subsampling without replacement of the next round's rows (rate < 1), else every training row. */
  rate: number;
  roundSeedHash: number;
}

export interface GbtState extends ForestState {
  /** n × R predictions, twice: before and after a round's update (see `GbtUpdateParams.parity`). */
  pred: [Float64Array, Float64Array];
}

/** Spark's Loss.computeError for one row (label as stored: 0/1 classes or a regression target). */
export function rowError(loss: GbtLoss, y: number, pred: Float64Array, o: number, R: number): number {
  switch (loss) {
    case 'squared': { const e = y - pred[o]; return e * e; }
    case 'absolute': return Math.abs(y - pred[o]);
    case 'logistic': {
      // 2 log(1 + exp(-2 y F)) with y in {-1, +1}.
      const m = -2 * (2 * y - 1) * pred[o];
      return 2 * (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
    }
    case 'softmax': {
      let max = -Infinity;
      for (let k = 0; k < R; k++) max = Math.max(max, pred[o + k]);
      let s = 0;
      for (let k = 0; k < R; k++) s += Math.exp(pred[o + k] - max);
      return Math.log(s) + max - pred[o + y];
    }
  }
}

/** The update of several row ranges (one task's), each range's error on its own, in order. */
export const GBT_UPDATE = registerKernel<{ base: GbtUpdateParams; chunks: [number, number, number][] }, { error: number; weight: number }[]>('tree.gbtUpdate', (_batch, p, ctx) => {
  const data = ctx.broadcast<TreeData>(p.base.data.$broadcast), st = ctx.broadcast<GbtState>(p.base.state.$broadcast);
  return p.chunks.map(([r0, r1]) => gbtUpdate(data, st, { ...p.base, r0, r1 }));
});

/** One round's update over rows [p.r0, p.r1): also run at the start of the next tree's root pass. */
export function gbtUpdate(data: TreeData, st: GbtState, p: GbtUpdateParams): { error: number; weight: number } {
  const wasmLoss = WASM_GBT_LOSSES.indexOf((p.gradientLoss ?? 'squared') as (typeof WASM_GBT_LOSSES)[number]);
  if (data.memory && st.inArena && p.R === 1 && wasmLoss >= 0) {
    gbtUpdateWasm(data, st, p, wasmLoss as 0 | 1 | 2);
    return validationError(data, st, p);
  }
  const { bins, d, labels, validation } = data;
  const before = st.pred[1 - p.parity], pred = st.pred[p.parity];
  const R = p.R, B = p.maxBins, r0 = p.r0, r1 = p.r1;
  const bagIn = st.bag[(1 - p.parity) * R], bag = st.bag[p.parity * R];
  // 1. Add the previous round's trees: in-bag rows from the node they reached in training.
  if (!p.previous) pred.set(before.subarray(r0 * R, r1 * R), r0 * R);
  else {
    for (let k = 0; k < R; k++) {
      const t = p.previous[k], node = st.node[(1 - p.parity) * R + k];
      const { routeBase, routeFeat, routeLeft, routeMask, value, feat, left, mask } = t;
      const routeLen = routeFeat.length;
      for (let r = r0; r < r1; r++) {
        let id: number;
        if (bagIn === null || bagIn[r] > 0) {
          id = node[r];
          const q = id - routeBase;
          if (q >= 0 && q < routeLen && routeFeat[q] >= 0) id = routeLeft[q] + 1 - routeMask[q * B + bins[r * d + routeFeat[q]]];
        } else {
          id = 0;
          while (feat[id] >= 0) id = left[id] + 1 - mask[id * B + bins[r * d + feat[id]]];
        }
        pred[r * R + k] = before[r * R + k] + value[id];
      }
    }
  }
  // 2. Validation error; validation rows are never sampled.
  const { error, weight } = validationError(data, st, p);
  if (validation && bag) for (let r = r0; r < r1; r++) if (validation[r]) bag[r] = 0;
  const loss = p.gradientLoss;
  if (!loss) return { error, weight };
  // 3. The next round's sample (Bernoulli(rate) without replacement, or every training row).
  if (bag) {
    for (let r = r0; r < r1; r++) {
      if (validation && validation[r]) continue;
      bag[r] = p.rate < 1 && rowUniform(p.roundSeedHash, r) >= p.rate ? 0 : 1;
    }
  }
  // 4. Gradients and hessians (validation rows get some too; they are never read).
  const g0 = st.grad![0];
  switch (loss) {
    case 'squared':
      for (let r = r0; r < r1; r++) g0[r] = pred[r] - labels[r];
      break;
    case 'absolute':
      for (let r = r0; r < r1; r++) g0[r] = labels[r] - pred[r] < 0 ? 1 : -1;
      break;
    case 'logistic': {
      // In margin units m = 2F: g = p - y, h = p (1 - p).
      const h0 = st.hess![0]!;
      for (let r = r0; r < r1; r++) {
        const q = 1 / (1 + exp(-2 * pred[r]));
        g0[r] = q - labels[r];
        h0[r] = Math.max(q * (1 - q), 1e-16);
      }
      break;
    }
    case 'softmax': {
      const probs = new Float64Array(R);
      for (let r = r0; r < r1; r++) {
        const o = r * R, y = labels[r];
        let max = -Infinity;
        for (let k = 0; k < R; k++) max = Math.max(max, pred[o + k]);
        let s = 0;
        for (let k = 0; k < R; k++) { probs[k] = Math.exp(pred[o + k] - max); s += probs[k]; }
        for (let k = 0; k < R; k++) {
          const q = probs[k] / s;
          st.grad![k][r] = q - (y === k ? 1 : 0);
          st.hess![k]![r] = Math.max(q * (1 - q), 1e-16);
        }
      }
      break;
    }
  }
  return { error, weight };
}

/** Σ weight × error over the validation rows of [r0, r1), and Σ weight (after the predictions are updated). */
function validationError(data: TreeData, st: GbtState, p: GbtUpdateParams): { error: number; weight: number } {
  const { labels, weights, validation } = data;
  let error = 0, weight = 0;
  if (!validation) return { error, weight };
  for (let r = p.r0; r < p.r1; r++) {
    if (!validation[r]) continue;
    const w = weights ? weights[r] : 1;
    error += w * rowError(p.errorLoss, labels[r], st.pred[p.parity], r * p.R, p.R);
    weight += w;
  }
  return { error, weight };
}

/** gbtUpdate for one tree per round, on the arena (wasm/gbt.ts); the caller sums the validation error. */
function gbtUpdateWasm(data: TreeData, st: GbtState, p: GbtUpdateParams, loss: 0 | 1 | 2): void {
  const k = new WasmKernels(data.memory!);
  const t = p.previous?.[0] ?? null;
  const B = p.maxBins;
  // The previous tree's tables in this thread's scratch region, 8-byte aligned.
  const parts: ArrayBufferView[] = t ? [t.routeFeat, t.routeLeft, t.routeMask, t.value, t.feat, t.left, t.mask] : [];
  let total = 0;
  const at = parts.map((a) => { const o = total; total += Math.ceil(Math.max(a.byteLength, 8) / 8) * 8; return o; });
  const base = k.scratch(total);
  const buf = data.memory!.buffer;
  parts.forEach((a, i) => new Uint8Array(buf, base + at[i], a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
  const [pRouteFeat, pRouteLeft, pRouteMask, pValue, pFeat, pLeft, pMask] = t ? at.map((o) => base + o) : [0, 0, 0, 0, 0, 0, 0];
  const ptr = (a: ArrayBufferView | null | undefined) => (a ? a.byteOffset : -1);
  const wide = data.bins instanceof Uint16Array ? 16 : 8;
  k.exports[`gbtUpdate${loss}_${wide}`](
    p.r0, p.r1, ptr(st.node[1 - p.parity]), ptr(st.bag[1 - p.parity]), ptr(st.bag[p.parity]), ptr(data.bins), data.d, B, t ? 1 : 0,
    t ? t.routeBase : 0, t ? t.routeFeat.length : 0, pRouteFeat, pRouteLeft, pRouteMask, pValue, pFeat, pLeft, pMask,
    ptr(st.pred[1 - p.parity]), ptr(st.pred[p.parity]), ptr(data.labels), ptr(st.grad![0]), ptr(st.hess?.[0]), ptr(data.validation),
    p.rate < 1 ? 1 : 0, p.rate, p.roundSeedHash, p.gradientLoss ? 1 : 0,
  );
}

export interface GbtEvaluateParams {
  forest: BroadcastRef;
  features: string;
  featureKind: 'dense' | 'sparse';
  label: string;
  labelKind: ColumnKind;
  weight: string | null;
  weightKind: ColumnKind | null;
  loss: GbtLoss;
}

/** Spark's evaluateEachIteration: Σ weight × error after each prefix of trees, and Σ weight. */
export const GBT_EVALUATE = registerKernel<GbtEvaluateParams, { sums: Float64Array; weight: number }>('tree.gbtEvaluate', (batch, p, ctx) => {
  const f = ctx.broadcast<PackedForest>(p.forest.$broadcast);
  const T = f.numTrees, d = f.numFeatures;
  const R = p.loss === 'softmax' ? f.numClasses : 1;
  const labels = doubleColumn(columnByName(batch, p.label), p.labelKind).values;
  const w = p.weight ? doubleColumn(columnByName(batch, p.weight), p.weightKind!).values : null;
  const col = columnByName(batch, p.features);
  const dense = p.featureKind === 'dense' ? denseColumn(col) : null;
  const sparse = dense ? null : sparseColumn(col);
  const x = new Float64Array(d);
  const pred = new Float64Array(R);
  const sums = new Float64Array(T);
  let weight = 0;
  for (let i = 0; i < batch.numRows; i++) {
    let values: Float64Array = x, off = 0;
    if (dense) { values = dense.values; off = dense.offset + i * dense.d; } else {
      x.fill(0);
      for (let e = sparse!.offsets[i]; e < sparse!.offsets[i + 1]; e++) x[sparse!.indices[e]] = sparse!.values[e];
    }
    const wi = w ? w[i] : 1;
    pred.fill(0);
    for (let t = 0; t < T; t++) {
      pred[R === 1 ? 0 : t % R] += f.treeWeights[t] * f.prediction[leafOf(f, t, values, off)];
      sums[t] += wi * rowError(p.loss, labels[i], pred, 0, R);
    }
    weight += wi;
  }
  return { sums, weight };
});
