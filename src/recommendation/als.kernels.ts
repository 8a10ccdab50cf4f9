// ALS kernels. Ratings are bucketed by (user block, item block) once, each block of users and of
// items builds its CSR rows and inbox layout once, then every half-iteration solves one side's
// blocks from their inboxes and ships the new factors straight into the other side's inboxes.
import type { RecordBatch } from 'apache-arrow';
import { registerKernel, type TaskContext } from '../engine/kernels.js';
import type { BroadcastRef } from '../engine/protocol.js';
import { batchToShared } from '../engine/blocks.js';
import { columnByName, listData, makeBatch, primitiveData, structData, validityBytes } from '../dataframe/batch.js';
import { registerMapper } from '../dataframe/mappers.js';
import { arrayType, structType, StructType, type ArrayDataType, type StructDataType } from '../dataframe/types.js';
import { syrk } from '../linalg/blas.js';
import { numericValues } from '../clustering/columns.js';
import { hashGaussian } from '../clustering/row-random.js';
import {
  binarySearch, blockOf, IdIndex, otherSide, sharedFloat64, sharedInt32, type BlockState, type Side, type SideBlock,
} from './als-blocks.js';
import { CholeskySolver, NNLSSolver, NormalEquation, type LeastSquaresSolver } from './normal-equation.js';

// --- ids ---------------------------------------------------------------------------------------

export interface IdColumns { userCol: string; itemCol: string }

const INT_MIN = -2147483648, INT_MAX = 2147483647;

function badId(cols: IdColumns, value: unknown): Error {
  return new Error(`ALS only supports values in Integer range and without fractional part for columns ${cols.userCol} and ${cols.itemCol}. ` +
    `Value ${String(value)} was either out of Integer range or contained a fractional part that could not be converted.`);
}

/** An id column (int, long or double) as Int32 ids; values out of the int range or fractional fail as in Spark. */
export function readIds(batch: RecordBatch, column: string, cols: IdColumns): { ids: Int32Array; valid: Uint8Array | null } {
  const data = columnByName(batch, column);
  const n = data.length;
  const valid = validityBytes(data);
  const raw = data.values as Int32Array | BigInt64Array | Float64Array;
  if (raw instanceof Int32Array) return { ids: raw.subarray(data.offset, data.offset + n), valid };
  const ids = new Int32Array(n);
  if (raw instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) continue;
      const v = raw[data.offset + i];
      if (v < BigInt(INT_MIN) || v > BigInt(INT_MAX)) throw badId(cols, v);
      ids[i] = Number(v);
    }
  } else if (raw instanceof Float64Array) {
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) continue;
      const v = raw[data.offset + i];
      if (!Number.isInteger(v) || v < INT_MIN || v > INT_MAX) throw badId(cols, v);
      ids[i] = v;
    }
  } else {
    throw new Error(`ALS only supports numeric values for columns ${cols.userCol} and ${cols.itemCol}; column ${column} is not numeric`);
  }
  return { ids, valid };
}

// --- bucketing ---------------------------------------------------------------------------------

export interface BucketParams extends IdColumns { ratingCol: string; numUserBlocks: number; numItemBlocks: number }

/** One partition's ratings sorted by rating block (user block · numItemBlocks + item block). */
export interface RatingPiece { users: Int32Array; items: Int32Array; ratings: Float64Array; offsets: Int32Array }

export const BUCKET = registerKernel<BucketParams, RatingPiece>('als.bucket', (batch, p) => {
  const n = batch.numRows;
  const u = readIds(batch, p.userCol, p), it = readIds(batch, p.itemCol, p);
  const r = numericValues(batch, p.ratingCol);
  for (let i = 0; i < n; i++) {
    if (u.valid && !u.valid[i]) throw new Error(`ALS: column ${p.userCol} holds null in row ${i} of this partition; ids must not be null`);
    if (it.valid && !it.valid[i]) throw new Error(`ALS: column ${p.itemCol} holds null in row ${i} of this partition; ids must not be null`);
    if ((r.valid && !r.valid[i]) || !Number.isFinite(r.values[i])) {
      throw new Error(`ALS: column ${p.ratingCol} holds ${r.valid && !r.valid[i] ? 'null' : r.values[i]} in row ${i} of this partition; ratings must be finite numbers`);
    }
  }
  const nib = p.numItemBlocks, numBlocks = p.numUserBlocks * nib;
  const key = new Int32Array(n);
  const offsets = new Int32Array(numBlocks + 1);
  for (let i = 0; i < n; i++) {
    const b = blockOf(u.ids[i], p.numUserBlocks) * nib + blockOf(it.ids[i], nib);
    key[i] = b;
    offsets[b + 1]++;
  }
  for (let b = 0; b < numBlocks; b++) offsets[b + 1] += offsets[b];
  const users = sharedInt32(n), items = sharedInt32(n), ratings = sharedFloat64(n);
  const fill = offsets.slice(0, numBlocks);
  for (let i = 0; i < n; i++) {
    const at = fill[key[i]]++;
    users[at] = u.ids[i]; items[at] = it.ids[i]; ratings[at] = r.values[i];
  }
  return { users, items, ratings, offsets };
});

// --- building the blocks -----------------------------------------------------------------------

export interface BuildParams {
  pieces: BroadcastRef;
  side: Side;
  block: number;
  numUserBlocks: number;
  numItemBlocks: number;
  rank: number;
  /** Key of the hashed Gaussian draws that initialise this side's factors. */
  initKey: number;
}

/**
 * Builds one block of one side from every partition's ratings: the sorted ids, the CSR rows
 * (ratings of an entity ordered by inbox row, so the result does not depend on the input's
 * partitioning), the inbox layout, the out lists, and the initial factors — Spark's random unit
 * vectors, here drawn per entity id so they do not depend on the blocking either.
 */
export const BUILD = registerKernel<BuildParams, SideBlock>('als.build', (_batch, p, ctx) => {
  const pieces = ctx.broadcast<{ pieces: RatingPiece[] }>(p.pieces.$broadcast).pieces;
  const nub = p.numUserBlocks, nib = p.numItemBlocks;
  const isUser = p.side === 'user';
  const numOther = isUser ? nib : nub;
  const keyOf = (ob: number) => (isUser ? p.block * nib + ob : ob * nib + p.block);
  // Gather this block's ratings, grouped by the other side's block.
  const segment = new Int32Array(numOther + 1);
  for (let ob = 0; ob < numOther; ob++) {
    let c = 0;
    for (const pc of pieces) c += pc.offsets[keyOf(ob) + 1] - pc.offsets[keyOf(ob)];
    segment[ob + 1] = segment[ob] + c;
  }
  const nnz = segment[numOther];
  const self = new Int32Array(nnz), other = new Int32Array(nnz), rating = new Float64Array(nnz);
  for (let ob = 0, at = 0; ob < numOther; ob++) {
    const b = keyOf(ob);
    for (const pc of pieces) {
      const from = pc.offsets[b], to = pc.offsets[b + 1];
      self.set((isUser ? pc.users : pc.items).subarray(from, to), at);
      other.set((isUser ? pc.items : pc.users).subarray(from, to), at);
      rating.set(pc.ratings.subarray(from, to), at);
      at += to - from;
    }
  }
  const selfIndex = new IdIndex(Math.min(nnz, 1 << 16));
  for (let q = 0; q < nnz; q++) selfIndex.add(self[q]);
  const ids = selfIndex.relabelSorted();
  const n = ids.length;
  const idsShared = sharedInt32(n);
  idsShared.set(ids);
  const local = new Int32Array(nnz);
  for (let q = 0; q < nnz; q++) local[q] = selfIndex.get(self[q]);
  // Inbox rows: for each other block, its sorted distinct entities rated here; out lists likewise.
  const inBase = sharedInt32(numOther + 1);
  const srcRow = new Int32Array(nnz);
  const out: Int32Array[] = [];
  const seenIn = new Int32Array(n).fill(-1);
  for (let ob = 0; ob < numOther; ob++) {
    const from = segment[ob], to = segment[ob + 1];
    const theirIndex = new IdIndex(to - from);
    for (let q = from; q < to; q++) theirIndex.add(other[q]);
    inBase[ob + 1] = inBase[ob] + theirIndex.relabelSorted().length;
    for (let q = from; q < to; q++) srcRow[q] = inBase[ob] + theirIndex.get(other[q]);
    // This block's entities rated in that other block, in id order (= local index order).
    let count = 0;
    for (let q = from; q < to; q++) if (seenIn[local[q]] !== ob) { seenIn[local[q]] = ob; count++; }
    const list = sharedInt32(count);
    count = 0;
    for (let q = from; q < to; q++) if (seenIn[local[q]] === ob) { seenIn[local[q]] = -2 - ob; list[count++] = local[q]; }
    list.sort();
    out.push(list);
  }
  const rows = inBase[numOther];
  // CSR by entity, each entity's ratings in inbox-row order: counting sort by row, then a stable one by entity.
  const byRow = countingOrder(srcRow, rows, null);
  const ptrs = sharedInt32(n + 1);
  const order = countingOrder(local, n, byRow, ptrs);
  const src = sharedInt32(nnz), ratings = sharedFloat64(nnz);
  for (let q = 0; q < nnz; q++) { const o = order[q]; src[q] = srcRow[o]; ratings[q] = rating[o]; }
  // Initial factors: Gaussian vectors normalised to unit length (Spark's initialize).
  const k = p.rank;
  const factors = sharedFloat64(n * k);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) { const g = hashGaussian(p.initKey, ids[j] * k + t); factors[j * k + t] = g; s += g * g; }
    const inv = 1 / Math.sqrt(s);
    for (let t = 0; t < k; t++) factors[j * k + t] *= inv;
  }
  return {
    ids: idsShared, ptrs, src, ratings, factors, inbox: sharedFloat64(rows * k), inBase, out, outBase: sharedInt32(numOther),
  };
});

/**
 * A stable counting sort of positions by key (keys in [0, buckets)), visiting positions in the
 * order `within` (identity when null). Fills `starts` (buckets + 1) when given.
 */
function countingOrder(keys: Int32Array, buckets: number, within: Int32Array | null, starts: Int32Array = new Int32Array(buckets + 1)): Int32Array {
  const n = keys.length;
  starts.fill(0);
  for (let q = 0; q < n; q++) starts[keys[q] + 1]++;
  for (let b = 0; b < buckets; b++) starts[b + 1] += starts[b];
  const fill = starts.slice(0, buckets);
  const order = new Int32Array(n);
  for (let t = 0; t < n; t++) { const q = within === null ? t : within[t]; order[fill[keys[q]]++] = q; }
  return order;
}

// --- iterations ---------------------------------------------------------------------------------

interface StateParams { state: BroadcastRef; side: Side }

function blockState(p: StateParams, ctx: TaskContext): { state: BlockState; block: SideBlock; others: SideBlock[] } {
  const state = ctx.broadcast<BlockState>(p.state.$broadcast);
  return { state, block: state[p.side][ctx.partitionIndex], others: state[otherSide(p.side)] };
}

/** Copies a block's factors into the inboxes of the other side's blocks that need them. */
function ship(block: SideBlock, others: SideBlock[], k: number): void {
  const { factors, out, outBase } = block;
  for (let ob = 0; ob < others.length; ob++) {
    const list = out[ob], inbox = others[ob].inbox;
    let row = outBase[ob] * k;
    for (let t = 0; t < list.length; t++, row += k) {
      const from = list[t] * k;
      for (let j = 0; j < k; j++) inbox[row + j] = factors[from + j];
    }
  }
}

/** YᵀY of a block's factors (upper triangle, k×k), for implicit feedback. */
function gram(block: SideBlock, k: number): Float64Array {
  const g = new Float64Array(k * k);
  syrk(block.ids.length, k, block.factors, g);
  return g;
}

/** Ships block b's factors to the other side; returns their YᵀY when `gram` is asked. */
export const SHIP = registerKernel<StateParams & { gram: boolean }, Float64Array | null>('als.ship', (_b, p, ctx) => {
  const { state, block, others } = blockState(p, ctx);
  ship(block, others, state.rank);
  return p.gram ? gram(block, state.rank) : null;
});

export interface SolveParams extends StateParams {
  regParam: number;
  implicitPrefs: boolean;
  alpha: number;
  nonnegative: boolean;
  /** YᵀY of the other side's factors (implicit feedback only). */
  yty: Float64Array | null;
}

// Scratch reused across tasks on one executor thread.
let gathered = new Float64Array(0);
let targets = new Float64Array(0);
let weights = new Float64Array(0);

/**
 * Solves every entity of block b (Spark's computeFactors): its normal equation from the other
 * side's factors in its inbox, λ scaled by its number of (positive) ratings, by Cholesky or NNLS;
 * then ships the new factors. Returns YᵀY of the new factors for implicit feedback.
 */
export const SOLVE = registerKernel<SolveParams, Float64Array | null>('als.solve', (_b, p, ctx) => {
  const { state, block, others } = blockState(p, ctx);
  const k = state.rank;
  const { ids, ptrs, src, ratings, factors, inbox } = block;
  const ne = new NormalEquation(k);
  const solver: LeastSquaresSolver = p.nonnegative ? new NNLSSolver() : new CholeskySolver();
  const implicit = p.implicitPrefs;
  let maxDegree = 0;
  for (let j = 0; j < ids.length; j++) maxDegree = Math.max(maxDegree, ptrs[j + 1] - ptrs[j]);
  if (gathered.length < maxDegree * k) { gathered = new Float64Array(maxDegree * k); targets = new Float64Array(maxDegree); weights = new Float64Array(maxDegree); }
  const Y = gathered, b = targets, c = weights;
  for (let j = 0; j < ids.length; j++) {
    const from = ptrs[j], m = ptrs[j + 1] - from;
    // Gather the entity's rows of other-side factors (random rows of the inbox) once, then a blocked syrk.
    for (let q = 0; q < m; q++) {
      const row = src[from + q] * k, at = q * k;
      for (let t = 0; t < k; t++) Y[at + t] = inbox[row + t];
    }
    let numExplicits = m;
    if (implicit) {
      // Spark's extension for rating < 0: confidence 1 + α|r|, preference 1 only when r > 0.
      ne.resetTo(p.yty!);
      numExplicits = 0;
      for (let q = 0; q < m; q++) {
        const r = ratings[from + q];
        const c1 = p.alpha * Math.abs(r);
        c[q] = c1;
        b[q] = r > 0 ? 1 + c1 : 0;
        if (r > 0) numExplicits++;
      }
      ne.addRows(m, Y, b, c);
    } else {
      for (let q = 0; q < m; q++) b[q] = ratings[from + q];
      ne.addRows(m, Y, b);
    }
    if (!solver.solveInto(ne, numExplicits * p.regParam, factors, j * k)) {
      throw new Error(`ALS: the normal equations of ${p.side} ${ids[j]} are not positive definite ` +
        `(${m} ratings, rank ${k}, regParam ${p.regParam}); use regParam > 0`);
    }
  }
  ship(block, others, k);
  return implicit ? gram(block, k) : null;
});

// --- the fitted model: predictions and top-k -----------------------------------------------------

/** Factors of a model, sorted by id, in shared memory (broadcast once per session). */
export interface ModelFactors { rank: number; userIds: Int32Array; userFactors: Float64Array; itemIds: Int32Array; itemFactors: Float64Array }

export interface PredictParams extends IdColumns { model: BroadcastRef; drop: boolean }

/** The prediction column: the dot product of the user's and item's factors; NaN (or the row dropped) for unknown ids. */
export const PREDICT_MAPPER = registerMapper<PredictParams>('als.predict', (batch, p, ctx) => {
  const m = ctx.broadcast<ModelFactors>(p.model.$broadcast);
  const k = m.rank;
  const u = readIds(batch, p.userCol, p), it = readIds(batch, p.itemCol, p);
  const n = batch.numRows;
  const pred = new Float64Array(n);
  let kept = 0;
  const keep = p.drop ? new Int32Array(n) : null;
  for (let i = 0; i < n; i++) {
    const a = u.valid && !u.valid[i] ? -1 : binarySearch(m.userIds, u.ids[i]);
    const b = it.valid && !it.valid[i] ? -1 : binarySearch(m.itemIds, it.ids[i]);
    if (a < 0 || b < 0) { pred[i] = NaN; continue; }
    let s = 0;
    for (let t = 0; t < k; t++) s += m.userFactors[a * k + t] * m.itemFactors[b * k + t];
    pred[i] = s;
    if (keep) keep[kept++] = i;
  }
  if (!keep) return { columns: [primitiveData({ kind: 'double' }, pred, null)] };
  const rows = keep.slice(0, kept);
  return { columns: [primitiveData({ kind: 'double' }, Float64Array.from(rows, (i) => pred[i]), null)], rows };
});

export interface RecommendParams {
  model: BroadcastRef;
  /** 'user': recommend items to users; 'item': users to items. */
  side: Side;
  /** Indices (into the query side's sorted ids) of the entities of this task. */
  queries: Int32Array;
  n: number;
  srcCol: string;
  dstCol: string;
}

/**
 * Top n of the other side for each query entity, as rows (src id, dst id, rating) in descending
 * rating per query: every dst factor is scored against four queries at a time and kept only if it
 * beats the smallest of each query's n-heap, so no score matrix is ever materialised.
 */
export const RECOMMEND = registerKernel<RecommendParams, SharedArrayBuffer>('als.recommend', (_b, p, ctx) => {
  const m = ctx.broadcast<ModelFactors>(p.model.$broadcast);
  const k = m.rank;
  const [srcIds, srcF, dstIds, dstF] = p.side === 'user'
    ? [m.userIds, m.userFactors, m.itemIds, m.itemFactors] : [m.itemIds, m.itemFactors, m.userIds, m.userFactors];
  const queries = p.queries;
  const nd = dstIds.length;
  const top = Math.min(p.n, nd);
  const nq = queries.length;
  const outSrc = new Int32Array(nq), outDst = new Int32Array(nq * top), outScore = new Float64Array(nq * top);
  const heapScore = new Float64Array(4 * top), heapIdx = new Int32Array(4 * top);
  const sizes = new Int32Array(4);
  const Q = new Float64Array(4 * k);
  const push = (h: number, score: number, idx: number): number => {
    const base = h * top;
    let size = sizes[h];
    if (size < top) {
      let j = size++;
      sizes[h] = size;
      while (j > 0) { const up = (j - 1) >> 1; if (heapScore[base + up] <= score) break; heapScore[base + j] = heapScore[base + up]; heapIdx[base + j] = heapIdx[base + up]; j = up; }
      heapScore[base + j] = score; heapIdx[base + j] = idx;
      return size < top ? -Infinity : heapScore[base];
    }
    let j = 0;
    for (;;) {
      const l = 2 * j + 1;
      if (l >= top) break;
      const r = l + 1;
      const small = r < top && heapScore[base + r] < heapScore[base + l] ? r : l;
      if (heapScore[base + small] >= score) break;
      heapScore[base + j] = heapScore[base + small]; heapIdx[base + j] = heapIdx[base + small]; j = small;
    }
    heapScore[base + j] = score; heapIdx[base + j] = idx;
    return heapScore[base];
  };
  for (let q = 0; q < nq; q++) outSrc[q] = srcIds[queries[q]];
  let written = 0;
  for (let q0 = 0; q0 < nq && top > 0; q0 += 4) {
    const cnt = Math.min(4, nq - q0);
    Q.fill(0);
    for (let h = 0; h < cnt; h++) Q.set(srcF.subarray(queries[q0 + h] * k, (queries[q0 + h] + 1) * k), h * k);
    sizes.fill(0);
    let t0 = -Infinity, t1 = -Infinity, t2 = -Infinity, t3 = -Infinity;
    for (let i = 0, ib = 0; i < nd; i++, ib += k) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let t = 0; t < k; t++) {
        const f = dstF[ib + t];
        s0 += Q[t] * f; s1 += Q[k + t] * f; s2 += Q[2 * k + t] * f; s3 += Q[3 * k + t] * f;
      }
      // Strictly greater: among equal scores the lower index, seen first, stays.
      if (s0 > t0) t0 = push(0, s0, i);
      if (cnt > 1 && s1 > t1) t1 = push(1, s1, i);
      if (cnt > 2 && s2 > t2) t2 = push(2, s2, i);
      if (cnt > 3 && s3 > t3) t3 = push(3, s3, i);
    }
    for (let h = 0; h < cnt; h++) {
      const base = h * top;
      const order = Array.from({ length: top }, (_, j) => j)
        .sort((x, y) => heapScore[base + y] - heapScore[base + x] || heapIdx[base + x] - heapIdx[base + y]);
      for (const j of order) {
        outDst[written] = dstIds[heapIdx[base + j]]; outScore[written] = heapScore[base + j];
        written++;
      }
    }
  }
  // Spark's shape: one row per query, its top entries as an array of (dst id, rating) structs.
  const schema = recommendationSchema(p.srcCol, p.dstCol);
  const element = (schema.fields[1].type as ArrayDataType).elementType as StructDataType;
  const recs = structData(element, [primitiveData({ kind: 'int' }, outDst, null), primitiveData({ kind: 'double' }, outScore, null)], null, written);
  const offsets = Int32Array.from({ length: nq + 1 }, (_, q) => q * top);
  return batchToShared(makeBatch(schema, [primitiveData({ kind: 'int' }, outSrc, null), listData(schema.fields[1].type as ArrayDataType, offsets, recs, null)], nq));
});

/**
 * Spark's recommendFor* schema: `src` (int) and `recommendations`, an array of (dst: int, rating)
 * structs in descending rating. Spark's rating is a float; Quiver has no float type, so it is a double.
 */
export function recommendationSchema(srcCol: string, dstCol: string): StructType {
  return new StructType([
    { name: srcCol, type: { kind: 'int' }, nullable: false },
    {
      name: 'recommendations', nullable: true,
      type: arrayType(structType([{ name: dstCol, type: { kind: 'int' }, nullable: true }, { name: 'rating', type: { kind: 'double' }, nullable: true }])),
    },
  ]);
}
