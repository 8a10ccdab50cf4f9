// Per-partition passes behind classification summaries: the weighted confusion counts of
// (label, prediction) pairs, and each partition's distinct scores with their positive and negative
// weights, sorted by descending score (the input of Spark's BinaryClassificationMetrics).
import type { RecordBatch } from 'apache-arrow';
import { registerAggregator, registerKernel } from '../engine/kernels.js';
import { columnByName, validityBytes, type AnyData } from '../dataframe/batch.js';
import { readDoubleColumn } from '../regression/linear-instances.js';
import type { ScoreCounts } from '../stat/binary-metrics.js';

export interface ConfusionParams { label: string; prediction: string; weight: string | null }

/** "label,prediction" → total weight. */
export type Confusions = Record<string, number>;

export const CONFUSIONS = registerAggregator<Confusions, ConfusionParams>('classification.confusions', (acc, batch, p, ctx) => {
  const n = batch.numRows;
  if (n === 0) return acc;
  const y = readDoubleColumn(batch, p.label, ctx.partitionIndex, 'Classification metrics: Labels');
  const yhat = readDoubleColumn(batch, p.prediction, ctx.partitionIndex, 'Classification metrics: Predictions');
  const w = p.weight ? readDoubleColumn(batch, p.weight, ctx.partitionIndex, 'Classification metrics: Weights') : null;
  // Labels and predictions are few distinct values: count in a Map, then key once.
  const counts = new Map<number, number>();
  const keys: [number, number][] = [];
  const codeOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = `${y[i]},${yhat[i]}`;
    let code = codeOf.get(key);
    if (code === undefined) { code = keys.length; codeOf.set(key, code); keys.push([y[i], yhat[i]]); }
    counts.set(code, (counts.get(code) ?? 0) + (w ? w[i] : 1));
  }
  for (const [key, code] of codeOf) acc[key] = (acc[key] ?? 0) + counts.get(code)!;
  return acc;
});

export function mergeConfusions(a: Confusions, b: Confusions): Confusions {
  for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;
  return a;
}

export interface ScoreParams { probability: string; label: string; weight: string | null }

function probabilityOfClass1(batch: RecordBatch, name: string, partition: number): Float64Array {
  const data = columnByName(batch, name);
  const valid = validityBytes(data);
  if (valid) throw new Error(`Binary classification metrics: column '${name}' is null at row ${valid.indexOf(0)} of partition ${partition}`);
  const width = (data.type as { listSize: number }).listSize;
  const child = data.children[0] as AnyData;
  const values = child.values as Float64Array, off = child.offset + data.offset * width;
  const out = new Float64Array(batch.numRows);
  for (let i = 0; i < out.length; i++) out[i] = values[off + i * width + 1];
  return out;
}

/** Distinct scores of a partition, descending, with the weight of positive and negative labels at each. */
export const BINARY_SCORES = registerKernel<ScoreParams, ScoreCounts>('classification.binaryScores', (batch, p, ctx) => {
  const n = batch.numRows;
  const score = probabilityOfClass1(batch, p.probability, ctx.partitionIndex);
  const y = readDoubleColumn(batch, p.label, ctx.partitionIndex, 'Binary classification metrics: Labels');
  const w = p.weight ? readDoubleColumn(batch, p.weight, ctx.partitionIndex, 'Binary classification metrics: Weights') : null;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[b] - score[a]);
  const scores = new Float64Array(n), pos = new Float64Array(n), neg = new Float64Array(n);
  let k = -1;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (k < 0 || scores[k] !== score[i]) { k++; scores[k] = score[i]; }
    // Spark's BinaryLabelCounter: label > 0.5 is positive.
    if (y[i] > 0.5) pos[k] += w ? w[i] : 1;
    else neg[k] += w ? w[i] : 1;
  }
  return { scores: scores.slice(0, k + 1), pos: pos.slice(0, k + 1), neg: neg.slice(0, k + 1) };
});
