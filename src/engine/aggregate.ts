// Merging per-partition partials. Partials are always combined in partition order, never in
// arrival order, so an aggregate is bit-identical for any number of threads.

/**
 * Spark's treeAggregate merge: with depth d, partials are folded into ~numPartitions^(1/d)
 * groups level by level (partial i goes to group i % groups), then folded into one. `zero` must
 * return a fresh value, since `merge` may update its first argument in place.
 */
export function treeMerge<T>(partials: T[], zero: () => T, merge: (a: T, b: T) => T, depth = 2): T {
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`treeAggregate depth must be an integer >= 1 but got ${depth}`);
  let level = partials;
  let n = level.length;
  const scale = Math.max(Math.ceil(Math.pow(n, 1 / depth)), 2);
  while (n > scale + Math.ceil(n / scale)) {
    n = Math.floor(n / scale);
    const groups: T[] = Array.from({ length: n }, zero);
    for (let i = 0; i < level.length; i++) groups[i % n] = merge(groups[i % n], level[i]);
    level = groups;
  }
  let acc = zero();
  for (const p of level) acc = merge(acc, p);
  return acc;
}

/** Merges keyed partials (histograms by node, sums by key) in partition order; keys come back sorted when numeric. */
export function keyedMerge<K, V>(partials: Iterable<readonly [K, V]>[], merge: (a: V, b: V) => V): Map<K, V> {
  const acc = new Map<K, V>();
  for (const part of partials) {
    for (const [k, v] of part) {
      const prev = acc.get(k);
      acc.set(k, prev === undefined ? v : merge(prev, v));
    }
  }
  const keys = [...acc.keys()];
  if (keys.every((k) => typeof k === 'number')) {
    (keys as number[]).sort((a, b) => a - b);
    return new Map(keys.map((k) => [k, acc.get(k)!]));
  }
  return acc;
}

/** Elementwise a += b for Float64Array partials (histograms, gradients); returns a. */
export function addInto(a: Float64Array, b: Float64Array): Float64Array {
  if (a.length !== b.length) throw new Error(`cannot add partials of lengths ${a.length} and ${b.length}`);
  for (let i = 0; i < a.length; i++) a[i] += b[i];
  return a;
}
