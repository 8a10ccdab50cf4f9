// K-Means kernels: each runs on one cached partition inside an executor. Per-point state that
// lives across passes (norms, assignments, Hamerly bounds, k-means|| costs) sits in
// SharedArrayBuffers the driver allocated once and broadcast; partition p's task writes part p.
// The state that passes update is kept twice: a pass reads side `read` and writes the other, and
// the driver flips `read` once the pass is accepted. A retried task (its first attempt died after
// writing) reads what the first attempt read, so it cannot apply an update twice.
import type { RecordBatch } from 'apache-arrow';
import { registerAggregator, registerKernel } from '../engine/kernels.js';
import type { BroadcastRef } from '../engine/protocol.js';
import { primitiveData, sparseView, validityBytes, columnByName, denseVectorData } from '../dataframe/batch.js';
import { registerMapper } from '../dataframe/mappers.js';
import { instanceWeights, numericValues, requireDenseRows, vectorRowReader } from './columns.js';
import { CenterSet, COSINE_ZERO_LENGTH, type DistanceMeasure } from './distance.js';
import { hashUniform } from './row-random.js';

const STAGE = 'KMeans';

/** Per-partition state, one entry per partition, in shared memory. */
export interface PartitionState {
  /** Euclidean: ‖x − shift‖² (for the cost); cosine: ‖x‖. A function of the data: written in place. */
  norms: Float64Array;
  /** What passes update, twice (see above). */
  sides: [StateSide, StateSide];
}

export interface StateSide {
  /** k-means||: index of the nearest candidate; Lloyd: index of the assigned center. */
  assign: Int32Array;
  /** k-means||: cost to the nearest candidate; Lloyd: upper bound on the distance to the assigned center. */
  upper: Float64Array;
  /** Lloyd: lower bound on the distance to every other center (Hamerly). */
  lower: Float64Array;
  /**
   * Lloyd: this partition's per-cluster aggregates for the current assignment (layout of a Lloyd
   * partial, sized for k centers), updated only for the points that change cluster.
   */
  sums: Float64Array;
}

export interface KMeansState { parts: PartitionState[] }

export function allocateState(rows: number[], k: number, d: number): KMeansState {
  const f64 = (n: number) => new Float64Array(new SharedArrayBuffer(8 * n));
  const side = (n: number): StateSide => ({ assign: new Int32Array(new SharedArrayBuffer(4 * n)), upper: f64(n), lower: f64(n), sums: f64(lloydPartialSize(k, d)) });
  return { parts: rows.map((n) => ({ norms: f64(n), sides: [side(n), side(n)] })) };
}

interface Common { column: string; measure: DistanceMeasure }
interface Stateful extends Common {
  state: BroadcastRef;
  /** The side of the state this pass reads; it writes the other. */
  read: number;
}

/** The partition's norms, the side the pass reads (`cur`) and the one it writes (`next`). */
interface PassState { norms: Float64Array; cur: StateSide; next: StateSide }

function stateOf(p: Stateful, ctx: { broadcast<T>(id: string): T; partitionIndex: number }, n: number): PassState {
  const st = ctx.broadcast<KMeansState>(p.state.$broadcast).parts[ctx.partitionIndex];
  if (!st || st.norms.length !== n) throw new Error(`${STAGE}: partition ${ctx.partitionIndex} changed size between passes (is the input cached?)`);
  return { norms: st.norms, cur: st.sides[p.read], next: st.sides[1 - p.read] };
}

/** k-means|| passes lower the costs of `cur` into `next`: start from a copy (or, first, from no candidate). */
function startNearest(st: PassState, fresh: boolean): StateSide {
  if (fresh) { st.next.upper.fill(Infinity); st.next.assign.fill(-1); } else { st.next.upper.set(st.cur.upper); st.next.assign.set(st.cur.assign); }
  return st.next;
}

// --- validation ------------------------------------------------------------------------------

export interface PrepareResult { n: number; d: number; sum: Float64Array }

/** Rows, the column sum (for the cost shift), and validation: no null or non-finite vectors, valid weights. */
export const PREPARE = registerKernel<Common & { weightCol: string | null }, PrepareResult>('kmeans.prepare', (batch, p) => {
  const { n, d, values, offset } = requireDenseRows(batch, p.column, STAGE);
  instanceWeights(batch, p.weightCol, STAGE);
  const sum = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const base = offset + i * d;
    let sq = 0;
    for (let j = 0; j < d; j++) {
      const x = values[base + j];
      if (!Number.isFinite(x)) throw new Error(`${STAGE}: features column '${p.column}' holds ${x} in row ${i} of this partition; features must be finite`);
      sum[j] += x;
      sq += x * x;
    }
    if (p.measure === 'cosine' && !(sq > 0)) throw new Error(`${COSINE_ZERO_LENGTH} (features column '${p.column}', row ${i} of this partition)`);
  }
  return { n, d, sum };
});

// --- k-means|| -------------------------------------------------------------------------------
//
// Distances for pruning are Euclidean in "bound space": x itself (euclidean) or x/‖x‖ (cosine,
// with unit candidates), where cosine's cost 1 − cos = ‖x̂ − ĉ‖²/2. A point keeps its nearest
// candidate a and cost u; a new candidate c is skipped when ‖a − c‖ − r ≥ best (r = ‖x − a‖),
// which the triangle inequality makes a lower bound of ‖x − c‖.

interface InitCostParams extends Stateful {
  /** New candidates (m×d, unit rows for cosine), with global candidate indices first..first+m. */
  centers: Float64Array;
  first: number;
  /** first×m bound-space distances from every earlier candidate to each new one (null on the first pass). */
  gaps: Float64Array | null;
  /** m×m distances between the new candidates. */
  selfGaps: Float64Array;
  /** First pass: compute norms and reset costs. */
  fresh: boolean;
  shift: Float64Array;
}

/** What a cost pass returns: Σ cost, and the rows most likely to be sampled next (see INIT_COST). */
export interface InitCostResult {
  sum: number;
  /** Local row, hash draw and cost of up to `sampleMax` rows with the smallest draw/cost, by row. */
  rows: Int32Array;
  draws: Float64Array;
  costs: Float64Array;
  vectors: Float64Array;
  /** True when every row of the partition with draw/cost below `complete` is among them. */
  complete: number;
}

/**
 * Lowers each point's cost to the new candidates (Spark's pointCost, min with the old cost) and
 * returns Σ cost. Sampling needs that sum over every partition, so to save a pass each partition
 * also returns its `sampleMax` rows of smallest draw/cost (the sampling rule draw < cost·2k/Σ picks
 * exactly the rows with draw/cost < 2k/Σ), and the largest ratio below which that list is complete.
 */
export const INIT_COST = registerKernel<InitCostParams & { key: number; sampleMax: number; offsets: number[] }, InitCostResult>(
  'kmeans.initCost', (batch, p, ctx) => {
    const { n, d, values, offset } = requireDenseRows(batch, p.column, STAGE);
    const st = stateOf(p, ctx, n);
    if (p.fresh && p.measure === 'cosine') computeNorms(values, offset, n, d, p.measure, p.shift, st.norms);
    const side = startNearest(st, p.fresh);
    updateNearest(values, offset, n, d, p, st.norms, side);
    let total = 0;
    for (let i = 0; i < n; i++) total += side.upper[i];
    // A max-heap of the sampleMax smallest ratios draw/cost.
    const cap = p.sampleMax;
    const heapKey = new Float64Array(cap), heapRow = new Int32Array(cap), heapDraw = new Float64Array(cap);
    let size = 0;
    const base0 = p.offsets[ctx.partitionIndex];
    for (let i = 0; i < n; i++) {
      const c = side.upper[i];
      if (!(c > 0)) continue;
      const draw = hashUniform(p.key, base0 + i);
      const key = draw / c;
      if (size < cap) {
        let j = size++;
        while (j > 0) { const up = (j - 1) >> 1; if (heapKey[up] >= key) break; heapKey[j] = heapKey[up]; heapRow[j] = heapRow[up]; heapDraw[j] = heapDraw[up]; j = up; }
        heapKey[j] = key; heapRow[j] = i; heapDraw[j] = draw;
      } else if (key < heapKey[0]) {
        let j = 0;
        for (;;) {
          const l = 2 * j + 1;
          if (l >= cap) break;
          const r = l + 1;
          const big = r < cap && heapKey[r] > heapKey[l] ? r : l;
          if (heapKey[big] <= key) break;
          heapKey[j] = heapKey[big]; heapRow[j] = heapRow[big]; heapDraw[j] = heapDraw[big]; j = big;
        }
        heapKey[j] = key; heapRow[j] = i; heapDraw[j] = draw;
      }
    }
    const order = Array.from({ length: size }, (_, t) => t).sort((x, y) => heapRow[x] - heapRow[y]);
    const rows = new Int32Array(size), draws = new Float64Array(size), costs = new Float64Array(size), vectors = new Float64Array(size * d);
    order.forEach((t, r) => {
      const i = heapRow[t];
      rows[r] = i; draws[r] = heapDraw[t]; costs[r] = side.upper[i];
      vectors.set(values.subarray(offset + i * d, offset + (i + 1) * d), r * d);
    });
    return { sum: total, rows, draws, costs, vectors, complete: size < cap ? Infinity : heapKey[0] };
  });

/** Cosine: ‖x‖ (maps points onto the unit sphere); euclidean: ‖x − shift‖² (for the cost). */
function computeNorms(values: Float64Array, offset: number, n: number, d: number, measure: DistanceMeasure, shift: Float64Array, norms: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const base = offset + i * d;
    let s = 0;
    if (measure === 'cosine') {
      for (let j = 0; j < d; j++) s += values[base + j] * values[base + j];
      norms[i] = Math.sqrt(s);
    } else {
      for (let j = 0; j < d; j++) { const t = values[base + j] - shift[j]; s += t * t; }
      norms[i] = s;
    }
  }
}

/**
 * Keeps, per point, the cost to and the index of the nearest candidate seen so far (ties keep the
 * earlier one). A new candidate c is skipped when either the old nearest candidate a or the best
 * new candidate b found so far proves it farther than the best: ‖a − c‖ − ‖x − a‖ or ‖b − c‖ − ‖x − b‖.
 */
function updateNearest(values: Float64Array, offset: number, n: number, d: number, p: InitCostParams, norms: Float64Array, side: StateSide): void {
  const m = p.centers.length / d;
  if (m === 0) return;
  const C = p.centers, gaps = p.gaps, self = p.selfGaps;
  const cosine = p.measure === 'cosine';
  // cost = dist² (euclidean) or dist²/2 (cosine), dist in bound space.
  const toDist = cosine ? 2 : 1;
  const { upper, assign } = side;
  // For each old candidate a, the new candidates that can beat it for some point it holds: those
  // within twice the distance of its farthest point (the rest fail the triangle test for all).
  let lists: Int32Array[] | null = null;
  if (gaps !== null && p.first > 0) {
    const reach = new Float64Array(p.first);
    for (let i = 0; i < n; i++) { const a = assign[i]; if (a >= 0 && upper[i] > reach[a]) reach[a] = upper[i]; }
    lists = Array.from(reach, (r2, a) => {
      const limit = 2 * Math.sqrt(r2 * toDist);
      const keep: number[] = [];
      for (let c = 0; c < m; c++) if (!(gaps[a * m + c] > limit)) keep.push(c);
      return Int32Array.from(keep);
    });
  }
  const all = Int32Array.from({ length: m }, (_, c) => c);
  for (let i = 0; i < n; i++) {
    const base = offset + i * d;
    const sc = cosine ? 1 / norms[i] : 1;
    const a = assign[i];
    const r = Math.sqrt(upper[i] * toDist);
    let best = upper[i] * toDist; // squared bound-space distance of the best so far
    let bestDist = r;
    let arg = -1;
    const row = a >= 0 && gaps !== null ? a * m : -1;
    const list = lists !== null && a >= 0 ? lists[a] : all;
    for (let t = 0; t < list.length; t++) {
      const c = list[t];
      if (row >= 0 && gaps![row + c] - r > bestDist) continue;
      if (arg >= 0 && self[arg * m + c] - bestDist > bestDist) continue;
      const cb = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) { const e = values[base + j] * sc - C[cb + j]; s += e * e; }
      if (s < best) { best = s; bestDist = Math.sqrt(s); arg = c; }
    }
    if (arg >= 0) { upper[i] = best / toDist; assign[i] = p.first + arg; }
  }
}

interface SampleParams extends Stateful {
  key: number;
  /** 2k / Σ cost: row i is picked when u_i < cost_i · factor (Spark's oversampling rule). */
  factor: number;
  /** Global index of each partition's first row. */
  offsets: number[];
}

/** The rows picked this round, as a flat m×d array, in row order. */
export const INIT_SAMPLE = registerKernel<SampleParams, Float64Array>('kmeans.initSample', (batch, p, ctx) => {
  const { n, d, values, offset } = requireDenseRows(batch, p.column, STAGE);
  const { cur } = stateOf(p, ctx, n);
  const base0 = p.offsets[ctx.partitionIndex];
  const picked: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = cur.upper[i] * p.factor;
    if (c > 0 && hashUniform(p.key, base0 + i) < c) picked.push(i);
  }
  const out = new Float64Array(picked.length * d);
  picked.forEach((i, r) => out.set(values.subarray(offset + i * d, offset + (i + 1) * d), r * d));
  return out;
});

interface CountParams extends InitCostParams {
  /** Candidate index -> index among the distinct candidates. */
  remap: Int32Array;
  distinct: number;
}

/** Folds in the last round's candidates, then counts the points each distinct candidate wins. */
export const INIT_COUNT = registerKernel<CountParams, Float64Array>('kmeans.initCount', (batch, p, ctx) => {
  const { n, d, values, offset } = requireDenseRows(batch, p.column, STAGE);
  const st = stateOf(p, ctx, n);
  const side = startNearest(st, false);
  updateNearest(values, offset, n, d, p, st.norms, side);
  const counts = new Float64Array(p.distinct);
  for (let i = 0; i < n; i++) counts[p.remap[side.assign[i]]]++;
  return counts;
});

/** Rows at the given indices of each partition (random initialisation), flat, in the order asked. */
export const GATHER = registerKernel<{ column: string; rows: number[][] }, Float64Array>('kmeans.gather', (batch, p, ctx) => {
  const rows = p.rows[ctx.partitionIndex] ?? [];
  const { d, values, offset } = requireDenseRows(batch, p.column, STAGE);
  const out = new Float64Array(rows.length * d);
  rows.forEach((i, r) => out.set(values.subarray(offset + i * d, offset + (i + 1) * d), r * d));
  return out;
});

// --- Lloyd iterations with Hamerly's bounds ----------------------------------------------------

export interface LloydParams extends Stateful {
  weightCol: string | null;
  k: number;
  /** k×d; unit rows for cosine (points are compared as x/‖x‖). */
  centers: Float64Array;
  shift: Float64Array;
  /** How far each center moved since the previous pass (ignored when fresh). */
  moves: Float64Array;
  /** k×k distances between the centers. */
  gaps: Float64Array;
  /** No bounds yet: assign every point by a scan. */
  fresh: boolean;
  /** On a fresh pass after k-means||: for each candidate, the center to try first for the points it won. */
  guess: Int32Array | null;
}

/** Layout of a Lloyd partial: weighted sums (k×d), then weights, Σ w·norms, and counts (k each). */
export const lloydPartialSize = (k: number, d: number) => k * d + 3 * k;

// Results of `scan`, kept out of the heap.
let scanFirst = 0;
let scanSecond = 0;

/**
 * Nearest center to x·sc, starting from center g at distance dg: center c is skipped when
 * ‖g − c‖ − dg exceeds the best distance so far (triangle inequality). Returns the index; its
 * distance goes to scanFirst and a lower bound on every other center's distance to scanSecond.
 */
function scan(values: Float64Array, base: number, sc: number, C: Float64Array, k: number, d: number, gaps: Float64Array, g: number, dg: number): number {
  let best = g, b1 = dg, b2 = Infinity;
  const row = g * k;
  for (let c = 0, cb = 0; c < k; c++, cb += d) {
    if (c === g) continue;
    const lb = gaps[row + c] - dg;
    if (lb > b1) { if (lb < b2) b2 = lb; continue; }
    let s = 0;
    for (let j = 0; j < d; j++) { const t = values[base + j] * sc - C[cb + j]; s += t * t; }
    const dc = Math.sqrt(s);
    if (dc < b1 || (dc === b1 && c < best)) { if (b1 < b2) b2 = b1; b1 = dc; best = c; } else if (dc < b2) b2 = dc;
  }
  scanFirst = b1;
  scanSecond = b2;
  return best;
}

function distanceTo(values: Float64Array, base: number, sc: number, C: Float64Array, cb: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) { const t = values[base + j] * sc - C[cb + j]; s += t * t; }
  return Math.sqrt(s);
}

/**
 * One Lloyd pass: assign each point to its nearest center, skipping the distance computations
 * that Hamerly's bounds rule out (upper bound on the assigned center's distance, lower bound on
 * every other's, both moved by how far centers moved). The partition's weighted sums are kept in
 * its state and moved only for the points that change cluster; the pass returns a copy.
 */
export const LLOYD = registerAggregator<Float64Array, LloydParams>('kmeans.lloyd', (acc, batch, p, ctx) => {
  const { n, d, values, offset } = requireDenseRows(batch, p.column, STAGE);
  const st = stateOf(p, ctx, n);
  const w = p.weightCol ? numericValues(batch, p.weightCol).values : null; // validated by PREPARE
  const { k, centers: C, moves, gaps, shift, fresh, guess } = p;
  const cosine = p.measure === 'cosine';
  const kd = k * d;
  // Reads the bounds, assignments and sums of `cur`; writes them, updated, to `next`.
  const { norms, cur, next } = st;
  const { assign, upper, lower, sums: S } = next;
  // A point that won candidate a (k-means||) starts from guess[a].
  const won = cur.assign;
  if (fresh) {
    computeNorms(values, offset, n, d, p.measure, shift, norms);
    S.fill(0);
  } else {
    S.set(cur.sums);
  }
  // Half the distance from each center to its nearest other (Hamerly's s), and the two largest moves:
  // every lower bound drops by the largest move of a center other than its own.
  const halfGap = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) if (c !== a && gaps[a * k + c] / 2 < halfGap[a]) halfGap[a] = gaps[a * k + c] / 2;
  let jMax = -1, move1 = 0, move2 = 0;
  if (!fresh) {
    for (let j = 0; j < k; j++) {
      const m = moves[j];
      if (m > move1) { move2 = move1; move1 = m; jMax = j; } else if (m > move2) move2 = m;
    }
  }
  for (let i = 0; i < n; i++) {
    const base = offset + i * d;
    const sc = cosine ? 1 / norms[i] : 1;
    const old = fresh ? -1 : cur.assign[i];
    let a: number, u: number, l: number;
    if (fresh) {
      const g = guess === null ? 0 : won[i] >= 0 && won[i] < guess.length ? guess[won[i]] : 0;
      a = scan(values, base, sc, C, k, d, gaps, g, distanceTo(values, base, sc, C, g * d, d));
      u = scanFirst; l = scanSecond;
    } else {
      a = old;
      u = cur.upper[i] + moves[a];
      l = cur.lower[i] - (a === jMax ? move2 : move1);
      const z = l > halfGap[a] ? l : halfGap[a];
      if (u > z) {
        u = distanceTo(values, base, sc, C, a * d, d);
        if (u > z) {
          a = scan(values, base, sc, C, k, d, gaps, a, u);
          u = scanFirst; l = scanSecond;
        }
      }
    }
    upper[i] = u; lower[i] = l; assign[i] = a;
    if (a === old) continue;
    // Move the point's contribution from its old cluster (if any) to the new one.
    const wi = w === null ? 1 : w[i];
    if (old >= 0) addPoint(S, values, base, d, old, -wi, sc, cosine, shift, k, norms[i], -1);
    addPoint(S, values, base, d, a, wi, sc, cosine, shift, k, norms[i], 1);
  }
  acc.set(S.subarray(0, acc.length));
  return acc;
});

function addPoint(S: Float64Array, values: Float64Array, base: number, d: number, a: number, wi: number, sc: number,
  cosine: boolean, shift: Float64Array, k: number, norm: number, count: number): void {
  const sb = a * d;
  if (cosine) {
    const f = wi * sc;
    for (let j = 0; j < d; j++) S[sb + j] += f * values[base + j];
  } else {
    for (let j = 0; j < d; j++) S[sb + j] += wi * (values[base + j] - shift[j]);
  }
  const kd = k * d;
  S[kd + a] += wi;
  S[kd + k + a] += wi * norm;
  S[kd + 2 * k + a] += count;
}

// --- transform ---------------------------------------------------------------------------------

export interface PredictParams { column: string; centers: Float64Array; k: number; d: number; measure: DistanceMeasure }

/** The prediction column (int): the nearest center of each row's vector, dense or sparse. */
export const PREDICT_MAPPER = registerMapper<PredictParams>('kmeans.predict', (batch, p) => {
  const set = new CenterSet(p.centers, p.k, p.d, p.measure);
  const read = vectorRowReader(batch, p.column, p.d);
  const n = batch.numRows;
  const out = new Int32Array(n);
  const x = new Float64Array(p.d);
  for (let i = 0; i < n; i++) {
    if (!read(i, x)) throw new Error(`KMeansModel: features column '${p.column}' holds a null vector in row ${i} of this partition`);
    out[i] = set.nearest(x, 0);
  }
  return { columns: [primitiveData({ kind: 'int' }, out, null)] };
});

// --- sparse input ------------------------------------------------------------------------------

/** Smallest and largest vector size in a sparse vector column (null rows ignored). */
export const SPARSE_SIZES = registerKernel<{ column: string }, [number, number]>('kmeans.sparseSizes', (batch: RecordBatch, p) => {
  const data = columnByName(batch, p.column);
  const valid = validityBytes(data);
  const { sizes } = sparseView(data);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < sizes.length; i++) {
    if (valid && !valid[i]) continue;
    if (sizes[i] < lo) lo = sizes[i];
    if (sizes[i] > hi) hi = sizes[i];
  }
  return [lo, hi];
});

/** A sparse vector column as a dense one of size d (training reads dense blocks). */
export const TO_DENSE_MAPPER = registerMapper<{ column: string; d: number }>('kmeans.toDense', (batch, p) => {
  const n = batch.numRows;
  const read = vectorRowReader(batch, p.column, p.d);
  const out = new Float64Array(n * p.d);
  const row = new Float64Array(p.d);
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (read(i, row)) { out.set(row, i * p.d); valid[i] = 1; }
  }
  return { columns: [denseVectorData(p.d, out, valid, n)] };
});
