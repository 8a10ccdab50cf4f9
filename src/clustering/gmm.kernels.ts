// Gaussian-mixture kernels, each run on one cached partition inside an executor: validation, the
// rows of the initial sample, the E step of an EM iteration (Spark's ExpectationAggregator) and
// the transform's probability/prediction columns.
import { registerAggregator, registerKernel } from '../engine/kernels.js';
import { denseVectorData, primitiveData } from '../dataframe/batch.js';
import { registerMapper } from '../dataframe/mappers.js';
import { instanceWeights, requireDenseRows, vectorRowReader } from './columns.js';
import { EPSILON, logDensity, membership, type GaussianConstants } from './multivariate-gaussian.js';

const STAGE = 'GaussianMixture';

interface Columns { column: string; weightCol: string | null }

export interface PrepareResult { n: number; d: number; weightSum: number }

/** Rows and Σ weight; fails on a null or non-finite vector and on a bad weight (Spark's checkNonNanVectors, checkNonNegativeWeights). */
export const PREPARE = registerKernel<Columns, PrepareResult>('gmm.prepare', (batch, p) => {
  const { n, d, values, offset } = requireDenseRows(batch, p.column, STAGE);
  const w = instanceWeights(batch, p.weightCol, STAGE);
  for (let i = 0; i < n; i++) {
    const base = offset + i * d;
    for (let j = 0; j < d; j++) {
      const x = values[base + j];
      if (!Number.isFinite(x)) throw new Error(`${STAGE}: features column '${p.column}' holds ${x} in row ${i} of this partition; features must be finite`);
    }
  }
  let weightSum = 0;
  for (let i = 0; i < n; i++) weightSum += w === null ? 1 : w[i];
  return { n, d, weightSum };
});

/** The vectors (flat) and weights of the given local rows of each partition, in the order asked. */
export const GATHER = registerKernel<Columns & { rows: number[][] }, { vectors: Float64Array; weights: Float64Array }>('gmm.gather', (batch, p, ctx) => {
  const rows = p.rows[ctx.partitionIndex] ?? [];
  const { d, values, offset } = requireDenseRows(batch, p.column, STAGE);
  const w = instanceWeights(batch, p.weightCol, STAGE);
  const vectors = new Float64Array(rows.length * d);
  const weights = new Float64Array(rows.length);
  rows.forEach((i, r) => {
    vectors.set(values.subarray(offset + i * d, offset + (i + 1) * d), r * d);
    weights[r] = w === null ? 1 : w[i];
  });
  return { vectors, weights };
});

/** The current mixture, as the kernels read it. */
export interface MixtureParams {
  k: number;
  d: number;
  weights: Float64Array;
  /** k×d, row-major. */
  means: Float64Array;
  constants: GaussianConstants[];
}

/** Length of the packed upper triangle of a d×d matrix. */
export const packedSize = (d: number) => (d * (d + 1)) / 2;

/**
 * Layout of an E-step partial: [Σ w·log p(x), then per cluster j the responsibilities' sum
 * W_j (k), Σ r·x (k×d), and Σ r·x·xᵀ packed upper-triangular column-major (k × d(d+1)/2)].
 */
export const expectationSize = (k: number, d: number) => 1 + k + k * d + k * packedSize(d);

/**
 * Spark's ExpectationAggregator.add for every row: p_j = EPSILON + w_j·pdf_j(x); the log-likelihood
 * gains weight·log Σ p_j, and cluster j the responsibility r = p_j/Σp·weight times 1, x and x·xᵀ.
 */
export const EXPECTATION = registerAggregator<Float64Array, Columns & MixtureParams>('gmm.expectation', (acc, batch, p) => {
  const { n, d, values, offset } = requireDenseRows(batch, p.column, STAGE);
  const w = instanceWeights(batch, p.weightCol, STAGE);
  const { k, weights, means, constants } = p;
  const tri = packedSize(d);
  const oW = 1, oMean = 1 + k, oCov = 1 + k + k * d;
  const prob = new Float64Array(k);
  const delta = new Float64Array(d);
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const base = offset + i * d;
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const pj = EPSILON + weights[j] * Math.exp(logDensity(values, base, means, j * d, constants[j], d, delta));
      prob[j] = pj;
      sum += pj;
    }
    const weight = w === null ? 1 : w[i];
    ll += Math.log(sum) * weight;
    for (let j = 0; j < k; j++) {
      const r = (prob[j] / sum) * weight;
      acc[oW + j] += r;
      const m = oMean + j * d;
      for (let t = 0; t < d; t++) acc[m + t] += r * values[base + t];
      // dspr('U'): column c holds rows 0..c at c(c+1)/2.
      const c0 = oCov + j * tri;
      for (let c = 0; c < d; c++) {
        const rc = r * values[base + c];
        const col = c0 + (c * (c + 1)) / 2;
        for (let t = 0; t <= c; t++) acc[col + t] += rc * values[base + t];
      }
    }
  }
  acc[0] += ll;
  return acc;
});

export interface PredictParams extends MixtureParams {
  column: string;
  /** Output columns; an empty name is not produced. */
  probabilityCol: string;
  predictionCol: string;
}

/** The first index of the largest value (Spark's Vector.argmax). */
export function argmax(p: Float64Array, o = 0, k = p.length): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (p[o + j] > p[o + best]) best = j;
  return best;
}

/** The probability (vector of size k) and prediction (int) columns, in that order, for dense or sparse rows. */
export const PREDICT_MAPPER = registerMapper<PredictParams>('gmm.predict', (batch, p) => {
  const { k, d } = p;
  const read = vectorRowReader(batch, p.column, d);
  const n = batch.numRows;
  const probs = new Float64Array(n * k);
  const pred = new Int32Array(n);
  const x = new Float64Array(d);
  const delta = new Float64Array(d);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (!read(i, x)) throw new Error(`GaussianMixtureModel: features column '${p.column}' holds a null vector in row ${i} of this partition`);
    membership(x, 0, p.weights, p.means, p.constants, d, row, delta);
    probs.set(row, i * k);
    pred[i] = argmax(row);
  }
  const columns = [];
  if (p.probabilityCol !== '') columns.push(denseVectorData(k, probs, null, n));
  if (p.predictionCol !== '') columns.push(primitiveData({ kind: 'int' }, pred, null));
  return { columns };
});

/** Rows per predicted cluster (the summary's clusterSizes), from one pass at the final mixture. */
export const CLUSTER_SIZES = registerAggregator<Float64Array, Columns & MixtureParams>('gmm.clusterSizes', (acc, batch, p) => {
  const { n, d, values, offset } = requireDenseRows(batch, p.column, STAGE);
  const row = new Float64Array(p.k);
  const delta = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    membership(values, offset + i * d, p.weights, p.means, p.constants, d, row, delta);
    acc[argmax(row)] += 1;
  }
  return acc;
});
