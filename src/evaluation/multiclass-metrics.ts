// Spark's MulticlassMetrics on the driver, from the weighted confusion counts of one pass.
// Per-class sums run over classes in ascending label order, so results do not depend on hashing.
import { DenseMatrix } from '../linalg/matrix.js';
import { logLossTerm, type LogLossSums } from './multiclass.kernels.js';

export type ConfusionEntry = readonly [label: number, prediction: number, weight: number];

export class MulticlassMetrics {
  /** The distinct true labels, ascending (Spark's `labels`). */
  readonly labels: readonly number[];
  readonly #confusions: Map<number, Map<number, number>>;
  readonly #labelCount = new Map<number, number>();
  readonly #tp = new Map<number, number>();
  readonly #fp = new Map<number, number>();
  readonly #total: number;
  readonly #logLoss: LogLossSums | null;
  readonly #eps: number;

  /**
   * `confusions`: total weight per (label, prediction); `logLoss`: the weighted log-loss sums of
   * the same rows, computed with `eps` (absent when no probability column was read).
   */
  constructor(confusions: Iterable<ConfusionEntry>, logLoss: LogLossSums | null = null, eps = 1e-15) {
    this.#confusions = new Map();
    for (const [label, prediction, weight] of confusions) {
      let row = this.#confusions.get(label);
      if (!row) { row = new Map(); this.#confusions.set(label, row); }
      row.set(prediction, (row.get(prediction) ?? 0) + weight);
    }
    this.labels = [...this.#confusions.keys()].sort((a, b) => a - b);
    const predictions = new Set<number>();
    for (const label of this.labels) {
      let count = 0;
      for (const [prediction, w] of this.#confusions.get(label)!) {
        count += w;
        predictions.add(prediction);
        if (prediction === label) this.#tp.set(label, (this.#tp.get(label) ?? 0) + w);
        else this.#fp.set(prediction, (this.#fp.get(prediction) ?? 0) + w);
      }
      this.#labelCount.set(label, count);
    }
    let total = 0;
    for (const label of this.labels) total += this.#labelCount.get(label)!;
    this.#total = total;
    this.#logLoss = logLoss;
    this.#eps = eps;
  }

  /**
   * From (prediction, label[, weight[, probability]]) rows held on the driver, as Spark's RDD
   * constructor. For small local data and tests; evaluators count in a pass instead.
   */
  static fromRows(
    rows: readonly (readonly [prediction: number, label: number, weight?: number, probability?: ArrayLike<number>])[],
    eps = 1e-15,
  ): MulticlassMetrics {
    const withProbability = rows.length > 0 && rows.every((r) => r[3] !== undefined);
    const loss: LogLossSums | null = withProbability ? { lossSum: 0, weightSum: 0, invalidLabels: 0, nullProbabilities: 0 } : null;
    const entries: ConfusionEntry[] = [];
    for (const [prediction, label, weight = 1, probability] of rows) {
      if (weight > 0) entries.push([label + 0, prediction + 0, weight]);
      if (loss && probability) {
        if (!(Number.isInteger(label) && label >= 0 && label < probability.length)) loss.invalidLabels++;
        else { loss.lossSum += logLossTerm(probability[label], eps) * weight; loss.weightSum += weight; }
      }
    }
    return new MulticlassMetrics(entries, loss, eps);
  }

  /** Total weight of the rows (Spark's `labelCount`). */
  get weightSum(): number {
    return this.#total;
  }

  /** Rows are true labels, columns predictions, both in `labels` order (column-major values). */
  confusionMatrix(): DenseMatrix {
    const n = this.labels.length;
    const values = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const row = this.#confusions.get(this.labels[i])!;
      for (let j = 0; j < n; j++) values[i + j * n] = row.get(this.labels[j]) ?? 0;
    }
    return new DenseMatrix(n, n, values);
  }

  truePositiveRate(label: number): number {
    return this.recall(label);
  }

  falsePositiveRate(label: number): number {
    return (this.#fp.get(label) ?? 0) / (this.#total - this.#countOf(label));
  }

  precision(label: number): number {
    this.#countOf(label);
    const tp = this.#tp.get(label) ?? 0, fp = this.#fp.get(label) ?? 0;
    return tp + fp === 0 ? 0 : tp / (tp + fp);
  }

  recall(label: number): number {
    return (this.#tp.get(label) ?? 0) / this.#countOf(label);
  }

  fMeasure(label: number, beta = 1): number {
    const p = this.precision(label), r = this.recall(label), b2 = beta * beta;
    return p + r === 0 ? 0 : ((1 + b2) * p * r) / (b2 * p + r);
  }

  get accuracy(): number {
    let tp = 0;
    for (const label of this.labels) tp += this.#tp.get(label) ?? 0;
    return tp / this.#total;
  }

  get weightedTruePositiveRate(): number {
    return this.weightedRecall;
  }

  get weightedFalsePositiveRate(): number {
    return this.#weighted((label) => this.falsePositiveRate(label));
  }

  get weightedRecall(): number {
    return this.#weighted((label) => this.recall(label));
  }

  get weightedPrecision(): number {
    return this.#weighted((label) => this.precision(label));
  }

  weightedFMeasure(beta = 1): number {
    return this.#weighted((label) => this.fMeasure(label, beta));
  }

  /** The weighted fraction of rows whose prediction is not their label. */
  get hammingLoss(): number {
    let wrong = 0, all = 0;
    for (const label of this.labels) {
      for (const [prediction, w] of this.#confusions.get(label)!) {
        if (prediction !== label) wrong += w;
        all += w;
      }
    }
    return wrong / all;
  }

  /** The weighted mean of -log p(label), probabilities clipped to [eps, 1 - eps]. */
  logLoss(): number {
    const l = this.#logLoss;
    if (!l) throw new Error('logLoss needs the probability column: no probabilities were read');
    if (l.nullProbabilities > 0) throw new Error(`logLoss: ${l.nullProbabilities} rows have a null probability vector`);
    if (l.invalidLabels > 0) {
      throw new Error(`logLoss: ${l.invalidLabels} rows have a label that is not a class index of the probability vector (an integer in [0, size))`);
    }
    return l.lossSum / l.weightSum;
  }

  get eps(): number {
    return this.#eps;
  }

  #weighted(metric: (label: number) => number): number {
    let sum = 0;
    for (const label of this.labels) sum += (metric(label) * this.#labelCount.get(label)!) / this.#total;
    return sum;
  }

  #countOf(label: number): number {
    const count = this.#labelCount.get(label);
    if (count === undefined) {
      throw new Error(`label ${label} does not occur in the label column (labels: [${this.labels.join(', ')}])`);
    }
    return count;
  }
}
