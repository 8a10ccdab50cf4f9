// Spark Connect's DataType messages as Quiver's types, for schema() without running a query.
import { StructType, type DataType, type StructField } from '../dataframe/types.js';
import type { Message } from './client.js';

/** Spark's DataType message (a struct at the top) as a Quiver StructType; throws naming a column Quiver cannot type. */
export function structFromProto(t: Message): StructType {
  const struct = t.struct as { fields?: Message[] } | undefined;
  if (!struct) throw new Error(`Spark Connect: expected a struct schema but got ${String(t.kind)}`);
  return new StructType(fieldsFromProto(struct.fields ?? [], ''));
}

function fieldsFromProto(fields: Message[], prefix: string): StructField[] {
  return fields.map((f) => ({
    name: f.name as string,
    type: typeFromProto(f.data_type as Message, `${prefix}${f.name as string}`),
    nullable: Boolean(f.nullable),
  }));
}

function typeFromProto(t: Message, column: string): DataType {
  switch (t.kind) {
    case 'boolean': return { kind: 'boolean' };
    // Quiver's integers are int (32-bit) and long; Spark's narrower integers widen to int, as in Arrow ingestion.
    case 'byte': case 'short': case 'integer': return { kind: 'int' };
    case 'long': return { kind: 'long' };
    case 'float': case 'double': return { kind: 'double' };
    case 'string': case 'char': case 'var_char': return { kind: 'string' };
    case 'array': {
      const a = t.array as Message;
      return { kind: 'array', elementType: typeFromProto(a.element_type as Message, `${column}.element`), containsNull: Boolean(a.contains_null) };
    }
    case 'struct': return { kind: 'struct', fields: fieldsFromProto((t.struct as { fields?: Message[] }).fields ?? [], `${column}.`) };
  }
  throw new Error(`Spark Connect: column '${column}' has Spark type ${String(t.kind)}, which Quiver's remote sessions do not read yet ` +
    '(supported: boolean, byte, short, integer, long, float, double, string, arrays and structs of these)');
}
