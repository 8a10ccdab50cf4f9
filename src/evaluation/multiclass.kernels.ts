// Per partition: the weighted confusion counts keyed by (label, prediction), and for log-loss the
// weighted sum of -log p(label) with Spark's clipping (MulticlassMetrics).
import { registerKernel } from '../engine/kernels.js';
import { checkedDoubles, vectorElement, vectorSize, vectorView, weightReader, type Problems } from './columns.js';

export interface ConfusionParams {
  readonly predictionCol: string;
  readonly labelCol: string;
  readonly weightCol: string | null;
  /** Set when log-loss is wanted: the probability vector column and the clipping eps. */
  readonly probabilityCol: string | null;
  readonly eps: number;
}

export interface LogLossSums {
  lossSum: number;
  weightSum: number;
  /** Rows whose label cannot index the probability vector (Spark: "Invalid label"). */
  invalidLabels: number;
  nullProbabilities: number;
}

export interface ConfusionPartial {
  /** Parallel arrays: one entry per distinct (label, prediction) with its total weight. */
  readonly labels: Float64Array;
  readonly predictions: Float64Array;
  readonly weights: Float64Array;
  readonly rows: number;
  readonly logLoss: LogLossSums | null;
  readonly problems: Problems;
}

/** The log-loss of one row whose true class has probability p, clipped as Spark clips it. */
export function logLossTerm(p: number, eps: number): number {
  return p < eps ? -Math.log(eps) : p > 1 - eps ? -Math.log1p(-eps) : -Math.log(p);
}

export const CONFUSION = registerKernel<ConfusionParams, ConfusionPartial>('evaluation.confusion', (batch, p) => {
  const n = batch.numRows;
  const problems: Problems = {};
  const label = checkedDoubles(batch, p.labelCol, 'label', problems);
  const prediction = checkedDoubles(batch, p.predictionCol, 'prediction', problems);
  const weight = weightReader(batch, p.weightCol, problems);
  const prob = p.probabilityCol === null ? null : vectorView(batch, p.probabilityCol);
  const logLoss: LogLossSums | null = prob ? { lossSum: 0, weightSum: 0, invalidLabels: 0, nullProbabilities: 0 } : null;

  const byLabel = new Map<number, Map<number, number>>();
  for (let i = 0; i < n; i++) {
    const y = label(i), yhat = prediction(i), w = weight(i);
    if (y !== y || yhat !== yhat || w !== w) continue;
    if (prob && logLoss) {
      if (prob.valid && !prob.valid[i]) logLoss.nullProbabilities++;
      else if (!(Number.isInteger(y) && y >= 0 && y < vectorSize(prob, i))) logLoss.invalidLabels++;
      else {
        logLoss.lossSum += logLossTerm(vectorElement(prob, i, y), p.eps) * w;
        logLoss.weightSum += w;
      }
    }
    // Zero-weight rows carry no information; Spark would keep their (label, prediction) key with
    // weight 0, which makes a label seen only with weight 0 turn its weighted metrics into NaN.
    if (w === 0) continue;
    let row = byLabel.get(y);
    if (!row) { row = new Map(); byLabel.set(y, row); }
    row.set(yhat, (row.get(yhat) ?? 0) + w);
  }

  let size = 0;
  for (const row of byLabel.values()) size += row.size;
  const labels = new Float64Array(size), predictions = new Float64Array(size), weights = new Float64Array(size);
  let k = 0;
  for (const [y, row] of byLabel) for (const [yhat, w] of row) { labels[k] = y; predictions[k] = yhat; weights[k] = w; k++; }
  return { labels, predictions, weights, rows: n, logLoss, problems };
});
