// Tree models in Spark's layout (DecisionTreeModelReadWrite, EnsembleModelReadWrite):
//   single tree:  data/ with NodeData columns (id, prediction, impurity, impurityStats, rawCount,
//                 gain, leftChild, rightChild, split{featureIndex, leftCategoriesOrThreshold, numCategories}),
//                 node ids in pre-order;
//   ensemble:     data/ with (treeID, nodeData: NodeData) and treesMetadata/ with (treeID,
//                 metadata: each tree's metadata JSON, weights).
import { Field, Float64, Int32, Int64, List, Struct, type Table } from 'apache-arrow';
import { dataTable, doubleColumn, intColumn, stringColumn, type DataColumn } from '../persistence/ml/data-columns.js';
import type { LoadContext, SaveContext } from '../persistence/ml/contexts.js';
import { ModelPersistenceError } from '../persistence/ml/errors.js';
import { metadataJSON } from '../persistence/ml/metadata.js';
import type { Params } from '../pipeline/params.js';
import { TreeNodes } from './nodes.js';

const doubles = (): List => new List(new Field('element', new Float64(), false));

const SPLIT_DATA = new Struct([
  new Field('featureIndex', new Int32(), false),
  new Field('leftCategoriesOrThreshold', doubles(), true),
  new Field('numCategories', new Int32(), false),
]);

const NODE_FIELDS = [
  new Field('id', new Int32(), false),
  new Field('prediction', new Float64(), false),
  new Field('impurity', new Float64(), false),
  new Field('impurityStats', doubles(), true),
  new Field('rawCount', new Int64(), false),
  new Field('gain', new Float64(), false),
  new Field('leftChild', new Int32(), false),
  new Field('rightChild', new Int32(), false),
  new Field('split', SPLIT_DATA, true),
];

const NODE_DATA = new Struct(NODE_FIELDS);

interface NodeRow {
  id: number;
  prediction: number;
  impurity: number;
  impurityStats: number[];
  rawCount: bigint;
  gain: number;
  leftChild: number;
  rightChild: number;
  split: { featureIndex: number; leftCategoriesOrThreshold: number[]; numCategories: number };
}

function nodeRows(tree: TreeNodes): NodeRow[] {
  const S = tree.statsSize;
  return Array.from({ length: tree.numNodes }, (_, i): NodeRow => {
    const leaf = tree.feature[i] < 0;
    const cats = tree.categories[i];
    return {
      id: i,
      prediction: tree.prediction[i],
      impurity: tree.impurity[i],
      impurityStats: Array.from(tree.stats.subarray(i * S, (i + 1) * S)),
      rawCount: BigInt(Math.round(tree.rawCount[i])),
      gain: leaf ? -1 : tree.gain[i],
      leftChild: tree.left[i],
      rightChild: tree.right[i],
      split: leaf
        ? { featureIndex: -1, leftCategoriesOrThreshold: [], numCategories: -1 }
        : { featureIndex: tree.feature[i], leftCategoriesOrThreshold: cats ? Array.from(cats) : [tree.threshold[i]], numCategories: cats ? tree.numCategories[i] : -1 },
    };
  });
}

/** Spark's DecisionTreeModelReadWrite: one NodeData row per node, as top-level columns. */
export async function saveTree(tree: TreeNodes, out: SaveContext): Promise<void> {
  const rows = nodeRows(tree);
  const cols: Record<string, DataColumn> = {};
  for (const f of NODE_FIELDS) cols[f.name] = { type: f.type, nullable: f.nullable, values: rows.map((r) => r[f.name as keyof NodeRow]) };
  await out.writeData(dataTable(cols));
}

/** Spark's EnsembleModelReadWrite.saveImpl: data/ (treeID, nodeData) and treesMetadata/ (treeID, metadata, weights). */
export async function saveEnsemble(trees: readonly TreeNodes[], weights: readonly number[], treeModels: readonly Params[], treeClassName: string, out: SaveContext): Promise<void> {
  const ids: number[] = [], nodes: NodeRow[] = [];
  trees.forEach((t, i) => { for (const r of nodeRows(t)) { ids.push(i); nodes.push(r); } });
  await out.writeData(dataTable({ treeID: intColumn(ids), nodeData: { type: NODE_DATA, nullable: true, values: nodes } }));
  await out.writeData(dataTable({
    treeID: intColumn(trees.map((_, i) => i)),
    metadata: stringColumn(treeModels.map((m) => metadataJSON(m, treeClassName))),
    weights: doubleColumn(weights),
  }), 'treesMetadata');
}

function fieldOf(path: string, row: unknown, name: string): unknown {
  if (row === null || typeof row !== 'object') throw new ModelPersistenceError(path, `corrupt model data (data/): a node row is not a struct`);
  const v = (row as Record<string, unknown>)[name];
  if (v === undefined) throw new ModelPersistenceError(path, `corrupt model data (data/): node field '${name}' is missing`);
  return v;
}

function numbers(v: unknown): number[] {
  if (v === null) return [];
  const a = typeof (v as { toArray?: unknown }).toArray === 'function' ? (v as { toArray(): ArrayLike<number> }).toArray() : v;
  return Array.from(a as ArrayLike<number>, Number);
}

/** Spark's buildTreeFromNodes: nodes sorted by id must be 0 .. n-1 in pre-order. */
function treeFromRows(path: string, rows: unknown[], classification: boolean): TreeNodes {
  const parsed = rows.map((row) => {
    const split = fieldOf(path, row, 'split');
    return {
      id: Number(fieldOf(path, row, 'id')),
      prediction: Number(fieldOf(path, row, 'prediction')),
      impurity: Number(fieldOf(path, row, 'impurity')),
      stats: numbers(fieldOf(path, row, 'impurityStats')),
      rawCount: Number(fieldOf(path, row, 'rawCount')),
      gain: Number(fieldOf(path, row, 'gain')),
      left: Number(fieldOf(path, row, 'leftChild')),
      right: Number(fieldOf(path, row, 'rightChild')),
      feature: split === null ? -1 : Number(fieldOf(path, split, 'featureIndex')),
      cats: split === null ? [] : numbers(fieldOf(path, split, 'leftCategoriesOrThreshold')),
      numCategories: split === null ? -1 : Number(fieldOf(path, split, 'numCategories')),
    };
  }).sort((a, b) => a.id - b.id);
  const n = parsed.length;
  const bad = (problem: string) => new ModelPersistenceError(path, `corrupt model data (data/): ${problem}`);
  if (n === 0) throw bad('a tree has no nodes');
  parsed.forEach((p, i) => {
    if (p.id !== i) throw bad(`expected node ids 0..${n - 1}, found ${p.id} at position ${i}`);
    if (p.left !== -1 && !(p.left > i && p.left < n && p.right > p.left && p.right < n)) throw bad(`node ${i} has children ${p.left}, ${p.right}`);
    if (p.left !== -1 && p.numCategories === -1 && p.cats.length !== 1) throw bad(`node ${i} has a continuous split with ${p.cats.length} thresholds`);
  });
  const S = Math.max(1, ...parsed.map((p) => p.stats.length));
  const stats = new Float64Array(n * S);
  parsed.forEach((p, i) => stats.set(p.stats.slice(0, S), i * S));
  return new TreeNodes({
    feature: Int32Array.from(parsed, (p) => (p.left === -1 ? -1 : p.feature)),
    threshold: Float64Array.from(parsed, (p) => (p.left !== -1 && p.numCategories === -1 ? p.cats[0] : NaN)),
    left: Int32Array.from(parsed, (p) => p.left),
    right: Int32Array.from(parsed, (p) => (p.left === -1 ? -1 : p.right)),
    prediction: Float64Array.from(parsed, (p) => p.prediction),
    impurity: Float64Array.from(parsed, (p) => p.impurity),
    gain: Float64Array.from(parsed, (p) => p.gain),
    rawCount: Float64Array.from(parsed, (p) => p.rawCount),
    stats, statsSize: S,
    categories: parsed.map((p) => (p.left !== -1 && p.numCategories !== -1 ? Float64Array.from(p.cats).sort() : null)),
    numCategories: Int32Array.from(parsed, (p) => (p.left === -1 ? -1 : p.numCategories)),
    classification,
  });
}

function rowsOf(table: Table): unknown[] {
  return Array.from({ length: table.numRows }, (_, i) => {
    const r = table.get(i);
    return r === null ? null : (r.toJSON() as unknown);
  });
}

export async function loadTree(ctx: LoadContext, classification: boolean): Promise<TreeNodes> {
  const data = await ctx.readData();
  return treeFromRows(ctx.path, rowsOf(data.table), classification);
}

export async function loadEnsemble(ctx: LoadContext, classification: boolean): Promise<{ trees: TreeNodes[]; weights: number[] }> {
  const data = await ctx.readData();
  const byTree = new Map<number, unknown[]>();
  for (const row of rowsOf(data.table)) {
    const id = Number(fieldOf(ctx.path, row, 'treeID'));
    const node = fieldOf(ctx.path, row, 'nodeData');
    if (!byTree.has(id)) byTree.set(id, []);
    byTree.get(id)!.push(node);
  }
  const meta = await ctx.readData('treesMetadata');
  const weights = new Map<number, number>();
  // Spark 4.1 writes the (treeID, metadata, weights) tuples without naming them: _1, _2, _3.
  const positional = !meta.columns.includes('treeID') && meta.columns.includes('_1') && meta.columns.includes('_3');
  const [idColumn, weightColumn] = positional ? ['_1', '_3'] : ['treeID', 'weights'];
  for (let r = 0; r < meta.numRows; r++) weights.set(meta.int(idColumn, r), meta.double(weightColumn, r));
  const ids = [...weights.keys()].sort((a, b) => a - b);
  ids.forEach((id, i) => {
    if (id !== i) throw new ModelPersistenceError(ctx.path, `corrupt model data (treesMetadata/): tree ${i} is missing`);
    if (!byTree.has(id)) throw new ModelPersistenceError(ctx.path, `corrupt model data (data/): tree ${id} has no nodes`);
  });
  if (byTree.size !== ids.length) throw new ModelPersistenceError(ctx.path, `corrupt model data: data/ holds ${byTree.size} trees but treesMetadata/ ${ids.length}`);
  return { trees: ids.map((id) => treeFromRows(ctx.path, byTree.get(id)!, classification)), weights: ids.map((id) => weights.get(id)!) };
}

/** A required numeric key of the model's metadata (numFeatures, numClasses). */
export function metadataInt(ctx: LoadContext, key: string, fallback?: number): number {
  const v = ctx.metadata.json[key];
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (fallback !== undefined) return fallback;
  throw new ModelPersistenceError(ctx.path, `corrupt metadata: '${key}' is missing or not an integer`);
}

