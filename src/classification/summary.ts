// Classification summaries (Spark's ClassificationSummary and BinaryClassificationSummary): metrics of
// a predictions DataFrame, computed lazily the first time one is asked for (one pass for the
// multiclass metrics, one for the binary curves) and then kept. A metric needs a pass over the data,
// so it is an async method (`await summary.accuracy()`); a curve is a lazy DataFrame.
import type { DataFrame } from '../dataframe/dataframe.js';
import { makeBatch, primitiveData } from '../dataframe/batch.js';
import { lazyFrame } from '../dataframe/computed.js';
import { DoubleType, StructType } from '../dataframe/types.js';
import { batchToShared } from '../engine/blocks.js';
import { BinaryClassificationMetrics, type ScoreCounts } from '../stat/binary-metrics.js';
import { BINARY_SCORES, CONFUSIONS, mergeConfusions } from './summary.kernels.js';

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

/**
 * k-way merge of per-partition descending runs, combining equal scores. The counts of a score are
 * added in partition order, one partition after the other (the evaluator merges pairwise instead).
 */
function mergeSortedScores(parts: ScoreCounts[]): ScoreCounts {
  const total = parts.reduce((s, p) => s + p.scores.length, 0);
  const scores = new Float64Array(total), pos = new Float64Array(total), neg = new Float64Array(total);
  const next = new Int32Array(parts.length);
  let k = -1;
  for (;;) {
    let best = -1, bestScore = -Infinity;
    for (let q = 0; q < parts.length; q++) {
      if (next[q] < parts[q].scores.length) {
        const s = parts[q].scores[next[q]];
        if (best < 0 || s > bestScore) { best = q; bestScore = s; }
      }
    }
    if (best < 0) break;
    const part = parts[best], i = next[best]++;
    if (k < 0 || scores[k] !== bestScore) { k++; scores[k] = bestScore; }
    pos[k] += part.pos[i];
    neg[k] += part.neg[i];
  }
  return { scores: scores.slice(0, k + 1), pos: pos.slice(0, k + 1), neg: neg.slice(0, k + 1) };
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

  private async byLabel(f: (m: MulticlassMetrics, label: number) => number): Promise<number[]> {
    const m = await this.multiclassMetrics();
    return m.labels.map((l) => f(m, l));
  }

  async labels(): Promise<number[]> { return (await this.multiclassMetrics()).labels; }
  truePositiveRateByLabel(): Promise<number[]> { return this.byLabel((m, l) => m.truePositiveRate(l)); }
  falsePositiveRateByLabel(): Promise<number[]> { return this.byLabel((m, l) => m.falsePositiveRate(l)); }
  precisionByLabel(): Promise<number[]> { return this.byLabel((m, l) => m.precision(l)); }
  recallByLabel(): Promise<number[]> { return this.byLabel((m, l) => m.recall(l)); }
  fMeasureByLabel(beta = 1): Promise<number[]> { return this.byLabel((m, l) => m.fMeasure(l, beta)); }
  async accuracy(): Promise<number> { return (await this.multiclassMetrics()).accuracy; }
  async weightedTruePositiveRate(): Promise<number> { return (await this.multiclassMetrics()).weightedTruePositiveRate; }
  async weightedFalsePositiveRate(): Promise<number> { return (await this.multiclassMetrics()).weightedFalsePositiveRate; }
  async weightedRecall(): Promise<number> { return (await this.multiclassMetrics()).weightedRecall; }
  async weightedPrecision(): Promise<number> { return (await this.multiclassMetrics()).weightedPrecision; }
  async weightedFMeasure(beta = 1): Promise<number> { return (await this.multiclassMetrics()).weightedFMeasure(beta); }
}

/** Binary metrics from the probability of class 1 (`scoreCol`), with Spark's 100 bins. */
export class BinaryMetricsSource {
  #metrics: Promise<BinaryClassificationMetrics> | null = null;

  constructor(private readonly predictions: DataFrame, private readonly scoreCol: string, private readonly labelCol: string, private readonly weightCol: string | null) {}

  metrics(): Promise<BinaryClassificationMetrics> {
    this.#metrics ??= this.predictions
      .mapPartitions<ScoreCounts>(BINARY_SCORES, { probability: this.scoreCol, label: this.labelCol, weight: this.weightCol })
      .then((parts) => new BinaryClassificationMetrics(mergeSortedScores(parts), 100));
    return this.#metrics;
  }

  /** A lazy DataFrame of two double columns (one partition), from the metrics once an action asks for it. */
  curve(names: [string, string], points: (m: BinaryClassificationMetrics) => [number, number][]): DataFrame {
    const schema = new StructType(names.map((name) => ({ name, type: DoubleType, nullable: false })));
    return lazyFrame(this.predictions.session, schema, 1, async () => {
      const p = points(await this.metrics());
      const column = (k: number) => primitiveData(DoubleType, Float64Array.from(p, (xy) => xy[k]), null);
      return [batchToShared(makeBatch(schema, [column(0), column(1)], p.length))];
    });
  }
}
