// The pass behind LinearRegressionSummary's metrics: Spark's RegressionMetrics moments of a
// predictions DataFrame (label, prediction, weight), mergeable across partitions.
import { registerAggregator } from '../engine/kernels.js';
import { readDoubleColumn } from './linear-instances.js';

/** What Spark's RegressionMetrics needs, mergeable across partitions (Chan updates for the means). */
export interface RegressionMoments {
  count: number;
  weightSum: number;
  weightSqSum: number;
  labelMean: number;
  labelM2: number;
  predMean: number;
  predM2: number;
  /** Σ w·y². */
  labelSq: number;
  /** Σ w·(y − ŷ)². */
  sse: number;
  /** Σ w·|y − ŷ|. */
  sae: number;
  /** min and max of √w·(y − ŷ) (deviance residuals). */
  minResidual: number;
  maxResidual: number;
}

export function zeroRegressionMoments(): RegressionMoments {
  return {
    count: 0, weightSum: 0, weightSqSum: 0, labelMean: 0, labelM2: 0, predMean: 0, predM2: 0,
    labelSq: 0, sse: 0, sae: 0, minResidual: Infinity, maxResidual: -Infinity,
  };
}

export function mergeRegressionMoments(a: RegressionMoments, b: RegressionMoments): RegressionMoments {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  const wa = a.weightSum, wb = b.weightSum, w = wa + wb;
  if (wb > 0) {
    const f = (wa * wb) / w;
    const dy = b.labelMean - a.labelMean, dp = b.predMean - a.predMean;
    a.labelM2 += b.labelM2 + dy * dy * f;
    a.predM2 += b.predM2 + dp * dp * f;
    a.labelMean += (dy * wb) / w;
    a.predMean += (dp * wb) / w;
  }
  a.count += b.count;
  a.weightSum = w;
  a.weightSqSum += b.weightSqSum;
  a.labelSq += b.labelSq;
  a.sse += b.sse;
  a.sae += b.sae;
  a.minResidual = Math.min(a.minResidual, b.minResidual);
  a.maxResidual = Math.max(a.maxResidual, b.maxResidual);
  return a;
}

export interface RegressionMetricsParams { prediction: string; label: string; weight: string | null }

export const REGRESSION_METRICS = registerAggregator<RegressionMoments, RegressionMetricsParams>('linear.regressionMetrics', (acc, batch, p, ctx) => {
  const n = batch.numRows;
  if (n === 0) return acc;
  const pred = readDoubleColumn(batch, p.prediction, ctx.partitionIndex, 'Regression metrics: Predictions');
  const y = readDoubleColumn(batch, p.label, ctx.partitionIndex, 'Regression metrics: Labels');
  const wts = p.weight ? readDoubleColumn(batch, p.weight, ctx.partitionIndex, 'Regression metrics: Weights') : null;
  const out = zeroRegressionMoments();
  let W = 0, W2 = 0, sy = 0, sp = 0;
  for (let i = 0; i < n; i++) {
    const w = wts ? wts[i] : 1;
    W += w; W2 += w * w; sy += w * y[i]; sp += w * pred[i];
  }
  out.count = n;
  out.weightSum = W;
  out.weightSqSum = W2;
  if (W > 0) { out.labelMean = sy / W; out.predMean = sp / W; }
  for (let i = 0; i < n; i++) {
    const w = wts ? wts[i] : 1;
    const ey = y[i] - out.labelMean, ep = pred[i] - out.predMean, r = y[i] - pred[i];
    out.labelM2 += w * ey * ey;
    out.predM2 += w * ep * ep;
    out.labelSq += w * y[i] * y[i];
    out.sse += w * r * r;
    out.sae += w * Math.abs(r);
    const dr = Math.sqrt(w) * r;
    if (dr < out.minResidual) out.minResidual = dr;
    if (dr > out.maxResidual) out.maxResidual = dr;
  }
  return mergeRegressionMoments(acc, out);
});
