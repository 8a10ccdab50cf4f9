// Alternating least squares (Spark's ml.recommendation.ALS): blocked, as Spark's. One pass buckets
// the ratings by (user block, item block); one job builds every user and item block once; then
// each iteration solves all item blocks from the user factors they hold, then all user blocks
// from the item factors, each task shipping its new factors straight to the blocks that need them.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { addInto } from '../engine/aggregate.js';
import { withParams } from '../pipeline/params-mixin.js';
import type { ParamValues } from '../pipeline/params.js';
import { Estimator } from '../pipeline/stage.js';
import { seedNumber } from '../pipeline/shared-params.js';
import { requireNumericColumn } from '../feature/shared.js';
import { rowKey } from '../clustering/row-random.js';
import { ALS_PARAMS, validateModelSchema } from './als-params.js';
import { ALSModel } from './als-model.js';
import type { BlockState, Side, SideBlock } from './als-blocks.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { BUCKET, BUILD, SHIP, SOLVE, type BuildParams, type RatingPiece, type SolveParams } from './als.kernels.js';

export class ALS extends withParams(Estimator<ALSModel>, ALS_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.recommendation.ALS';

  static load(path: string, options?: LoadOptions): Promise<ALS> { return loadStage(ALS, path, options); }

  constructor(params: ParamValues<ALS> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    requireNumericColumn(schema, this.getRatingCol());
    return validateModelSchema(this, schema);
  }

  protected async fitImpl(df: DataFrame): Promise<ALSModel> {
    const engine = df.engine;
    const rank = this.getRank(), nub = this.getNumUserBlocks(), nib = this.getNumItemBlocks();
    const ids = { userCol: this.getUserCol(), itemCol: this.getItemCol() };
    const pieces = await engine.runJob<RatingPiece>(BUCKET, await df.plans(), {
      ...ids, ratingCol: this.getRatingCol(), numUserBlocks: nub, numItemBlocks: nib,
    });
    const numRatings = pieces.reduce((s, p) => s + p.users.length, 0);
    if (numRatings === 0) throw new Error(`${this.uid}: the training DataFrame has no ratings`);

    // Build every block of both sides in one job.
    const shared = engine.broadcast({ pieces });
    let blocks: SideBlock[];
    try {
      const seed = seedNumber(this.getSeed());
      blocks = await engine.runJob<SideBlock>(BUILD, emptyPlans(nub + nib), (t: number): BuildParams => {
        const side: Side = t < nub ? 'user' : 'item';
        return {
          pieces: shared.ref, side, block: t < nub ? t : t - nub, numUserBlocks: nub, numItemBlocks: nib, rank,
          initKey: rowKey(seed, 'als', 'init', side),
        };
      });
    } finally {
      shared.destroy();
    }
    const user = blocks.slice(0, nub), item = blocks.slice(nub);
    for (let ub = 0; ub < nub; ub++) {
      for (let ib = 0; ib < nib; ib++) {
        user[ub].outBase[ib] = item[ib].inBase[ub];
        item[ib].outBase[ub] = user[ub].inBase[ib];
      }
    }
    const stateValue: BlockState = { user, item, rank };
    const state = engine.broadcast(stateValue);
    try {
      const implicitPrefs = this.getImplicitPrefs();
      const sumGram = (parts: (Float64Array | null)[]): Float64Array | null =>
        implicitPrefs ? parts.reduce<Float64Array>((acc, g) => addInto(acc, g!), new Float64Array(rank * rank)) : null;
      // The user factors reach the item blocks first; items are solved first in every iteration, as in Spark.
      let yty = sumGram(await engine.runJob<Float64Array | null>(SHIP, emptyPlans(nub), { state: state.ref, side: 'user', gram: implicitPrefs }));
      const solve = async (side: Side, gram: Float64Array | null) => {
        const params: SolveParams = {
          state: state.ref, side, regParam: this.getRegParam(), implicitPrefs, alpha: this.getAlpha(), nonnegative: this.getNonnegative(), yty: gram,
        };
        return sumGram(await engine.runJob<Float64Array | null>(SOLVE, emptyPlans(side === 'user' ? nub : nib), params));
      };
      for (let iter = 0; iter < this.getMaxIter(); iter++) {
        yty = await solve('item', yty);
        yty = await solve('user', yty);
      }
    } finally {
      state.destroy();
    }
    const table = (side: SideBlock[]) => ({ ids: concatInts(side.map((b) => b.ids)), factors: concatFloats(side.map((b) => b.factors)) });
    return this.copyValues(new ALSModel(rank, table(user), table(item), df.session));
  }
}

/** Plans for tasks that read no DataFrame partition (one per block). */
function emptyPlans(n: number): PartitionPlan[] {
  return Array.from({ length: n }, () => ({ kind: 'empty', fields: [] }));
}

function concatInts(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function concatFloats(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

registerStage(ALS);
