/**
 * The Spark SQL schema of a model's `data/` table as JSON, written under the Parquet footer key
 * that Spark itself writes (`org.apache.spark.sql.parquet.row.metadata`). Spark infers a file's
 * schema from that key when present; without it every column reads back nullable, and Spark 4's
 * model readers (`.as[Data]`) then refuse to cast the vector struct, whose `type` field must be
 * non-null, to VectorUDT. With it, vectors and matrices read back as Spark's own UDTs.
 */
import { DataType as Arrow, type DataType, type Field, type Schema } from 'apache-arrow';

export const SPARK_ROW_METADATA_KEY = 'org.apache.spark.sql.parquet.row.metadata';

type SparkType = string | Record<string, unknown>;

const VECTOR_FIELDS = 'type,size,indices,values';
/**
 * Field metadata marking a vector or matrix struct as the old `spark.mllib` UDT, which models
 * whose data Spark writes with mllib classes (GaussianMixtureModel's mus and sigmas,
 * BisectingKMeansModel's centers) must use: Spark's reader refuses ml vectors there.
 */
export const MLLIB_UDT_KEY = 'quiver.spark.udt';
export const MLLIB_UDT: ReadonlyMap<string, string> = new Map([[MLLIB_UDT_KEY, 'mllib']]);
const MATRIX_FIELDS = 'type,numRows,numCols,colPtrs,rowIndices,values,isTransposed';

function structJSON(fields: readonly Field[]): Record<string, unknown> {
  return {
    type: 'struct',
    fields: fields.map((f) => ({ name: f.name, type: sparkType(f.type, f.metadata), nullable: f.nullable, metadata: {} })),
  };
}

function sparkType(type: DataType, metadata?: ReadonlyMap<string, string>): SparkType {
  if (Arrow.isStruct(type)) {
    const names = type.children.map((f) => f.name).join(',');
    const sqlType = structJSON(type.children);
    const pkg = metadata?.get(MLLIB_UDT_KEY) === 'mllib' ? 'mllib' : 'ml';
    if (names === VECTOR_FIELDS) return { type: 'udt', class: `org.apache.spark.${pkg}.linalg.VectorUDT`, pyClass: `pyspark.${pkg}.linalg.VectorUDT`, sqlType };
    if (names === MATRIX_FIELDS) return { type: 'udt', class: `org.apache.spark.${pkg}.linalg.MatrixUDT`, pyClass: `pyspark.${pkg}.linalg.MatrixUDT`, sqlType };
    return sqlType;
  }
  if (Arrow.isList(type)) {
    const element = type.children[0]!;
    return { type: 'array', elementType: sparkType(element.type, element.metadata), containsNull: element.nullable };
  }
  if (Arrow.isMap(type)) {
    const [key, value] = (type.children[0]!.type as DataType).children as Field[];
    return { type: 'map', keyType: sparkType(key!.type), valueType: sparkType(value!.type), valueContainsNull: value!.nullable };
  }
  if (Arrow.isFloat(type)) return type.precision === 2 ? 'double' : 'float';
  if (Arrow.isInt(type)) return ({ 8: 'byte', 16: 'short', 32: 'integer', 64: 'long' } as Record<number, string>)[type.bitWidth]!;
  if (Arrow.isBool(type)) return 'boolean';
  if (Arrow.isUtf8(type) || Arrow.isLargeUtf8(type)) return 'string';
  if (Arrow.isBinary(type)) return 'binary';
  throw new Error(`model data: no Spark type for the Arrow type ${String(type)}`);
}

/** Spark's StructType JSON for an Arrow schema (model data: numbers, strings, arrays, structs, vectors, matrices). */
export function sparkSchemaJSON(schema: Schema): string {
  return JSON.stringify(structJSON(schema.fields));
}
