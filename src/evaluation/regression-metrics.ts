// Spark's RegressionMetrics (3.x, weighted) on the driver, from the sums of one pass.
import { mergeRegressionSums, zeroRegressionSums, type RegressionSums } from './regression.kernels.js';

export class RegressionMetrics {
  constructor(readonly sums: RegressionSums, readonly throughOrigin = false) {}

  /** From (prediction, label[, weight]) rows held on the driver; for small local data and tests. */
  static fromRows(rows: readonly (readonly [prediction: number, label: number, weight?: number])[], throughOrigin = false): RegressionMetrics {
    const acc = zeroRegressionSums();
    for (const [prediction, label, weight = 1] of rows) {
      const one = zeroRegressionSums();
      one.rows = 1;
      if (weight > 0) {
        const e = label - prediction;
        Object.assign(one, {
          weightSum: weight, weightSqSum: weight * weight, absErrSum: weight * Math.abs(e), sqErrSum: weight * e * e,
          sqLabelSum: weight * label * label, labelMean: label, predMean: prediction,
        });
      }
      mergeRegressionSums(acc, one);
    }
    return new RegressionMetrics(acc, throughOrigin);
  }

  get weightSum(): number {
    return this.sums.weightSum;
  }

  /** Σw(ŷ - ȳ)² / Σw: the variance the predictions explain around the label mean. */
  get explainedVariance(): number {
    const s = this.sums, d = s.predMean - s.labelMean;
    return (s.predM2 + s.weightSum * d * d) / s.weightSum;
  }

  get meanAbsoluteError(): number {
    return this.sums.absErrSum / this.sums.weightSum;
  }

  get meanSquaredError(): number {
    return this.sums.sqErrSum / this.sums.weightSum;
  }

  get rootMeanSquaredError(): number {
    return Math.sqrt(this.meanSquaredError);
  }

  /**
   * 1 - SSerr/SStot, or 1 - SSerr/Σwy² through the origin. As Spark, SStot is the labels' unbiased
   * weighted variance times (Σw - 1), with that variance's denominator Σw - Σw²/Σw (0 when not
   * positive): with unit weights SStot = Σ(y - ȳ)², with other weights Spark's own definition.
   */
  get r2(): number {
    const s = this.sums;
    if (this.throughOrigin) return 1 - s.sqErrSum / s.sqLabelSum;
    const denominator = s.weightSum - s.weightSqSum / s.weightSum;
    const variance = denominator > 0 ? Math.max(s.labelM2, 0) / denominator : 0;
    return 1 - s.sqErrSum / (variance * (s.weightSum - 1));
  }
}
