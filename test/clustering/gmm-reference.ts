// A slow, independent EM for Gaussian mixtures (plain loops over every row, no partitions, no
// eigendecomposition): the reference the distributed GaussianMixture must reproduce. Densities use
// a Cholesky factor, which for a full-rank covariance equals Spark's pseudo-inverse form; the E step
// adds Spark's EPSILON to each weighted density, as Spark's ExpectationAggregator does.

export interface RefMixture { weights: number[]; means: number[][]; covs: number[][][] }

const EPS = 2 ** -52;

/** log N(x; mean, cov) by Cholesky (cov must be positive definite). */
export function logNormal(x: number[], mean: number[], cov: number[][]): number {
  const d = x.length;
  const L: number[][] = Array.from({ length: d }, () => new Array(d).fill(0));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = cov[i][j];
      for (let t = 0; t < j; t++) s -= L[i][t] * L[j][t];
      if (i === j) {
        if (!(s > 0)) throw new Error('reference: covariance not positive definite');
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  // Solve L z = x − mean.
  const z = new Array(d).fill(0);
  for (let i = 0; i < d; i++) {
    let s = x[i] - mean[i];
    for (let t = 0; t < i; t++) s -= L[i][t] * z[t];
    z[i] = s / L[i][i];
  }
  let q = 0, logDet = 0;
  for (let i = 0; i < d; i++) { q += z[i] * z[i]; logDet += 2 * Math.log(L[i][i]); }
  return -0.5 * (d * Math.log(2 * Math.PI) + logDet + q);
}

/** Σ w·log Σ_j (EPS + π_j N(x; μ_j, Σ_j)). */
export function logLikelihood(rows: number[][], m: RefMixture, w?: number[]): number {
  let ll = 0;
  rows.forEach((x, i) => {
    let s = 0;
    for (let j = 0; j < m.weights.length; j++) s += EPS + m.weights[j] * Math.exp(logNormal(x, m.means[j], m.covs[j]));
    ll += Math.log(s) * (w ? w[i] : 1);
  });
  return ll;
}

/** One EM iteration: the log-likelihood at `m`, and the next mixture (centred covariance formula). */
export function emStep(rows: number[][], m: RefMixture, w?: number[]): { ll: number; next: RefMixture } {
  const k = m.weights.length, d = rows[0].length;
  const resp = rows.map((x) => {
    const p = m.weights.map((pi, j) => EPS + pi * Math.exp(logNormal(x, m.means[j], m.covs[j])));
    const s = p.reduce((a, b) => a + b, 0);
    return p.map((v) => v / s);
  });
  const ll = logLikelihood(rows, m, w);
  const W = new Array(k).fill(0);
  const means = Array.from({ length: k }, () => new Array(d).fill(0));
  rows.forEach((x, i) => {
    for (let j = 0; j < k; j++) {
      const r = resp[i][j] * (w ? w[i] : 1);
      W[j] += r;
      for (let t = 0; t < d; t++) means[j][t] += r * x[t];
    }
  });
  for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) means[j][t] /= W[j];
  const covs = Array.from({ length: k }, () => Array.from({ length: d }, () => new Array(d).fill(0)));
  rows.forEach((x, i) => {
    for (let j = 0; j < k; j++) {
      const r = resp[i][j] * (w ? w[i] : 1);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) covs[j][a][b] += r * (x[a] - means[j][a]) * (x[b] - means[j][b]);
    }
  });
  for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) covs[j][a][b] /= W[j];
  const total = W.reduce((a, b) => a + b, 0);
  return { ll, next: { weights: W.map((v) => v / total), means, covs } };
}

/** Spark's loop: iterate while iterations < maxIter and |ll − llPrev| > tol. */
export function referenceEM(rows: number[][], init: RefMixture, maxIter: number, tol: number, w?: number[]): { mixture: RefMixture; ll: number; numIter: number } {
  let m = init, ll = -Number.MAX_VALUE, prev = 0, it = 0;
  while (it < maxIter && Math.abs(ll - prev) > tol) {
    const step = emStep(rows, m, w);
    prev = ll;
    ll = step.ll;
    m = step.next;
    it++;
  }
  return { mixture: m, ll, numIter: it };
}
