// Spark's two K-Means distance measures over flat row-major centers (k×d), shared by the driver
// (model.predict, k-means|| on the candidates) and the kernels. Euclidean cost is the squared
// distance; cosine cost is 1 − cos(x, c), undefined for zero-length vectors (as Spark).
export type DistanceMeasure = 'euclidean' | 'cosine';

export const COSINE_ZERO_LENGTH = 'Cosine distance is not defined for zero-length vectors.';

/** Squared Euclidean distance between a[ao..ao+d) and b[bo..bo+d). */
export function squaredDistance(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ao + j] - b[bo + j];
    s += t * t;
  }
  return s;
}

export function dotAt(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[ao + j] * b[bo + j];
  return s;
}

export function normAt(a: Float64Array, ao: number, d: number): number {
  return Math.sqrt(dotAt(a, ao, a, ao, d));
}

/**
 * Centers prepared for assigning points: their norms, so that each point costs one pass over the
 * centers. `nearest` returns the first center of minimal cost (Spark's findClosest breaks ties so).
 */
export class CenterSet {
  readonly norms: Float64Array;

  constructor(readonly centers: Float64Array, readonly k: number, readonly d: number, readonly measure: DistanceMeasure) {
    this.norms = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      this.norms[j] = normAt(centers, j * d, d);
      if (measure === 'cosine' && !(this.norms[j] > 0)) throw new Error(`${COSINE_ZERO_LENGTH} (cluster center ${j})`);
    }
  }

  /** Cost of x (x[xo..xo+d)) to center j: squared distance, or 1 − cos. `xNorm` is needed for cosine. */
  cost(x: Float64Array, xo: number, j: number, xNorm: number): number {
    if (this.measure === 'euclidean') return squaredDistance(x, xo, this.centers, j * this.d, this.d);
    return 1 - dotAt(x, xo, this.centers, j * this.d, this.d) / xNorm / this.norms[j];
  }

  /** Index of the closest center; `costOut[0]` receives its cost when given. */
  nearest(x: Float64Array, xo: number, costOut?: Float64Array): number {
    const { k, d, centers } = this;
    let best = 0;
    let bestCost = Infinity;
    if (this.measure === 'euclidean') {
      for (let j = 0; j < k; j++) {
        const c = squaredDistance(x, xo, centers, j * d, d);
        if (c < bestCost) { bestCost = c; best = j; }
      }
    } else {
      const xNorm = normAt(x, xo, d);
      if (!(xNorm > 0)) throw new Error(COSINE_ZERO_LENGTH);
      for (let j = 0; j < k; j++) {
        const c = 1 - dotAt(x, xo, centers, j * d, d) / xNorm / this.norms[j];
        if (c < bestCost) { bestCost = c; best = j; }
      }
    }
    if (costOut) costOut[0] = bestCost;
    return best;
  }
}
