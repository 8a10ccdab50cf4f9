// The histogram tree learner (driver side). Trees grow level by level, all trees of a fit together,
// one pass per level (more when maxMemoryInMB caps the histograms of a pass):
//   - hist mode (one tree, or a few): tasks cover row ranges of every tree; their histograms are
//     merged by key in range order, the larger child of each split is its parent minus the smaller
//     child (sibling subtraction), and splits are chosen here;
//   - local mode (forests, multiclass GBT rounds): one task per tree sees all its rows, builds the
//     histograms of each node's own feature subset and returns only the best splits.
// Which mode runs, and the row ranges, depend only on the data size and the number of trees, so a
// fixed seed gives the same trees for any thread or partition count.
import type { EngineContext } from '../engine/context.js';
import { addInto, keyedMerge } from '../engine/aggregate.js';
import type { Broadcast } from '../engine/broadcast.js';
import type { TreeDataset } from './dataset.js';
import { countOf, SplitSearch, weightOf, type FeatureMeta, type SplitChoice, type SplitRules, type StatsLayout } from './impurity.js';
import type { GbtUpdateParams } from './gbt.kernels.js';
import { MAX_SEGMENTS, NO_INPUT, TREE_PASS, type ForestState, type PassParams, type PassResult, type PassTree } from './learner.kernels.js';
import { featureSubset } from './random.js';

/** Spark's Utils.EPSILON: a child with impurity below it is a leaf. */
const EPSILON = 2.220446049250313e-16;

export interface LearnNode {
  id: number;
  depth: number;
  /** Sufficient statistics (layout S); null for the root until its histogram is built. */
  stats: Float64Array | null;
  impurity: number;
  leaf: boolean;
  /** False when the node was searched and no split satisfied the rules (a leaf with impurity -1, as Spark). */
  valid: boolean;
  gain: number;
  feature: number;
  /** Continuous split: bins <= bin go left; -1 for categorical splits. */
  bin: number;
  categories: number[] | null;
  /** goLeft per bin (routing). */
  mask: Uint8Array | null;
  /** Left child id; the right child is left + 1. */
  left: number;
  parent: number;
  /** Candidate features of this node (null: all). */
  features: Int32Array | null;
  hist: Float64Array | null;
}

export interface LearnTree {
  /** Index of the tree's row state in the ForestState arrays. */
  t: number;
  /** Index of the tree in the whole fit (keys its random feature subsets). */
  index: number;
  nodes: LearnNode[];
  /** Nodes split in the last pass, whose rows still sit in them (GBT routes them when updating predictions). */
  pending: LearnNode[];
}

export interface LearnerConfig {
  layout: StatsLayout;
  rules: SplitRules;
  maxDepth: number;
  /** Candidate features per node (Spark's numFeaturesPerNode). */
  featuresPerNode: number;
  seedHash: number;
  maxMemoryInMB: number;
  /** One task per tree with splits found in the executors, instead of row ranges merged here. */
  local: boolean;
}

/** Row ranges per pass in hist mode: a function of n only (never of the thread count). */
export function rowRanges(n: number): [number, number][] {
  const chunks = n <= 32768 ? 1 : Math.min(MAX_SEGMENTS, 4 * Math.ceil(n / (4 * 65536)));
  return Array.from({ length: chunks }, (_, c): [number, number] => [Math.floor((c * n) / chunks), Math.floor(((c + 1) * n) / chunks)]);
}

/** Consecutive runs of ranges, one per task: [r0, r1, range index]. */
export function chunkGroups(ranges: [number, number][], tasks: number): [number, number, number][][] {
  const T = Math.max(1, Math.min(tasks, ranges.length));
  return Array.from({ length: T }, (_, g) => {
    const a = Math.floor((g * ranges.length) / T), b = Math.floor(((g + 1) * ranges.length) / T);
    return ranges.slice(a, b).map(([r0, r1], k): [number, number, number] => [r0, r1, a + k]);
  });
}

function newNode(id: number, depth: number, parent: number): LearnNode {
  return {
    id, depth, parent, stats: null, impurity: 0, leaf: false, valid: true, gain: NaN, feature: -1, bin: -1, categories: null,
    mask: null, left: -1, features: null, hist: null,
  };
}

export class TreeLearner {
  private readonly meta: FeatureMeta;
  private readonly d: number;
  private readonly maxBins: number;
  /** Bin offset of each feature in a full (all features) histogram, and the total bins. */
  private readonly fullOffsets: Int32Array;
  private readonly fullBins: number;
  private readonly search: SplitSearch;

  constructor(
    private readonly engine: EngineContext,
    private readonly ds: TreeDataset,
    private readonly state: Broadcast<ForestState>,
    private readonly cfg: LearnerConfig,
  ) {
    this.meta = ds.meta;
    this.d = ds.d;
    this.fullOffsets = new Int32Array(this.d);
    let total = 0, maxBins = 1;
    for (let f = 0; f < this.d; f++) { this.fullOffsets[f] = total; total += this.meta.numBins[f]; maxBins = Math.max(maxBins, this.meta.numBins[f]); }
    this.fullBins = total;
    this.maxBins = maxBins;
    this.search = new SplitSearch(cfg.layout, this.meta, cfg.rules);
  }

  /** GBT: the validation error and weight summed by the root pass's prelude. */
  preludeResult = { error: 0, weight: 0 };

  /**
   * Grows one tree per entry (row states t, global indices) from the root. `prelude` (GBT, hist
   * mode only) is the previous round's update, run by the root pass on each row range first.
   */
  async grow(trees: { t: number; index: number }[], prelude: GbtUpdateParams | null = null): Promise<LearnTree[]> {
    if (prelude && this.cfg.local) throw new Error('a GBT prelude needs row ranges (hist mode)');
    let pendingPrelude = prelude;
    const learned: LearnTree[] = trees.map(({ t, index }) => {
      const root = newNode(0, 0, -1);
      root.features = this.subsetFor(index, 0);
      return { t, index, nodes: [root], pending: [] };
    });
    const frontier: LearnNode[][] = learned.map((lt) => [lt.nodes[0]]);
    const pending: LearnNode[][] = learned.map(() => []);
    while (frontier.some((f) => f.length > 0)) {
      const batch = this.takeBatch(learned, frontier);
      const passTrees: PassTree[] = [];
      const built: LearnNode[][] = [];
      const derived: LearnNode[][] = [];
      learned.forEach((lt, i) => {
        const nodes = batch[i];
        const route = routeTable(pending[i], this.maxBins, lt.nodes, this.cfg.layout, !this.cfg.local);
        pending[i] = [];
        const { build, derive } = this.cfg.local ? { build: nodes, derive: [] } : this.chooseBuilt(lt, nodes);
        built.push(build);
        derived.push(derive);
        if (build.length === 0 && route.routeFeat.length === 0) return;
        passTrees.push({ t: lt.t, ...route, ...this.slots(build), init: build.some((n) => n.id === 0) });
      });
      const results = await this.runPass(passTrees, pendingPrelude);
      pendingPrelude = null;
      learned.forEach((lt, i) => {
        if (batch[i].length === 0) return;
        const choices = this.cfg.local
          ? new Map(batch[i].map((node, k) => [node.id, (results.get(lt.t) as SplitChoice[])[k]]))
          : this.splitsFromHistograms(lt, batch[i], built[i], derived[i], results.get(lt.t) as Float64Array);
        for (const node of batch[i]) {
          if (this.apply(lt, node, choices.get(node.id)!, frontier[i])) pending[i].push(node);
        }
      });
    }
    learned.forEach((lt, i) => {
      lt.pending = pending[i];
      for (const node of lt.nodes) node.hist = null;
    });
    return learned;
  }

  private subsetFor(treeIndex: number, nodeId: number): Int32Array | null {
    const k = this.cfg.featuresPerNode;
    return k >= this.d ? null : featureSubset(this.cfg.seedHash, treeIndex, nodeId, this.d, k);
  }

  private binsOf(features: Int32Array | null): number {
    if (!features) return this.fullBins;
    let b = 0;
    for (const f of features) b += this.meta.numBins[f];
    return b;
  }

  /**
   * Takes nodes off the frontiers (siblings together) while their histograms fit in maxMemoryInMB,
   * at least one group; Spark's selectNodesToSplit.
   */
  private takeBatch(learned: LearnTree[], frontier: LearnNode[][]): LearnNode[][] {
    const budget = this.cfg.maxMemoryInMB * 1024 * 1024;
    const bytesPerBin = this.cfg.layout.S * 8;
    let used = 0;
    let full = false;
    return learned.map((_, i) => {
      const out: LearnNode[] = [];
      const f = frontier[i];
      while (!full && f.length > 0) {
        // A group: one node, or two siblings.
        const group = f.length > 1 && f[1].parent === f[0].parent && f[0].parent >= 0 ? 2 : 1;
        let bytes = 0;
        if (this.cfg.local) for (let g = 0; g < group; g++) bytes += this.binsOf(f[g].features) * bytesPerBin;
        else bytes = this.fullBins * bytesPerBin;
        if (used > 0 && used + bytes > budget) { full = true; break; }
        used += bytes;
        out.push(...f.splice(0, group));
      }
      return out;
    });
  }

  /** Hist mode: which histograms to build; the others are parent minus sibling. */
  private chooseBuilt(lt: LearnTree, nodes: LearnNode[]): { build: LearnNode[]; derive: LearnNode[] } {
    const build: LearnNode[] = [], derive: LearnNode[] = [];
    const L = this.cfg.layout;
    const seen = new Set<number>();
    for (const node of nodes) {
      if (seen.has(node.id)) continue;
      if (node.parent < 0) { build.push(node); continue; }
      const parent = lt.nodes[node.parent];
      const left = lt.nodes[parent.left], right = lt.nodes[parent.left + 1];
      seen.add(left.id).add(right.id);
      const wanted = nodes.filter((x) => x === left || x === right);
      const cl = countOf(L, left.stats!, 0), cr = countOf(L, right.stats!, 0);
      const small = cl <= cr ? left : right, large = small === left ? right : left;
      if (!parent.hist) { build.push(...wanted); continue; }
      build.push(small);
      if (wanted.includes(large)) derive.push(large);
    }
    build.sort((a, b) => a.id - b.id);
    return { build, derive };
  }

  private slots(build: LearnNode[]): Omit<PassTree, 't' | 'routeBase' | 'routeFeat' | 'routeLeft' | 'routeMask' | 'routeClosed' | 'init'> {
    const S = this.cfg.layout.S;
    const numSlots = build.length;
    const lo = numSlots ? build[0].id : 0;
    const hi = numSlots ? build[numSlots - 1].id : -1;
    const slotOf = new Int32Array(hi - lo + 1).fill(-1);
    const slotFeat = new Int32Array(numSlots + 1), slotHist = new Int32Array(numSlots + 1);
    const featList: number[] = [], binOff: number[] = [];
    let parent: Float64Array | null = null, hasParent: Uint8Array | null = null;
    if (this.cfg.local) { parent = new Float64Array(numSlots * S); hasParent = new Uint8Array(numSlots); }
    build.forEach((node, s) => {
      slotOf[node.id - lo] = s;
      const feats = this.cfg.local && node.features ? node.features : null;
      let bins = 0;
      for (let j = 0; j < (feats ? feats.length : this.d); j++) {
        const f = feats ? feats[j] : j;
        featList.push(f);
        binOff.push(bins);
        bins += this.meta.numBins[f];
      }
      slotFeat[s + 1] = featList.length;
      slotHist[s + 1] = slotHist[s] + bins * S;
      if (parent && node.stats) { parent.set(node.stats, s * S); hasParent![s] = 1; }
    });
    return { slotBase: lo, slotOf, slotFeat, featList: Int32Array.from(featList), binOff: Int32Array.from(binOff), slotHist, parent, hasParent };
  }

  private async runPass(trees: PassTree[], prelude: GbtUpdateParams | null): Promise<Map<number, Float64Array | SplitChoice[]>> {
    const out = new Map<number, Float64Array | SplitChoice[]>();
    if (trees.length === 0 && !prelude) return out;
    const ds = this.ds;
    const base = { data: ds.broadcast.ref, state: this.state.ref, layout: this.cfg.layout, maxBins: this.maxBins };
    if (this.cfg.local) {
      const local = { meta: this.meta, rules: this.cfg.rules };
      const results = await this.engine.runJob<PassResult>(TREE_PASS, trees.map(() => NO_INPUT),
        (i: number): PassParams => ({ ...base, chunks: [[0, ds.n, 0]], trees: [trees[i]], local, prelude: null }));
      for (const r of results) if (r.kind === 'splits') for (const [t, s] of r.splits) out.set(t, s);
      return out;
    }
    // Row ranges are fixed by n; tasks take consecutive ranges (one task per executor thread) and
    // return each range's histograms, which merge in range order: the same sums for any thread count.
    const groups = chunkGroups(rowRanges(ds.n), this.engine.parallelism);
    const results = await this.engine.runJob<PassResult>(TREE_PASS, groups.map(() => NO_INPUT),
      (i: number): PassParams => ({ ...base, chunks: groups[i], trees, local: null, prelude }));
    const chunks = results.flatMap((r) => (r.kind === 'hist' ? r.chunks : []));
    if (prelude) {
      this.preludeResult = { error: 0, weight: 0 };
      for (const c of chunks) if (c.prelude) { this.preludeResult.error += c.prelude.error; this.preludeResult.weight += c.prelude.weight; }
    }
    const merged = keyedMerge(chunks.map((c) => c.hists), addInto);
    for (const [t, h] of merged) out.set(t, h);
    return out;
  }

  /** Hist mode: the batch's histograms (built or derived), then each node's best split. */
  private splitsFromHistograms(lt: LearnTree, nodes: LearnNode[], built: LearnNode[], derived: LearnNode[], hist: Float64Array): Map<number, SplitChoice> {
    const size = this.fullBins * this.cfg.layout.S;
    built.forEach((node, s) => { node.hist = hist.subarray(s * size, (s + 1) * size); });
    for (const node of derived) {
      const parent = lt.nodes[node.parent];
      const sibling = lt.nodes[node.id === parent.left ? parent.left + 1 : parent.left];
      const h = new Float64Array(size);
      const p = parent.hist!, q = sibling.hist!;
      for (let i = 0; i < size; i++) h[i] = p[i] - q[i];
      node.hist = h;
    }
    const choices = new Map<number, SplitChoice>();
    for (const node of nodes) {
      const offsets = node.features ? Int32Array.from(node.features, (f) => this.fullOffsets[f]) : null;
      choices.set(node.id, this.search.find(node.hist!, 0, node.features, offsets, node.stats));
    }
    // Parents' histograms are no longer needed once both children are done.
    for (const node of [...built, ...derived]) if (node.parent >= 0) lt.nodes[node.parent].hist = null;
    for (const node of built) if (!nodes.includes(node)) node.hist = null;
    return choices;
  }

  /** Records a node's split decision; creates its children. Returns whether the node was split. */
  private apply(lt: LearnTree, node: LearnNode, c: SplitChoice, frontier: LearnNode[]): boolean {
    const L = this.cfg.layout, cfg = this.cfg;
    node.stats = c.stats;
    node.impurity = c.impurity;
    node.valid = c.valid;
    node.gain = c.gain;
    if (!c.valid || c.gain <= 0 || node.depth >= cfg.maxDepth) {
      node.leaf = true;
      node.hist = null;
      return false;
    }
    node.feature = c.feature;
    node.bin = c.bin;
    node.categories = c.categories;
    const mask = new Uint8Array(this.maxBins);
    if (c.categories) for (const cat of c.categories) mask[cat] = 1;
    else mask.fill(1, 0, c.bin + 1);
    node.mask = mask;
    node.left = lt.nodes.length;
    const childDepth = node.depth + 1;
    const sides: [Float64Array, number][] = [[c.left, c.leftImpurity], [c.right, c.rightImpurity]];
    let anyOpen = false;
    for (const [stats, impurity] of sides) {
      const child = newNode(lt.nodes.length, childDepth, node.id);
      child.stats = stats;
      child.impurity = impurity;
      lt.nodes.push(child);
      if (childDepth >= cfg.maxDepth || (L.impurity !== 'newton' && Math.abs(impurity) < EPSILON)) {
        child.leaf = true;
      } else if (countOf(L, stats, 0) < 2 * cfg.rules.minInstancesPerNode || weightOf(L, stats, 0) < 2 * cfg.rules.minWeightPerNode) {
        // Every split of it would leave a side below the minimum: what searching it would conclude.
        child.leaf = true;
        child.valid = false;
      } else {
        child.features = this.subsetFor(lt.index, child.id);
        frontier.push(child);
        anyOpen = true;
      }
    }
    if (!anyOpen) node.hist = null;
    return true;
  }
}

/** The routing table of nodes split in one pass: by id - routeBase, feature (-1 = not split), left child, goLeft per bin. */
export function routeTable(split: LearnNode[], maxBins: number, nodes?: LearnNode[], layout?: StatsLayout, keepHelpers = false): Pick<PassTree, 'routeBase' | 'routeFeat' | 'routeLeft' | 'routeMask' | 'routeClosed'> {
  if (split.length === 0) return { routeBase: 0, routeFeat: new Int32Array(0), routeLeft: new Int32Array(0), routeMask: new Uint8Array(0), routeClosed: new Uint8Array(0) };
  let lo = Infinity, hi = -Infinity;
  for (const n of split) { lo = Math.min(lo, n.id); hi = Math.max(hi, n.id); }
  const len = hi - lo + 1, B = maxBins;
  const routeFeat = new Int32Array(len).fill(-1), routeLeft = new Int32Array(len), routeMask = new Uint8Array(len * B);
  const routeClosed = new Uint8Array(len);
  for (const n of split) {
    const k = n.id - lo;
    routeFeat[k] = n.feature;
    routeLeft[k] = n.left;
    routeMask.set(n.mask!.subarray(0, B), k * B);
    if (nodes) {
      // Rows reaching a leaf leave the active list, unless the leaf may be built later to derive
      // its open sibling (hist mode builds the smaller child, as chooseBuilt).
      const l = nodes[n.left], r = nodes[n.left + 1];
      const helper = (x: LearnNode, y: LearnNode, smaller: boolean) => keepHelpers && x.leaf && !y.leaf && smaller;
      const cl = countOf(layout!, l.stats!, 0), cr = countOf(layout!, r.stats!, 0);
      routeClosed[k] = (l.leaf && !helper(l, r, cl <= cr) ? 1 : 0) | (r.leaf && !helper(r, l, cr < cl) ? 2 : 0);
    }
  }
  return { routeBase: lo, routeFeat, routeLeft, routeMask, routeClosed };
}
