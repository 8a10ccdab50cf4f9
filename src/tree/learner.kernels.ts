// The learner's pass, run per task over a range of rows for some trees: (1) move the rows of the
// nodes split in the previous pass to their children (node ids are kept per row in shared memory,
// so rows are never re-routed from the root), (2) add each row of a node being built to that
// node's histograms, (3) when the task sees all rows of its trees, find the best splits right
// there and return only those; otherwise return the histograms for the driver to merge.
import type { RecordBatch } from 'apache-arrow';
import { registerInput, registerKernel } from '../engine/kernels.js';
import type { BroadcastRef } from '../engine/protocol.js';
import { makeBatch } from '../dataframe/batch.js';
import { StructType } from '../dataframe/types.js';
import type { TreeData } from './dataset.kernels.js';
import { SplitSearch, type FeatureMeta, type SplitChoice, type SplitRules, type StatsLayout } from './impurity.js';
import { randomStream } from '../linalg/random.js';
import { fastStream, poissonTable } from './random.js';
import { WasmKernels } from './wasm/kernels.js';
import { gbtUpdate, type GbtState, type GbtUpdateParams } from './gbt.kernels.js';

/** Per-tree row state, one entry per tree of the fit (shared memory, mutated in place). */
export interface ForestState {
  /** Current node id of every row. */
  node: Int32Array[];
  /** Times each row is in the tree's sample (0 = out of bag or a validation row); null = every row once. */
  bag: (Uint8Array | null)[];
  /** GBT: gradient and hessian of every row (hessian null when constant 1). */
  grad: Float64Array[] | null;
  hess: (Float64Array | null)[] | null;
  /**
   * Rows still in open (splittable) nodes, per row range: range c lists its rows from position
   * r0 of active[t], activeCount[t][c] of them. Rows that reach a leaf drop out.
   */
  active: Int32Array[];
  activeCount: Int32Array[];
  /** Every array above is in the data's WebAssembly arena (TreeData.memory). */
  inArena: boolean;
}

/** Row ranges (segments of the active lists) a fit may use. */
export const MAX_SEGMENTS = 128;

/** What one pass does for one tree. */
export interface PassTree {
  t: number;
  /**
   * Nodes split in the previous pass, by id - routeBase: feature (-1 = not split), left child id,
   * goLeft per bin, and which children are leaves (bit 0 left, bit 1 right).
   */
  routeBase: number;
  routeFeat: Int32Array;
  routeLeft: Int32Array;
  routeMask: Uint8Array;
  routeClosed: Uint8Array;
  /** First pass of the tree: list the sampled rows of the range as active, all at the root. */
  init: boolean;
  /** Nodes to build, by id - slotBase: histogram slot or -1. */
  slotBase: number;
  slotOf: Int32Array;
  /** Features of slot s: featList[slotFeat[s] .. slotFeat[s+1]), with their bin offsets within the slot. */
  slotFeat: Int32Array;
  featList: Int32Array;
  binOff: Int32Array;
  /** First double of slot s's histograms; slotHist[numSlots] is the total. */
  slotHist: Int32Array;
  /** Local mode: each slot's own stats when known (S doubles per slot), and which are known. */
  parent: Float64Array | null;
  hasParent: Uint8Array | null;
}

export interface PassParams {
  data: BroadcastRef;
  state: BroadcastRef;
  /** Row ranges [r0, r1, segment] this task covers, in order; each gives its own histograms. */
  chunks: [number, number, number][];
  layout: StatsLayout;
  /** Stride of routeMask rows. */
  maxBins: number;
  trees: PassTree[];
  /** Set when this task sees every row of its trees: find the splits here. */
  local: { meta: FeatureMeta; rules: SplitRules } | null;
  /** GBT: the previous round's update of these rows, run before the root histograms. */
  prelude: GbtUpdateParams | null;
}

export interface ChunkResult { hists: [number, Float64Array][]; prelude: { error: number; weight: number } | null }

export type PassResult =
  | { kind: 'hist'; chunks: ChunkResult[] }
  | { kind: 'splits'; splits: [number, SplitChoice[]][] };

// Per-executor scratch (a worker runs one task at a time).
let rowBuf = new Int32Array(0);
let slotBuf = new Int32Array(0);
let orderBuf = new Int32Array(0);
let gw = new Float64Array(0), ga = new Float64Array(0), gb = new Float64Array(0), gc = new Float64Array(0);
let glab = new Int32Array(0);

function ensureScratch(size: number): void {
  if (rowBuf.length >= size) return;
  rowBuf = new Int32Array(size); slotBuf = new Int32Array(size); orderBuf = new Int32Array(size);
  gw = new Float64Array(size); ga = new Float64Array(size); gb = new Float64Array(size); gc = new Float64Array(size);
  glab = new Int32Array(size);
}

/**
 * Routes the range's active rows through the nodes split in the previous pass (rows reaching a
 * leaf leave the active list), and lists (row, slot) for rows of the nodes being built, in row
 * order. Returns the number listed; `counts[s + 1]` gets slot s's row count.
 */
function routeAndCollect(data: TreeData, state: ForestState, pt: PassTree, r0: number, r1: number, segment: number, B: number, counts: Int32Array): number {
  const node = state.node[pt.t], bag = state.bag[pt.t], act = state.active[pt.t], segCounts = state.activeCount[pt.t];
  const { bins, d } = data;
  const { routeBase, routeFeat, routeLeft, routeMask, routeClosed, slotBase, slotOf } = pt;
  const routeLen = routeFeat.length, slotLen = slotOf.length;
  if (pt.init) {
    let c = 0;
    for (let r = r0; r < r1; r++) {
      if (bag !== null && bag[r] === 0) continue;
      act[r0 + c++] = r;
      node[r] = 0;
    }
    segCounts[segment] = c;
  }
  const end = r0 + segCounts[segment];
  let m = 0, keep = r0;
  for (let i = r0; i < end; i++) {
    const r = act[i];
    let id = node[r];
    const k = id - routeBase;
    let closed = 0;
    if (k >= 0 && k < routeLen) {
      const f = routeFeat[k];
      if (f >= 0) {
        const side = 1 - routeMask[k * B + bins[r * d + f]];
        id = routeLeft[k] + side;
        node[r] = id;
        closed = (routeClosed[k] >> side) & 1;
      }
    }
    // Rows reaching a leaf leave the list (after this pass: a leaf may still be built, to derive its sibling).
    if (closed === 0) act[keep++] = r;
    const s = id - slotBase;
    if (s >= 0 && s < slotLen) {
      const slot = slotOf[s];
      if (slot >= 0) { rowBuf[m] = r; slotBuf[m] = slot; counts[slot + 1]++; m++; }
    }
  }
  segCounts[segment] = keep - r0;
  return m;
}

/** Where each listed feature's first bin lies in the pass's histogram array (in doubles). */
function featureOffsets(pt: PassTree, S: number): Int32Array {
  const numSlots = pt.slotHist.length - 1;
  const fo = new Int32Array(pt.featList.length);
  for (let s = 0; s < numSlots; s++) for (let j = pt.slotFeat[s]; j < pt.slotFeat[s + 1]; j++) fo[j] = pt.slotHist[s] + pt.binOff[j] * S;
  return fo;
}

/**
 * Row-major accumulation, rows in order (each row's codes are read once, sequentially): for few,
 * large nodes whose histograms stay in cache.
 */
function accumulateRows(data: TreeData, state: ForestState, pt: PassTree, L: StatsLayout, m: number, hist: Float64Array): void {
  const { bins, d, labels, weights } = data;
  const bag = state.bag[pt.t];
  const { slotFeat, featList } = pt;
  const S = L.S, ci = L.countIndex;
  const fo = featureOffsets(pt, S);
  if (L.impurity === 'gini' || L.impurity === 'entropy') {
    for (let i = 0; i < m; i++) {
      const r = rowBuf[i], slot = slotBuf[i];
      const c = bag === null ? 1 : bag[r];
      const w = weights === null ? c : c * weights[r];
      const lab = labels[r] | 0, rd = r * d, fe = slotFeat[slot + 1];
      for (let j = slotFeat[slot]; j < fe; j++) {
        const o = fo[j] + bins[rd + featList[j]] * S;
        hist[o + lab] += w;
        if (ci >= 0) hist[o + ci] += c;
      }
    }
  } else if (L.impurity === 'variance') {
    for (let i = 0; i < m; i++) {
      const r = rowBuf[i], slot = slotBuf[i];
      const c = bag === null ? 1 : bag[r];
      const w = weights === null ? c : c * weights[r];
      const y = labels[r], wy = w * y, wyy = wy * y;
      const rd = r * d, fe = slotFeat[slot + 1];
      for (let j = slotFeat[slot]; j < fe; j++) {
        const o = fo[j] + bins[rd + featList[j]] * S;
        hist[o] += w; hist[o + 1] += wy; hist[o + 2] += wyy;
        if (ci >= 0) hist[o + ci] += c;
      }
    }
  } else {
    const grad = state.grad![pt.t], hess = state.hess![pt.t], wi = L.weightIndex;
    if (hess !== null && ci < 0) {
      for (let i = 0; i < m; i++) {
        const r = rowBuf[i], slot = slotBuf[i];
        const c = bag === null ? 1 : bag[r];
        const w = weights === null ? c : c * weights[r];
        const g = grad[r] * w, h = hess[r] * w;
        const rd = r * d, fe = slotFeat[slot + 1];
        for (let j = slotFeat[slot]; j < fe; j++) {
          const o = fo[j] + bins[rd + featList[j]] * 3;
          hist[o] += g; hist[o + 1] += h; hist[o + 2] += w;
        }
      }
    } else if (hess === null && ci < 0) {
      for (let i = 0; i < m; i++) {
        const r = rowBuf[i], slot = slotBuf[i];
        const c = bag === null ? 1 : bag[r];
        const w = weights === null ? c : c * weights[r];
        const g = grad[r] * w;
        const rd = r * d, fe = slotFeat[slot + 1];
        for (let j = slotFeat[slot]; j < fe; j++) {
          const o = fo[j] + bins[rd + featList[j]] * 2;
          hist[o] += g; hist[o + 1] += w;
        }
      }
    } else {
      for (let i = 0; i < m; i++) {
        const r = rowBuf[i], slot = slotBuf[i];
        const c = bag === null ? 1 : bag[r];
        const w = weights === null ? c : c * weights[r];
        const g = grad[r] * w, h = hess === null ? w : hess[r] * w;
        const rd = r * d, fe = slotFeat[slot + 1];
        for (let j = slotFeat[slot]; j < fe; j++) {
          const o = fo[j] + bins[rd + featList[j]] * S;
          hist[o] += g;
          if (hess !== null) hist[o + 1] += h;
          hist[o + wi] += w;
          if (ci >= 0) hist[o + ci] += c;
        }
      }
    }
  }
}

/**
 * Column-major accumulation, node by node: each node's row statistics are gathered once, then each
 * of its features' column (n codes) is read for those rows, so the codes and the feature's
 * histogram stay in cache however many nodes are built. Each bin still receives its rows in row
 * order, so the sums are the same as accumulateRows'.
 */
function accumulateColumns(data: TreeData, state: ForestState, pt: PassTree, L: StatsLayout, m: number, counts: Int32Array, hist: Float64Array): void {
  const { binsT, n, labels, weights } = data;
  const bag = state.bag[pt.t];
  const numSlots = pt.slotHist.length - 1;
  const S = L.S, ci = L.countIndex;
  const fo = featureOffsets(pt, S);
  // Rows grouped by slot (stable, so ascending rows within a slot).
  for (let s = 0; s < numSlots; s++) counts[s + 1] += counts[s];
  const pos = counts.slice(0, numSlots);
  for (let i = 0; i < m; i++) orderBuf[pos[slotBuf[i]]++] = rowBuf[i];
  const kind = L.impurity;
  const grad = state.grad ? state.grad[pt.t] : null, hess = state.hess ? state.hess[pt.t] : null;
  for (let s = 0; s < numSlots; s++) {
    const a = counts[s], b = counts[s + 1];
    if (a === b) continue;
    for (let i = a; i < b; i++) {
      const r = orderBuf[i];
      const c = bag === null ? 1 : bag[r];
      const w = weights === null ? c : c * weights[r];
      gw[i] = w; gc[i] = c;
      if (kind === 'gini' || kind === 'entropy') glab[i] = labels[r] | 0;
      else if (kind === 'variance') { const y = labels[r]; ga[i] = w * y; gb[i] = w * y * y; }
      else { ga[i] = grad![r] * w; gb[i] = hess === null ? w : hess[r] * w; }
    }
    for (let j = pt.slotFeat[s]; j < pt.slotFeat[s + 1]; j++) {
      const col = pt.featList[j] * n, base = fo[j];
      if (kind === 'gini' || kind === 'entropy') {
        for (let i = a; i < b; i++) {
          const o = base + binsT[col + orderBuf[i]] * S;
          hist[o + glab[i]] += gw[i];
          if (ci >= 0) hist[o + ci] += gc[i];
        }
      } else if (kind === 'variance') {
        for (let i = a; i < b; i++) {
          const o = base + binsT[col + orderBuf[i]] * S;
          hist[o] += gw[i]; hist[o + 1] += ga[i]; hist[o + 2] += gb[i];
          if (ci >= 0) hist[o + ci] += gc[i];
        }
      } else {
        const wi = L.weightIndex;
        for (let i = a; i < b; i++) {
          const o = base + binsT[col + orderBuf[i]] * S;
          hist[o] += ga[i];
          if (hess !== null) hist[o + 1] += gb[i];
          hist[o + wi] += gw[i];
          if (ci >= 0) hist[o + ci] += gc[i];
        }
      }
    }
  }
}

/** Histograms bigger than this (bytes) are built column by column, node by node. */
let ROW_MAJOR_MAX_BYTES = 256 * 1024;

/** For tests: the size above which this thread builds histograms column-major (returns the previous one). */
export function setRowMajorLimit(bytes: number): number {
  const previous = ROW_MAJOR_MAX_BYTES;
  ROW_MAJOR_MAX_BYTES = bytes;
  return previous;
}

/** The WebAssembly route + row-major accumulation: the same work as the JavaScript path, on the arena. */
function buildHistogramsWasm(data: TreeData, state: ForestState, pt: PassTree, L: StatsLayout, r0: number, r1: number, segment: number, B: number, rowMajor: boolean): Float64Array {
  const k = new WasmKernels(data.memory!);
  const numSlots = pt.slotHist.length - 1, histLen = pt.slotHist[numSlots];
  const routeLen = pt.routeFeat.length, slotLen = pt.slotOf.length, F = pt.featList.length, rows = r1 - r0;
  const S = L.S;
  // Scratch layout, 8-byte aligned pieces.
  const col = rowMajor ? 0 : 1;
  const sizes = [rows * 4, rows * 4, (numSlots + 1) * 4, routeLen * 4, routeLen * 4, routeLen * B, routeLen, slotLen * 4, (numSlots + 1) * 4, F * 4, F * 4, histLen * 8, numSlots * 4, data.d * 4,
    // Column-major scratch: rows by slot, positions, gathered row stats.
    col * rows * 4, col * numSlots * 4, col * rows * 8, col * rows * 8, col * rows * 8, col * rows * 8, col * rows * 4];
  const at: number[] = [];
  let total = 0;
  for (const size of sizes) { at.push(total); total += Math.ceil(Math.max(size, 8) / 8) * 8; }
  const base = k.scratch(total);
  const p = at.map((o) => base + o);
  const [pRow, pSlot, pCounts, pRouteFeat, pRouteLeft, pRouteMask, pRouteClosed, pSlotOf, pSlotFeat, pFeatList, pFo, pHist, pSb, pFoAll,
    pOrder, pPos, pGw, pGa, pGb, pGc, pGlab] = p;
  const buf = data.memory!.buffer;
  new Int32Array(buf, pCounts, numSlots + 1).fill(0);
  new Int32Array(buf, pRouteFeat, routeLen).set(pt.routeFeat);
  new Int32Array(buf, pRouteLeft, routeLen).set(pt.routeLeft);
  new Uint8Array(buf, pRouteMask, routeLen * B).set(pt.routeMask);
  new Uint8Array(buf, pRouteClosed, routeLen).set(pt.routeClosed);
  new Int32Array(buf, pSlotOf, slotLen).set(pt.slotOf);
  new Int32Array(buf, pSlotFeat, numSlots + 1).set(pt.slotFeat);
  new Int32Array(buf, pFeatList, F).set(pt.featList);
  const fo = new Int32Array(buf, pFo, F);
  const offsets = featureOffsets(pt, S);
  for (let j = 0; j < F; j++) fo[j] = offsets[j] * 8;
  const hist = new Float64Array(buf, pHist, histLen).fill(0);
  const x = k.exports;
  const wide = data.bins instanceof Uint16Array ? 16 : 8;
  const ptr = (a: ArrayBufferView | null | undefined) => (a ? a.byteOffset : -1);
  const bag = state.bag[pt.t];
  // The first pass of a tree building only its root: list the rows, then accumulate from the list.
  const allFeatures = rowMajor && F === numSlots * data.d;
  const rootOnly = pt.init && routeLen === 0 && slotLen === 1 && numSlots === 1 && allFeatures;
  const m = x[`route${wide}`](
    ptr(state.node[pt.t]), ptr(bag), ptr(state.active[pt.t]), ptr(state.activeCount[pt.t]), segment, r0, r1, pt.init ? 1 : 0,
    ptr(data.bins), data.d, pt.routeBase, routeLen, pRouteFeat, pRouteLeft, pRouteMask, B, pRouteClosed, pt.slotBase, slotLen, pSlotOf, pRow, pSlot,
    rowMajor ? -1 : pCounts, rootOnly ? 1 : 0,
  );
  if (m > 0) {
    const kind = L.impurity === 'gini' || L.impurity === 'entropy' ? 0 : L.impurity === 'variance' ? 1 : L.hessian ? 2 : 3;
    const ci = L.countIndex >= 0 ? L.countIndex * 8 : -1;
    if (!rowMajor) {
      x[`accCol${kind}_${wide}`](
        m, pRow, pSlot, pCounts, numSlots, pOrder, pPos, pGw, pGa, pGb, pGc, pGlab,
        ptr(bag), ptr(data.weights), ptr(data.labels), ptr(state.grad?.[pt.t]), ptr(state.hess?.[pt.t]),
        ptr(data.binsT), data.n, pSlotFeat, pFeatList, pFo, pHist, S * 8, ci,
      );
    } else if (allFeatures) {
      // Every slot lists all features in order: the kernel walks the row's codes in sequence.
      const sbv = new Int32Array(buf, pSb, numSlots), foAll = new Int32Array(buf, pFoAll, data.d);
      for (let s = 0; s < numSlots; s++) sbv[s] = pHist + pt.slotHist[s] * 8;
      for (let f = 0; f < data.d; f++) foAll[f] = pt.binOff[f] * S * 8;
      x[`accAll${kind}${ci >= 0 ? 'c' : ''}_${wide}`](
        m, rootOnly ? ptr(state.active[pt.t]) + r0 * 4 : pRow, rootOnly ? -1 : pSlot, ptr(bag), ptr(data.weights), ptr(data.labels), ptr(state.grad?.[pt.t]), ptr(state.hess?.[pt.t]),
        ptr(data.bins), data.d, pSb, pFoAll, S * 8, ci,
      );
    } else {
      x[`acc${kind}_${wide}`](
        m, pRow, pSlot, ptr(bag), ptr(data.weights), ptr(data.labels), ptr(state.grad?.[pt.t]), ptr(state.hess?.[pt.t]),
        ptr(data.bins), data.d, pSlotFeat, pFeatList, pFo, pHist, S * 8, ci,
      );
    }
  }
  return hist.slice();
}

/** Builds the histograms of one tree's slots over rows [r0, r1) (active-list segment `segment`). */
export function buildHistograms(data: TreeData, state: ForestState, pt: PassTree, L: StatsLayout, r0: number, r1: number, segment: number, B: number): Float64Array {
  const numSlots = pt.slotHist.length - 1;
  const rowMajor = pt.slotHist[numSlots] * 8 <= ROW_MAJOR_MAX_BYTES;
  if (data.memory && state.inArena) return buildHistogramsWasm(data, state, pt, L, r0, r1, segment, B, rowMajor);
  ensureScratch(r1 - r0);
  const counts = new Int32Array(numSlots + 1);
  const m = routeAndCollect(data, state, pt, r0, r1, segment, B, counts);
  const hist = new Float64Array(pt.slotHist[numSlots]);
  if (m === 0) return hist;
  if (rowMajor) accumulateRows(data, state, pt, L, m, hist);
  else accumulateColumns(data, state, pt, L, m, counts, hist);
  return hist;
}

export const TREE_PASS = registerKernel<PassParams, PassResult>('tree.pass', (_batch, p, ctx) => {
  const data = ctx.broadcast<TreeData>(p.data.$broadcast);
  const state = ctx.broadcast<ForestState>(p.state.$broadcast);
  if (!p.local) {
    return {
      kind: 'hist',
      chunks: p.chunks.map(([r0, r1, segment]): ChunkResult => ({
        prelude: p.prelude ? gbtUpdate(data, state as GbtState, { ...p.prelude, r0, r1 }) : null,
        hists: p.trees.map((pt): [number, Float64Array] => [pt.t, buildHistograms(data, state, pt, p.layout, r0, r1, segment, p.maxBins)]),
      })),
    };
  }
  const [r0, r1, segment] = p.chunks[0];
  const search = new SplitSearch(p.layout, p.local.meta, p.local.rules);
  const S = p.layout.S;
  const splits = p.trees.map((pt): [number, SplitChoice[]] => {
    const hist = buildHistograms(data, state, pt, p.layout, r0, r1, segment, p.maxBins);
    const out: SplitChoice[] = [];
    const numSlots = pt.slotHist.length - 1;
    for (let s = 0; s < numSlots; s++) {
      const feats = pt.featList.subarray(pt.slotFeat[s], pt.slotFeat[s + 1]);
      const offs = pt.binOff.subarray(pt.slotFeat[s], pt.slotFeat[s + 1]);
      const parent = pt.hasParent && pt.hasParent[s] ? pt.parent!.subarray(s * S, (s + 1) * S) : null;
      out.push(search.find(hist, pt.slotHist[s], feats, offs, parent));
    }
    return [pt.t, out];
  });
  return { kind: 'splits', splits };
});

// Learner passes read only shared arrays: their "partition" is an empty batch, not a DataFrame's.
const NO_COLUMNS = makeBatch(new StructType([]), [], 0);
registerInput('tree.none', (): RecordBatch => NO_COLUMNS);
export const NO_INPUT = { kind: 'tree.none' } as const;

export interface BagParams {
  state: BroadcastRef;
  data: BroadcastRef;
  t: number;
  /** Poisson(rate) counts (bootstrap) or Bernoulli(rate) membership. */
  withReplacement: boolean;
  rate: number;
  seed: number;
}

/** Fills tree t's sample counts: Spark's BaggedPoint, drawn from a stream keyed by (seed, tree). */
export const TREE_BAG = registerKernel<BagParams, number>('tree.bag', (_batch, p, ctx) => {
  const state = ctx.broadcast<ForestState>(p.state.$broadcast);
  const data = ctx.broadcast<TreeData>(p.data.$broadcast);
  const bag = state.bag[p.t]!;
  const rng = fastStream(randomStream(p.seed, 'tree-bag', p.t));
  const valid = data.validation;
  let total = 0;
  if (p.withReplacement) {
    const cdf = poissonTable(p.rate), last = cdf.length - 1;
    for (let r = 0; r < data.n; r++) {
      const u = rng();
      let k = 0;
      while (k < last && u >= cdf[k]) k++;
      bag[r] = valid && valid[r] ? 0 : k;
      total += bag[r];
    }
  } else {
    for (let r = 0; r < data.n; r++) {
      bag[r] = (valid && valid[r]) || rng() >= p.rate ? 0 : 1;
      total += bag[r];
    }
  }
  return total;
});
