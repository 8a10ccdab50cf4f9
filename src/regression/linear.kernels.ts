// Per-partition passes of the linear models (LinearRegression here, LogisticRegression reuses the
// first and the scoring read):
//  - instance statistics with the boundary checks (weighted mean/M2 of features and label, label histogram);
//  - the centered scatter of [features, label] behind the normal equations;
//  - least-squares and Huber loss/gradient in standardized space with virtual centering;
//  - the prediction mapper and the regression metrics of a predictions DataFrame.
// Hot loops: narrow dense rows (d ≤ 32) four at a time, margin and gradient in one sweep; wider or
// sparse rows by chunks that stay in cache (linalg/rows.ts).
import type { RecordBatch } from 'apache-arrow';
import { registerAggregator } from '../engine/kernels.js';
import { columnByName, primitiveData, sparseView, validityBytes, type AnyData } from '../dataframe/batch.js';
import { registerMapper } from '../dataframe/mappers.js';
import { addRow, addRows4, chunkedMarginPass, FUSED_MAX_D, marginsOf, rowMargin } from '../linalg/rows.js';
import { denseFiller, mergeScatter, scatterOfRows, sparseFiller, zeroScatter, type Scatter } from '../feature/pca.kernels.js';
import { allFinite, readFirstPass, readInstances, validateFeatures, validateRows, type InstanceSpec, type Instances } from './linear-instances.js';

// --- instance statistics ----------------------------------------------------------------------

export interface InstanceStats {
  /** Number of features; -1 until a row has been seen (sparse columns of unknown size). */
  d: number;
  count: number;
  weightSum: number;
  weightSqSum: number;
  /** Weighted feature means and Σ w·(x − mean)². */
  mean: Float64Array;
  m2: Float64Array;
  labelMean: number;
  labelM2: number;
  /** Classification: weighted count per label value. */
  histogram: number[];
}

export function zeroInstanceStats(d: number): InstanceStats {
  return {
    d, count: 0, weightSum: 0, weightSqSum: 0, mean: new Float64Array(Math.max(d, 0)), m2: new Float64Array(Math.max(d, 0)),
    labelMean: 0, labelM2: 0, histogram: [],
  };
}

export function mergeInstanceStats(a: InstanceStats, b: InstanceStats): InstanceStats {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  if (a.d !== b.d) throw new Error(`Dimensions mismatch when merging partitions: feature vectors of size ${a.d} and ${b.d}`);
  const wa = a.weightSum, wb = b.weightSum, w = wa + wb;
  if (wb > 0) {
    const f = (wa * wb) / w;
    for (let j = 0; j < a.d; j++) {
      const delta = b.mean[j] - a.mean[j];
      a.m2[j] += b.m2[j] + delta * delta * f;
      a.mean[j] += (delta * wb) / w;
    }
    const dy = b.labelMean - a.labelMean;
    a.labelM2 += b.labelM2 + dy * dy * f;
    a.labelMean += (dy * wb) / w;
  }
  for (let c = 0; c < b.histogram.length; c++) a.histogram[c] = (a.histogram[c] ?? 0) + b.histogram[c];
  for (let c = 0; c < a.histogram.length; c++) a.histogram[c] ??= 0;
  a.count += b.count;
  a.weightSum = w;
  a.weightSqSum += b.weightSqSum;
  return a;
}

export interface InstanceStatsParams {
  spec: InstanceSpec;
  classification: boolean;
  /** Classes known from the label's metadata; labels must be below it. */
  numClasses: number | null;
}

/** The first pass of LinearRegression (l-bfgs) and LogisticRegression: checks, moments, label histogram. */
export const INSTANCE_STATS = registerAggregator<InstanceStats, InstanceStatsParams>('linear.instanceStats', (acc, batch, p, ctx) => {
  const { inst, spec } = readFirstPass(batch, p.spec, ctx.partitionIndex);
  if (inst.n === 0) return acc;
  const d = spec.d;
  validateRows(inst, spec, ctx.partitionIndex, p.classification, p.numClasses ?? undefined);
  const part = statsOf(inst, d, p.classification);
  // A NaN or infinite feature value makes the moments non-finite: only then look for it.
  if (!allFinite(part.mean) || !allFinite(part.m2)) validateFeatures(inst, spec, ctx.partitionIndex);
  return mergeInstanceStats(acc.count === 0 ? zeroInstanceStats(d) : acc, part);
});

function statsOf(inst: Instances, d: number, classification: boolean): InstanceStats {
  const { n, X, xOff, sv, labels, weights } = inst;
  const out = zeroInstanceStats(d);
  out.count = n;
  let W = 0, W2 = 0, ySum = 0;
  const sum = out.mean;
  const storedW = sv ? new Float64Array(d) : null;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    W += w;
    W2 += w * w;
    if (labels) ySum += w * labels[i];
    if (w === 0) continue;
    if (X) {
      for (let j = 0, p = xOff + i * d; j < d; j++, p++) sum[j] += w * X[p];
    } else {
      for (let e = sv!.offsets[i]; e < sv!.offsets[i + 1]; e++) {
        sum[sv!.indices[e]] += w * sv!.values[e];
        storedW![sv!.indices[e]] += w;
      }
    }
  }
  out.weightSum = W;
  out.weightSqSum = W2;
  if (classification && labels) {
    const h = out.histogram;
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      while (h.length <= c) h.push(0);
      h[c] += weights ? weights[i] : 1;
    }
  }
  if (W === 0) {
    sum.fill(0);
    return out;
  }
  for (let j = 0; j < d; j++) sum[j] /= W;
  const mean = sum, m2 = out.m2;
  const yMean = ySum / W;
  out.labelMean = labels ? yMean : 0;
  let yM2 = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    if (labels) { const e = labels[i] - yMean; yM2 += w * e * e; }
    if (X) {
      for (let j = 0, p = xOff + i * d; j < d; j++, p++) { const e = X[p] - mean[j]; m2[j] += w * e * e; }
    } else {
      for (let e = sv!.offsets[i]; e < sv!.offsets[i + 1]; e++) {
        const j = sv!.indices[e], dev = sv!.values[e] - mean[j];
        m2[j] += w * dev * dev;
      }
    }
  }
  // Entries a sparse vector does not store are zeros: each contributes w·mean².
  if (storedW) for (let j = 0; j < d; j++) m2[j] += (W - storedW[j]) * mean[j] * mean[j];
  out.labelM2 = yM2;
  return out;
}

/**
 * Spark's Summarizer variance: Σ w(x − mean)² / (W − Σw²/W), the unbiased weighted estimate
 * (n − 1 for unit weights); 0 when the denominator is not positive.
 */
export function summarizerVariance(m2: number, weightSum: number, weightSqSum: number): number {
  const denominator = weightSum - weightSqSum / weightSum;
  return denominator > 0 ? Math.max(m2 / denominator, 0) : 0;
}

// --- normal equations -------------------------------------------------------------------------

export interface GramParams { spec: InstanceSpec }

/** One pass for the normal equations: checks, then the weighted centered scatter of [x, y]. */
export const LINEAR_GRAM = registerAggregator<Scatter, GramParams>('linear.gram', (acc, batch, p, ctx) => {
  const { inst, spec } = readFirstPass(batch, p.spec, ctx.partitionIndex);
  if (inst.n === 0) return acc;
  const d = spec.d;
  validateRows(inst, spec, ctx.partitionIndex, false);
  const fill = inst.X ? denseFiller(inst.X, inst.xOff, d, inst.labels) : sparseFiller(inst.sv!, d, inst.labels);
  const part = scatterOfRows(inst.n, d + 1, fill, inst.weights);
  // A NaN or infinite feature value makes the scatter non-finite: only then look for it.
  if (!allFinite(part.mean) || !allFinite(part.s)) validateFeatures(inst, spec, ctx.partitionIndex);
  return mergeScatter(acc.count === 0 ? zeroScatter(d + 1) : acc, part);
});

// --- least squares and Huber ------------------------------------------------------------------

export interface LeastSquaresParams {
  spec: InstanceSpec;
  d: number;
  /** β_j/σ_j: standardized coefficients applied to raw features. */
  coef: Float64Array;
  /** ȳ/σ_y − Σ β_j·μ_j/σ_j with an intercept (virtual centering), else 0. */
  offset: number;
  /** 1/σ_y. */
  labelScale: number;
}

/**
 * Dense rows four at a time: margins, multipliers and gradient in one sweep that reads each row once
 * (faster than gemv/gemvT over chunks for narrow rows, measured). Returns [Σ mult, loss, Σ w].
 */
function leastSquaresDense(
  X: Float64Array, xOff: number, n: number, d: number, coef: Float64Array, offset: number, ys: number,
  y: Float64Array, weights: Float64Array | null, grad: Float64Array,
): [number, number, number] {
  let multSum = 0, loss = 0, wSum = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p0 = xOff + i * d, p1 = p0 + d, p2 = p1 + d, p3 = p2 + d;
    let z0 = offset - y[i] * ys, z1 = offset - y[i + 1] * ys, z2 = offset - y[i + 2] * ys, z3 = offset - y[i + 3] * ys;
    for (let j = 0; j < d; j++) {
      const c = coef[j];
      z0 += X[p0 + j] * c; z1 += X[p1 + j] * c; z2 += X[p2 + j] * c; z3 += X[p3 + j] * c;
    }
    const w0 = weights === null ? 1 : weights[i], w1 = weights === null ? 1 : weights[i + 1];
    const w2 = weights === null ? 1 : weights[i + 2], w3 = weights === null ? 1 : weights[i + 3];
    const m0 = w0 * z0, m1 = w1 * z1, m2 = w2 * z2, m3 = w3 * z3;
    loss += 0.5 * (m0 * z0 + m1 * z1 + m2 * z2 + m3 * z3);
    multSum += m0 + m1 + m2 + m3;
    wSum += w0 + w1 + w2 + w3;
    addRows4(grad, X, d, p0, m0, m1, m2, m3);
  }
  for (; i < n; i++) {
    const p = xOff + i * d;
    const z = rowMargin(X, p, d, coef, offset - y[i] * ys);
    const w = weights === null ? 1 : weights[i], m = w * z;
    loss += 0.5 * m * z;
    multSum += m;
    wSum += w;
    addRow(grad, X, d, p, m);
  }
  return [multSum, loss, wSum];
}

/**
 * Σ w·(x·coef + offset − y/σ_y)²/2 and its gradient in raw feature space.
 * Result: [Σ mult·x (d), Σ mult, loss, Σ w], mult = w·diff.
 */
export const LEAST_SQUARES = registerAggregator<Float64Array, LeastSquaresParams>('linear.leastSquares', (acc, batch, p, ctx) => {
  const inst = readInstances(batch, p.spec, ctx.partitionIndex);
  const { n, labels, weights } = inst;
  const d = p.d, coef = p.coef, offset = p.offset, ys = p.labelScale;
  let multSum = 0, loss = 0, wSum = 0;
  if (inst.X && d <= FUSED_MAX_D) {
    [multSum, loss, wSum] = leastSquaresDense(inst.X, inst.xOff, n, d, coef, offset, ys, labels!, weights, acc);
  } else {
    chunkedMarginPass(inst, d, coef, acc, (buf, r0, m) => {
      for (let i = 0; i < m; i++) {
        const w = weights ? weights[r0 + i] : 1;
        wSum += w;
        const diff = buf[i] + offset - labels![r0 + i] * ys;
        loss += 0.5 * w * diff * diff;
        const mult = w * diff;
        buf[i] = mult;
        multSum += mult;
      }
    });
  }
  acc[d] += multSum;
  acc[d + 1] += loss;
  acc[d + 2] += wSum;
  return acc;
});

export interface HuberParams {
  spec: InstanceSpec;
  d: number;
  coef: Float64Array;
  /** Intercept − Σ β_j·μ_j/σ_j with an intercept, else 0. */
  offset: number;
  sigma: number;
  epsilon: number;
}

/**
 * Huber loss of Spark's HuberBlockAggregator (Owen's joint estimate of coefficients and scale σ).
 * Result: [Σ mult·x (d), Σ mult, Σ ∂/∂σ, loss, Σ w].
 */
export const HUBER = registerAggregator<Float64Array, HuberParams>('linear.huber', (acc, batch, p, ctx) => {
  const inst = readInstances(batch, p.spec, ctx.partitionIndex);
  const { labels, weights } = inst;
  const { d, coef, offset, sigma, epsilon } = p;
  let multSum = 0, sigmaGrad = 0, loss = 0, wSum = 0;
  const bound = sigma * epsilon;
  chunkedMarginPass(inst, d, coef, acc, (buf, r0, m) => {
    for (let i = 0; i < m; i++) {
      const w = weights ? weights[r0 + i] : 1;
      wSum += w;
      if (!(w > 0)) { buf[i] = 0; continue; }
      const linearLoss = labels![r0 + i] - (buf[i] + offset);
      let mult: number;
      if (Math.abs(linearLoss) <= bound) {
        const z = linearLoss / sigma;
        loss += 0.5 * w * (sigma + (linearLoss * linearLoss) / sigma);
        mult = -w * z;
        sigmaGrad += 0.5 * w * (1 - z * z);
      } else {
        loss += 0.5 * w * (sigma + 2 * epsilon * Math.abs(linearLoss) - sigma * epsilon * epsilon);
        mult = w * (linearLoss >= 0 ? -1 : 1) * epsilon;
        sigmaGrad += 0.5 * w * (1 - epsilon * epsilon);
      }
      buf[i] = mult;
      multSum += mult;
    }
  });
  acc[d] += multSum;
  acc[d + 1] += sigmaGrad;
  acc[d + 2] += loss;
  acc[d + 3] += wSum;
  return acc;
});

// --- prediction -------------------------------------------------------------------------------

export interface LinearPredictParams {
  column: string;
  sparse: boolean;
  d: number;
  coef: Float64Array;
  intercept: number;
  stage: string;
}

/** Reads a features column for scoring: checks sparse sizes against the model's. */
export function scoringInstances(batch: RecordBatch, column: string, sparse: boolean, d: number, stage: string): { inst: Instances; valid: Uint8Array | null } {
  const data = columnByName(batch, column);
  const valid = validityBytes(data);
  const n = batch.numRows;
  if (sparse) {
    const sv = sparseView(data);
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) continue;
      if (sv.sizes[i] !== d) {
        throw new Error(`${stage}: column '${column}' holds a vector of size ${sv.sizes[i]} at row ${i}, but the model has ${d} features`);
      }
    }
    return { inst: { n, X: null, xOff: 0, sv, labels: null, weights: null }, valid };
  }
  const child = data.children[0] as AnyData;
  return { inst: { n, X: child.values as Float64Array, xOff: child.offset + data.offset * d, sv: null, labels: null, weights: null }, valid };
}

/** prediction = x·coefficients + intercept; null vectors give null. */
export const LINEAR_PREDICT = registerMapper<LinearPredictParams>('linear.predict', (batch, p) => {
  const { inst, valid } = scoringInstances(batch, p.column, p.sparse, p.d, p.stage);
  const out = new Float64Array(inst.n);
  linearPredictInto(inst, p, out);
  return { columns: [primitiveData({ kind: 'double' }, out, valid)] };
});

/** x·coefficients + intercept of the instances' rows into `out`: transform's (and the row scorer's) formula. */
export function linearPredictInto(inst: Instances, p: Pick<LinearPredictParams, 'd' | 'coef' | 'intercept'>, out: Float64Array): void {
  const n = inst.n;
  marginsOf(inst, p.d, p.coef, 0, n, out);
  for (let i = 0; i < n; i++) out[i] += p.intercept;
}
