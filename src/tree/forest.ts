// Decision trees and random forests: prepare the binned data once, draw each tree's sample
// (Spark's BaggedPoint), grow all trees together, convert them to flat pruned trees.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { Broadcast } from '../engine/broadcast.js';
import { prepareDataset } from './dataset.js';
import { predictionOf, statsLayout, type ImpurityKind } from './impurity.js';
import { TreeLearner } from './learner.js';
import { MAX_SEGMENTS, NO_INPUT, TREE_BAG, type BagParams, type ForestState } from './learner.kernels.js';
import { toTreeNodes, type TreeNodes } from './nodes.js';
import { featuresPerNode } from './params.js';
import { hashInts } from './random.js';

export interface TreeOptions {
  featuresCol: string;
  labelCol: string;
  weightCol?: string;
  maxDepth: number;
  maxBins: number;
  minInstancesPerNode: number;
  minWeightFractionPerNode: number;
  minInfoGain: number;
  maxMemoryInMB: number;
  seed: number;
  categorical: Readonly<Record<string, number>>;
}

export interface ForestOptions extends TreeOptions {
  classification: boolean;
  impurity: 'gini' | 'entropy' | 'variance';
  numTrees: number;
  featureSubsetStrategy: string;
  bootstrap: boolean;
  subsamplingRate: number;
  /** Merge sibling leaves with equal predictions (Spark always does; false only in tests). */
  prune?: boolean;
  /** Use the WebAssembly kernels when possible (default true; false in tests comparing both paths). */
  wasm?: boolean;
}

export interface FittedTrees {
  trees: TreeNodes[];
  numFeatures: number;
  numClasses: number;
}

/** Forests of at least this many trees grow one task per tree (local mode). */
export const LOCAL_MODE_TREES = 4;


export async function trainForest(df: DataFrame, o: ForestOptions): Promise<FittedTrees> {
  const engine = df.engine;
  const ds = await prepareDataset(df, {
    featuresCol: o.featuresCol, labelCol: o.labelCol, weightCol: o.weightCol, classification: o.classification,
    maxBins: o.maxBins, seed: o.seed, categorical: o.categorical, wasm: o.wasm,
  });
  let stateB: Broadcast<ForestState> | null = null;
  try {
    const T = o.numTrees;
    // Spark's BaggedPoint: Poisson counts with bootstrap, Bernoulli below rate 1, else every row once.
    const sampled = o.bootstrap || o.subsamplingRate < 1;
    const mem = ds.memory;
    const state: ForestState = {
      node: Array.from({ length: T }, () => mem.int32(ds.n)),
      bag: Array.from({ length: T }, () => (sampled ? mem.uint8(ds.n) : null)),
      grad: null,
      hess: null,
      active: Array.from({ length: T }, () => mem.int32(ds.n)),
      activeCount: Array.from({ length: T }, () => mem.int32(MAX_SEGMENTS)),
      inArena: false,
    };
    state.inArena = mem.inArena;
    stateB = engine.broadcast(state);
    if (sampled) {
      await engine.runJob(TREE_BAG, Array.from({ length: T }, () => NO_INPUT), (t: number): BagParams => ({
        state: stateB!.ref, data: ds.broadcast.ref, t, withReplacement: o.bootstrap, rate: o.subsamplingRate, seed: o.seed,
      }));
    }
    const layout = statsLayout(o.impurity as ImpurityKind, ds.numClasses, ds.weighted);
    const learner = new TreeLearner(engine, ds, stateB, {
      layout,
      rules: { minInstancesPerNode: o.minInstancesPerNode, minWeightPerNode: o.minWeightFractionPerNode * ds.weightSum, minInfoGain: o.minInfoGain },
      maxDepth: o.maxDepth,
      featuresPerNode: featuresPerNode(o.featureSubsetStrategy, ds.d, T, o.classification),
      seedHash: hashInts(o.seed, 0x7ee5),
      maxMemoryInMB: o.maxMemoryInMB,
      local: T >= LOCAL_MODE_TREES,
    });
    const learned = await learner.grow(Array.from({ length: T }, (_, t) => ({ t, index: t })));
    const trees = learned.map((lt) => toTreeNodes(lt, {
      layout, thresholds: ds.thresholds, arity: ds.meta.arity, prune: o.prune ?? true, value: (s) => predictionOf(layout, s, 0),
    }));
    return { trees, numFeatures: ds.d, numClasses: ds.numClasses };
  } finally {
    stateB?.destroy();
    ds.destroy();
  }
}

