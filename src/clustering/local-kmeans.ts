// Spark's LocalKMeans: weighted k-means++ seeding then up to `maxIterations` rounds of Lloyd on a
// small weighted point set, on the driver. k-means|| runs it on its candidates, each weighted by
// the number of points it won. Distances are Euclidean whatever the measure, as in Spark.
//
// One deliberate difference: the seeding is greedy k-means++ (Arthur & Vassilvitskii; scikit-learn's
// default): each new center is the best of 2 + ⌊ln k⌋ weighted D² draws, the one that lowers the
// weighted potential most. Spark takes a single draw, and with many candidates per true cluster a
// single draw lands in an already covered cluster often enough (about half the time for 10 well
// separated blobs) that Lloyd then stalls in a local optimum.
import type { Rng } from '../linalg/random.js';
import { CenterSet, squaredDistance } from './distance.js';

/**
 * Picks k centers (k×d, flat) from `points` (n×d, flat) with `weights`. When the points run out of
 * positive cost, the first point is reused (Spark logs "ran out of distinct points"); an empty
 * cluster during the Lloyd rounds moves to a random point.
 */
export function kMeansPlusPlus(points: Float64Array, weights: Float64Array, d: number, k: number, maxIterations: number, rng: Rng): Float64Array {
  const n = weights.length;
  if (n === 0) throw new Error('kMeansPlusPlus: no candidate points');
  const centers = new Float64Array(k * d);
  const setCenter = (c: number, p: number) => centers.set(points.subarray(p * d, (p + 1) * d), c * d);

  setCenter(0, pickWeighted(rng, weights));
  let cost = new Float64Array(n);
  for (let p = 0; p < n; p++) cost[p] = squaredDistance(points, p * d, centers, 0, d);
  let trialCost = new Float64Array(n);
  let bestCost = new Float64Array(n);
  const trials = 2 + Math.floor(Math.log(k));

  for (let c = 1; c < k; c++) {
    let sum = 0;
    for (let p = 0; p < n; p++) sum += weights[p] * cost[p];
    let bestPotential = Infinity;
    let best = 0;
    for (let t = 0; t < trials; t++) {
      const r = rng() * sum;
      let cumulative = 0;
      let j = 0;
      while (j < n && cumulative < r) { cumulative += weights[j] * cost[j]; j++; }
      const pick = j === 0 ? 0 : j - 1;
      let potential = 0;
      for (let p = 0; p < n; p++) {
        trialCost[p] = Math.min(cost[p], squaredDistance(points, p * d, points, pick * d, d));
        potential += weights[p] * trialCost[p];
      }
      if (potential < bestPotential) {
        bestPotential = potential;
        best = pick;
        [bestCost, trialCost] = [trialCost, bestCost];
      }
    }
    setCenter(c, best);
    [cost, bestCost] = [bestCost, cost];
  }

  // Lloyd rounds until no point changes cluster.
  const oldClosest = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let iteration = 0, moved = true; moved && iteration < maxIterations; iteration++) {
    moved = false;
    sums.fill(0);
    counts.fill(0);
    const set = new CenterSet(centers, k, d, 'euclidean');
    for (let p = 0; p < n; p++) {
      const j = set.nearest(points, p * d);
      const w = weights[p];
      for (let t = 0; t < d; t++) sums[j * d + t] += w * points[p * d + t];
      counts[j] += w;
      if (j !== oldClosest[p]) { moved = true; oldClosest[p] = j; }
    }
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) setCenter(j, Math.floor(rng() * n));
      else for (let t = 0; t < d; t++) centers[j * d + t] = sums[j * d + t] / counts[j];
    }
  }
  return centers;
}

function pickWeighted(rng: Rng, weights: Float64Array): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  const r = rng() * total;
  let i = 0;
  let cur = 0;
  while (i < weights.length && cur < r) { cur += weights[i]; i++; }
  return Math.max(i - 1, 0);
}
