// K-Means (Spark's ml.clustering.KMeans): k-means|| or random initialisation, then Lloyd
// iterations, one pass over the cached partitions each. Per-point Hamerly bounds kept in shared
// memory across passes let later iterations skip most distance computations.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { addInto } from '../engine/aggregate.js';
import type { Broadcast } from '../engine/broadcast.js';
import type { EngineContext } from '../engine/context.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { randomStream } from '../linalg/random.js';
import { Estimator } from '../pipeline/stage.js';
import { withParams } from '../pipeline/params-mixin.js';
import type { ParamValues } from '../pipeline/params.js';
import { optionalColumn, seedNumber } from '../pipeline/shared-params.js';
import { COSINE_ZERO_LENGTH, normAt, type DistanceMeasure } from './distance.js';
import { KMEANS_PARAMS, validateKMeansSchema } from './kmeans-params.js';
import { KMeansModel, KMeansSummary } from './kmeans-model.js';
import {
  allocateState, GATHER, INIT_COST, INIT_COUNT, INIT_SAMPLE, LLOYD, lloydPartialSize, PREPARE,
  type InitCostResult, type KMeansState, type LloydParams, type PrepareResult,
} from './kmeans.kernels.js';
import { denseTrainingData } from './dense-input.js';
import { kMeansPlusPlus } from './local-kmeans.js';
import { rowKey } from './row-random.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';

/** Initial centers; after k-means||, also every candidate (bound space), in candidate-index order. */
interface Init { centers: Float64Array; candidates: Float64Array | null }

/** What one fit works on: cached dense partitions, their sizes, and the shared per-point state. */
interface Run {
  engine: EngineContext;
  plans: PartitionPlan[];
  column: string;
  weightCol: string | null;
  measure: DistanceMeasure;
  rows: number[];
  offsets: number[];
  total: number;
  d: number;
  shift: Float64Array;
  state: Broadcast<KMeansState>;
  /** The side of the state the next pass reads; flipped once a pass that writes it is accepted (kmeans.kernels.ts). */
  read: number;
}

export class KMeans extends withParams(Estimator<KMeansModel>, KMEANS_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.clustering.KMeans';

  static load(path: string, options?: LoadOptions): Promise<KMeans> { return loadStage(KMeans, path, options); }

  #initialModel: KMeansModel | null = null;

  constructor(params?: ParamValues<KMeans>) {
    super();
    if (params) this.setParamsFromObject(params);
  }

  /** Start Lloyd's iterations from these centers instead of initialising (Spark's setInitialModel). */
  setInitialModel(model: KMeansModel): this {
    if (model.numClusters !== this.getK()) {
      throw new Error(`${this.uid}: mismatched cluster count: the initial model has ${model.numClusters} centers but k is ${this.getK()}`);
    }
    this.#initialModel = model;
    return this;
  }

  get initialModel(): KMeansModel | null { return this.#initialModel; }

  transformSchema(schema: StructType): StructType { return validateKMeansSchema(this, schema, true); }

  protected async fitImpl(df: DataFrame): Promise<KMeansModel> {
    const weightCol = optionalColumn(this, this.weightCol) ?? null;
    const { data, column, release } = await denseTrainingData(df, this.getFeaturesCol(), weightCol, 'KMeans');
    try {
      const run = await this.prepare(data, column, weightCol);
      try {
        const init = await this.initialCenters(run);
        const result = await this.lloyd(run, init);
        const model = this.copyValues(new KMeansModel(result.centers, run.d));
        const k = this.getK();
        const sizes = Array.from({ length: k }, (_, j) => result.sizes[j] ?? 0);
        model.setSummary(new KMeansSummary(model.transform(df), this.getPredictionCol(), this.getFeaturesCol(), k,
          result.numIter, result.cost, sizes, result.history));
        return model;
      } finally {
        run.state.destroy();
      }
    } finally {
      release();
    }
  }

  // --- passes --------------------------------------------------------------------------------

  /** Validates the rows, counts them per partition and allocates the per-point state. */
  private async prepare(data: DataFrame, column: string, weightCol: string | null): Promise<Run> {
    const engine = data.engine;
    const plans = await data.plans();
    const measure = this.getDistanceMeasure() as DistanceMeasure;
    const parts = await engine.runJob<PrepareResult>(PREPARE, plans, { column, weightCol, measure });
    const rows = parts.map((p) => p.n);
    const total = rows.reduce((s, n) => s + n, 0);
    if (total === 0) throw new Error(`${this.uid}: the training DataFrame has no rows`);
    const d = parts.find((p) => p.n > 0)!.d;
    const shift = new Float64Array(d);
    for (const p of parts) addInto(shift, p.sum);
    for (let j = 0; j < d; j++) shift[j] /= total;
    const offsets: number[] = [];
    rows.reduce((acc, n) => { offsets.push(acc); return acc + n; }, 0);
    return { engine, plans, column, weightCol, measure, rows, offsets, total, d, shift, state: engine.broadcast(allocateState(rows, this.getK(), d)), read: 0 };
  }

  /** Initial centers, and (after k-means||) the candidates each point is nearest to, as a hint for the first scan. */
  private async initialCenters(run: Run): Promise<Init> {
    if (this.#initialModel) {
      if (this.#initialModel.numFeatures !== run.d) {
        throw new Error(`${this.uid}: the initial model's centers have ${this.#initialModel.numFeatures} features but the data has ${run.d}`);
      }
      return { centers: this.#initialModel.centersArray(), candidates: null };
    }
    return this.getInitMode() === 'random' ? { centers: await this.initRandom(run), candidates: null } : this.initKMeansParallel(run);
  }

  /** Spark's initRandom: k rows sampled without replacement, duplicates removed. */
  private async initRandom(run: Run): Promise<Float64Array> {
    const rng = randomStream(seedNumber(this.getSeed()), 'kmeans', 'random-init');
    const want = Math.min(this.getK(), run.total);
    const chosen: number[] = [];
    const seen = new Set<number>();
    while (chosen.length < want) {
      const g = Math.floor(rng() * run.total);
      if (!seen.has(g)) { seen.add(g); chosen.push(g); }
    }
    const rows = await this.gatherRows(run, chosen);
    return distinctRows(rows, run.d).values;
  }

  /**
   * Spark's k-means|| (Bahmani et al.): a random first center, then `initSteps` rounds that pick
   * each point with probability 2k·cost/Σcost; the distinct candidates, weighted by the number of
   * points closest to each, are reduced to k by a local k-means++ on the driver.
   */
  private async initKMeansParallel(run: Run): Promise<Init> {
    const { engine, plans, column, measure, d } = run;
    const k = this.getK(), seed = seedNumber(this.getSeed());
    const cosine = measure === 'cosine';
    const first = Math.floor(randomStream(seed, 'kmeans||', 'first')() * run.total);
    let newCenters = await this.gatherRows(run, [first]);
    // Candidates as they are (for the local k-means++, as Spark) and in bound space (unit rows for cosine).
    const candidates: Float64Array[] = [newCenters];
    let bound = cosine ? normalized(newCenters, d) : newCenters;
    const bounds: Float64Array[] = [bound];
    let count = 1;
    let batchStart = 0;
    let gaps: Float64Array | null = null;
    const common = { state: run.state.ref, column, measure, shift: run.shift };
    // Each round picks 2k points on average; a partition's list of likely picks holds a generous margin.
    const sampleMax = Math.ceil(2 * k + 10 * Math.sqrt(2 * k) + 10);
    for (let step = 0; step < this.getInitSteps(); step++) {
      const key = rowKey(seed, 'kmeans||', 'step', step);
      const results = await engine.runJob<InitCostResult>(INIT_COST, plans, {
        ...common, read: run.read, centers: bound, first: batchStart, gaps, selfGaps: crossDistances(bound, bound, d), fresh: step === 0,
        key, sampleMax, offsets: run.offsets,
      });
      run.read = 1 - run.read;
      const sumCosts = results.reduce((s, r) => s + r.sum, 0);
      const factor = sumCosts > 0 ? (2 * k) / sumCosts : 0;
      newCenters = results.every((r) => r.complete > factor * (1 + 1e-9))
        ? concat(results.map((r) => pickRows(r, factor, d)))
        : concat(await engine.runJob<Float64Array>(INIT_SAMPLE, plans, { ...common, read: run.read, key, factor, offsets: run.offsets }));
      bound = cosine ? normalized(newCenters, d) : newCenters;
      gaps = crossDistances(concat(bounds), bound, d);
      candidates.push(newCenters);
      bounds.push(bound);
      batchStart = count;
      count += newCenters.length / d;
    }
    const all = concat(candidates);
    const { values: distinct, remap } = distinctRows(all, d);
    const numDistinct = distinct.length / d;
    if (numDistinct <= k) return { centers: distinct, candidates: concat(bounds) };
    const counts = await engine.runJob<Float64Array>(INIT_COUNT, plans, {
      ...common, read: run.read, centers: bound, first: batchStart, gaps, selfGaps: crossDistances(bound, bound, d), fresh: false, remap, distinct: numDistinct,
    });
    run.read = 1 - run.read;
    const weights = new Float64Array(numDistinct);
    for (const c of counts) addInto(weights, c);
    const centers = kMeansPlusPlus(distinct, weights, d, k, 30, randomStream(seed, 'kmeans||', 'local'));
    return { centers, candidates: concat(bounds) };
  }

  /** Lloyd's iterations until every center moves by at most tol (or maxIter). */
  private async lloyd(run: Run, init: Init): Promise<{ centers: Float64Array; cost: number; numIter: number; sizes: number[]; history: number[] }> {
    const { d, measure, shift } = run;
    const cosine = measure === 'cosine';
    const k = init.centers.length / d;
    let centers = init.centers.slice();
    if (cosine) normalizeRows(centers, d);
    // Each k-means|| candidate's nearest initial center: where the points it won start their first scan.
    let guess: Int32Array | null = null;
    if (init.candidates) {
      const cross = crossDistances(init.candidates, centers, d);
      guess = new Int32Array(init.candidates.length / d);
      for (let a = 0; a < guess.length; a++) {
        let best = 0;
        for (let j = 1; j < k; j++) if (cross[a * k + j] < cross[a * k + best]) best = j;
        guess[a] = best;
      }
    }
    const moves = new Float64Array(k);
    const tol = this.getTol();
    const maxIter = this.getMaxIter();
    const history: number[] = [];
    let fresh = true, converged = false, iteration = 0, cost = 0;
    const pass = async (c: Float64Array): Promise<Float64Array> => {
      const params: LloydParams = {
        state: run.state.ref, read: run.read, column: run.column, measure, weightCol: run.weightCol, k, centers: c, shift,
        moves, gaps: crossDistances(c, c, d), fresh, guess: fresh ? guess : null,
      };
      const acc = await run.engine.treeAggregate(run.plans, new Float64Array(lloydPartialSize(k, d)), LLOYD, addInto, 2, params);
      run.read = 1 - run.read;
      return acc;
    };
    while (iteration < maxIter && !converged) {
      const acc = await pass(centers);
      cost = clusterCost(acc, centers, k, d, measure, shift);
      history.push(cost);
      converged = true;
      const next = centers.slice();
      for (let j = 0; j < k; j++) {
        const w = acc[k * d + j];
        moves[j] = 0;
        if (!(w > 0)) continue; // an empty cluster keeps its center, as in Spark
        const o = j * d;
        for (let t = 0; t < d; t++) next[o + t] = cosine ? acc[o + t] / w : shift[t] + acc[o + t] / w;
        if (cosine) {
          const nrm = normAt(next, o, d);
          if (!(nrm > 0)) { next.set(centers.subarray(o, o + d), o); continue; }
          for (let t = 0; t < d; t++) next[o + t] /= nrm;
        }
        let sq = 0;
        for (let t = 0; t < d; t++) { const e = next[o + t] - centers[o + t]; sq += e * e; }
        moves[j] = Math.sqrt(sq);
        // Spark: squared distance <= tol² (euclidean); 1 − cos <= tol (cosine: ‖a − b‖²/2 for unit vectors).
        if (cosine ? sq / 2 > tol : sq > tol * tol) converged = false;
      }
      centers = next;
      fresh = false;
      iteration++;
    }
    // One more (mostly pruned) pass assigns every point to the final centers, for clusterSizes.
    const last = await pass(centers);
    const sizes = Array.from(last.subarray(k * d + 2 * k, k * d + 3 * k));
    return { centers, cost, numIter: iteration, sizes, history };
  }

  private async gatherRows(run: Run, globalRows: number[]): Promise<Float64Array> {
    const byPartition: number[][] = run.rows.map(() => []);
    const where: [number, number][] = globalRows.map((g) => {
      let p = 0;
      while (g >= run.offsets[p] + run.rows[p]) p++;
      byPartition[p].push(g - run.offsets[p]);
      return [p, byPartition[p].length - 1];
    });
    const parts = await run.engine.runJob<Float64Array>(GATHER, run.plans, { column: run.column, rows: byPartition });
    const out = new Float64Array(globalRows.length * run.d);
    where.forEach(([p, r], i) => out.set(parts[p].subarray(r * run.d, (r + 1) * run.d), i * run.d));
    return out;
  }
}

// --- helpers -----------------------------------------------------------------------------------

/** Spark's oversampling rule on a partition's likely picks: draw < cost · 2k/Σcost, in row order. */
function pickRows(r: InitCostResult, factor: number, d: number): Float64Array {
  const keep: number[] = [];
  for (let t = 0; t < r.rows.length; t++) if (r.draws[t] < r.costs[t] * factor) keep.push(t);
  const out = new Float64Array(keep.length * d);
  keep.forEach((t, j) => out.set(r.vectors.subarray(t * d, (t + 1) * d), j * d));
  return out;
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let pos = 0;
  for (const p of parts) { out.set(p, pos); pos += p.length; }
  return out;
}

/** Distinct rows in first-seen order, and for every row the index of its distinct copy. */
function distinctRows(values: Float64Array, d: number): { values: Float64Array; remap: Int32Array } {
  const n = d === 0 ? 0 : values.length / d;
  const index = new Map<string, number>();
  const remap = new Int32Array(n);
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = Array.prototype.join.call(values.subarray(i * d, (i + 1) * d), ',');
    let j = index.get(key);
    if (j === undefined) { j = keep.length; index.set(key, j); keep.push(i); }
    remap[i] = j;
  }
  const out = new Float64Array(keep.length * d);
  keep.forEach((i, j) => out.set(values.subarray(i * d, (i + 1) * d), j * d));
  return { values: out, remap };
}

function normalizeRows(centers: Float64Array, d: number): void {
  for (let o = 0; o < centers.length; o += d) {
    const nrm = normAt(centers, o, d);
    if (!(nrm > 0)) throw new Error(`${COSINE_ZERO_LENGTH} (initial cluster center ${o / d})`);
    for (let t = 0; t < d; t++) centers[o + t] /= nrm;
  }
}

/** |A|×|B| Euclidean distances between the rows of A and B (row-major, flat). */
function crossDistances(A: Float64Array, B: Float64Array, d: number): Float64Array {
  const na = A.length / d, nb = B.length / d;
  const out = new Float64Array(na * nb);
  for (let a = 0; a < na; a++) {
    for (let b = 0; b < nb; b++) {
      let sq = 0;
      for (let t = 0; t < d; t++) { const e = A[a * d + t] - B[b * d + t]; sq += e * e; }
      out[a * nb + b] = Math.sqrt(sq);
    }
  }
  return out;
}

function normalized(rows: Float64Array, d: number): Float64Array {
  const out = rows.slice();
  normalizeRows(out, d);
  return out;
}

/**
 * Σ weight·cost at `centers` from a pass's per-cluster aggregates, as Spark's clusterCost:
 * euclidean Σ w‖x − c‖² = Q − 2(c − μ)·S + W‖c − μ‖² (S and Q accumulated around the shift μ);
 * cosine Σ w(1 − x̂·c) = W − c·S for unit c.
 */
function clusterCost(acc: Float64Array, centers: Float64Array, k: number, d: number, measure: DistanceMeasure, shift: Float64Array): number {
  let total = 0;
  for (let j = 0; j < k; j++) {
    const w = acc[k * d + j];
    if (!(w > 0)) continue;
    const o = j * d;
    let c: number;
    if (measure === 'cosine') {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += centers[o + t] * acc[o + t];
      c = w - dot;
    } else {
      let cross = 0, sq = 0;
      for (let t = 0; t < d; t++) {
        const e = centers[o + t] - shift[t];
        cross += e * acc[o + t];
        sq += e * e;
      }
      c = acc[k * d + k + j] - 2 * cross + w * sq;
    }
    total += Math.max(c, 0);
  }
  return total;
}

registerStage(KMeans);
