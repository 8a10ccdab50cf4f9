// Classification summaries (Spark's ClassificationSummary and BinaryClassificationSummary): metrics of
// a predictions DataFrame, computed lazily the first time one is read (one pass for the multiclass
// metrics, one for the binary curves) and then kept. Every metric is a Promise.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { Session } from '../dataframe/session.js';
import { BINARY_SCORES, CONFUSIONS, mergeConfusions, type ScoreCounts } from './summary.kernels.js';

/** Spark's MulticlassMetrics, from weighted confusion counts. */
export class MulticlassMetrics {
  readonly labels: number[];
  private readonly tp = new Map<number, number>();
  private readonly fp = new Map<number, number>();
  private readonly labelCount = new Map<number, number>();
  private readonly total: number;

  constructor(confusions: Iterable<[label: number, prediction: number, weight: number]>) {
    let total = 0;
    for (const [label, prediction, weight] of confusions) {
      total += weight;
      this.labelCount.set(label, (this.labelCount.get(label) ?? 0) + weight);
      this.tp.set(label, (this.tp.get(label) ?? 0) + (label === prediction ? weight : 0));
      this.fp.set(prediction, (this.fp.get(prediction) ?? 0) + (label !== prediction ? weight : 0));
    }
    this.total = total;
    this.labels = [...this.tp.keys()].sort((a, b) => a - b);
  }

  truePositiveRate(label: number): number { return this.recall(label); }

  falsePositiveRate(label: number): number {
    return (this.fp.get(label) ?? 0) / (this.total - (this.labelCount.get(label) ?? 0));
  }

  precision(label: number): number {
    const tp = this.tp.get(label) ?? 0, fp = this.fp.get(label) ?? 0;
    return tp + fp === 0 ? 0 : tp / (tp + fp);
  }

  recall(label: number): number { return (this.tp.get(label) ?? 0) / (this.labelCount.get(label) ?? 0); }

  fMeasure(label: number, beta = 1): number {
    const p = this.precision(label), r = this.recall(label), b2 = beta * beta;
    return p + r === 0 ? 0 : ((1 + b2) * p * r) / (b2 * p + r);
  }

  get accuracy(): number {
    let tp = 0;
    for (const v of this.tp.values()) tp += v;
    return tp / this.total;
  }

  /** Σ over labels of metric(label)·(weight of the label)/(total weight). */
  private weighted(metric: (label: number) => number): number {
    let s = 0;
    for (const [label, count] of this.labelCount) s += (metric(label) * count) / this.total;
    return s;
  }

  get weightedTruePositiveRate(): number { return this.weightedRecall; }
  get weightedFalsePositiveRate(): number { return this.weighted((l) => this.falsePositiveRate(l)); }
  get weightedRecall(): number { return this.weighted((l) => this.recall(l)); }
  get weightedPrecision(): number { return this.weighted((l) => this.precision(l)); }
  weightedFMeasure(beta = 1): number { return this.weighted((l) => this.fMeasure(l, beta)); }
}

/** Spark's BinaryClassificationMetrics: curves over the distinct scores, downsampled to about `numBins` points. */
export class BinaryClassificationMetrics {
  /** Thresholds (scores), descending, and the cumulative weights of positives and negatives at or above each. */
  readonly thresholds: Float64Array;
  private readonly tp: Float64Array;
  private readonly fp: Float64Array;
  private readonly positives: number;
  private readonly negatives: number;

  constructor(partials: ScoreCounts[], numBins = 100) {
    const merged = mergeSortedScores(partials);
    const binned = numBins > 0 ? bin(merged, numBins) : merged;
    const m = binned.scores.length;
    this.thresholds = binned.scores;
    this.tp = new Float64Array(m);
    this.fp = new Float64Array(m);
    let tp = 0, fp = 0;
    for (let i = 0; i < m; i++) {
      tp += binned.positives[i];
      fp += binned.negatives[i];
      this.tp[i] = tp;
      this.fp[i] = fp;
    }
    this.positives = tp;
    this.negatives = fp;
  }

  private precisionAt(i: number): number {
    const all = this.tp[i] + this.fp[i];
    return all === 0 ? 1 : this.tp[i] / all;
  }

  private recallAt(i: number): number { return this.positives === 0 ? 0 : this.tp[i] / this.positives; }
  private fprAt(i: number): number { return this.negatives === 0 ? 0 : this.fp[i] / this.negatives; }

  /** (FPR, TPR) from (0, 0) to (1, 1). */
  roc(): [number, number][] {
    const out: [number, number][] = [[0, 0]];
    for (let i = 0; i < this.thresholds.length; i++) out.push([this.fprAt(i), this.recallAt(i)]);
    out.push([1, 1]);
    return out;
  }

  areaUnderROC(): number { return areaUnderCurve(this.roc()); }

  /** (recall, precision), starting at recall 0 with the first point's precision. */
  pr(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.thresholds.length; i++) out.push([this.recallAt(i), this.precisionAt(i)]);
    out.unshift([0, out.length ? out[0][1] : 1]);
    return out;
  }

  areaUnderPR(): number { return areaUnderCurve(this.pr()); }

  fMeasureByThreshold(beta = 1): [number, number][] {
    const b2 = beta * beta;
    return Array.from(this.thresholds, (t, i) => {
      const p = this.precisionAt(i), r = this.recallAt(i);
      return [t, p + r === 0 ? 0 : ((1 + b2) * p * r) / (b2 * p + r)];
    });
  }

  precisionByThreshold(): [number, number][] { return Array.from(this.thresholds, (t, i) => [t, this.precisionAt(i)]); }
  recallByThreshold(): [number, number][] { return Array.from(this.thresholds, (t, i) => [t, this.recallAt(i)]); }
}

/** Trapezoidal area under a curve of (x, y) points in order (Spark's AreaUnderCurve.of). */
export function areaUnderCurve(points: [number, number][]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    area += ((points[i][0] - points[i - 1][0]) * (points[i][1] + points[i - 1][1])) / 2;
  }
  return area;
}

/** k-way merge of per-partition descending runs, combining equal scores. */
function mergeSortedScores(parts: ScoreCounts[]): ScoreCounts {
  const total = parts.reduce((s, p) => s + p.scores.length, 0);
  const scores = new Float64Array(total), positives = new Float64Array(total), negatives = new Float64Array(total);
  const pos = new Int32Array(parts.length);
  let k = -1;
  for (;;) {
    let best = -1, bestScore = -Infinity;
    for (let q = 0; q < parts.length; q++) {
      if (pos[q] < parts[q].scores.length) {
        const s = parts[q].scores[pos[q]];
        if (best < 0 || s > bestScore) { best = q; bestScore = s; }
      }
    }
    if (best < 0) break;
    const part = parts[best], i = pos[best]++;
    if (k < 0 || scores[k] !== bestScore) { k++; scores[k] = bestScore; }
    positives[k] += part.positives[i];
    negatives[k] += part.negatives[i];
  }
  return { scores: scores.slice(0, k + 1), positives: positives.slice(0, k + 1), negatives: negatives.slice(0, k + 1) };
}

/**
 * Spark's downsampling: consecutive groups of ⌊count/numBins⌋ distinct scores become one point
 * (the group's lowest score, its summed counts); no downsampling when groups would be under 2.
 */
function bin(c: ScoreCounts, numBins: number): ScoreCounts {
  const n = c.scores.length;
  const grouping = Math.floor(n / numBins);
  if (grouping < 2) return c;
  const m = Math.ceil(n / grouping);
  const out = { scores: new Float64Array(m), positives: new Float64Array(m), negatives: new Float64Array(m) };
  for (let i = 0; i < n; i++) {
    const g = Math.floor(i / grouping);
    out.scores[g] = c.scores[i];
    out.positives[g] += c.positives[i];
    out.negatives[g] += c.negatives[i];
  }
  return out;
}

/** A small DataFrame of two double columns, for curves. */
function curveFrame(df: DataFrame, names: [string, string], points: [number, number][]): DataFrame {
  const session = df.session as unknown as Session;
  if (typeof session.createDataFrame !== 'function') throw new Error('curves need a DataFrame created by a Session');
  return session.createDataFrame(points.map(([a, b]) => ({ [names[0]]: a, [names[1]]: b })), {
    numPartitions: 1, schema: { [names[0]]: 'double', [names[1]]: 'double' },
  });
}

/** Metrics of a classifier's predictions; each is computed on first use. */
export class ClassificationSummary {
  #multiclass: Promise<MulticlassMetrics> | null = null;

  constructor(
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    readonly labelCol: string,
    /** Weights are used when the predictions have this column, else every weight is 1 (Spark's rule). */
    readonly weightCol: string,
  ) {}

  protected get weightColumn(): string | null {
    return this.weightCol !== '' && this.predictions.schema.has(this.weightCol) ? this.weightCol : null;
  }

  protected multiclassMetrics(): Promise<MulticlassMetrics> {
    this.#multiclass ??= this.predictions
      .treeAggregate({}, CONFUSIONS, mergeConfusions, 2, { label: this.labelCol, prediction: this.predictionCol, weight: this.weightColumn })
      .then((c) => new MulticlassMetrics(Object.entries(c).map(([key, w]) => {
        const [label, prediction] = key.split(',').map(Number);
        return [label, prediction, w] as [number, number, number];
      })));
    return this.#multiclass;
  }

  private byLabel(f: (m: MulticlassMetrics, label: number) => number): Promise<number[]> {
    return this.multiclassMetrics().then((m) => m.labels.map((l) => f(m, l)));
  }

  get labels(): Promise<number[]> { return this.multiclassMetrics().then((m) => m.labels); }
  get truePositiveRateByLabel(): Promise<number[]> { return this.byLabel((m, l) => m.truePositiveRate(l)); }
  get falsePositiveRateByLabel(): Promise<number[]> { return this.byLabel((m, l) => m.falsePositiveRate(l)); }
  get precisionByLabel(): Promise<number[]> { return this.byLabel((m, l) => m.precision(l)); }
  get recallByLabel(): Promise<number[]> { return this.byLabel((m, l) => m.recall(l)); }
  fMeasureByLabel(beta = 1): Promise<number[]> { return this.byLabel((m, l) => m.fMeasure(l, beta)); }
  get accuracy(): Promise<number> { return this.multiclassMetrics().then((m) => m.accuracy); }
  get weightedTruePositiveRate(): Promise<number> { return this.multiclassMetrics().then((m) => m.weightedTruePositiveRate); }
  get weightedFalsePositiveRate(): Promise<number> { return this.multiclassMetrics().then((m) => m.weightedFalsePositiveRate); }
  get weightedRecall(): Promise<number> { return this.multiclassMetrics().then((m) => m.weightedRecall); }
  get weightedPrecision(): Promise<number> { return this.multiclassMetrics().then((m) => m.weightedPrecision); }
  weightedFMeasure(beta = 1): Promise<number> { return this.multiclassMetrics().then((m) => m.weightedFMeasure(beta)); }
}

/** Binary metrics from the probability of class 1 (`scoreCol`), with Spark's 100 bins. */
export class BinaryMetricsSource {
  #metrics: Promise<BinaryClassificationMetrics> | null = null;

  constructor(private readonly predictions: DataFrame, private readonly scoreCol: string, private readonly labelCol: string, private readonly weightCol: string | null) {}

  metrics(): Promise<BinaryClassificationMetrics> {
    this.#metrics ??= this.predictions
      .mapPartitions<ScoreCounts>(BINARY_SCORES, { probability: this.scoreCol, label: this.labelCol, weight: this.weightCol })
      .then((parts) => new BinaryClassificationMetrics(parts, 100));
    return this.#metrics;
  }

  frame(names: [string, string], points: [number, number][]): DataFrame {
    return curveFrame(this.predictions, names, points);
  }
}
