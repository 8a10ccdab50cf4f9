// Spark's VectorAssembler: merges numeric, boolean and vector columns into one vector column.
//
// Output encoding. Spark picks dense or sparse per row (`Vectors.compressed`); a Quiver column has
// one encoding, so the column takes the one Spark would pick for most rows, with identical values:
// - no sparse input: dense (the layout every kernel reads);
// - a sparse input of unknown size (no size metadata): sparse;
// - otherwise sparse, unless the dense and scalar inputs alone fill enough of the output that Spark
//   would store every row densely even if the sparse inputs were all zero (1.5·(slots + 1) ≥ size).
// Sizes come from dense column types and size metadata (`numAttributes`). Spark infers a missing one
// from the first row; `transform` here is lazy, so a sparse input without size metadata gives a
// sparse output without size metadata (and 'keep' refuses it, as Spark does).
import type { DataFrame } from '../dataframe/dataframe.js';
import { denseVectorType, SparseVectorType, type StructField, type StructType } from '../dataframe/types.js';
import { withParams } from '../pipeline/params-mixin.js';
import type { ParamValues } from '../pipeline/params.js';
import { handleInvalid, inputCols, outputCol } from '../pipeline/shared-params.js';
import { Transformer } from '../pipeline/stage.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { attributeGroupMetadata, attributeGroupOf, attributeOf, vectorSizeOf, type Attribute } from './attributes.js';
import { catalogString, columnKind, requireAbsent } from './shared.js';
import { assembleRowInto, VECTOR_ASSEMBLER, type AssemblerInput, type AssemblerParams } from './vector-assembler.kernels.js';
import { DenseVector, SparseVector } from '../linalg/vectors.js';
import type { RowStep } from '../pipeline/row-scorer.js';

const HANDLE_INVALID_DOC =
  "Param for how to handle invalid data (NULL and NaN values). Options are 'skip' (filter out rows with invalid " +
  "data), 'error' (throw an error), or 'keep' (return relevant number of NaN in the output). Column lengths are " +
  'taken from the size of ML Attribute Group, which can be set using `VectorSizeHint` in a pipeline before ' +
  '`VectorAssembler`. Column lengths can also be inferred from first rows of the data since it is safe to do so ' +
  "but only in case of 'error' or 'skip'.";

export class VectorAssembler extends withParams(Transformer, {
  inputCols,
  outputCol,
  handleInvalid: handleInvalid(['skip', 'error', 'keep'], { doc: HANDLE_INVALID_DOC }),
}) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.VectorAssembler';

  static load(path: string, options?: LoadOptions): Promise<VectorAssembler> {
    return loadStage(VectorAssembler, path, options);
  }

  constructor(params: ParamValues<VectorAssembler> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  /**
   * The output column. As Spark's, this checks types only: under 'keep' a vector input whose size is
   * still unknown (an estimator's output inside Pipeline.fit, sized once fitted) fails at transform.
   */
  transformSchema(schema: StructType): StructType {
    return schema.add(this.plan(schema, false).field);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const { field, params } = this.plan(df.schema, true);
    return df.withMappedColumns(VECTOR_ASSEMBLER, params, [field]);
  }

  /**
   * One row at a time (PipelineModel.rowScorer), as transform assembles it: into one buffer for a
   * dense output; a sparse output (mostly zeros, e.g. one-hot inputs) keeps the nonzero entries in
   * order, as transform's does, in a new vector per row.
   */
  compileRow(schema: StructType): RowStep {
    const { field, params } = this.plan(schema, true);
    const { inputs, handleInvalid } = params;
    const unknown = inputs.filter((i) => i.size < 0).map((i) => i.name);
    if (unknown.length) throw new Error(`${this.uid}: rowScorer needs every input's vector size; add VectorSizeHint for [${unknown.join(', ')}]`);
    const size = inputs.reduce((s, i) => s + i.size, 0), name = field.name;
    const out = new Float64Array(size);
    if (params.dense) {
      const vector = new DenseVector(out);
      return (row) => {
        if (!assembleRowInto(row, inputs, handleInvalid, out)) return false;
        row[name] = vector;
        return true;
      };
    }
    const indices = new Int32Array(size), values = new Float64Array(size);
    return (row) => {
      if (!assembleRowInto(row, inputs, handleInvalid, out)) return false;
      let e = 0;
      for (let j = 0; j < size; j++) if (out[j] !== 0) { indices[e] = j; values[e++] = out[j]; }
      row[name] = new SparseVector(size, indices.slice(0, e), values.slice(0, e));
      return true;
    };
  }

  /** The output field (type, attributes) and the mapper's parameters for an input schema. */
  private plan(schema: StructType, forTransform: boolean): { field: StructField; params: AssemblerParams } {
    const out = this.getOutputCol();
    const fields = this.getInputCols().map((name) => schema.field(name));
    const unsupported = fields
      .filter((f) => !['double', 'int', 'long', 'boolean', 'vector'].includes(f.type.kind))
      .map((f) => `Data type ${catalogString(f.type)} of column ${f.name} is not supported.`);
    if (unsupported.length > 0) throw new Error(unsupported.join('\n'));
    requireAbsent(schema, out);

    const mode = this.getHandleInvalid() as AssemblerParams['handleInvalid'];
    const inputs: AssemblerInput[] = fields.map((f) => ({
      name: f.name,
      kind: columnKind(f.type),
      size: f.type.kind === 'vector' ? vectorSizeOf(f) ?? -1 : 1,
    }));
    if (forTransform && mode === 'keep' && inputs.some((i) => i.size < 0)) {
      const vectorCols = fields.filter((f) => f.type.kind === 'vector').map((f) => f.name); // Spark lists every vector input
      throw new Error('Can not infer column lengths with handleInvalid = "keep". Consider using VectorSizeHint ' +
        `to add metadata for columns: [${vectorCols.join(', ')}].`);
    }
    const known = inputs.every((i) => i.size >= 0);
    const size = inputs.reduce((s, i) => s + i.size, 0);
    const denseSlots = inputs.filter((i) => i.kind !== 'sparse').reduce((s, i) => s + i.size, 0);
    const anySparse = inputs.some((i) => i.kind === 'sparse');
    const dense = known && size > 0 && (!anySparse || 1.5 * (denseSlots + 1) >= size);
    const field: StructField = {
      name: out,
      type: dense ? denseVectorType(size) : SparseVectorType,
      nullable: true,
      ...(known ? { metadata: attributeGroupMetadata({ name: out, numAttributes: size, attributes: carriedAttributes(fields) }) } : {}),
    };
    return { field, params: { inputs, handleInvalid: mode, dense } };
  }
}

// Params only, as Spark's DefaultParamsWritable.
registerStage(VectorAssembler);

/**
 * The attributes the inputs describe, at their output positions and named as Spark names them: a
 * double column's attribute takes the column's name, a vector's take `column_name` (or `column_i`).
 * Nominal attributes (StringIndexer output) are how later stages see categorical features.
 */
function carriedAttributes(fields: StructField[]): Attribute[] {
  const out: Attribute[] = [];
  let pos = 0;
  for (const f of fields) {
    if (f.type.kind !== 'vector') {
      const a = f.type.kind === 'double' ? attributeOf(f) : undefined;
      if (a) out.push({ ...a, name: f.name, index: pos });
      pos += 1;
      continue;
    }
    for (const a of attributeGroupOf(f)?.attributes ?? []) {
      const i = a.index ?? 0;
      out.push({ ...a, name: `${f.name}_${a.name ?? i}`, index: pos + i });
    }
    pos += vectorSizeOf(f) ?? 0;
  }
  return out;
}
