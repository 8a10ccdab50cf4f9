// The data the Spark suites share: small, seeded tables that Quiver writes once as Parquet and both
// engines read, plus the comparisons the suites make (each states its tolerance where it is used).
import { expect } from 'vitest';

import { DenseVector, SparseVector, StringIndexer, VectorAssembler, type DataFrame, type Row, type Session, type TreeNode } from '../../src/index.js';
import type { Params } from '../../src/pipeline/params.js';
import { gaussian, randomInt, randomStream } from '../../src/linalg/random.js';

/** Column order of the `table` data set (Parquet schema, Spark's DDL). */
export const TABLE_DDL = 'id INT, x1 DOUBLE, x2 DOUBLE, x3 DOUBLE, x4 DOUBLE, city STRING, label DOUBLE, label3 DOUBLE, y DOUBLE, w DOUBLE';
export const TABLE_SCHEMA = {
  id: 'int', x1: 'double', x2: 'double', x3: 'double', x4: 'double', city: 'string',
  label: 'double', label3: 'double', y: 'double', w: 'double',
} as const;
export const FEATURES = ['x1', 'x2', 'x3', 'x4'] as const;
/** City frequencies differ (60:25:10:5 %) so that frequency orderings have no ties. */
const CITIES = ['Oslo', 'Bergen', 'Tromsø', 'Ås'] as const;

/**
 * `n` rows: four features (x3 on a coarse grid so trees see repeated values, x4 a wide scale),
 * a city, a binary label and a 3-class label from a noisy logistic model, a linear target `y`
 * with noise, and positive weights `w`.
 */
export function tableRows(n: number, seed: number): Row[] {
  const rng = randomStream(seed, 'spark-oracle-table');
  const rows: Row[] = [];
  for (let id = 0; id < n; id++) {
    const x1 = gaussian(rng);
    const x2 = 2 * rng() - 1;
    const x3 = randomInt(rng, 8) / 2;
    const x4 = 100 * gaussian(rng) + 50;
    const u = rng();
    const city = CITIES[u < 0.6 ? 0 : u < 0.85 ? 1 : u < 0.95 ? 2 : 3]!;
    const margin = 1.5 * x1 - 2 * x2 + 0.4 * x3 + 0.004 * x4 + (city === 'Oslo' ? 0.5 : -0.3) + 0.7 * gaussian(rng);
    const label = margin > 0.6 ? 1 : 0;
    const label3 = margin < -0.4 ? 0 : margin < 1.6 ? 1 : 2;
    const y = 3 + 2 * x1 - x2 + 0.5 * x3 + 0.01 * x4 + (city === 'Bergen' ? 1 : 0) + 0.3 * gaussian(rng);
    const w = 0.5 + 2 * rng();
    rows.push({ id, x1, x2, x3, x4, city, label, label3, y, w });
  }
  return rows;
}

/** Writes `tableRows(n, seed)` as Parquet at `path` with Quiver, in two part files. */
export async function writeTable(session: Session, path: string, n: number, seed: number): Promise<void> {
  const df = session.createDataFrame(tableRows(n, seed), { schema: TABLE_SCHEMA, numPartitions: 2 });
  await df.write.mode('overwrite').parquet(path);
}

/** writeTable's table read back in Quiver as the Spark side's T: FEATURES assembled into `features`, `city` indexed into `cityIndex`. */
export async function readFeatureTable(session: Session, path: string): Promise<DataFrame> {
  const df = await session.read.parquet(path);
  const assembled = new VectorAssembler({ inputCols: [...FEATURES], outputCol: 'features' }).transform(df);
  return (await new StringIndexer({ inputCol: 'city', outputCol: 'cityIndex' }).fit(assembled)).transform(assembled);
}

/** Explicit ratings for ALS: `users` × `items`, each pair rated with probability `density`. */
export function ratingRows(users: number, items: number, density: number, seed: number): Row[] {
  const rng = randomStream(seed, 'spark-oracle-ratings');
  const u = Array.from({ length: users }, () => [gaussian(rng), gaussian(rng)]);
  const v = Array.from({ length: items }, () => [gaussian(rng), gaussian(rng)]);
  const rows: Row[] = [];
  for (let i = 0; i < users; i++) {
    for (let j = 0; j < items; j++) {
      if (rng() >= density) continue;
      const r = 3 + u[i]![0]! * v[j]![0]! + u[i]![1]! * v[j]![1]! + 0.2 * gaussian(rng);
      rows.push({ user: i, item: j, rating: Math.round(r * 4) / 4 });
    }
  }
  return rows;
}

// --- comparisons ---------------------------------------------------------------------------

/** |a - b| <= rel · max(|a|, |b|), with `abs` as the floor for values near 0; NaN equals NaN. */
export function close(a: number, b: number, rel: number, abs = 0): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= Math.max(rel * Math.max(Math.abs(a), Math.abs(b)), abs);
}

export type Tolerance = { rel: number; abs?: number };

/** The largest relative difference between two arrays (0 when equal), for the messages. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), Number.MIN_VALUE));
  }
  return worst;
}

/** Numbers within `tol`, element by element; `what` names the comparison in the failure. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (!close(actual[i]!, expected[i]!, tol.rel, tol.abs ?? 0)) bad.push(`[${i}] quiver ${actual[i]} spark ${expected[i]}`);
  }
  expect(bad, `${what}: beyond rel ${tol.rel}${tol.abs ? ` / abs ${tol.abs}` : ''} (max rel diff ${maxRelDiff(actual, expected)})`).toEqual([]);
}

/** A vector's values as a plain array (dense or sparse, equal vectors compare equal). */
export function vectorValues(v: unknown): number[] {
  if (v instanceof DenseVector || v instanceof SparseVector) return Array.from(v.toArray());
  throw new Error(`expected a vector, got ${JSON.stringify(v)}`);
}

/**
 * Compares rows column by column, matched by `key`: numbers and vectors within `tol`
 * (exact when `tol.rel` is 0), everything else equal.
 */
export function expectSameRows(quiver: readonly Row[], spark: readonly Row[], key: string, columns: readonly string[], tol: Tolerance = { rel: 0 }): number {
  expect(quiver.length, 'row count').toBe(spark.length);
  let worst = 0;
  const byKey = new Map(spark.map((r) => [r[key], r]));
  for (const column of columns) {
    const q: number[] = [];
    const s: number[] = [];
    for (const row of quiver) {
      const other = byKey.get(row[key]);
      expect(other, `spark has no row with ${key} = ${String(row[key])}`).toBeDefined();
      const a = row[column];
      const b = other![column];
      if (typeof a === 'number' && typeof b === 'number') {
        q.push(a);
        s.push(b);
      } else if (a instanceof DenseVector || a instanceof SparseVector) {
        const bv = vectorValues(b);
        expect(a.size, `${column} at ${key} = ${String(row[key])}: vector size`).toBe(bv.length);
        q.push(...vectorValues(a));
        s.push(...bv);
      } else {
        expect(a, `${column} at ${key} = ${String(row[key])}`).toEqual(b);
      }
    }
    expectClose(q, s, tol, `column ${column}`);
    worst = Math.max(worst, maxAbsDiff(q, s));
  }
  return worst;
}

/** The largest absolute difference between two arrays (0 when equal). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** One line of the measurements the README's compatibility table is filled from. */
export function measured(stage: string, what: string, maxAbs: number): void {
  console.log(`spark-measured | ${stage} | ${what} | max abs diff ${maxAbs.toExponential(2)}`);
}

// --- the two sides' views of one stage -------------------------------------------------------

/** Every param with a value (default or set), by name, as Spark's JSON would encode it. */
export function quiverParamValues(stage: Params): Record<string, unknown> {
  return { ...stage.defaultParamMapJSON(), ...stage.paramMapJSON() };
}

/** A value as JSON would carry it, with non-finite doubles as Spark's metadata spells them. */
function jsonForm(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `${v} (64-bit)`; // exact, both sides decode longs as bigints
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf';
    if (v instanceof DenseVector || v instanceof SparseVector) return Array.from(v.toArray());
    return v;
  }));
}

/**
 * Quiver has every param that Spark has a value for, with the same value (`skip`: params whose
 * difference the caller states). Spark's values come from pyspark's extractParamMap().
 */
export function expectSameParamValues(stage: Params, sparkValues: Record<string, unknown>, skip: readonly string[] = []): void {
  const ours = quiverParamValues(stage);
  for (const [name, value] of Object.entries(sparkValues)) {
    if (skip.includes(name)) continue;
    expect(stage.hasParam(name), `${stage.constructor.name} has Spark's param ${name}`).toBe(true);
    expect(jsonForm(ours[name]), `${stage.constructor.name}.${name}`).toEqual(jsonForm(value));
  }
}

/** A tree's nodes in pre-order, in the shape of oracle.py's tree_nodes. */
export interface FlatNode {
  prediction: number;
  impurity: number;
  stats: number[];
  leaf: boolean;
  gain?: number;
  feature?: number;
  threshold?: number;
  leftCategories?: number[];
}

export function quiverTreeNodes(root: TreeNode): FlatNode[] {
  const out: FlatNode[] = [];
  const walk = (node: TreeNode): void => {
    const entry: FlatNode = { prediction: node.prediction, impurity: node.impurity, stats: Array.from(node.impurityStats), leaf: node.isLeaf };
    out.push(entry);
    if (node.isLeaf) return;
    const split = node.split!;
    entry.gain = node.gain!;
    entry.feature = split.featureIndex;
    if ('threshold' in split) entry.threshold = split.threshold;
    else entry.leftCategories = [...split.leftCategories].sort((a, b) => a - b);
    walk(node.leftChild!);
    walk(node.rightChild!);
  };
  walk(root);
  return out;
}

/**
 * Two trees are the same tree: the same shape, the same split features and thresholds (exact:
 * both take thresholds from the same sorted distinct values), predictions and statistics within
 * `tol` (sums of the same doubles in another order).
 */
export function expectSameTree(quiver: readonly FlatNode[], spark: readonly FlatNode[], tol: Tolerance, what: string): void {
  const shape = (nodes: readonly FlatNode[]) => nodes.map((n) => (n.leaf ? 'leaf' : `f${n.feature} ${n.threshold ?? `in {${n.leftCategories}}`}`));
  expect(shape(quiver), `${what}: structure (pre-order)`).toEqual(shape(spark));
  expectClose(quiver.map((n) => n.prediction), spark.map((n) => n.prediction), tol, `${what}: node predictions`);
  expectClose(quiver.map((n) => n.impurity), spark.map((n) => n.impurity), tol, `${what}: node impurities`);
  expectClose(quiver.flatMap((n) => n.stats), spark.flatMap((n) => n.stats), tol, `${what}: node impurity stats`);
  expectClose(quiver.map((n) => n.gain ?? 0), spark.map((n) => n.gain ?? 0), tol, `${what}: split gains`);
}
