// Per partition: the weighted sums behind Spark's RegressionMetrics (its Summarizer over
// (label, label - prediction, prediction)), with means and M2s merged as Chan et al. do.
import { registerAggregator } from '../engine/kernels.js';
import { checkedDoubles, mergeProblems, weightReader, type Problems } from './columns.js';

export interface RegressionParams {
  readonly predictionCol: string;
  readonly labelCol: string;
  readonly weightCol: string | null;
}

export interface RegressionSums {
  rows: number;
  /** Σw and Σw² over rows of positive weight. */
  weightSum: number;
  weightSqSum: number;
  /** Σw|y - ŷ|, Σw(y - ŷ)², Σwy². */
  absErrSum: number;
  sqErrSum: number;
  sqLabelSum: number;
  /** Weighted means and Σw(x - mean)² of the labels and of the predictions. */
  labelMean: number;
  labelM2: number;
  predMean: number;
  predM2: number;
  problems: Problems;
}

export function zeroRegressionSums(): RegressionSums {
  return {
    rows: 0, weightSum: 0, weightSqSum: 0, absErrSum: 0, sqErrSum: 0, sqLabelSum: 0,
    labelMean: 0, labelM2: 0, predMean: 0, predM2: 0, problems: {},
  };
}

export const REGRESSION_SUMS = registerAggregator<RegressionSums, RegressionParams>('evaluation.regressionSums', (acc, batch, p) => {
  const n = batch.numRows;
  const part = zeroRegressionSums();
  part.rows = n;
  const label = checkedDoubles(batch, p.labelCol, 'label', part.problems);
  const prediction = checkedDoubles(batch, p.predictionCol, 'prediction', part.problems);
  const weight = weightReader(batch, p.weightCol, part.problems);
  // Two passes over the partition: sums and means, then squared deviations from those means.
  const ys = new Float64Array(n), ps = new Float64Array(n), ws = new Float64Array(n);
  let m = 0, sy = 0, sp = 0;
  for (let i = 0; i < n; i++) {
    const y = label(i), yhat = prediction(i), w = weight(i);
    if (y !== y || yhat !== yhat || !(w > 0)) continue; // NaN rows are reported; weight 0 adds nothing
    const e = y - yhat;
    part.weightSum += w;
    part.weightSqSum += w * w;
    part.absErrSum += w * Math.abs(e);
    part.sqErrSum += w * e * e;
    part.sqLabelSum += w * y * y;
    sy += w * y;
    sp += w * yhat;
    ys[m] = y; ps[m] = yhat; ws[m] = w; m++;
  }
  if (part.weightSum > 0) {
    part.labelMean = sy / part.weightSum;
    part.predMean = sp / part.weightSum;
    for (let i = 0; i < m; i++) {
      const dy = ys[i] - part.labelMean, dp = ps[i] - part.predMean;
      part.labelM2 += ws[i] * dy * dy;
      part.predM2 += ws[i] * dp * dp;
    }
  }
  return mergeRegressionSums(acc, part);
});

/** Adds b into a (Chan et al.'s parallel update for the means and M2s); returns a. */
export function mergeRegressionSums(a: RegressionSums, b: RegressionSums): RegressionSums {
  a.rows += b.rows;
  mergeProblems(a.problems, b.problems);
  if (b.weightSum === 0) return a;
  const w = a.weightSum + b.weightSum;
  const dy = b.labelMean - a.labelMean, dp = b.predMean - a.predMean;
  const f = (a.weightSum * b.weightSum) / w;
  a.labelM2 += b.labelM2 + dy * dy * f;
  a.predM2 += b.predM2 + dp * dp * f;
  a.labelMean += (dy * b.weightSum) / w;
  a.predMean += (dp * b.weightSum) / w;
  a.weightSum = w;
  a.weightSqSum += b.weightSqSum;
  a.absErrSum += b.absErrSum;
  a.sqErrSum += b.sqErrSum;
  a.sqLabelSum += b.sqLabelSum;
  return a;
}
