// The schemas an RDD can be given when it becomes a DataFrame.
import { parseDdlSchema } from '../dataframe/io/ddl.js';
import { parseTypeName, StructType, type StructField } from '../dataframe/types.js';

/** A StructType, a DDL string ('word string, count int'), column name -> type name, or fields. */
export type SchemaSpec = StructType | string | Record<string, string> | readonly StructField[];

export function schemaFrom(spec: SchemaSpec): StructType {
  if (spec instanceof StructType) return spec;
  if (typeof spec === 'string') return parseDdlSchema(spec);
  if (Array.isArray(spec)) return new StructType(spec as readonly StructField[]);
  if (spec === null || typeof spec !== 'object') throw new Error('schema: expected a StructType, a DDL string or a map of column names to type names');
  return new StructType(Object.entries(spec as Record<string, string>).map(([name, t]): StructField => {
    try {
      return { name, type: parseTypeName(t), nullable: true };
    } catch (e) {
      throw new Error(`schema: column '${name}': ${(e as Error).message}`);
    }
  }));
}
