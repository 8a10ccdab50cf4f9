// Schema checks of the ML stages with Spark's messages (SchemaUtils): a layer below the feature,
// clustering and other stage areas, which all use them.
import type { DataType, StructField, StructType } from '../dataframe/types.js';

/** Spark's `catalogString` of a type, as its error messages print it. */
export function catalogString(t: DataType): string {
  switch (t.kind) {
    case 'long': return 'bigint';
    case 'array': return `array<${catalogString(t.elementType)}>`;
    case 'struct': return `struct<${t.fields.map((f) => `${f.name}:${catalogString(f.type)}`).join(',')}>`;
    default: return t.kind;
  }
}

export function requireVectorColumn(schema: StructType, name: string): StructField {
  const f = schema.field(name);
  if (f.type.kind !== 'vector') {
    throw new Error(`Column ${name} must be of type vector but was actually ${catalogString(f.type)}.`);
  }
  return f;
}

export function requireNumericColumn(schema: StructType, name: string): StructField {
  const f = schema.field(name);
  const k = f.type.kind;
  if (k !== 'double' && k !== 'int' && k !== 'long') {
    throw new Error(`Column ${name} must be of type numeric but was actually of type ${catalogString(f.type)}.`);
  }
  return f;
}

export function requireAbsent(schema: StructType, name: string, what = 'Output column'): void {
  if (schema.has(name)) throw new Error(`${what} ${name} already exists.`);
}
