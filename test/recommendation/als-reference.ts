// A slow, literal ALS for tests: no blocks, one dense solve per entity with ml-matrix. Implicit
// feedback is written naively (a sum over every item, unobserved ones with confidence 1 and
// preference 0), so it checks the YᵀY trick of the fast path rather than repeating it.
import { Matrix, solve } from 'ml-matrix';

export interface Rating { user: number; item: number; rating: number }

export interface ReferenceOptions { rank: number; maxIter: number; regParam: number; implicitPrefs?: boolean; alpha?: number }

export function referenceALS(
  ratings: Rating[], initialUsers: Map<number, number[]>, initialItems: Map<number, number[]>, o: ReferenceOptions,
): { users: Map<number, number[]>; items: Map<number, number[]> } {
  let users = new Map(initialUsers), items = new Map(initialItems);
  const byUser = group(ratings, 'user'), byItem = group(ratings, 'item');
  const half = (targets: Map<number, Rating[]>, other: Map<number, number[]>, otherKey: 'user' | 'item') => {
    const out = new Map<number, number[]>();
    for (const [id, rs] of targets) {
      const k = o.rank;
      const A = Matrix.zeros(k, k), b = Matrix.zeros(k, 1);
      let n = 0;
      if (o.implicitPrefs) {
        const observed = new Map(rs.map((r) => [r[otherKey], r.rating]));
        for (const [oid, y] of other) {
          const r = observed.get(oid);
          const c = r === undefined ? 1 : 1 + (o.alpha ?? 1) * Math.abs(r);
          const p = r !== undefined && r > 0 ? 1 : 0;
          for (let i = 0; i < k; i++) { for (let j = 0; j < k; j++) A.set(i, j, A.get(i, j) + c * y[i] * y[j]); b.set(i, 0, b.get(i, 0) + c * p * y[i]); }
        }
        n = rs.filter((r) => r.rating > 0).length;
      } else {
        for (const r of rs) {
          const y = other.get(r[otherKey])!;
          for (let i = 0; i < k; i++) { for (let j = 0; j < k; j++) A.set(i, j, A.get(i, j) + y[i] * y[j]); b.set(i, 0, b.get(i, 0) + r.rating * y[i]); }
        }
        n = rs.length;
      }
      for (let i = 0; i < k; i++) A.set(i, i, A.get(i, i) + o.regParam * n);
      out.set(id, solve(A, b).getColumn(0));
    }
    return out;
  };
  for (let it = 0; it < o.maxIter; it++) {
    items = half(byItem, users, 'user');
    users = half(byUser, items, 'item');
  }
  return { users, items };
}

function group(ratings: Rating[], key: 'user' | 'item'): Map<number, Rating[]> {
  const m = new Map<number, Rating[]>();
  for (const r of ratings) { const list = m.get(r[key]) ?? []; list.push(r); m.set(r[key], list); }
  return m;
}
