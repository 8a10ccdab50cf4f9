// The fitted ALS model (Spark's ALSModel): user and item factors, predictions for (user, item)
// rows, and top-n recommendations computed block against block with a heap per query.
import type { DataFrame, SessionLike } from '../dataframe/dataframe.js';
import { denseVectorData, makeBatch, primitiveData } from '../dataframe/batch.js';
import { StructType } from '../dataframe/types.js';
import { batchToShared } from '../engine/blocks.js';
import type { Broadcast } from '../engine/broadcast.js';
import type { EngineContext } from '../engine/context.js';
import { DenseVector } from '../linalg/vectors.js';
import { withParams } from '../pipeline/params-mixin.js';
import { constructWithUid, type ParamValues } from '../pipeline/params.js';
import { Model, ParamMap } from '../pipeline/stage.js';
import { binarySearch, sharedFloat64, sharedInt32, type Side } from './als-blocks.js';
import { ALS_MODEL_PARAMS, validateModelSchema } from './als-params.js';
import { PREDICT_MAPPER, RECOMMEND, recommendationSchema, type ModelFactors, type PredictParams, type RecommendParams } from './als.kernels.js';
import { lazyFrame } from '../dataframe/computed.js';
import { Field, Float32, Int32, List, makeData, RecordBatch, Schema, Struct, Table, Type, type Data } from 'apache-arrow';
import { Session } from '../dataframe/session.js';
import { loadStage, ModelPersistenceError, registerStage, type LoadContext, type LoadOptions } from '../persistence/index.js';

/** One side's factors: ids and rank-wide rows, in any order (sorted on construction). */
export interface FactorTable { ids: ArrayLike<number>; factors: ArrayLike<number> }

const INT_MIN = -2147483648, INT_MAX = 2147483647;

export class ALSModel extends withParams(Model, ALS_MODEL_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.recommendation.ALSModel';

  /** Loads a saved model; its DataFrames live in the active session unless `setSession` says otherwise. */
  static load(path: string, options?: LoadOptions): Promise<ALSModel> { return loadStage(ALSModel, path, options); }

  readonly #rank: number;
  readonly #factors: ModelFactors;
  #session: SessionLike | null;
  readonly #broadcasts = new WeakMap<EngineContext, Broadcast<ModelFactors>>();

  /**
   * `users`/`items`: ids and factors (ids.length × rank), kept at float32 precision as Spark's
   * model keeps them (so a saved model loads back identical). `session` is where userFactors,
   * itemFactors and recommendations live (fit passes its own; loaded models use the active one).
   */
  constructor(rank = 1, users: FactorTable = { ids: [], factors: [] }, items: FactorTable = { ids: [], factors: [] },
    session: SessionLike | null = null, params?: ParamValues<ALSModel>) {
    super();
    if (!Number.isInteger(rank) || rank < 1) throw new Error(`ALSModel: rank must be a positive integer, got ${rank}`);
    this.#rank = rank;
    const u = sortedTable('user', users, rank), it = sortedTable('item', items, rank);
    this.#factors = { rank, userIds: u.ids, userFactors: u.factors, itemIds: it.ids, itemFactors: it.factors };
    this.#session = session;
    if (params) this.setParamsFromObject(params);
  }

  get rank(): number { return this.#rank; }
  get numUsers(): number { return this.#factors.userIds.length; }
  get numItems(): number { return this.#factors.itemIds.length; }

  /** The session holding this model's DataFrames (set by fit or a loader; settable for models built by hand). */
  get session(): SessionLike | null { return this.#session; }
  setSession(session: SessionLike): this { this.#session = session; return this; }

  /** Spark's userFactors: a DataFrame of `id` (int) and `features` (vector of size rank), by id. */
  get userFactors(): DataFrame { return this.factorFrame(this.#factors.userIds, this.#factors.userFactors); }
  get itemFactors(): DataFrame { return this.factorFrame(this.#factors.itemIds, this.#factors.itemFactors); }

  /** The factors of one user or item (a copy), or null when the id is unknown. */
  userFactor(id: number): DenseVector | null { return this.factorOf(this.#factors.userIds, this.#factors.userFactors, id); }
  itemFactor(id: number): DenseVector | null { return this.factorOf(this.#factors.itemIds, this.#factors.itemFactors, id); }

  /** Single-row scoring: the predicted rating of (user, item), NaN when either is unknown. */
  predict(user: number, item: number): number {
    const { userIds, userFactors, itemIds, itemFactors } = this.#factors;
    const a = binarySearch(userIds, user), b = binarySearch(itemIds, item);
    if (a < 0 || b < 0 || !Number.isInteger(user) || !Number.isInteger(item)) return NaN;
    const k = this.#rank;
    let s = 0;
    for (let t = 0; t < k; t++) s += userFactors[a * k + t] * itemFactors[b * k + t];
    return s;
  }

  transformSchema(schema: StructType): StructType { return validateModelSchema(this, schema); }

  protected transformImpl(df: DataFrame): DataFrame {
    const params: PredictParams = {
      userCol: this.getUserCol(), itemCol: this.getItemCol(), model: this.broadcastOn(df.engine).ref,
      drop: this.getColdStartStrategy().toLowerCase() === 'drop',
    };
    return df.withMappedColumns(PREDICT_MAPPER, params, [{ name: this.getPredictionCol(), type: { kind: 'double' }, nullable: true }]);
  }

  /**
   * Top `numItems` items for every user, as Spark: one row per user, (userCol, recommendations), where
   * recommendations is an array of { [itemCol], rating } structs in descending rating.
   */
  recommendForAllUsers(numItems: number): DataFrame { return this.recommend('user', numItems, null); }

  /** Top `numUsers` users for every item: one row per item, (itemCol, recommendations of { [userCol], rating }). */
  recommendForAllItems(numUsers: number): DataFrame { return this.recommend('item', numUsers, null); }

  /** Top `numItems` items for each distinct user id of `dataset`'s userCol (unknown ids are left out). */
  recommendForUserSubset(dataset: DataFrame, numItems: number): DataFrame { return this.recommend('user', numItems, dataset); }

  /** Top `numUsers` users for each distinct item id of `dataset`'s itemCol. */
  recommendForItemSubset(dataset: DataFrame, numUsers: number): DataFrame { return this.recommend('item', numUsers, dataset); }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const f = this.#factors;
    const copied = constructWithUid(this.uid, () => new ALSModel(this.#rank, { ids: f.userIds, factors: f.userFactors }, { ids: f.itemIds, factors: f.itemFactors }, this.#session));
    copied.parent = this.parent;
    return this.copyValues(copied, extra) as this;
  }

  override toString(): string { return `ALSModel: uid=${this.uid}, rank=${this.#rank}`; }

  // --- internals ---------------------------------------------------------------------------------

  private recommend(side: Side, n: number, subset: DataFrame | null): DataFrame {
    if (!Number.isInteger(n) || n < 1) throw new Error(`ALSModel: the number of recommendations must be a positive integer, got ${n}`);
    const session = this.requireSession();
    const [srcCol, dstCol] = side === 'user' ? [this.getUserCol(), this.getItemCol()] : [this.getItemCol(), this.getUserCol()];
    if (subset) {
      const t = subset.schema.field(srcCol).type;
      if (t.kind !== 'int' && t.kind !== 'long' && t.kind !== 'double') throw new Error(`Column ${srcCol} must be of type numeric but was actually of type ${t.kind}.`);
    }
    const engine = session.engine;
    const ids = side === 'user' ? this.#factors.userIds : this.#factors.itemIds;
    // Tasks of a few hundred queries each, several per thread for balance; fixed before the subset
    // is known, so the frame's partition count is known without running anything.
    const tasks = Math.max(1, Math.min(Math.ceil(ids.length / 256), 4 * engine.parallelism));
    return lazyFrame(session, recommendationSchema(srcCol, dstCol), tasks, async () => {
      const queries = subset ? await this.subsetIndices(subset, srcCol, ids) : Int32Array.from({ length: ids.length }, (_, i) => i);
      const plans = Array.from({ length: tasks }, () => ({ kind: 'empty', fields: [] }));
      const model = this.broadcastOn(engine).ref;
      return engine.runJob<SharedArrayBuffer>(RECOMMEND, plans, (t: number): RecommendParams => ({
        model, side, n, srcCol, dstCol,
        queries: queries.subarray(Math.floor((t * queries.length) / tasks), Math.floor(((t + 1) * queries.length) / tasks)),
      }));
    });
  }

  /** Positions in `ids` of the distinct known ids in a DataFrame column, ascending. */
  private async subsetIndices(df: DataFrame, column: string, ids: Int32Array): Promise<Int32Array> {
    const seen = new Set<number>();
    for (const row of await df.select(column).collect()) {
      const v = row[column];
      if (v === null || v === undefined) continue;
      const x = typeof v === 'bigint' ? Number(v) : (v as number);
      if (!Number.isInteger(x) || x < INT_MIN || x > INT_MAX) {
        throw new Error(`ALS only supports values in Integer range and without fractional part for columns ${this.getUserCol()} and ${this.getItemCol()}. ` +
          `Value ${String(v)} was either out of Integer range or contained a fractional part that could not be converted.`);
      }
      const at = binarySearch(ids, x);
      if (at >= 0) seen.add(at);
    }
    return Int32Array.from([...seen].sort((a, b) => a - b));
  }

  private factorFrame(ids: Int32Array, factors: Float64Array): DataFrame {
    const k = this.#rank;
    const schema = new StructType([
      { name: 'id', type: { kind: 'int' }, nullable: false },
      { name: 'features', type: { kind: 'vector', encoding: 'dense', size: k }, nullable: false },
    ]);
    return lazyFrame(this.requireSession(), schema, 1, async () => [batchToShared(makeBatch(schema, [
      primitiveData({ kind: 'int' }, ids.slice(), null), denseVectorData(k, factors.slice(), null, ids.length),
    ], ids.length))]);
  }

  private factorOf(ids: Int32Array, factors: Float64Array, id: number): DenseVector | null {
    const at = binarySearch(ids, id);
    return at < 0 ? null : new DenseVector(factors.slice(at * this.#rank, (at + 1) * this.#rank));
  }

  private broadcastOn(engine: EngineContext): Broadcast<ModelFactors> {
    let b = this.#broadcasts.get(engine);
    if (!b) { b = engine.broadcast(this.#factors); this.#broadcasts.set(engine, b); }
    return b;
  }

  private requireSession(): SessionLike {
    this.#session ??= Session.getActiveSession();
    if (!this.#session) throw new Error(`${this.uid}: this ALSModel has no session for its DataFrames; call setSession(spark) first`);
    return this.#session;
  }

  /** The factors as saved: one table per side, (id: int, features: array<float>). */
  factorTable(side: Side): Table {
    const [ids, factors] = side === 'user' ? [this.#factors.userIds, this.#factors.userFactors] : [this.#factors.itemIds, this.#factors.itemFactors];
    const n = ids.length, k = this.#rank;
    const element = new Field('element', new Float32(), false);
    const fields = [new Field('id', new Int32(), false), new Field('features', new List(element), true)];
    const offsets = Int32Array.from({ length: n + 1 }, (_, i) => i * k);
    const values = makeData({ type: new Float32(), length: n * k, data: Float32Array.from(factors) });
    const children = [
      makeData({ type: new Int32(), length: n, data: ids.slice() }),
      makeData({ type: new List(element), length: n, valueOffsets: offsets, child: values }),
    ];
    return new Table(new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, children })));
  }
}

/** Ids (validated as ints, distinct) with their factor rows, sorted by id, in shared memory. */
function sortedTable(side: string, table: FactorTable, rank: number): { ids: Int32Array; factors: Float64Array } {
  const n = table.ids.length;
  if (table.factors.length !== n * rank) {
    throw new Error(`ALSModel: ${n} ${side} ids need ${n * rank} factor values for rank ${rank}, got ${table.factors.length}`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => table.ids[a] - table.ids[b]);
  const ids = sharedInt32(n), factors = sharedFloat64(n * rank);
  order.forEach((src, dst) => {
    const id = table.ids[src];
    if (!Number.isInteger(id) || id < INT_MIN || id > INT_MAX) throw new Error(`ALSModel: ${side} id ${id} is not an integer in the int range`);
    if (dst > 0 && ids[dst - 1] === id) throw new Error(`ALSModel: ${side} id ${id} appears twice`);
    ids[dst] = id;
    for (let t = 0; t < rank; t++) factors[dst * rank + t] = Math.fround(table.factors[src * rank + t]);
  });
  return { ids, factors };
}

// Spark's layout: metadata carries "rank"; userFactors/ and itemFactors/ hold (id: int, features: array<float>).
registerStage(ALSModel, {
  extraMetadata: (model) => ({ rank: model.rank }),
  async save(model, out) {
    await out.writeData(model.factorTable('user'), 'userFactors');
    await out.writeData(model.factorTable('item'), 'itemFactors');
  },
  async load(ctx) {
    const rank = ctx.metadata.json.rank;
    if (!Number.isInteger(rank) || (rank as number) < 1) throw new ModelPersistenceError(ctx.path, `corrupt metadata: rank must be a positive integer, found ${String(rank)}`);
    const users = await readFactors(ctx, 'userFactors', rank as number);
    const items = await readFactors(ctx, 'itemFactors', rank as number);
    return ctx.construct(() => new ALSModel(rank as number, users, items, Session.getActiveSession()));
  },
});

/** Reads a factors directory written by Spark or by us: id int, features array of float (or double) of size rank. */
async function readFactors(ctx: LoadContext, dir: string, rank: number): Promise<FactorTable> {
  const table = (await ctx.readData(dir)).table;
  const corrupt = (problem: string) => new ModelPersistenceError(ctx.path, `corrupt model data (${dir}/): ${problem}`);
  const n = table.numRows;
  const ids = new Int32Array(n), factors = new Float64Array(n * rank);
  let row = 0;
  for (const batch of table.batches) {
    const idCol = batch.getChild('id'), fCol = batch.getChild('features');
    if (!idCol || !fCol) throw corrupt(`columns 'id' and 'features' are needed (found ${table.schema.fields.map((f) => f.name).join(', ')})`);
    for (let c = 0; c < idCol.data.length; c++) {
      const idData = idCol.data[c] as Data, fData = fCol.data[c] as Data;
      if (idData.type.typeId !== Type.Int || (idData.type as Int32).bitWidth !== 32) throw corrupt(`column 'id' must be int, found ${String(idData.type)}`);
      const child = fData.children[0] as Data | undefined;
      if (fData.type.typeId !== Type.List || !child || child.type.typeId !== Type.Float) throw corrupt(`column 'features' must be array<float>, found ${String(fData.type)}`);
      const idv = idData.values as Int32Array, vo = fData.valueOffsets as Int32Array, cv = child.values as Float32Array | Float64Array;
      for (let i = 0; i < idData.length; i++, row++) {
        if (idData.nullCount > 0 && !idData.getValid(i)) throw corrupt(`row ${row} has a null id`);
        if (fData.nullCount > 0 && !fData.getValid(i)) throw corrupt(`row ${row} has null features`);
        const a = vo[fData.offset + i], b = vo[fData.offset + i + 1];
        if (b - a !== rank) throw corrupt(`row ${row} holds ${b - a} features but the rank is ${rank}`);
        ids[row] = idv[idData.offset + i];
        for (let t = 0; t < rank; t++) factors[row * rank + t] = cv[child.offset + a + t];
      }
    }
  }
  return { ids, factors };
}
