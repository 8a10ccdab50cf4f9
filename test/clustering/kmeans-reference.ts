// A slow, literal reference for K-Means: Spark's Lloyd loop (KMeans.runAlgorithmWithWeight) with a
// full scan of every center for every point, no bounds, no shift. Tests compare the fast path with it.
export interface ReferenceResult { centers: number[][]; numIter: number; cost: number; history: number[] }

const sq = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] - b[j]) ** 2;
  return s;
};
const norm = (a: ArrayLike<number>) => Math.sqrt(sq(a, new Array(a.length).fill(0)));

export function referenceLloyd(
  points: number[][], weights: number[] | null, initial: number[][], maxIter: number, tol: number, measure: 'euclidean' | 'cosine',
): ReferenceResult {
  const d = points[0].length;
  let centers = initial.map((c) => [...c]);
  const k = centers.length;
  const cost = (x: number[], c: number[]) => (measure === 'euclidean' ? sq(x, c) : 1 - x.reduce((s, v, j) => s + v * c[j], 0) / norm(x) / norm(c));
  const history: number[] = [];
  let iter = 0, converged = false, total = 0;
  while (iter < maxIter && !converged) {
    const sums = centers.map(() => new Array(d).fill(0));
    const ws = new Array(k).fill(0);
    total = 0;
    points.forEach((x, i) => {
      const w = weights ? weights[i] : 1;
      let best = 0, bestCost = Infinity;
      centers.forEach((c, j) => { const v = cost(x, c); if (v < bestCost) { bestCost = v; best = j; } });
      total += w * bestCost;
      const f = measure === 'cosine' ? w / norm(x) : w;
      for (let t = 0; t < d; t++) sums[best][t] += f * x[t];
      ws[best] += w;
    });
    history.push(total);
    converged = true;
    centers = centers.map((c, j) => {
      if (!(ws[j] > 0)) return c;
      let next = sums[j].map((s) => s / ws[j]);
      if (measure === 'cosine') { const n = norm(next); next = next.map((v) => v / n); }
      const moved = measure === 'euclidean' ? sq(next, c) > tol * tol : cost(next, c) > tol;
      if (moved) converged = false;
      return next;
    });
    iter++;
  }
  return { centers, numIter: iter, cost: total, history };
}

/** Nearest center by full scan (first index wins ties). */
export function nearest(x: number[], centers: number[][], measure: 'euclidean' | 'cosine'): number {
  let best = 0, bestCost = Infinity;
  centers.forEach((c, j) => {
    const v = measure === 'euclidean' ? sq(x, c) : 1 - x.reduce((s, u, t) => s + u * c[t], 0) / norm(x) / norm(c);
    if (v < bestCost) { bestCost = v; best = j; }
  });
  return best;
}
