// A fitted tree as flat typed arrays in pre-order (Spark's node ids), built from the learner's nodes
// with Spark's pruning; single-row prediction, toDebugString, feature importances, Spark's Node view.
import { formatDouble } from '../linalg/format.js';
import { countOf, weightOf, type StatsLayout } from './impurity.js';
import type { LearnTree } from './learner.js';

export interface TreeNodesInit {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  prediction: Float64Array;
  impurity: Float64Array;
  gain: Float64Array;
  rawCount: Float64Array;
  /** Spark's impurityStats per node (class counts, or [count, sum, sumSquares]). */
  stats: Float64Array;
  statsSize: number;
  /** Left categories of categorical splits, ascending; null elsewhere. */
  categories: (Float64Array | null)[];
  /** Categories of the split feature, -1 for continuous splits and leaves. */
  numCategories: Int32Array;
  /** Whether stats are class counts (classification trees) rather than [count, sum, sumSquares]. */
  classification: boolean;
}

/** Spark's Split: a threshold (x <= threshold goes left) or the categories that go left. */
export type Split =
  | { featureIndex: number; threshold: number }
  | { featureIndex: number; leftCategories: number[]; numCategories: number };

/** Spark's node objects (LeafNode / InternalNode), a view built on demand. */
export interface Node {
  readonly id: number;
  readonly prediction: number;
  readonly impurity: number;
  readonly isLeaf: boolean;
  readonly gain?: number;
  readonly split?: Split;
  readonly leftChild?: Node;
  readonly rightChild?: Node;
  /** Impurity statistics (class counts for classification). */
  readonly impurityStats: Float64Array;
  readonly rawCount: number;
}

export class TreeNodes {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly prediction: Float64Array;
  readonly impurity: Float64Array;
  readonly gain: Float64Array;
  readonly rawCount: Float64Array;
  readonly stats: Float64Array;
  readonly statsSize: number;
  readonly categories: (Float64Array | null)[];
  readonly numCategories: Int32Array;
  readonly classification: boolean;
  /** Leaf number in pre-order (Spark's predictLeaf), -1 for internal nodes. */
  readonly leafIndex: Int32Array;
  readonly numLeaves: number;

  constructor(init: TreeNodesInit) {
    this.feature = init.feature; this.threshold = init.threshold; this.left = init.left; this.right = init.right;
    this.prediction = init.prediction; this.impurity = init.impurity; this.gain = init.gain; this.rawCount = init.rawCount;
    this.stats = init.stats; this.statsSize = init.statsSize; this.categories = init.categories; this.numCategories = init.numCategories;
    this.classification = init.classification;
    const n = this.feature.length;
    this.leafIndex = new Int32Array(n).fill(-1);
    let leaves = 0;
    for (let i = 0; i < n; i++) if (this.feature[i] < 0) this.leafIndex[i] = leaves++;
    this.numLeaves = leaves;
  }

  get numNodes(): number { return this.feature.length; }

  /** Depth: 0 for a single leaf. */
  get depth(): number {
    const depthOf = (i: number): number => (this.feature[i] < 0 ? 0 : 1 + Math.max(depthOf(this.left[i]), depthOf(this.right[i])));
    return depthOf(0);
  }

  /** The leaf node index a row reaches (values[offset + f] is feature f). */
  leafOf(values: ArrayLike<number>, offset = 0): number {
    const { feature, threshold, left, right, categories } = this;
    let i = 0;
    while (feature[i] >= 0) {
      const v = values[offset + feature[i]];
      const cats = categories[i];
      let goLeft: boolean;
      if (cats === null) goLeft = v <= threshold[i];
      else { goLeft = false; for (let k = 0; k < cats.length; k++) if (cats[k] === v) { goLeft = true; break; } }
      i = goLeft ? left[i] : right[i];
    }
    return i;
  }

  /** The largest feature index used in a split, -1 for a single leaf. */
  maxSplitFeatureIndex(): number {
    let m = -1;
    for (const f of this.feature) if (f > m) m = f;
    return m;
  }

  /** Spark's computeFeatureImportance: gain × weighted count per internal node, summed by feature. */
  importances(into: Map<number, number>): Map<number, number> {
    const S = this.statsSize;
    for (let i = 0; i < this.numNodes; i++) {
      const f = this.feature[i];
      if (f < 0) continue;
      // Weighted count: the class-count sum, or the first stat of [count, sum, sumSquares].
      let w = this.stats[i * S];
      if (this.classification) for (let s = 1; s < S; s++) w += this.stats[i * S + s];
      into.set(f, (into.get(f) ?? 0) + this.gain[i] * w);
    }
    return into;
  }

  /** Spark's subtreeToString. */
  subtreeToString(indent: number, i = 0): string {
    const pad = ' '.repeat(indent);
    if (this.feature[i] < 0) return `${pad}Predict: ${formatDouble(this.prediction[i])}\n`;
    return `${pad}If (${this.splitString(i, true)})\n${this.subtreeToString(indent + 1, this.left[i])}` +
      `${pad}Else (${this.splitString(i, false)})\n${this.subtreeToString(indent + 1, this.right[i])}`;
  }

  private splitString(i: number, left: boolean): string {
    const cats = this.categories[i];
    const name = `feature ${this.feature[i]}`;
    if (cats === null) return `${name} ${left ? '<=' : '>'} ${formatDouble(this.threshold[i])}`;
    const set = `{${Array.from(cats, formatDouble).join(',')}}`;
    return `${name} ${left ? 'in' : 'not in'} ${set}`;
  }

  split(i: number): Split | undefined {
    if (this.feature[i] < 0) return undefined;
    const cats = this.categories[i];
    return cats === null
      ? { featureIndex: this.feature[i], threshold: this.threshold[i] }
      : { featureIndex: this.feature[i], leftCategories: Array.from(cats), numCategories: this.numCategories[i] };
  }

  /** Spark's rootNode as node objects. */
  node(i = 0): Node {
    const S = this.statsSize;
    const base = {
      id: i, prediction: this.prediction[i], impurity: this.impurity[i], impurityStats: this.stats.slice(i * S, (i + 1) * S),
      rawCount: this.rawCount[i],
    };
    if (this.feature[i] < 0) return { ...base, isLeaf: true };
    return { ...base, isLeaf: false, gain: this.gain[i], split: this.split(i), leftChild: this.node(this.left[i]), rightChild: this.node(this.right[i]) };
  }
}

interface Tmp {
  leaf: boolean;
  node: number;
  prediction: number;
  impurity: number;
  stats: Float64Array;
  left?: Tmp;
  right?: Tmp;
}

export interface ToNodesOptions {
  layout: StatsLayout;
  thresholds: Float64Array[];
  arity: Int32Array;
  prune: boolean;
  /** Leaf value of a node (default: the layout's prediction). */
  value: (stats: Float64Array) => number;
}

/** Spark's impurityStats from our stats: class counts, or [count, sum, sumSquares] for variance. */
function sparkStats(L: StatsLayout, s: Float64Array, prediction: number): number[] {
  switch (L.impurity) {
    case 'gini': case 'entropy': return Array.from(s.subarray(0, L.numClasses));
    case 'variance': return [s[0], s[1], s[2]];
    case 'newton': { const w = weightOf(L, s, 0); return [w, w * prediction, w * prediction * prediction]; }
  }
}

/** Converts a learned tree to pre-order flat arrays, merging sibling leaves with equal predictions (Spark's prune). */
export function toTreeNodes(lt: LearnTree, o: ToNodesOptions): TreeNodes {
  const L = o.layout;
  const build = (id: number): Tmp => {
    const n = lt.nodes[id];
    const stats = n.stats!;
    const prediction = o.value(stats);
    if (n.leaf || n.left < 0) {
      return { leaf: true, node: id, prediction, impurity: n.valid ? n.impurity : -1, stats };
    }
    const left = build(n.left), right = build(n.left + 1);
    if (o.prune && left.leaf && right.leaf && left.prediction === right.prediction) {
      return { leaf: true, node: id, prediction: left.prediction, impurity: n.impurity, stats };
    }
    return { leaf: false, node: id, prediction, impurity: n.impurity, stats, left, right };
  };
  const root = build(0);
  const order: Tmp[] = [];
  const visit = (t: Tmp) => { order.push(t); if (!t.leaf) { visit(t.left!); visit(t.right!); } };
  visit(root);
  const size = order.length;
  const statsSize = L.impurity === 'gini' || L.impurity === 'entropy' ? L.numClasses : 3;
  const init: TreeNodesInit = {
    feature: new Int32Array(size).fill(-1), threshold: new Float64Array(size).fill(NaN),
    left: new Int32Array(size).fill(-1), right: new Int32Array(size).fill(-1),
    prediction: new Float64Array(size), impurity: new Float64Array(size), gain: new Float64Array(size).fill(-1),
    rawCount: new Float64Array(size), stats: new Float64Array(size * statsSize), statsSize,
    categories: new Array(size).fill(null), numCategories: new Int32Array(size).fill(-1),
    classification: L.impurity === 'gini' || L.impurity === 'entropy',
  };
  const index = new Map<Tmp, number>(order.map((t, i) => [t, i]));
  order.forEach((t, i) => {
    init.prediction[i] = t.prediction;
    init.impurity[i] = t.impurity;
    init.rawCount[i] = countOf(L, t.stats, 0);
    init.stats.set(sparkStats(L, t.stats, t.prediction), i * statsSize);
    if (t.leaf) return;
    const n = lt.nodes[t.node];
    init.feature[i] = n.feature;
    init.gain[i] = n.gain;
    init.left[i] = index.get(t.left!)!;
    init.right[i] = index.get(t.right!)!;
    if (n.categories) {
      init.categories[i] = Float64Array.from(n.categories);
      init.numCategories[i] = o.arity[n.feature];
    } else {
      init.threshold[i] = o.thresholds[n.feature][n.bin];
    }
  });
  return new TreeNodes(init);
}

/** Spark's featureImportances over trees: per-tree normalised (optional), summed, normalised. */
export function featureImportances(trees: readonly TreeNodes[], numFeatures: number, perTreeNormalization = true): { indices: Int32Array; values: Float64Array } {
  const total = new Map<number, number>();
  for (const tree of trees) {
    const imp = tree.importances(new Map());
    const norm = perTreeNormalization ? [...imp.values()].reduce((s, v) => s + v, 0) : 1;
    if (norm === 0) continue;
    for (const [f, v] of imp) total.set(f, (total.get(f) ?? 0) + v / norm);
  }
  const sum = [...total.values()].reduce((s, v) => s + v, 0);
  const keys = [...total.keys()].filter((k) => k < numFeatures).sort((a, b) => a - b);
  return { indices: Int32Array.from(keys), values: Float64Array.from(keys, (k) => (sum !== 0 ? total.get(k)! / sum : total.get(k)!)) };
}

