// Per partition: weighted positive/negative counts per distinct score, scores descending (the
// map side of Spark's combineByKey + sortByKey in BinaryClassificationMetrics).
import type { RecordBatch } from 'apache-arrow';
import { registerKernel } from '../engine/kernels.js';
import type { ScoreCounts } from '../stat/binary-metrics.js';
import { checkedDoubles, countProblem, vectorElement, vectorSize, vectorView, weightReader, type Problems } from './columns.js';

export interface BinaryCountsParams {
  readonly scoreCol: string;
  /** The score is element 1 of a vector column (a raw prediction), not a numeric column. */
  readonly scoreIsVector: boolean;
  readonly labelCol: string;
  readonly weightCol: string | null;
}

export interface BinaryCountsPartial extends ScoreCounts {
  readonly rows: number;
  readonly problems: Problems;
}

export const BINARY_COUNTS = registerKernel<BinaryCountsParams, BinaryCountsPartial>('evaluation.binaryCounts', (batch, p) => {
  const n = batch.numRows;
  const problems: Problems = {};
  const label = checkedDoubles(batch, p.labelCol, 'label', problems);
  const weight = weightReader(batch, p.weightCol, problems);
  const score = scoreReader(batch, p, problems);

  // Valid rows only; any invalid row fails the evaluation on the driver.
  const s = new Float64Array(n), w = new Float64Array(n), positive = new Uint8Array(n);
  let m = 0, numPositive = 0;
  for (let i = 0; i < n; i++) {
    const x = score(i), y = label(i), wi = weight(i);
    if (x !== x || y !== y || wi !== wi) continue;
    s[m] = x; w[m] = wi; positive[m] = y > 0.5 ? 1 : 0;
    numPositive += positive[m];
    m++;
  }
  const counts = p.weightCol === null ? countUnweighted(s, positive, m, numPositive) : countWeighted(s, w, positive, m);
  return { ...counts, rows: n, problems };
});

function scoreReader(batch: RecordBatch, p: BinaryCountsParams, problems: Problems): (i: number) => number {
  if (!p.scoreIsVector) return checkedDoubles(batch, p.scoreCol, 'rawPrediction', problems);
  const v = vectorView(batch, p.scoreCol);
  return (i) => {
    if (v.valid && !v.valid[i]) { countProblem(problems, `rawPrediction column '${p.scoreCol}' is null`); return NaN; }
    if (vectorSize(v, i) < 2) { countProblem(problems, `rawPrediction column '${p.scoreCol}' holds a vector of size < 2`); return NaN; }
    const x = vectorElement(v, i, 1);
    if (x !== x) countProblem(problems, `rawPrediction column '${p.scoreCol}' has a NaN score`);
    return x + 0;
  };
}

/** Unit weights: sort the positives' and the negatives' scores natively, then walk both from the top. */
function countUnweighted(s: Float64Array, positive: Uint8Array, m: number, numPositive: number): ScoreCounts {
  const ps = new Float64Array(numPositive), ns = new Float64Array(m - numPositive);
  let a = 0, b = 0;
  for (let i = 0; i < m; i++) { if (positive[i]) ps[a++] = s[i]; else ns[b++] = s[i]; }
  ps.sort(); ns.sort();
  const out = newCounts(m);
  let i = ps.length - 1, j = ns.length - 1, k = 0;
  while (i >= 0 || j >= 0) {
    const top = i < 0 ? ns[j] : j < 0 ? ps[i] : Math.max(ps[i], ns[j]);
    let pc = 0, nc = 0;
    while (i >= 0 && ps[i] === top) { pc++; i--; }
    while (j >= 0 && ns[j] === top) { nc++; j--; }
    out.scores[k] = top; out.pos[k] = pc; out.neg[k] = nc; k++;
  }
  return trim(out, k);
}

/** Weighted: sort row indices by score, then add up the weights of equal scores. */
function countWeighted(s: Float64Array, w: Float64Array, positive: Uint8Array, m: number): ScoreCounts {
  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  order.sort((x, y) => s[y] - s[x]);
  const out = newCounts(m);
  let k = -1, prev = NaN;
  for (let r = 0; r < m; r++) {
    const i = order[r];
    if (s[i] !== prev) { k++; prev = s[i]; out.scores[k] = prev; }
    if (positive[i]) out.pos[k] += w[i]; else out.neg[k] += w[i];
  }
  return trim(out, k + 1);
}

function newCounts(m: number): { scores: Float64Array; pos: Float64Array; neg: Float64Array } {
  return { scores: new Float64Array(m), pos: new Float64Array(m), neg: new Float64Array(m) };
}

function trim(c: ScoreCounts, k: number): ScoreCounts {
  return { scores: c.scores.slice(0, k), pos: c.pos.slice(0, k), neg: c.neg.slice(0, k) };
}

