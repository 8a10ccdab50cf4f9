// Spark's Imputer: completes missing values (null, NaN, and `missingValue`) of numeric columns
// with each column's mean, approximate median or mode, computed after leaving the missing values
// out. The fit is one treeAggregate pass over the partitions (imputer.kernels.ts); the model
// replaces missing values with a column expression, so transform runs like any other projection.
// The output keeps the input's type: an int column's surrogate is truncated, as Spark's cast.
import type { DataFrame, SessionLike } from '../dataframe/dataframe.js';
import { col, lit, when, type Column } from '../dataframe/column.js';
import { lazyFrame } from '../dataframe/computed.js';
import { makeBatch, primitiveData } from '../dataframe/batch.js';
import { SKETCH_SIZE, sketchQuantile } from '../dataframe/describe.kernels.js';
import { Session } from '../dataframe/session.js';
import { StructType, type AtomicTypeName, type StructField } from '../dataframe/types.js';
import { batchToShared } from '../engine/blocks.js';
import { formatDouble } from '../linalg/format.js';
import { withParams, type DeclaredParams } from '../pipeline/params-mixin.js';
import { constructWithUid, ParamSpec, type Params, type ParamValues } from '../pipeline/params.js';
import { inputCol, inputCols, outputCol, outputCols, relativeError } from '../pipeline/shared-params.js';
import { Estimator, Model, ParamMap } from '../pipeline/stage.js';
import { dataTable, doubleColumn, loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { checkSingleVsMultiColumnParams, columnKind, requireNumericColumn } from './shared.js';
import { IMPUTER_FIT, mergePartials, modeOf, zeroPartial, type ImputerFitParams, type ImputerStrategy } from './imputer.kernels.js';

export type { ImputerStrategy } from './imputer.kernels.js';

const imputerParams = {
  inputCol,
  outputCol,
  inputCols,
  outputCols,
  strategy: ParamSpec.choice(
    'strategy for imputation. If mean, then replace missing values using the mean value of the feature. ' +
      'If median, then replace missing values using the median value of the feature. ' +
      'If mode, then replace missing values using the most frequent value of the feature.',
    ['mean', 'median', 'mode'] as const, { default: 'mean' },
  ),
  missingValue: ParamSpec.double('The placeholder for the missing values. All occurrences of missingValue will be imputed', { default: NaN }),
  relativeError,
};

type ImputerStage = Params & DeclaredParams<typeof imputerParams>;

/** The input and output column names in pairs, checked as Spark's validateAndTransformSchema. */
function inOutCols(stage: ImputerStage): [string[], string[]] {
  checkSingleVsMultiColumnParams(stage, [stage.outputCol], [stage.outputCols]);
  const [ins, outs] = stage.isSet(stage.inputCol)
    ? [[stage.getInputCol()], [stage.getOutputCol()]]
    : [[...stage.getInputCols()], [...stage.getOutputCols()]];
  if (ins.length === 0) throw new Error('inputCols cannot be empty');
  if (new Set(ins).size !== ins.length) throw new Error(`inputCols contains duplicates: (${ins.join(', ')})`);
  if (new Set(outs).size !== outs.length) throw new Error(`outputCols contains duplicates: (${outs.join(', ')})`);
  if (ins.length !== outs.length) throw new Error(`inputCols(${ins.length}) and outputCols(${outs.length}) should have the same length`);
  return [ins, outs];
}

/**
 * The output schema: each output column has its input's type and nullability. An output that
 * names an existing column replaces it in place (Spark's withColumns), so imputing into the
 * input column itself works.
 */
function outputSchema(stage: ImputerStage, schema: StructType): { schema: StructType; inputs: StructField[]; outs: string[] } {
  const [ins, outs] = inOutCols(stage);
  const inputs = ins.map((name) => requireNumericColumn(schema, name));
  const fields = [...schema.fields];
  inputs.forEach((input, i) => {
    const field: StructField = { name: outs[i], type: input.type, nullable: input.nullable };
    const at = fields.findIndex((f) => f.name === outs[i]);
    if (at >= 0) fields[at] = field; else fields.push(field);
  });
  return { schema: new StructType(fields), inputs, outs };
}

export class ImputerModel extends withParams(Model, imputerParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.ImputerModel';

  /** Loads a saved model; its surrogateDF lives in the active session unless `setSession` says otherwise. */
  static load(path: string, options?: LoadOptions): Promise<ImputerModel> {
    return loadStage(ImputerModel, path, options);
  }

  /** The value that replaces missing ones, by input column (Spark's surrogateDF as a plain object). */
  readonly surrogates: Readonly<Record<string, number>>;
  #session: SessionLike | null;

  constructor(surrogates: Readonly<Record<string, number>> = {}, params: ParamValues<ImputerModel> = {}, session: SessionLike | null = null) {
    super();
    for (const [name, v] of Object.entries(surrogates)) {
      if (typeof v !== 'number') throw new Error(`ImputerModel: the surrogate of column '${name}' must be a number but is ${typeof v}`);
    }
    this.surrogates = Object.freeze({ ...surrogates });
    this.#session = session;
    this.setParamsFromObject(params);
  }

  /** The session holding surrogateDF (set by fit; loaded or hand-built models use the active one). */
  setSession(session: SessionLike): this { this.#session = session; return this; }

  /** Spark's surrogateDF: one row, a double column per input column holding its surrogate. */
  get surrogateDF(): DataFrame {
    this.#session ??= Session.getActiveSession();
    if (!this.#session) throw new Error(`${this.uid}: this ImputerModel has no session for its surrogateDF; call setSession(spark) first`);
    const names = Object.keys(this.surrogates);
    const schema = new StructType(names.map((name): StructField => ({ name, type: { kind: 'double' }, nullable: false })));
    const columns = names.map((n) => primitiveData({ kind: 'double' }, Float64Array.of(this.surrogates[n]), null));
    return lazyFrame(this.#session, schema, 1, async () => [batchToShared(makeBatch(schema, columns, 1))]);
  }

  transformSchema(schema: StructType): StructType {
    const { schema: out, inputs } = outputSchema(this, schema);
    for (const input of inputs) this.surrogateOf(input.name);
    return out;
  }

  /** Spark's transform: when(x is null, s).when(x = missingValue, s).otherwise(x), cast back to the input type. */
  protected transformImpl(df: DataFrame): DataFrame {
    const { inputs, outs } = outputSchema(this, df.schema);
    const missing = this.getMissingValue();
    const replaced = new Map<string, Column>();
    inputs.forEach((input, i) => {
      const s = this.surrogateOf(input.name);
      const x = col(input.name).cast('double');
      replaced.set(outs[i], when(x.isNull(), lit(s)).when(x.eq(lit(missing)), lit(s)).otherwise(x)
        .cast(input.type.kind as AtomicTypeName).alias(outs[i]));
    });
    const kept = df.columns.map((n) => replaced.get(n) ?? col(n));
    const appended = outs.filter((o) => !df.schema.has(o)).map((o) => replaced.get(o)!);
    return df.select(...kept, ...appended);
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = constructWithUid(this.uid, () => new ImputerModel(this.surrogates, {}, this.#session));
    copied.parent = this.parent;
    return this.copyValues(copied, extra) as this;
  }

  override toString(): string {
    const ins = this.isSet(this.inputCols) ? `, numInputCols=${this.getInputCols().length}` : '';
    const outs = this.isSet(this.outputCols) ? `, numOutputCols=${this.getOutputCols().length}` : '';
    return `ImputerModel: uid=${this.uid}, strategy=${this.getStrategy()}, missingValue=${formatDouble(this.getMissingValue())}${ins}${outs}`;
  }

  private surrogateOf(column: string): number {
    const s = this.surrogates[column];
    if (s === undefined || !Object.prototype.hasOwnProperty.call(this.surrogates, column)) {
      throw new Error(`ImputerModel ${this.uid}: no surrogate for input column '${column}'; the model has surrogates for [${Object.keys(this.surrogates).join(', ')}]`);
    }
    return s;
  }
}

export class Imputer extends withParams(Estimator<ImputerModel>, imputerParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.Imputer';

  static load(path: string, options?: LoadOptions): Promise<Imputer> {
    return loadStage(Imputer, path, options);
  }

  constructor(params: ParamValues<Imputer> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType { return outputSchema(this, schema).schema; }

  /** One treeAggregate pass for every input column's statistic, missing values left out. */
  protected async fitImpl(df: DataFrame): Promise<ImputerModel> {
    const { inputs } = outputSchema(this, df.schema);
    const strategy: ImputerStrategy = this.getStrategy();
    const relErr = this.getRelativeError();
    // The sketch moves a rank by at most W/size per compression; 10/relativeError leaves room
    // for the merge levels of the tree. relativeError 0 keeps every value (an exact median).
    const sketchSize = relErr > 0 ? Math.max(SKETCH_SIZE, Math.ceil(10 / relErr)) : Infinity;
    const params: ImputerFitParams = {
      columns: inputs.map((f) => ({ name: f.name, kind: columnKind(f.type) })),
      strategy, missingValue: this.getMissingValue(), sketchSize,
    };
    const total = await df.treeAggregate(zeroPartial(strategy, inputs.length), IMPUTER_FIT, (a, b) => mergePartials(a, b, sketchSize), 2, params);
    const results = inputs.map((_, j): number => {
      switch (total.strategy) {
        case 'mean': return total.counts[j] > 0 ? total.sums[j] / total.counts[j] : NaN;
        case 'median': return sketchQuantile(total.sketches[j], 0.5) ?? NaN;
        case 'mode': return modeOf(total.counts[j]);
      }
    });
    const empty = inputs.filter((_, j) => Number.isNaN(results[j])).map((f) => f.name);
    if (empty.length > 0) {
      throw new Error(`surrogate cannot be computed. All the values in ${empty.join(',')} are Null, Nan or missingValue(${formatDouble(this.getMissingValue())})`);
    }
    const surrogates = Object.fromEntries(inputs.map((f, j) => [f.name, results[j]]));
    return this.copyValues(constructWithUid(this.uid, () => new ImputerModel(surrogates, {}, df.session)));
  }
}

// Spark's data/ for ImputerModel: its surrogateDF, one row with a double column per input column.
registerStage(ImputerModel, {
  save: (model, out) => out.writeData(dataTable(Object.fromEntries(Object.entries(model.surrogates).map(([name, v]) => [name, doubleColumn([v])])))),
  async load(ctx) {
    const data = (await ctx.readData()).requireRows(1);
    const surrogates = Object.fromEntries(data.columns.map((name) => [name, data.double(name)]));
    return ctx.construct(() => new ImputerModel(surrogates));
  },
});
registerStage(Imputer);
