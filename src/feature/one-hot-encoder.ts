// Spark's OneHotEncoder: maps columns of category indices to sparse binary vectors with at most one
// 1.0. Category counts come from the input's nominal/binary attributes (StringIndexer output) or,
// without them, from one pass for the largest index. The last category is dropped by default.
import type { DataFrame } from '../dataframe/dataframe.js';
import { SparseVectorType, type StructField, type StructType } from '../dataframe/types.js';
import { withParams, type DeclaredParams } from '../pipeline/params-mixin.js';
import { constructWithUid, ParamSpec, type Params, type ParamValues } from '../pipeline/params.js';
import { handleInvalid, inputCol, inputCols, outputCol, outputCols } from '../pipeline/shared-params.js';
import { Estimator, Model, ParamMap } from '../pipeline/stage.js';
import { dataTable, intArrayColumn, loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { attributeGroupMetadata, attributeOf, type AttributeGroup } from './attributes.js';
import { checkSingleVsMultiColumnParams, columnKind, requireAbsent, requireNumericColumn } from './shared.js';
import { categoryOf, MAX_INDEX, maxInto, ONE_HOT_ENCODER, type EncoderColumn, type EncoderParams } from './one-hot-encoder.kernels.js';
import { SparseVector } from '../linalg/vectors.js';
import type { RowStep } from '../pipeline/row-scorer.js';

const encoderParams = {
  inputCol,
  outputCol,
  inputCols,
  outputCols,
  handleInvalid: handleInvalid(['keep', 'error'], {
    doc: "How to handle invalid data during transform(). Options are 'keep' (invalid data presented as an extra " +
      'categorical feature) or error (throw an error). Note that this Param is only used during transform; during ' +
      'fitting, invalid data will result in an error.',
  }),
  dropLast: ParamSpec.boolean('whether to drop the last category', { default: true }),
};

type EncoderStage = Params & DeclaredParams<typeof encoderParams>;

function inOutCols(stage: EncoderStage): [string[], string[]] {
  if (stage.isSet(stage.inputCol)) return [[stage.getInputCol()], [stage.getOutputCol()]];
  return [[...stage.getInputCols()], [...stage.getOutputCols()]];
}

/** Output attribute names from the input's attribute (Spark's genOutputAttrNames); undefined when unknown. */
function categoryNames(field: StructField): string[] | undefined {
  const a = attributeOf(field);
  if (!a) return undefined;
  if (a.type === 'numeric') throw new Error(`The input column ${field.name} cannot be continuous-value.`);
  if (a.values) return [...a.values];
  if (a.type === 'binary') return ['0', '1'];
  return a.numValues !== undefined ? Array.from({ length: a.numValues }, (_, i) => String(i)) : undefined;
}

/** Names after dropLast / handleInvalid: the last dropped, or an "invalidValues" category added. */
function filterNames(names: string[], dropLast: boolean, keepInvalid: boolean): string[] {
  if (dropLast && !keepInvalid) return names.slice(0, -1);
  if (!dropLast && keepInvalid) return [...names, 'invalidValues'];
  return names;
}

function binaryGroup(name: string, names: string[] | undefined): AttributeGroup {
  if (!names) return { name, attributes: [] };
  return { name, numAttributes: names.length, attributes: names.map((n, index) => ({ type: 'binary', name: n, index })) };
}

function encodedField(name: string, group: AttributeGroup): StructField {
  return { name, type: SparseVectorType, nullable: true, metadata: attributeGroupMetadata(group) };
}

/** Checks params and columns; returns each output's attribute group as the input's metadata gives it. */
function validateAndTransformSchema(stage: EncoderStage, schema: StructType, dropLast: boolean, keepInvalid: boolean) {
  checkSingleVsMultiColumnParams(stage, [stage.outputCol], [stage.outputCols]);
  const [ins, outs] = inOutCols(stage);
  if (ins.length !== outs.length) {
    throw new Error(`The number of input columns ${ins.length} must be the same as the number of output columns ${outs.length}.`);
  }
  if (ins.length === 0) throw new Error(`${stage.uid}: inputCols is empty; set at least one input column`);
  const inputs = ins.map((name) => requireNumericColumn(schema, name));
  const groups = inputs.map((input, i) => {
    const names = categoryNames(input);
    if (names && dropLast && !keepInvalid && names.length <= 1) {
      throw new Error(`The input column ${input.name} should have at least two distinct values.`);
    }
    return binaryGroup(outs[i], names && filterNames(names, dropLast, keepInvalid));
  });
  let out = schema;
  for (const o of outs) { requireAbsent(out, o, 'Column'); out = out.add(encodedField(o, { attributes: [] })); }
  return { inputs, outs, groups };
}

export class OneHotEncoderModel extends withParams(Model, encoderParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.OneHotEncoderModel';

  static load(path: string, options?: LoadOptions): Promise<OneHotEncoderModel> {
    return loadStage(OneHotEncoderModel, path, options);
  }

  /** Number of categories of each input column, as fitted (before dropLast and handleInvalid). */
  readonly categorySizes: readonly number[];

  constructor(categorySizes: readonly number[] = [], params: ParamValues<OneHotEncoderModel> = {}) {
    super();
    this.categorySizes = Object.freeze([...categorySizes]);
    this.setParamsFromObject(params);
  }

  /** Output vector sizes: one fewer with dropLast, one more for invalid values with 'keep' (Spark's getConfigedCategorySizes). */
  configuredSizes(): number[] {
    const dropLast = this.getDropLast(), keep = this.getHandleInvalid() === 'keep';
    return this.categorySizes.map((s) => (!dropLast && keep ? s + 1 : dropLast && !keep ? s - 1 : s));
  }

  transformSchema(schema: StructType): StructType {
    return this.plan(schema).schema;
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const { schema, params } = this.plan(df.schema);
    return df.withMappedColumns(ONE_HOT_ENCODER, params, schema.fields.slice(df.schema.length));
  }

  /** One row at a time (PipelineModel.rowScorer): per column, a vector of no entry or one, reused by the next row. */
  compileRow(schema: StructType): RowStep {
    const { schema: out, params } = this.plan(schema);
    const names = out.fields.slice(schema.length).map((f) => f.name);
    const columns = params.columns.map((c, i) => {
      const index = new Int32Array(1);
      return { ...c, output: names[i], index, empty: new SparseVector(c.size, new Int32Array(0), new Float64Array(0)), one: new SparseVector(c.size, index, Float64Array.of(1)) };
    });
    return (row) => {
      for (const c of columns) {
        const v = row[c.name];
        if (v === null || v === undefined) { row[c.output] = null; continue; }
        const idx = categoryOf(typeof v === 'boolean' ? (v ? 1 : 0) : Number(v), c, params.keepInvalid);
        if (idx < c.size) { c.index[0] = idx; row[c.output] = c.one; } else row[c.output] = c.empty;
      }
      return true;
    };
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = constructWithUid(this.uid, () => new OneHotEncoderModel(this.categorySizes));
    copied.parent = this.parent;
    return this.copyValues(copied, extra) as this;
  }

  override toString(): string {
    return `OneHotEncoderModel: uid=${this.uid}, dropLast=${this.getDropLast()}, handleInvalid=${this.getHandleInvalid()}`;
  }

  private plan(schema: StructType): { schema: StructType; params: EncoderParams } {
    const [ins] = inOutCols(this);
    if (ins.length !== this.categorySizes.length) {
      throw new Error(`The number of input columns ${ins.length} must be the same as the number of features ${this.categorySizes.length} during fitting.`);
    }
    const dropLast = this.getDropLast(), keepInvalid = this.getHandleInvalid() === 'keep';
    const { inputs, outs, groups } = validateAndTransformSchema(this, schema, dropLast, keepInvalid);
    const sizes = this.configuredSizes();
    const fields = groups.map((g, i) => {
      // Input metadata that names the categories must agree with the fitted count (Spark's verifyNumOfValues).
      if (g.numAttributes !== undefined && g.numAttributes !== sizes[i]) {
        throw new Error(`OneHotEncoderModel expected ${sizes[i]} categorical values for input column ${ins[i]}, ` +
          `but the input column had metadata specifying ${g.numAttributes} values.`);
      }
      const names = Array.from({ length: this.categorySizes[i] }, (_, k) => String(k));
      return encodedField(outs[i], g.numAttributes !== undefined ? g : binaryGroup(outs[i], filterNames(names, dropLast, keepInvalid)));
    });
    const columns = inputs.map((input, i) => ({ name: input.name, kind: columnKind(input.type), categorySize: this.categorySizes[i], size: sizes[i] }));
    return { schema: fields.reduce((s, f) => s.add(f), schema), params: { columns, keepInvalid } };
  }
}

export class OneHotEncoder extends withParams(Estimator<OneHotEncoderModel>, encoderParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.OneHotEncoder';

  static load(path: string, options?: LoadOptions): Promise<OneHotEncoder> {
    return loadStage(OneHotEncoder, path, options);
  }

  constructor(params: ParamValues<OneHotEncoder> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    const { outs, groups } = validateAndTransformSchema(this, schema, this.getDropLast(), this.getHandleInvalid() === 'keep');
    return groups.reduce((s, g, i) => s.add(encodedField(outs[i], g)), schema);
  }

  /** Sizes from metadata where the inputs have it; one treeAggregate pass for the largest index of the others. */
  protected async fitImpl(df: DataFrame): Promise<OneHotEncoderModel> {
    const { inputs, groups } = validateAndTransformSchema(this, df.schema, false, false);
    const sizes = groups.map((g) => g.numAttributes ?? -1);
    const scan = inputs.filter((_, i) => sizes[i] < 0);
    if (scan.length > 0) {
      const columns: EncoderColumn[] = scan.map((f) => ({ name: f.name, kind: columnKind(f.type) }));
      const max = await df.treeAggregate(new Float64Array(columns.length), MAX_INDEX, maxInto, 2, { columns });
      let k = 0;
      sizes.forEach((s, i) => { if (s < 0) sizes[i] = max[k++] + 1; });
    }
    return this.copyValues(constructWithUid(this.uid, () => new OneHotEncoderModel(sizes)));
  }
}


// Spark's data/ for OneHotEncoderModel: one row, categorySizes: array<int>.
registerStage(OneHotEncoderModel, {
  save: (model, out) => out.writeData(dataTable({ categorySizes: intArrayColumn([model.categorySizes]) })),
  async load(ctx) {
    const sizes = Array.from((await ctx.readData()).requireRows(1).intArray('categorySizes'));
    return ctx.construct(() => new OneHotEncoderModel(sizes));
  },
});
registerStage(OneHotEncoder);
