// Spark's PCA: the covariance of the input vectors from one pass (a centered scatter per partition,
// merged in a tree), its symmetric eigendecomposition on the driver, the top k eigenvectors as
// `pc` (d×k) and each one's share of the total variance as `explainedVariance`. The model projects
// vectors onto the components without centering them, as Spark does.
import type { DataFrame } from '../dataframe/dataframe.js';
import { denseVectorType, type StructField, type StructType } from '../dataframe/types.js';
import { symmetricEigen } from '../linalg/solvers.js';
import { DenseMatrix } from '../linalg/matrix.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { withParams } from '../pipeline/params-mixin.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { constructWithUid, ParamSpec, type ParamValues } from '../pipeline/params.js';
import { inputCol, outputCol } from '../pipeline/shared-params.js';
import { Estimator, Model, ParamMap } from '../pipeline/stage.js';
import { Identifiable } from '../pipeline/uid.js';
import { dataTable, loadStage, matrixColumn, registerStage, vectorColumn, type LoadOptions } from '../persistence/index.js';
import { attributeGroupMetadata, vectorSizeOf } from './attributes.js';
import { mergeScatter, PCA_PROJECT, PCA_SCATTER, zeroScatter, type PcaProjectParams } from './pca.kernels.js';
import { requireAbsent, requireVectorColumn } from './shared.js';

const pcaParams = {
  inputCol,
  outputCol,
  k: ParamSpec.int('the number of principal components (> 0)', { validator: ParamValidators.gt(0) }),
};

function outputField(name: string, k: number): StructField {
  return { name, type: denseVectorType(k), nullable: true, metadata: attributeGroupMetadata({ name, numAttributes: k, attributes: [] }) };
}

export class PCAModel extends withParams(Model, pcaParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.PCAModel';

  static load(path: string, options?: LoadOptions): Promise<PCAModel> {
    return loadStage(PCAModel, path, options);
  }

  /**
   * @param pc principal components, d×k column-major: column c is component c (unit length)
   * @param explainedVariance the share of the total variance each component explains, descending
   */
  constructor(
    readonly pc: DenseMatrix = DenseMatrix.zeros(0, 0),
    readonly explainedVariance: DenseVector = new DenseVector(new Float64Array(0)),
    params: ParamValues<PCAModel> = {},
  ) {
    super(Identifiable.randomUID('pca'));
    if (pc.numCols !== explainedVariance.size) {
      throw new Error(`PCAModel: pc has ${pc.numCols} columns but explainedVariance has size ${explainedVariance.size}`);
    }
    this.setParamsFromObject(params);
  }

  /** Number of input features d. */
  get numFeatures(): number { return this.pc.numRows; }

  transformSchema(schema: StructType): StructType {
    const input = requireVectorColumn(schema, this.getInputCol());
    requireAbsent(schema, this.getOutputCol());
    const size = vectorSizeOf(input);
    if (size !== undefined && size !== this.numFeatures) {
      throw new Error(`PCAModel: column '${input.name}' holds vectors of size ${size} but the model was fitted on vectors of size ${this.numFeatures}`);
    }
    return schema.add(outputField(this.getOutputCol(), this.pc.numCols));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const input = df.schema.field(this.getInputCol());
    const params: PcaProjectParams = {
      column: input.name,
      sparse: input.type.kind === 'vector' && input.type.encoding === 'sparse',
      pcT: this.pc.toArray(), // column-major d×k = row-major k×d
      d: this.numFeatures,
      k: this.pc.numCols,
    };
    return df.withMappedColumns(PCA_PROJECT, params, [outputField(this.getOutputCol(), this.pc.numCols)]);
  }

  /** The projection of one vector (pcᵀ·x), for scoring without a DataFrame. */
  predict(features: Vector): DenseVector {
    if (features.size !== this.numFeatures) {
      throw new Error(`PCAModel.predict: the vector has size ${features.size} but the model was fitted on vectors of size ${this.numFeatures}`);
    }
    return this.pc.transpose().multiply(features);
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = constructWithUid(this.uid, () => new PCAModel(this.pc, this.explainedVariance));
    copied.parent = this.parent;
    return this.copyValues(copied, extra) as this;
  }

  override toString(): string {
    return `PCAModel: uid=${this.uid}, k=${this.pc.numCols}`;
  }
}

export class PCA extends withParams(Estimator<PCAModel>, pcaParams) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.PCA';

  static load(path: string, options?: LoadOptions): Promise<PCA> {
    return loadStage(PCA, path, options);
  }

  constructor(params: ParamValues<PCA> = {}) {
    super(Identifiable.randomUID('pca'));
    this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    const input = requireVectorColumn(schema, this.getInputCol());
    requireAbsent(schema, this.getOutputCol());
    const k = this.getK();
    const size = vectorSizeOf(input);
    if (size !== undefined && k > size) {
      throw new Error(`PCA: k = ${k} is larger than the number of features ${size} of column '${input.name}' (inputCol); source vector size ${size} must be no less than k=${k}`);
    }
    return schema.add(outputField(this.getOutputCol(), k));
  }

  protected async fitImpl(df: DataFrame): Promise<PCAModel> {
    const column = this.getInputCol();
    const field = df.schema.field(column);
    const sparse = field.type.kind === 'vector' && field.type.encoding === 'sparse';
    const size = vectorSizeOf(field) ?? -1;
    const k = this.getK();
    const sc = await df.treeAggregate(zeroScatter(0), PCA_SCATTER, mergeScatter, 2, { column, sparse, d: size });
    if (sc.count === 0) throw new Error(`PCA: column '${column}' (inputCol) has no rows to fit on (empty DataFrame)`);
    if (sc.count <= 1) throw new Error(`PCA: cannot compute the covariance of column '${column}' from ${sc.count} row; at least 2 rows are needed`);
    const d = sc.k;
    if (k > d) throw new Error(`PCA: k = ${k} is larger than the number of features ${d} of column '${column}' (inputCol); source vector size ${d} must be no less than k=${k}`);
    // Sample covariance, as Spark's RowMatrix.computeCovariance (n − 1).
    const cov = sc.s.map((v) => v / (sc.count - 1));
    const { pc, explained } = principalComponents(d, cov, k);
    const model = constructWithUid(this.uid, () => new PCAModel(pc, explained));
    return this.copyValues(model);
  }
}

/**
 * The top k unit eigenvectors of a symmetric positive semi-definite d×d matrix (upper triangle read)
 * as a d×k column-major matrix, and each eigenvalue over the sum of all of them. Eigenvalues that
 * rounding made slightly negative count as 0 (Spark takes singular values, which cannot be negative).
 * Signs are made deterministic by `normalizeSign` (Spark's depend on LAPACK).
 */
export function principalComponents(d: number, cov: Float64Array, k: number): { pc: DenseMatrix; explained: DenseVector } {
  const { values, vectors } = symmetricEigen(d, cov);
  const lambda = values.map((v) => Math.max(v, 0));
  const total = lambda.reduce((s, v) => s + v, 0);
  const pc = new Float64Array(d * k);
  const explained = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < d; i++) pc[c * d + i] = vectors[i * d + c];
    normalizeSign(pc.subarray(c * d, (c + 1) * d));
    explained[c] = total > 0 ? lambda[c] / total : 0;
  }
  return { pc: new DenseMatrix(d, k, pc), explained: new DenseVector(explained) };
}

/** Makes a component's sign deterministic: its entry of largest magnitude (the first, on ties) is positive. */
function normalizeSign(v: Float64Array): void {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[best])) best = i;
  if (v[best] < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i];
}

// Spark's data/ for PCAModel: one row (pc: matrix, explainedVariance: vector).
registerStage(PCAModel, {
  save: (model, out) => out.writeData(dataTable({ pc: matrixColumn([model.pc]), explainedVariance: vectorColumn([model.explainedVariance]) })),
  async load(ctx) {
    const data = (await ctx.readData()).requireRows(1);
    const pc = data.matrix('pc'), ev = data.vector('explainedVariance').toDense();
    // Spark writes pc column-major; keep that layout whatever the file says.
    const colMajor = new DenseMatrix(pc.numRows, pc.numCols, pc.toArray());
    return ctx.construct(() => new PCAModel(colMajor, ev));
  },
});
registerStage(PCA);
