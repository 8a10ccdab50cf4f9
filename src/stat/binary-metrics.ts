// Spark's BinaryClassificationMetrics on the driver, from weighted label counts per distinct score:
// optional down-sampling into bins, cumulative true/false positives per threshold, the ROC and PR
// curves and their trapezoidal areas. Below evaluation and classification, which both use it;
// counting the scores is their kernels' job (evaluation/binary.kernels.ts, classification/summary.kernels.ts).

/** Weighted positive and negative counts per distinct score, scores strictly descending. */
export interface ScoreCounts {
  readonly scores: Float64Array;
  readonly pos: Float64Array;
  readonly neg: Float64Array;
}

/** Merges two descending score lists, adding the counts of equal scores. */
export function mergeScoreCounts(a: ScoreCounts, b: ScoreCounts): ScoreCounts {
  const na = a.scores.length, nb = b.scores.length;
  if (nb === 0) return a;
  if (na === 0) return b;
  const scores = new Float64Array(na + nb), pos = new Float64Array(na + nb), neg = new Float64Array(na + nb);
  let i = 0, j = 0, k = 0;
  while (i < na || j < nb) {
    if (j >= nb || (i < na && a.scores[i] > b.scores[j])) {
      scores[k] = a.scores[i]; pos[k] = a.pos[i]; neg[k] = a.neg[i]; i++;
    } else if (i >= na || b.scores[j] > a.scores[i]) {
      scores[k] = b.scores[j]; pos[k] = b.pos[j]; neg[k] = b.neg[j]; j++;
    } else {
      scores[k] = a.scores[i]; pos[k] = a.pos[i] + b.pos[j]; neg[k] = a.neg[i] + b.neg[j]; i++; j++;
    }
    k++;
  }
  return { scores: scores.slice(0, k), pos: pos.slice(0, k), neg: neg.slice(0, k) };
}

/** Merges per-partition lists pairwise, level by level, in partition order (deterministic sums). */
export function mergeAllScoreCounts(parts: readonly ScoreCounts[]): ScoreCounts {
  let level = [...parts];
  if (level.length === 0) return { scores: new Float64Array(0), pos: new Float64Array(0), neg: new Float64Array(0) };
  while (level.length > 1) {
    const next: ScoreCounts[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? mergeScoreCounts(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

/**
 * Spark's down-sampling: with numBins > 0 and at least 2 distinct scores per bin, consecutive
 * chunks of floor(count / numBins) scores become one point carrying the chunk's counts and its
 * last (lowest) score. Spark chunks each partition of its sorted RDD separately; here the sorted
 * scores form one sequence, as Spark with a single sorted partition.
 */
export function downsample(counts: ScoreCounts, numBins: number): ScoreCounts {
  const m = counts.scores.length;
  if (numBins <= 0) return counts;
  const grouping = Math.floor(m / numBins);
  if (grouping < 2) return counts;
  const bins = Math.ceil(m / grouping);
  const scores = new Float64Array(bins), pos = new Float64Array(bins), neg = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    const end = Math.min(m, (b + 1) * grouping);
    let p = 0, q = 0;
    for (let i = b * grouping; i < end; i++) { p += counts.pos[i]; q += counts.neg[i]; }
    scores[b] = counts.scores[end - 1];
    pos[b] = p;
    neg[b] = q;
  }
  return { scores, pos, neg };
}

export type CurvePoint = [x: number, y: number];

/** Trapezoidal area under a curve given as consecutive points (Spark's AreaUnderCurve). */
export function areaUnderCurve(points: readonly CurvePoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) area += ((points[i][0] - points[i - 1][0]) * (points[i][1] + points[i - 1][1])) / 2;
  return area;
}

/**
 * Metrics of a binary classifier's scores, as Spark's `BinaryClassificationMetrics`: thresholds are
 * the distinct scores (or bin scores) in descending order; at each, the rows scoring >= it are
 * predicted positive. Precision is 1 where nothing is predicted positive; recall and the false
 * positive rate are 0 without positives or negatives.
 */
export class BinaryClassificationMetrics {
  readonly numBins: number;
  /** Thresholds, descending. */
  readonly thresholdValues: Float64Array;
  /** Cumulative weighted true and false positives at each threshold. */
  readonly truePositives: Float64Array;
  readonly falsePositives: Float64Array;
  readonly totalPositives: number;
  readonly totalNegatives: number;

  constructor(counts: ScoreCounts, numBins = 0) {
    if (!Number.isInteger(numBins) || numBins < 0) throw new Error(`numBins must be a nonnegative integer but got ${numBins}`);
    this.numBins = numBins;
    const binned = downsample(counts, numBins);
    const n = binned.scores.length;
    this.thresholdValues = binned.scores;
    this.truePositives = new Float64Array(n);
    this.falsePositives = new Float64Array(n);
    let tp = 0, fp = 0;
    for (let i = 0; i < n; i++) {
      tp += binned.pos[i];
      fp += binned.neg[i];
      this.truePositives[i] = tp;
      this.falsePositives[i] = fp;
    }
    this.totalPositives = tp;
    this.totalNegatives = fp;
  }

  /**
   * From (score, label[, weight]) rows held on the driver, as Spark's RDD constructor (labels > 0.5
   * are positive). For small local data and tests; evaluators count scores in a pass instead.
   */
  static fromScoreAndLabels(rows: readonly (readonly [score: number, label: number, weight?: number])[], numBins = 0): BinaryClassificationMetrics {
    const byScore = new Map<number, [number, number]>();
    for (const [s, label, w = 1] of rows) {
      const key = s + 0;
      const c = byScore.get(key) ?? [0, 0];
      c[label > 0.5 ? 0 : 1] += w;
      byScore.set(key, c);
    }
    const scores = Float64Array.from(byScore.keys()).sort().reverse();
    return new BinaryClassificationMetrics({
      scores,
      pos: scores.map((s) => byScore.get(s)![0]),
      neg: scores.map((s) => byScore.get(s)![1]),
    }, numBins);
  }

  get numThresholds(): number {
    return this.thresholdValues.length;
  }

  thresholds(): number[] {
    return Array.from(this.thresholdValues);
  }

  precisionAt(i: number): number {
    const predicted = this.truePositives[i] + this.falsePositives[i];
    return predicted === 0 ? 1 : this.truePositives[i] / predicted;
  }

  recallAt(i: number): number {
    return this.totalPositives === 0 ? 0 : this.truePositives[i] / this.totalPositives;
  }

  falsePositiveRateAt(i: number): number {
    return this.totalNegatives === 0 ? 0 : this.falsePositives[i] / this.totalNegatives;
  }

  fMeasureAt(i: number, beta = 1): number {
    const p = this.precisionAt(i), r = this.recallAt(i), b2 = beta * beta;
    return p + r === 0 ? 0 : ((1 + b2) * p * r) / (b2 * p + r);
  }

  /** (false positive rate, recall) per threshold, with (0, 0) prepended and (1, 1) appended. */
  roc(): CurvePoint[] {
    const points: CurvePoint[] = [[0, 0]];
    for (let i = 0; i < this.numThresholds; i++) points.push([this.falsePositiveRateAt(i), this.recallAt(i)]);
    points.push([1, 1]);
    return points;
  }

  /** (recall, precision) per threshold, with (0, precision of the first point) prepended (Spark ≥ 2.4). */
  pr(): CurvePoint[] {
    if (this.numThresholds === 0) return [];
    const points: CurvePoint[] = [[0, this.precisionAt(0)]];
    for (let i = 0; i < this.numThresholds; i++) points.push([this.recallAt(i), this.precisionAt(i)]);
    return points;
  }

  areaUnderROC(): number {
    let area = 0, px = 0, py = 0;
    for (let i = 0; i <= this.numThresholds; i++) {
      const x = i < this.numThresholds ? this.falsePositiveRateAt(i) : 1;
      const y = i < this.numThresholds ? this.recallAt(i) : 1;
      area += ((x - px) * (y + py)) / 2;
      px = x; py = y;
    }
    return area;
  }

  areaUnderPR(): number {
    if (this.numThresholds === 0) return NaN;
    let area = 0, px = 0, py = this.precisionAt(0);
    for (let i = 0; i < this.numThresholds; i++) {
      const x = this.recallAt(i), y = this.precisionAt(i);
      area += ((x - px) * (y + py)) / 2;
      px = x; py = y;
    }
    return area;
  }

  precisionByThreshold(): CurvePoint[] {
    return this.byThreshold((i) => this.precisionAt(i));
  }

  recallByThreshold(): CurvePoint[] {
    return this.byThreshold((i) => this.recallAt(i));
  }

  fMeasureByThreshold(beta = 1): CurvePoint[] {
    return this.byThreshold((i) => this.fMeasureAt(i, beta));
  }

  private byThreshold(metric: (i: number) => number): CurvePoint[] {
    return Array.from(this.thresholdValues, (t, i): CurvePoint => [t, metric(i)]);
  }
}
