// A slow bisecting K-Means (plain loops over every row, no partitions), written from Spark's
// spark.mllib BisectingKMeans: level by level, the active divisible clusters (largest first when
// fewer splits are needed) split around center ∓ 1e-4·‖center‖·noise, maxIter k-means steps each.
// The noise comes from the same seeded stream as Quiver's (randomStream(seed, 'bisecting-kmeans', 'split')).
import { randomStream } from '../../src/linalg/random.js';

export interface RefNode { size: number; center: number[]; cost: number; children: RefNode[] }

const sq = (a: number[], b: number[]) => a.reduce((s, v, t) => s + (v - b[t]) ** 2, 0);

function summarize(points: number[][], w: number[]): Omit<RefNode, 'children'> | null {
  if (points.length === 0) return null;
  const d = points[0].length;
  const W = w.reduce((a, b) => a + b, 0);
  const center = new Array(d).fill(0);
  points.forEach((p, i) => p.forEach((v, t) => { center[t] += w[i] * v; }));
  for (let t = 0; t < d; t++) center[t] /= W;
  // Σ w‖x − c‖² directly (Spark computes it as Σw‖x‖² − W‖c‖²).
  const cost = points.reduce((s, p, i) => s + w[i] * sq(p, center), 0);
  return { size: points.length, center, cost };
}

export function referenceBisecting(points: number[][], k: number, maxIter: number, seed: number, minDivisible = 1, weights?: number[]): RefNode {
  const w = weights ?? points.map(() => 1);
  const rng = randomStream(seed, 'bisecting-kmeans', 'split');
  const members = new Map<RefNode, number[]>();
  const root: RefNode = { ...summarize(points, w)!, children: [] };
  members.set(root, points.map((_, i) => i));
  const minSize = minDivisible >= 1 ? Math.ceil(minDivisible) : Math.ceil(minDivisible * points.length);
  let active = [root];
  let needed = k - 1;
  while (active.length > 0 && needed > 0) {
    let divisible = active.filter((c) => c.size >= minSize && c.cost > Number.EPSILON * c.size);
    if (divisible.length > needed) divisible = divisible.map((c, i) => [c, i] as const).sort((a, b) => b[0].size - a[0].size || a[1] - b[1]).slice(0, needed).map(([c]) => c);
    if (divisible.length === 0) break;
    const next: RefNode[] = [];
    for (const c of divisible) {
      const norm = Math.sqrt(c.center.reduce((s, v) => s + v * v, 0));
      const noise = c.center.map(() => rng());
      let centers = [c.center.map((v, t) => v - 1e-4 * norm * noise[t]), c.center.map((v, t) => v + 1e-4 * norm * noise[t])];
      let groups: number[][] = [];
      let summaries: (Omit<RefNode, 'children'> | null)[] = [];
      for (let it = 0; it < maxIter; it++) {
        groups = centers.map(() => []);
        for (const i of members.get(c)!) {
          let best = 0;
          for (let j = 1; j < centers.length; j++) if (sq(points[i], centers[j]) < sq(points[i], centers[best])) best = j;
          groups[best].push(i);
        }
        summaries = groups.map((g) => summarize(g.map((i) => points[i]), g.map((i) => w[i])));
        const keep = summaries.map((s, j) => [s, j] as const).filter(([s]) => s !== null);
        groups = keep.map(([, j]) => groups[j]);
        summaries = keep.map(([s]) => s);
        centers = summaries.map((s) => s!.center);
      }
      // The rows follow the final centers (Spark's last updateAssignments).
      const final: number[][] = centers.map(() => []);
      for (const i of members.get(c)!) {
        let best = 0;
        for (let j = 1; j < centers.length; j++) if (sq(points[i], centers[j]) < sq(points[i], centers[best])) best = j;
        final[best].push(i);
      }
      summaries.forEach((s, j) => {
        const child: RefNode = { ...s!, children: [] };
        members.set(child, final[j]);
        c.children.push(child);
        next.push(child);
      });
    }
    active = next;
    needed -= divisible.length;
  }
  return root;
}

export function refLeaves(node: RefNode): RefNode[] {
  return node.children.length === 0 ? [node] : node.children.flatMap(refLeaves);
}
