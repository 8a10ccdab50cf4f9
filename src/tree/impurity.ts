// Sufficient statistics of a node (or of one histogram bin) and Spark's split search over a node's
// histograms: impurity, prediction, gain with minInstancesPerNode / minWeightPerNode / minInfoGain
// (RandomForest.calculateImpurityStats and binsToBestSplit). Runs on the driver and in executors.
//
// Layouts (S doubles per bin), "count" is the unweighted row count, kept only when rows are weighted:
//   gini, entropy: [w_0 .. w_{K-1}, (count)]      weighted class counts
//   variance:      [w, w*y, w*y^2, (count)]       as Spark's VarianceCalculator
//   newton:        [G, H, W, (count)] or [G, W, (count)] when every hessian is 1 (squared, absolute loss)
// Gradient trees (GBT) use 'newton': the gain of a split is [G_L²/H_L + G_R²/H_R - G²/H] / W, which
// is exactly Spark's variance gain when hessians are 1, and XGBoost's Newton gain otherwise.

export type ImpurityKind = 'gini' | 'entropy' | 'variance' | 'newton';

export interface StatsLayout {
  readonly impurity: ImpurityKind;
  /** Classes for gini/entropy, else 0. */
  readonly numClasses: number;
  /** Doubles per bin. */
  readonly S: number;
  /** Index of the raw count, or -1 when the count equals the weight (unweighted rows). */
  readonly countIndex: number;
  /** Index of the weight (not used for gini/entropy, whose weight is the sum of the class counts). */
  readonly weightIndex: number;
  /** newton: whether a hessian column is stored (else every hessian is 1 and H = W). */
  readonly hessian: boolean;
}

export function statsLayout(impurity: ImpurityKind, numClasses: number, weighted: boolean, hessian = false): StatsLayout {
  let base: number, weightIndex: number;
  switch (impurity) {
    case 'gini': case 'entropy': base = numClasses; weightIndex = -1; break;
    case 'variance': base = 3; weightIndex = 0; break;
    case 'newton': base = hessian ? 3 : 2; weightIndex = base - 1; break;
  }
  return { impurity, numClasses, S: base + (weighted ? 1 : 0), countIndex: weighted ? base : -1, weightIndex, hessian: impurity === 'newton' && hessian };
}

export function weightOf(L: StatsLayout, a: Float64Array, o: number): number {
  if (L.weightIndex >= 0) return a[o + L.weightIndex];
  let w = 0;
  for (let k = 0; k < L.numClasses; k++) w += a[o + k];
  return w;
}

export function countOf(L: StatsLayout, a: Float64Array, o: number): number {
  return L.countIndex >= 0 ? a[o + L.countIndex] : weightOf(L, a, o);
}

export function impurityOf(L: StatsLayout, a: Float64Array, o: number): number {
  switch (L.impurity) {
    case 'gini': {
      const w = weightOf(L, a, o);
      if (w === 0) return 0;
      let imp = 1;
      for (let k = 0; k < L.numClasses; k++) { const p = a[o + k] / w; imp -= p * p; }
      return imp;
    }
    case 'entropy': {
      const w = weightOf(L, a, o);
      if (w === 0) return 0;
      let imp = 0;
      for (let k = 0; k < L.numClasses; k++) {
        const c = a[o + k];
        if (c !== 0) { const p = c / w; imp -= p * Math.log2(p); }
      }
      return imp;
    }
    case 'variance': {
      const w = a[o];
      if (w === 0) return 0;
      return (a[o + 2] - (a[o + 1] * a[o + 1]) / w) / w;
    }
    case 'newton': {
      const g = a[o], h = L.hessian ? a[o + 1] : a[o + L.weightIndex], w = a[o + L.weightIndex];
      if (w === 0 || h === 0) return 0;
      return -(g * g) / (h * w);
    }
  }
}

/** The class (first largest count), the mean label, or the Newton step -G/H. */
export function predictionOf(L: StatsLayout, a: Float64Array, o: number): number {
  switch (L.impurity) {
    case 'gini': case 'entropy': {
      let best = -1, bestV = -Infinity;
      for (let k = 0; k < L.numClasses; k++) if (a[o + k] > bestV) { bestV = a[o + k]; best = k; }
      return weightOf(L, a, o) === 0 ? 0 : best;
    }
    case 'variance': return a[o] === 0 ? 0 : a[o + 1] / a[o];
    case 'newton': {
      const h = L.hessian ? a[o + 1] : a[o + L.weightIndex];
      return h === 0 ? 0 : -a[o] / h;
    }
  }
}

/** Per-feature facts the split search needs. */
export interface FeatureMeta {
  /** Histogram bins per feature: splits + 1 for continuous features, the arity for categorical ones. */
  readonly numBins: Int32Array;
  /** 0 for continuous features, else the number of categories. */
  readonly arity: Int32Array;
  /** 1 where a categorical feature is split by subsets (multiclass, low arity). */
  readonly unordered: Uint8Array;
}

export interface SplitRules {
  readonly minInstancesPerNode: number;
  /** minWeightFractionPerNode times the total training weight. */
  readonly minWeightPerNode: number;
  readonly minInfoGain: number;
}

export interface SplitChoice {
  /** False when no split satisfies the rules (the node becomes a leaf with impurity -1, as Spark). */
  valid: boolean;
  gain: number;
  /** The node's own stats and impurity. */
  stats: Float64Array;
  impurity: number;
  feature: number;
  /** Continuous: rows with bin <= `bin` go left. -1 for categorical splits. */
  bin: number;
  /** Categorical: the categories that go left, ascending. */
  categories: number[] | null;
  left: Float64Array;
  right: Float64Array;
  leftImpurity: number;
  rightImpurity: number;
}

/** Spark's extractMultiClassCategories: the categories whose bit is set in `input`. */
export function multiclassCategories(input: number, arity: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < arity; j++) if ((input >> j) & 1) out.push(j);
  return out;
}

/**
 * Best split of one node from its histograms (Spark's binsToBestSplit). Histograms of the node's
 * features lie one after another from `base`, `numBins[f]` bins of S doubles each, in the order of
 * `features` (all features when null). Ties keep the first split found, feature by feature.
 */
export class SplitSearch {
  private readonly left: Float64Array;
  private readonly right: Float64Array;
  private readonly total: Float64Array;

  constructor(readonly layout: StatsLayout, readonly meta: FeatureMeta, readonly rules: SplitRules) {
    const S = layout.S;
    this.left = new Float64Array(S);
    this.right = new Float64Array(S);
    this.total = new Float64Array(S);
  }

  /**
   * `offsets[j]`: where feature `features[j]`'s bins start, in bins from `base` (consecutive when
   * null). `parent`: the node's stats when known (from its parent's split), else summed from the histogram.
   */
  find(hist: Float64Array, base: number, features: Int32Array | null, offsets: Int32Array | null, parent: Float64Array | null): SplitChoice {
    const L = this.layout, S = L.S, meta = this.meta;
    const nf = features ? features.length : meta.numBins.length;
    const stats = new Float64Array(S);
    if (parent) stats.set(parent);
    else if (nf > 0) {
      const f0 = features ? features[0] : 0, o0 = base + (offsets ? offsets[0] : 0) * S;
      for (let b = 0; b < meta.numBins[f0]; b++) for (let s = 0; s < S; s++) stats[s] += hist[o0 + b * S + s];
    }
    const impurity = impurityOf(L, stats, 0);
    const best: SplitChoice = {
      valid: false, gain: -Infinity, stats, impurity, feature: features && nf ? features[0] : 0, bin: 0, categories: null,
      left: new Float64Array(S), right: new Float64Array(S), leftImpurity: 0, rightImpurity: 0,
    };
    let running = 0;
    for (let j = 0; j < nf; j++) {
      const f = features ? features[j] : j;
      const nb = meta.numBins[f];
      const fbase = base + (offsets ? offsets[j] : running) * S;
      running += nb;
      if (meta.arity[f] === 0) {
        if (nb <= 1) continue;
        this.sumBins(hist, fbase, nb, this.total);
        this.left.fill(0);
        if (L.impurity === 'newton') {
          const bin = this.scanNewton(hist, fbase, nb, impurity, best);
          if (bin >= 0) { best.feature = f; best.bin = bin; best.categories = null; }
          continue;
        }
        for (let i = 0; i < nb - 1; i++) {
          for (let s = 0; s < S; s++) this.left[s] += hist[fbase + i * S + s];
          if (this.consider(impurity, best)) { best.feature = f; best.bin = i; best.categories = null; }
        }
      } else if (meta.unordered[f]) {
        const k = meta.arity[f];
        this.sumBins(hist, fbase, nb, this.total);
        const numSplits = (1 << (k - 1)) - 1;
        for (let split = 0; split < numSplits; split++) {
          this.left.fill(0);
          const set = split + 1;
          for (let c = 0; c < k; c++) if ((set >> c) & 1) for (let s = 0; s < S; s++) this.left[s] += hist[fbase + c * S + s];
          if (this.consider(impurity, best)) { best.feature = f; best.bin = -1; best.categories = multiclassCategories(set, k); }
        }
      } else {
        const k = meta.arity[f];
        if (k <= 1) continue;
        this.sumBins(hist, fbase, nb, this.total);
        const order = this.orderByCentroid(hist, fbase, k);
        this.left.fill(0);
        for (let i = 0; i < k - 1; i++) {
          const c = order[i];
          for (let s = 0; s < S; s++) this.left[s] += hist[fbase + c * S + s];
          if (this.consider(impurity, best)) {
            best.feature = f; best.bin = -1;
            best.categories = Array.from(order.subarray(0, i + 1)).sort((a, b) => a - b);
          }
        }
      }
    }
    return best;
  }

  private sumBins(hist: Float64Array, fbase: number, nb: number, out: Float64Array): void {
    const S = this.layout.S;
    out.fill(0);
    for (let b = 0; b < nb; b++) for (let s = 0; s < S; s++) out[s] += hist[fbase + b * S + s];
  }

  /** Categories sorted (stably) by Spark's centroid: impurity (multiclass), class-1 weight (binary), prediction (regression). */
  private orderByCentroid(hist: Float64Array, fbase: number, k: number): Int32Array {
    const L = this.layout, S = L.S;
    const centroid = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      const o = fbase + c * S;
      if (weightOf(L, hist, o) === 0) { centroid[c] = Number.MAX_VALUE; continue; }
      if (L.impurity === 'gini' || L.impurity === 'entropy') centroid[c] = L.numClasses > 2 ? impurityOf(L, hist, o) : hist[o + 1];
      else centroid[c] = predictionOf(L, hist, o);
    }
    const order = Int32Array.from({ length: k }, (_, i) => i);
    return Int32Array.from(Array.from(order).sort((a, b) => centroid[a] - centroid[b] || a - b));
  }

  /**
   * The continuous-feature loop for 'newton' stats (GBT's hot spot on the driver): `consider` with
   * the stats as scalars (G, H when stored, W, raw count when stored) and countOf / weightOf /
   * impurityOf written out: the same operations in the same order. Returns the bin of the last
   * improvement, or -1.
   */
  private scanNewton(hist: Float64Array, fbase: number, nb: number, parentImpurity: number, best: SplitChoice): number {
    const L = this.layout, S = L.S, total = this.total, r = this.rules;
    const hessian = L.hessian, wi = L.weightIndex, ci = L.countIndex;
    const tg = total[0], th = hessian ? total[1] : 0, tw = total[wi], tc = ci >= 0 ? total[ci] : 0;
    let lg = 0, lh = 0, lw = 0, lc = 0, found = -1;
    for (let i = 0; i < nb - 1; i++) {
      const o = fbase + i * S;
      lg += hist[o];
      if (hessian) lh += hist[o + 1];
      lw += hist[o + wi];
      if (ci >= 0) lc += hist[o + ci];
      const rg = tg - lg, rh = th - lh, rw = tw - lw, rc = tc - lc;
      const cl = ci >= 0 ? lc : lw, cr = ci >= 0 ? rc : rw;
      if (cl < r.minInstancesPerNode || cr < r.minInstancesPerNode) continue;
      if (lw < r.minWeightPerNode || rw < r.minWeightPerNode) continue;
      const hl = hessian ? lh : lw, hr = hessian ? rh : rw;
      const il = lw === 0 || hl === 0 ? 0 : -(lg * lg) / (hl * lw);
      const ir = rw === 0 || hr === 0 ? 0 : -(rg * rg) / (hr * rw);
      const w = lw + rw;
      const gain = parentImpurity - (lw / w) * il - (rw / w) * ir;
      if (!(gain >= r.minInfoGain) || !(gain > best.gain)) continue;
      best.valid = true;
      best.gain = gain;
      const bl = best.left, br = best.right;
      bl[0] = lg; br[0] = rg;
      if (hessian) { bl[1] = lh; br[1] = rh; }
      bl[wi] = lw; br[wi] = rw;
      if (ci >= 0) { bl[ci] = lc; br[ci] = rc; }
      best.leftImpurity = il;
      best.rightImpurity = ir;
      found = i;
    }
    return found;
  }

  /** Scores left = this.left, right = total - left; records it in `best` when valid and strictly better. */
  private consider(parentImpurity: number, best: SplitChoice): boolean {
    const L = this.layout, S = L.S, left = this.left, right = this.right, r = this.rules;
    for (let s = 0; s < S; s++) right[s] = this.total[s] - left[s];
    const cl = countOf(L, left, 0), cr = countOf(L, right, 0);
    if (cl < r.minInstancesPerNode || cr < r.minInstancesPerNode) return false;
    const wl = weightOf(L, left, 0), wr = weightOf(L, right, 0);
    if (wl < r.minWeightPerNode || wr < r.minWeightPerNode) return false;
    return this.record(best, parentImpurity, wl, wr, impurityOf(L, left, 0), impurityOf(L, right, 0));
  }

  /** The gain of the split this.left | this.right; kept in `best` when it passes minInfoGain and is strictly better. */
  private record(best: SplitChoice, parentImpurity: number, wl: number, wr: number, il: number, ir: number): boolean {
    const w = wl + wr;
    const gain = parentImpurity - (wl / w) * il - (wr / w) * ir;
    if (!(gain >= this.rules.minInfoGain) || !(gain > best.gain)) return false;
    best.valid = true;
    best.gain = gain;
    best.left.set(this.left);
    best.right.set(this.right);
    best.leftImpurity = il;
    best.rightImpurity = ir;
    return true;
  }
}
