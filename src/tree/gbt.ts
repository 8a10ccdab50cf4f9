// Gradient-boosted trees: Spark's GradientBoostedTrees.boost with two departures that XGBoost,
// LightGBM and scikit-learn share and that fit better in our tests and benchmark: leaf values are
// Newton steps (-G/H; the mean residual for squared loss, as Spark), and the first round is a
// single-leaf tree at the best constant (mean label, or the prior log-odds) with weight 1 while
// every other round is shrunk by stepSize (Spark gives a full depth tree weight 1, which overfits).
// Each round's trees fit the gradients of the current predictions, which are kept per row in shared
// memory and updated incrementally. Binary classification uses Spark's LogLoss units
// (P(y=1) = 1/(1+exp(-2F))); more than two classes grow one tree per class per round on the
// softmax loss. validationIndicatorCol + validationTol stop early as Spark does and keep the trees
// up to the best validation error.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { Broadcast } from '../engine/broadcast.js';
import { prepareDataset, type TreeDataset } from './dataset.js';
import { predictionOf, statsLayout, type StatsLayout } from './impurity.js';
import { chunkGroups, routeTable, rowRanges, TreeLearner, type LearnTree } from './learner.js';
import { MAX_SEGMENTS, NO_INPUT } from './learner.kernels.js';
import { toTreeNodes, TreeNodes } from './nodes.js';
import { featuresPerNode } from './params.js';
import { hashInts } from './random.js';
import { LOCAL_MODE_TREES, type TreeOptions } from './forest.js';
import { GBT_EVALUATE, GBT_UPDATE, type BinnedTree, type GbtEvaluateParams, type GbtLoss, type GbtState, type GbtUpdateParams } from './gbt.kernels.js';
import type { PackedForest } from './predict.kernels.js';
import { addInto } from '../engine/aggregate.js';
import { columnKind, type ColumnKind } from '../feature/shared.js';

export interface GbtOptions extends TreeOptions {
  classification: boolean;
  lossType: 'logistic' | 'squared' | 'absolute';
  maxIter: number;
  stepSize: number;
  subsamplingRate: number;
  featureSubsetStrategy: string;
  validationIndicatorCol?: string;
  validationTol: number;
  /** Use the WebAssembly kernels when possible (default true; false in tests comparing both paths). */
  wasm?: boolean;
}

export interface FittedBoost {
  trees: TreeNodes[];
  weights: number[];
  numFeatures: number;
  numClasses: number;
  /** Validation error after each kept round (when validating). */
  validationErrors: number[];
}

export async function trainGBT(df: DataFrame, o: GbtOptions): Promise<FittedBoost> {
  const engine = df.engine;
  const ds = await prepareDataset(df, {
    featuresCol: o.featuresCol, labelCol: o.labelCol, weightCol: o.weightCol, validationCol: o.validationIndicatorCol,
    classification: o.classification, maxBins: o.maxBins, seed: o.seed, categorical: o.categorical, wasm: o.wasm,
  });
  let stateB: Broadcast<GbtState> | null = null;
  try {
    const numClasses = o.classification ? Math.max(2, ds.numClasses) : 0;
    const softmax = numClasses > 2;
    const R = softmax ? numClasses : 1;
    const loss: GbtLoss = softmax ? 'softmax' : o.classification ? 'logistic' : o.lossType;
    const hessian = loss === 'logistic' || loss === 'softmax';
    const validate = !!o.validationIndicatorCol;
    const sampled = validate || o.subsamplingRate < 1;
    const n = ds.n;
    const mem = ds.memory;
    // Trees t = (round % 2) R + k: node ids and samples alternate between two copies by round, so
    // that a retried update still reads the previous round's (gbt.kernels.ts); the rest is shared.
    const bags = [0, 1].map(() => (sampled ? mem.uint8(n) : null));
    const grad = Array.from({ length: R }, () => mem.float64(n));
    const hess = Array.from({ length: R }, () => (hessian ? mem.float64(n) : null));
    const active = Array.from({ length: R }, () => mem.int32(n));
    const activeCount = Array.from({ length: R }, () => mem.int32(MAX_SEGMENTS));
    const twice = <T>(a: T[]): T[] => [...a, ...a];
    const state: GbtState = {
      node: Array.from({ length: 2 * R }, () => mem.int32(n)),
      bag: Array.from({ length: 2 * R }, (_, t) => bags[Math.floor(t / R)]),
      grad: twice(grad), hess: twice(hess), active: twice(active), activeCount: twice(activeCount),
      pred: [mem.float64(n * R), mem.float64(n * R)],
      inArena: false,
    };
    state.inArena = mem.inArena;
    stateB = engine.broadcast(state);
    const rules = { minInstancesPerNode: o.minInstancesPerNode, minWeightPerNode: o.minWeightFractionPerNode * ds.weightSum, minInfoGain: o.minInfoGain };
    const perNode = featuresPerNode(o.featureSubsetStrategy, ds.d, 1, false);
    const seedHash = hashInts(o.seed, 0x6b7);
    // Squared and absolute losses have unit hessians (round 0 of absolute loss fits the labels, as Spark's first tree).
    const layout = statsLayout('newton', 0, ds.weighted, hessian);
    const learnerFor = (layout: StatsLayout) => new TreeLearner(engine, ds, stateB!, {
      layout, rules, maxDepth: o.maxDepth, featuresPerNode: perNode, seedHash, maxMemoryInMB: o.maxMemoryInMB, local,
    });
    // Leaf values: Newton steps in margin units; Spark's logistic model is in units of F = margin / 2.
    const unit = loss === 'logistic' ? 0.5 : 1;
    const maxBins = Math.max(1, ...ds.meta.numBins);
    const ranges = rowRanges(n);

    const updateParams = (previous: BinnedTree[] | null, gradientLoss: GbtLoss | null, round: number, r0 = 0, r1 = n): GbtUpdateParams => ({
      data: ds.broadcast.ref, state: stateB!.ref, r0, r1, R, maxBins, previous, gradientLoss,
      errorLoss: loss, rate: o.subsamplingRate, roundSeedHash: hashInts(o.seed, 0xbac, round), parity: round % 2,
    });
    const update = async (previous: BinnedTree[] | null, gradientLoss: GbtLoss | null, round: number) => {
      const groups = chunkGroups(ranges, engine.parallelism);
      const parts = (await engine.runJob<{ error: number; weight: number }[]>(GBT_UPDATE, groups.map(() => NO_INPUT),
        (i: number) => ({ base: updateParams(previous, gradientLoss, round), chunks: groups[i] }))).flat();
      let error = 0, weight = 0;
      for (const p of parts) { error += p.error; weight += p.weight; }
      return weight > 0 ? error / weight : 0;
    };

    const trees: TreeNodes[] = [], weights: number[] = [], errors: number[] = [];
    let previous: BinnedTree[] | null = null;
    let best = Infinity, bestRounds = 0, stopped = false;
    // Spark's rule, applied to the validation error after `rounds` rounds.
    const check = (err: number, rounds: number): boolean => {
      errors.push(err);
      if (rounds === 1) { best = err; bestRounds = 1; return false; }
      if (best - err < o.validationTol * Math.max(err, 0.01)) return true;
      if (err < best) { best = err; bestRounds = rounds; }
      return false;
    };
    const local = R >= LOCAL_MODE_TREES;
    for (let round = 0; round < o.maxIter; round++) {
      if (round === 0) {
        const constants = initialMargins(ds, loss, R);
        for (const c of constants) { trees.push(constantTree(c, ds.weightSum, ds.nTrain)); weights.push(1); }
        previous = constants.map((c) => constantBinned(c));
        continue;
      }
      const learner = learnerFor(layout);
      const roundTrees = Array.from({ length: R }, (_, k) => ({ t: (round % 2) * R + k, index: round * R + k }));
      let learned: LearnTree[];
      if (local) {
        // One task per tree: the previous round's update is a pass of its own.
        const err = await update(previous, loss, round);
        if (validate && check(err, round)) { stopped = true; break; }
        learned = await learner.grow(roundTrees);
      } else {
        // The root pass updates its rows first (the check comes after the round is grown; a stopped round is dropped).
        learned = await learner.grow(roundTrees, updateParams(previous, loss, round));
        const { error, weight } = learner.preludeResult;
        if (validate && check(weight > 0 ? error / weight : 0, round)) { stopped = true; break; }
      }
      for (const lt of learned) {
        trees.push(toTreeNodes(lt, { layout, thresholds: ds.thresholds, arity: ds.meta.arity, prune: true, value: (s) => unit * predictionOf(layout, s, 0) }));
        weights.push(o.stepSize);
      }
      previous = learned.map((lt) => binnedTree(lt, layout, maxBins, o.stepSize * unit));
    }
    if (validate && !stopped && o.maxIter > 0) check(await update(previous, null, o.maxIter), o.maxIter);
    const keep = validate ? bestRounds * R : trees.length;
    return { trees: trees.slice(0, keep), weights: weights.slice(0, keep), numFeatures: ds.d, numClasses, validationErrors: errors.slice(0, validate ? bestRounds : 0) };
  } finally {
    stateB?.destroy();
    ds.destroy();
  }
}

/** The best constant prediction: mean label, half the prior log-odds (Spark's F units), or centred log class priors. */
function initialMargins(ds: TreeDataset, loss: GbtLoss, R: number): number[] {
  const W = ds.weightSum;
  switch (loss) {
    case 'squared': case 'absolute': return [W > 0 ? ds.labelSum / W : 0];
    case 'logistic': {
      const p = Math.min(Math.max(W > 0 ? ds.labelSum / W : 0.5, 1e-15), 1 - 1e-15);
      return [0.5 * Math.log(p / (1 - p))];
    }
    case 'softmax': {
      const logs = Array.from({ length: R }, (_, k) => Math.log(Math.max((ds.classWeights[k] ?? 0) / W, 1e-15)));
      const mean = logs.reduce((a, b) => a + b, 0) / R;
      return logs.map((l) => l - mean);
    }
  }
}

/** A single-leaf tree (Spark's stats: [count, sum, sumSquares] of its constant). */
function constantTree(c: number, weight: number, count: number): TreeNodes {
  return new TreeNodes({
    feature: Int32Array.of(-1), threshold: Float64Array.of(NaN), left: Int32Array.of(-1), right: Int32Array.of(-1),
    prediction: Float64Array.of(c), impurity: Float64Array.of(0), gain: Float64Array.of(-1), rawCount: Float64Array.of(count),
    stats: Float64Array.of(weight, weight * c, weight * c * c), statsSize: 3, categories: [null], numCategories: Int32Array.of(-1),
    classification: false,
  });
}

function constantBinned(c: number): BinnedTree {
  return {
    feat: Int32Array.of(-1), left: Int32Array.of(0), mask: new Uint8Array(0), value: Float64Array.of(c),
    routeBase: 0, routeFeat: new Int32Array(0), routeLeft: new Int32Array(0), routeMask: new Uint8Array(0),
  };
}

function binnedTree(lt: LearnTree, layout: StatsLayout, maxBins: number, scale: number): BinnedTree {
  const m = lt.nodes.length;
  const t: BinnedTree = {
    feat: new Int32Array(m).fill(-1), left: new Int32Array(m), mask: new Uint8Array(m * maxBins), value: new Float64Array(m),
    ...routeTable(lt.pending, maxBins),
  };
  for (const node of lt.nodes) {
    if (!node.leaf && node.left >= 0) {
      t.feat[node.id] = node.feature;
      t.left[node.id] = node.left;
      t.mask.set(node.mask!.subarray(0, maxBins), node.id * maxBins);
    } else {
      t.value[node.id] = scale * predictionOf(layout, node.stats!, 0);
    }
  }
  return t;
}

/** Spark's evaluateEachIteration: the weighted mean error after each prefix of the trees. */
export async function evaluateEachIteration(df: DataFrame, forest: PackedForest, o: { featuresCol: string; labelCol: string; weightCol?: string; loss: GbtLoss }): Promise<number[]> {
  const schema = df.schema;
  const ftype = schema.field(o.featuresCol).type;
  const kind = (name: string): ColumnKind => columnKind(schema.field(name).type);
  const b = df.engine.broadcast(forest);
  try {
    const parts = await df.mapPartitions<{ sums: Float64Array; weight: number }>(GBT_EVALUATE, {
      forest: b.ref, features: o.featuresCol, featureKind: ftype.kind === 'vector' ? ftype.encoding : 'dense',
      label: o.labelCol, labelKind: kind(o.labelCol), weight: o.weightCol ?? null, weightKind: o.weightCol ? kind(o.weightCol) : null, loss: o.loss,
    } satisfies GbtEvaluateParams);
    const sums = new Float64Array(forest.numTrees);
    let weight = 0;
    for (const p of parts) { addInto(sums, p.sums); weight += p.weight; }
    return Array.from(sums, (s) => (weight > 0 ? s / weight : 0));
  } finally {
    b.destroy();
  }
}
