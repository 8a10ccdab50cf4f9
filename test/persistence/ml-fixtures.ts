/**
 * Test-only stages for persistence and pipeline suites: a Transformer (`Scale`), an Estimator
 * (`MeanCenter`) and its Model (`MeanCenterModel`, whose data exercises every data column kind).
 * They count their calls so tests can check what a pipeline fits and transforms.
 */
import { col, lit } from '../../src/dataframe/column.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { DoubleType, type StructType } from '../../src/dataframe/types.js';
import { DenseMatrix } from '../../src/linalg/matrix.js';
import { Vectors, type Vector } from '../../src/linalg/vectors.js';
import { withParams } from '../../src/pipeline/params-mixin.js';
import { ParamMap } from '../../src/pipeline/params-map.js';
import { ParamSpec, type ParamValues } from '../../src/pipeline/params.js';
import { inputCol, outputCol } from '../../src/pipeline/shared-params.js';
import { Estimator, Model, Transformer } from '../../src/pipeline/stage.js';
import {
  dataTable, doubleColumn, loadStage, matrixColumn, registerStage, stringArrayArrayColumn, vectorColumn,
  type LoadOptions,
} from '../../src/persistence/index.js';

export const calls = { scaleTransform: 0, meanFit: 0, meanTransform: 0, fittedColumns: [] as string[][] };

export function resetCalls(): void {
  calls.scaleTransform = 0;
  calls.meanFit = 0;
  calls.meanTransform = 0;
  calls.fittedColumns = [];
}

function checkInput(schema: StructType, input: string, output: string): StructType {
  const field = schema.field(input); // throws naming the missing column
  if (field.type.kind !== 'double') throw new Error(`Column ${input} must be of type double but was ${field.type.kind}`);
  if (schema.fieldNames.includes(output)) throw new Error(`Output column ${output} already exists.`);
  return schema.add({ name: output, type: DoubleType, nullable: true });
}

/** out = in × factor */
export class Scale extends withParams(Transformer, {
  inputCol,
  outputCol,
  factor: ParamSpec.double('multiplier', { default: 1 }),
}) {
  static readonly sparkClassName: string = 'quiver.test.Scale';

  constructor(params: ParamValues<Scale> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  static load(path: string, options?: LoadOptions): Promise<Scale> {
    return loadStage(Scale, path, options);
  }

  transformSchema(schema: StructType): StructType {
    return checkInput(schema, this.getInputCol(), this.getOutputCol());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    calls.scaleTransform++;
    return df.withColumn(this.getOutputCol(), col(this.getInputCol()).times(lit(this.getFactor())));
  }
}

const centerParams = { inputCol, outputCol, tag: ParamSpec.string('a label kept with the model', { default: 'none' }) };

/** Fits the mean of `inputCol`. */
export class MeanCenter extends withParams(Estimator<MeanCenterModel>, centerParams) {
  static readonly sparkClassName = 'quiver.test.MeanCenter';

  constructor(params: ParamValues<MeanCenter> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  static load(path: string, options?: LoadOptions): Promise<MeanCenter> {
    return loadStage(MeanCenter, path, options);
  }

  transformSchema(schema: StructType): StructType {
    return checkInput(schema, this.getInputCol(), this.getOutputCol());
  }

  protected async fitImpl(df: DataFrame): Promise<MeanCenterModel> {
    calls.meanFit++;
    calls.fittedColumns.push([...df.columns]);
    const rows = await df.collect();
    const values = rows.map((r) => Number(r[this.getInputCol()]));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const model = new MeanCenterModel(mean, Vectors.dense([mean, values.length]), this.uid);
    return this.copyValues(model);
  }
}

/** out = in − mean; also holds a vector, a matrix and labels so its data covers every column kind. */
export class MeanCenterModel extends withParams(Model, centerParams) {
  static readonly sparkClassName = 'quiver.test.MeanCenterModel';

  constructor(
    readonly mean = 0,
    readonly stats: Vector = Vectors.dense([]),
    uid?: string,
    readonly gram: DenseMatrix = DenseMatrix.eye(2),
    readonly labels: string[][] = [['a', 'b'], []],
  ) {
    super(uid);
  }

  static load(path: string, options?: LoadOptions): Promise<MeanCenterModel> {
    return loadStage(MeanCenterModel, path, options);
  }

  transformSchema(schema: StructType): StructType {
    return checkInput(schema, this.getInputCol(), this.getOutputCol());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    calls.meanTransform++;
    return df.withColumn(this.getOutputCol(), col(this.getInputCol()).minus(lit(this.mean)));
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copy = new MeanCenterModel(this.mean, this.stats, this.uid, this.gram, this.labels);
    copy.parent = this.parent;
    return this.copyValues(copy, extra) as this;
  }
}

registerStage(Scale);
registerStage(MeanCenter);
registerStage(MeanCenterModel, {
  extraMetadata: (model) => ({ numFeatures: model.stats.size }),
  save: (model, out) =>
    out.writeData(
      dataTable({
        mean: doubleColumn([model.mean]),
        stats: vectorColumn([model.stats]),
        gram: matrixColumn([model.gram]),
        labels: stringArrayArrayColumn([model.labels]),
      }),
    ),
  async load(ctx) {
    const data = (await ctx.readData()).requireRows(1);
    return ctx.construct(
      () => new MeanCenterModel(data.double('mean'), data.vector('stats'), undefined, data.matrix('gram'), data.stringArrayArray('labels')),
    );
  },
});
