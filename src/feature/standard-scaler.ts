// Spark's StandardScaler: per-feature mean and unbiased standard deviation from one treeAggregate
// pass; the model subtracts the mean (withMean) and divides by the std (withStd). A feature with
// std 0 scales to 0, as in Spark.
import type { DataFrame } from '../dataframe/dataframe.js';
import { denseVectorType, SparseVectorType, type StructField, type StructType } from '../dataframe/types.js';
import { DenseVector } from '../linalg/vectors.js';
import { withParams } from '../pipeline/params-mixin.js';
import { constructWithUid, ParamSpec, type ParamValues } from '../pipeline/params.js';
import { inputCol, outputCol } from '../pipeline/shared-params.js';
import { Estimator, Model, ParamMap } from '../pipeline/stage.js';
import { summarize } from '../stat/summarizer.js';
import { dataTable, loadStage, registerStage, vectorColumn, type LoadOptions } from '../persistence/index.js';
import { zeroMoments } from '../stat/summary.kernels.js';
import { attributeGroupMetadata, vectorSizeOf } from './attributes.js';
import { requireAbsent, requireVectorColumn } from './shared.js';
import { mergeSized, scaleInPlace, SPARSE_MOMENTS, STANDARD_SCALER, type ScalerParams } from './standard-scaler.kernels.js';
import type { RowStep } from '../pipeline/row-scorer.js';

const scalerParams = {
  inputCol,
  outputCol,
  withMean: ParamSpec.boolean('Whether to center data with mean', { default: false }),
  withStd: ParamSpec.boolean('Whether to scale the data to unit standard deviation', { default: true }),
};

/**
 * The output field: dense when the input is dense or the mean is subtracted, else sparse. Before
 * fitting, a sparse input of unknown size with withMean has no dense type yet: sparse is reported.
 */
function outputField(name: string, input: StructField, size: number | undefined, withMean: boolean): StructField {
  const dense = input.type.kind === 'vector' && (input.type.encoding === 'dense' || withMean) && size !== undefined;
  return {
    name,
    type: dense ? denseVectorType(size) : SparseVectorType,
    nullable: input.nullable,
    ...(size !== undefined ? { metadata: attributeGroupMetadata({ name, numAttributes: size, attributes: [] }) } : {}),
  };
}

export class StandardScalerModel extends withParams(Model, scalerParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.StandardScalerModel';

  static load(path: string, options?: LoadOptions): Promise<StandardScalerModel> {
    return loadStage(StandardScalerModel, path, options);
  }

  /** Per-feature standard deviations and means (Spark's `std`, `mean`). */
  constructor(
    readonly std: DenseVector = new DenseVector(new Float64Array(0)),
    readonly mean: DenseVector = new DenseVector(new Float64Array(0)),
    params: ParamValues<StandardScalerModel> = {},
  ) {
    super();
    if (std.size !== mean.size) throw new Error(`StandardScalerModel: std has size ${std.size} but mean has size ${mean.size}`);
    this.setParamsFromObject(params);
  }

  get numFeatures(): number { return this.mean.size; }

  transformSchema(schema: StructType): StructType {
    const input = requireVectorColumn(schema, this.getInputCol());
    requireAbsent(schema, this.getOutputCol());
    const size = vectorSizeOf(input);
    if (input.type.kind === 'vector' && input.type.encoding === 'dense' && size !== this.numFeatures) {
      throw new Error(`StandardScalerModel: column ${input.name} holds vectors of size ${size} but the model was fitted on vectors of size ${this.numFeatures}`);
    }
    return schema.add(outputField(this.getOutputCol(), input, this.numFeatures, this.getWithMean()));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const input = df.schema.field(this.getInputCol());
    const params: ScalerParams = {
      column: input.name,
      sparse: input.type.kind === 'vector' && input.type.encoding === 'sparse',
      size: this.numFeatures,
      ...this.shiftAndScale(),
    };
    const field = outputField(this.getOutputCol(), input, this.numFeatures, this.getWithMean());
    return df.withMappedColumns(STANDARD_SCALER, params, [field]);
  }

  /**
   * One row at a time (PipelineModel.rowScorer), dense input or output: into one buffer. A sparse
   * input without withMean (which transform keeps sparse) is not compiled.
   */
  compileRow(schema: StructType): RowStep {
    const field = this.transformSchema(schema).field(this.getOutputCol());
    if (!(field.type.kind === 'vector' && field.type.encoding === 'dense')) {
      throw new Error(`${this.uid}: rowScorer scales dense vectors only; column '${this.getInputCol()}' stays sparse without withMean`);
    }
    const d = this.numFeatures, { shift, scale } = this.shiftAndScale();
    const input = this.getInputCol(), name = field.name;
    const out = new Float64Array(d), vector = new DenseVector(out);
    return (row) => {
      const v = row[input] as { size: number; values: Float64Array; indices?: Int32Array } | null | undefined;
      if (v === null || v === undefined) { row[name] = null; return true; }
      if (v.size !== d) throw new Error(`${this.uid}: column '${input}' holds a vector of size ${v.size} but the model was fitted on vectors of size ${d}`);
      if (v.indices === undefined) out.set(v.values);
      else { out.fill(0); for (let e = 0; e < v.indices.length; e++) out[v.indices[e]] = v.values[e]; }
      scaleInPlace(out, 0, d, shift, scale);
      row[name] = vector;
      return true;
    };
  }

  private shiftAndScale(): Pick<ScalerParams, 'shift' | 'scale'> {
    return {
      shift: this.getWithMean() ? this.mean.values.slice() : null,
      scale: this.getWithStd() ? this.std.values.map((s) => (s === 0 ? 0 : 1 / s)) : null,
    };
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = constructWithUid(this.uid, () => new StandardScalerModel(this.std, this.mean));
    copied.parent = this.parent;
    return this.copyValues(copied, extra) as this;
  }

  override toString(): string {
    return `StandardScalerModel: uid=${this.uid}, numFeatures=${this.numFeatures}, withMean=${this.getWithMean()}, withStd=${this.getWithStd()}`;
  }
}

export class StandardScaler extends withParams(Estimator<StandardScalerModel>, scalerParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.StandardScaler';

  static load(path: string, options?: LoadOptions): Promise<StandardScaler> {
    return loadStage(StandardScaler, path, options);
  }

  constructor(params: ParamValues<StandardScaler> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    const input = requireVectorColumn(schema, this.getInputCol());
    requireAbsent(schema, this.getOutputCol());
    return schema.add(outputField(this.getOutputCol(), input, vectorSizeOf(input), this.getWithMean()));
  }

  /** One pass: count, mean and M2 per feature, merged in a tree (Chan et al.). */
  protected async fitImpl(df: DataFrame): Promise<StandardScalerModel> {
    const column = this.getInputCol();
    const t = df.schema.field(column).type;
    let count: number, mean: Float64Array, std: Float64Array;
    if (t.kind === 'vector' && t.encoding === 'dense') {
      ({ count, mean, std } = await summarize(df, column));
    } else {
      const m = await df.treeAggregate(zeroMoments(0), SPARSE_MOMENTS, mergeSized, 2, { column });
      count = m.count;
      mean = m.mean;
      // Unbiased variance, as Spark's Summarizer (and src/stat's summarize).
      std = m.m2.map((v) => (m.count > 1 ? Math.sqrt(v / (m.count - 1)) : 0));
    }
    if (count === 0) {
      throw new Error(`Nothing has been added to this summarizer: column '${column}' has no non-null vectors to fit ${this.uid} on`);
    }
    const model = constructWithUid(this.uid, () => new StandardScalerModel(new DenseVector(std), new DenseVector(mean)));
    return this.copyValues(model);
  }
}

// Spark's data/ for StandardScalerModel: one row (std: vector, mean: vector). Spark saves them
// compressed, so they may come back sparse.
registerStage(StandardScalerModel, {
  save: (model, out) => out.writeData(dataTable({ std: vectorColumn([model.std]), mean: vectorColumn([model.mean]) })),
  async load(ctx) {
    const data = (await ctx.readData()).requireRows(1);
    const std = data.vector('std').toDense(), mean = data.vector('mean').toDense();
    return ctx.construct(() => new StandardScalerModel(std, mean));
  },
});
registerStage(StandardScaler);
