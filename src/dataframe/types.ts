// Quiver's logical types (Spark's names) and how each maps onto an Arrow type.
// A vector column has one physical encoding per column: dense FixedSizeList<Float64>(d) or the
// sparse struct {size, indices, values} (DESIGN.md, "Data model").
import {
  Bool, DataType as ArrowType, Field, FixedSizeList, Float64, Int16, Int32, Int64, Int8, List,
  Schema, Struct, Utf8, Uint8, Uint16, Uint32, Type,
} from 'apache-arrow';

export type AtomicTypeName = 'double' | 'int' | 'long' | 'boolean' | 'string';
export type DataType =
  | { kind: AtomicTypeName }
  | { kind: 'vector'; encoding: 'dense'; size: number }
  | { kind: 'vector'; encoding: 'sparse' }
  | ArrayDataType
  | StructDataType;

/** Spark's ArrayType: an Arrow List of the element type. */
export interface ArrayDataType { kind: 'array'; elementType: DataType; containsNull: boolean }
/** Spark's StructType as a column type: an Arrow Struct of named fields (plain data, so plans can carry it). */
export interface StructDataType { kind: 'struct'; fields: readonly StructField[] }

export const DoubleType: DataType = { kind: 'double' };
export const IntegerType: DataType = { kind: 'int' };
export const LongType: DataType = { kind: 'long' };
export const BooleanType: DataType = { kind: 'boolean' };
export const StringType: DataType = { kind: 'string' };
export const denseVectorType = (size: number): DataType => ({ kind: 'vector', encoding: 'dense', size });
export const SparseVectorType: DataType = { kind: 'vector', encoding: 'sparse' };
export const arrayType = (elementType: DataType, containsNull = true): ArrayDataType => ({ kind: 'array', elementType, containsNull });
export const structType = (fields: readonly StructField[]): StructDataType => ({ kind: 'struct', fields });

export interface StructField {
  name: string;
  type: DataType;
  nullable: boolean;
  /** Free-form metadata (ML attributes such as the size or categorical levels of a column). */
  metadata?: Record<string, unknown>;
}

export class StructType {
  readonly fields: readonly StructField[];
  private readonly index: Map<string, number>;

  constructor(fields: readonly StructField[]) {
    this.fields = fields;
    this.index = new Map();
    fields.forEach((f, i) => { if (!this.index.has(f.name)) this.index.set(f.name, i); });
  }

  get fieldNames(): string[] { return this.fields.map((f) => f.name); }
  get length(): number { return this.fields.length; }
  has(name: string): boolean { return this.index.has(name); }

  indexOf(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw unknownColumn(name, this);
    return i;
  }

  field(name: string): StructField { return this.fields[this.indexOf(name)]; }

  add(field: StructField): StructType { return new StructType([...this.fields, field]); }

  toString(): string { return `StructType(${this.fields.map((f) => `${f.name}: ${typeName(f.type)}`).join(', ')})`; }

  /** Spark's printSchema tree (StructType.treeString): nested arrays and structs indented under their column. */
  treeString(): string {
    const lines = ['root'];
    treeLines(this.fields, ' |', lines);
    return lines.join('\n') + '\n';
  }
}

/** Spark's buildFormattedString: a field line, then its type's children one level deeper. */
function treeLines(fields: readonly StructField[], prefix: string, out: string[]): void {
  for (const f of fields) {
    out.push(`${prefix}-- ${f.name}: ${treeTypeName(f.type)} (nullable = ${f.nullable})`);
    typeTreeLines(f.type, `${prefix}    |`, out);
  }
}

function typeTreeLines(t: DataType, prefix: string, out: string[]): void {
  if (t.kind === 'struct') treeLines(t.fields, prefix, out);
  else if (t.kind === 'array') {
    out.push(`${prefix}-- element: ${treeTypeName(t.elementType)} (containsNull = ${t.containsNull})`);
    typeTreeLines(t.elementType, `${prefix}    |`, out);
  }
}

/** Spark's DataType.typeName, as printSchema shows it ("integer", not "int"). */
function treeTypeName(t: DataType): string {
  return t.kind === 'int' ? 'integer' : t.kind;
}

export function unknownColumn(name: string, schema: StructType | readonly string[]): Error {
  const names = Array.isArray(schema) ? schema : (schema as StructType).fieldNames;
  return new Error(`Column '${name}' does not exist. Available columns: [${names.join(', ')}]`);
}

/** A type's short name: its kind, `array<int>` or `struct<item:int,rating:double>` (Spark's simpleString shape). */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case 'array': return `array<${typeName(t.elementType)}>`;
    case 'struct': return `struct<${t.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(',')}>`;
    default: return t.kind;
  }
}

export const isNumeric = (t: DataType): boolean => t.kind === 'double' || t.kind === 'int' || t.kind === 'long';
export const isVector = (t: DataType): t is Extract<DataType, { kind: 'vector' }> => t.kind === 'vector';
export const isNested = (t: DataType): t is ArrayDataType | StructDataType => t.kind === 'array' || t.kind === 'struct';

/**
 * Why a column cannot be a grouping, join, sort or distinct key (vectors, arrays and structs have
 * no order or hash here yet), as an error naming the operation and the column; null when it can.
 */
export function keyTypeError(op: string, column: string, t: DataType): Error | null {
  if (t.kind !== 'vector' && !isNested(t)) return null;
  return new Error(`${op}: column '${column}' is ${t.kind === 'vector' ? 'a vector' : `of type ${typeName(t)}`} and cannot be used as a key ` +
    '(grouping, join, sort and distinct keys must be numbers, strings or booleans)');
}

/** Same type up to nullability (as Spark's sameType): vectors by encoding and size, nested types by their parts. */
export function sameType(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'vector' && b.kind === 'vector') {
    if (a.encoding !== b.encoding) return false;
    return a.encoding === 'sparse' || a.size === (b as { size: number }).size;
  }
  if (a.kind === 'array' && b.kind === 'array') return sameType(a.elementType, b.elementType);
  if (a.kind === 'struct' && b.kind === 'struct') {
    return a.fields.length === b.fields.length && a.fields.every((f, i) => f.name === b.fields[i].name && sameType(f.type, b.fields[i].type));
  }
  return true;
}

/** Parses a type name as accepted by `cast` and schemas ("double", "int", "integer", "bigint", ...). */
export function parseTypeName(name: string): DataType {
  switch (name.toLowerCase()) {
    case 'double': case 'float': case 'float64': return DoubleType;
    case 'int': case 'integer': case 'int32': return IntegerType;
    case 'long': case 'bigint': case 'int64': return LongType;
    case 'boolean': case 'bool': return BooleanType;
    case 'string': return StringType;
    default: throw new Error(`Unsupported data type '${name}'; expected one of double, int, long, boolean, string`);
  }
}

// --- Arrow mapping ---------------------------------------------------------------------------

const sparseStruct = () => new Struct([
  new Field('size', new Int32(), false),
  new Field('indices', new List(new Field('item', new Int32(), false)), false),
  new Field('values', new List(new Field('item', new Float64(), false)), false),
]);

export function toArrowType(t: DataType): ArrowType {
  switch (t.kind) {
    case 'double': return new Float64();
    case 'int': return new Int32();
    case 'long': return new Int64();
    case 'boolean': return new Bool();
    case 'string': return new Utf8();
    case 'vector':
      return t.encoding === 'dense'
        ? new FixedSizeList(t.size, new Field('item', new Float64(), false))
        : sparseStruct();
    // 'element' is the list child's name Spark's Parquet writer and Arrow conversion use.
    case 'array': return new List(new Field('element', toArrowType(t.elementType), t.containsNull));
    case 'struct': return new Struct(t.fields.map((f) => new Field(f.name, toArrowType(f.type), f.nullable)));
  }
}

/** Maps an Arrow type onto a Quiver type, or throws naming the column when it has no counterpart. */
export function fromArrowType(t: ArrowType, column: string): DataType {
  switch (t.typeId) {
    case Type.Float: return DoubleType; // Float16/32/64 all read as double
    case Type.Int: {
      const it = t as Int8 | Int16 | Int32 | Int64 | Uint8 | Uint16 | Uint32;
      if (it.bitWidth === 64 || (it.bitWidth === 32 && !it.isSigned)) return LongType;
      return IntegerType;
    }
    case Type.Bool: return BooleanType;
    case Type.Utf8: case Type.LargeUtf8: return StringType;
    case Type.FixedSizeList: {
      const f = t as FixedSizeList;
      if (f.children[0].type.typeId === Type.Float) return denseVectorType(f.listSize);
      break;
    }
    case Type.Struct: {
      const children = (t as Struct).children;
      if (children.map((c) => c.name).join(',') === 'size,indices,values') return SparseVectorType;
      return structType(children.map((c) => ({ name: c.name, type: fromArrowType(c.type, `${column}.${c.name}`), nullable: c.nullable })));
    }
    case Type.List: {
      const child = (t as List).children[0];
      return arrayType(fromArrowType(child.type, `${column}.${child.name}`), child.nullable);
    }
  }
  throw new Error(`Column '${column}' has Arrow type ${t} which Quiver does not support ` +
    `(supported: floating point, integers, bool, utf8, FixedSizeList<float64>, sparse vector structs, lists and structs of these)`);
}

export function toArrowSchema(schema: StructType): Schema {
  return new Schema(schema.fields.map((f) => new Field(f.name, toArrowType(f.type), f.nullable,
    f.metadata ? new Map([['quiver', JSON.stringify(f.metadata)]]) : undefined)));
}

export function fromArrowSchema(schema: Schema): StructType {
  return new StructType(schema.fields.map((f) => {
    const meta = f.metadata.get('quiver');
    return {
      name: f.name, type: fromArrowType(f.type, f.name), nullable: f.nullable,
      ...(meta ? { metadata: JSON.parse(meta) as Record<string, unknown> } : {}),
    };
  }));
}
