// Spark's VectorSizeHint: declares the size of the vectors in a column (as ML attribute metadata),
// so that later stages that need it (VectorAssembler with handleInvalid = 'keep') know it before
// reading any data; invalid vectors (null or of another size) fail, are skipped, or pass unchecked.
import type { DataFrame } from '../dataframe/dataframe.js';
import { col } from '../dataframe/column.js';
import { StructType, type StructField } from '../dataframe/types.js';
import { withParams } from '../pipeline/params-mixin.js';
import { ParamSpec, type ParamValues } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { handleInvalid, inputCol } from '../pipeline/shared-params.js';
import { Transformer } from '../pipeline/stage.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { attributeGroupMetadata, attributeGroupOf, vectorSizeOf } from './attributes.js';
import { catalogString } from './shared.js';
import { VECTOR_SIZE_HINT, type SizeHintParams } from './vector-size-hint.kernels.js';

const HANDLE_INVALID_DOC =
  'How to handle invalid vectors in inputCol. Invalid vectors include nulls and vectors with the wrong size. The options ' +
  'are `skip` (filter out rows with invalid vectors), `error` (throw an error) and `optimistic` (do not check the vector ' +
  'size, and keep all rows). `error` by default.';

export class VectorSizeHint extends withParams(Transformer, {
  inputCol,
  size: ParamSpec.int('Size of vectors in column.', { validator: ParamValidators.gtEq(0) }),
  handleInvalid: handleInvalid(['error', 'skip', 'optimistic'], { doc: HANDLE_INVALID_DOC }),
}) {
  static readonly sparkClassName = 'org.apache.spark.ml.feature.VectorSizeHint';

  static load(path: string, options?: LoadOptions): Promise<VectorSizeHint> {
    return loadStage(VectorSizeHint, path, options);
  }

  constructor(params: ParamValues<VectorSizeHint> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  /** The input column with size metadata; fails when the column already declares another size. */
  transformSchema(schema: StructType): StructType {
    const field = this.sizedField(schema);
    return new StructType(schema.fields.map((f) => (f.name === field.name ? field : f)));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const field = this.sizedField(df.schema);
    const mode = this.getHandleInvalid() as SizeHintParams['handleInvalid'];
    const before = df.schema.field(field.name);
    if (mode === 'optimistic' && vectorSizeOf(before) === this.getSize()) return df;
    // The mapper appends the checked column under a temporary name; the projection puts it back in
    // place (a zero-copy pass-through) with the new metadata.
    const temp = `${this.uid}__sized`;
    const params: SizeHintParams = { column: field.name, type: field.type, size: this.getSize(), handleInvalid: mode };
    const checked = df.withMappedColumns(VECTOR_SIZE_HINT, params, [{ ...field, name: temp }]);
    return checked.select(...df.columns.map((c) => (c === field.name ? col(temp).alias(c) : col(c))));
  }

  /** Spark's validateSchemaAndSize: a vector column whose size is unset or already this one. */
  private sizedField(schema: StructType): StructField {
    const name = this.getInputCol();
    const size = this.getSize();
    const f = schema.field(name);
    if (f.type.kind !== 'vector') throw new Error(`Input column, ${name} must be of Vector type, got ${catalogString(f.type)}`);
    const known = vectorSizeOf(f);
    if (known === undefined) {
      return { ...f, metadata: { ...(f.metadata ?? {}), ...attributeGroupMetadata({ name, numAttributes: size, attributes: [] }) } };
    }
    if (known !== size) throw new Error(`Trying to set size of vectors in \`${name}\` to ${size} but size already set to ${known}.`);
    // The size is known already: keep the column's own attributes (a dense column gets its size written down).
    const group = attributeGroupOf(f);
    return group?.numAttributes === size ? f
      : { ...f, metadata: { ...(f.metadata ?? {}), ...attributeGroupMetadata({ ...(group ?? { attributes: [] }), name, numAttributes: size }) } };
  }
}

// Params only, as Spark's DefaultParamsWritable.
registerStage(VectorSizeHint);
