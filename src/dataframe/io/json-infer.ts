// Schema inference for JSON lines with Spark's rules (JsonInferSchema.scala): integral numbers are
// int when every value fits 32 bits, else long (else double beyond 64 bits), numbers with a fraction
// or exponent are double, true/false boolean, strings string; numbers mixed with fractions widen to
// double; any other conflict (number and boolean, object and number...) gives string; null-only
// fields are string. Objects are merged field by field and then FLATTENED into dotted column names
// (`{"a":{"b":1}}` -> column `a.b`), since Quiver has no struct type; arrays are kept as JSON text in
// a string column. Objects in Spark's vector form ({"type":1,"values":[...]}) infer as vectors.
// Columns come out sorted by name at every level, as Spark sorts inferred struct fields.
import { StructType, type DataType, type StructField } from '../types.js';
import { JsonLexer, JsonSyntaxError, fitsInt64, C } from './json-lexer.js';
import type { JsonOptions } from './json-options.js';
import { forEachLine, malformedMessage } from './json-lines.js';
import { bernoulli } from '../../linalg/random.js';

// Primitive types as small integers; objects and vectors as objects. Plain data: it travels from
// the executors to the driver.
export const T_NULL = 0, T_INT = 1, T_LONG = 2, T_DOUBLE = 3, T_BOOLEAN = 4, T_STRING = 5;
export interface JsonObjectType { fields: Map<string, JsonType> }
/** A vector: `size` for a dense vector of that size, -1 for sparse. */
export interface JsonVectorType { vector: number }
export type JsonType = number | JsonObjectType | JsonVectorType;

/** Metadata key of a flattened column: the path of keys it was read from (`['a', 'b']` for `a.b`). */
export const JSON_PATH_KEY = 'jsonPath';
/** Metadata key of a column that several key paths flatten into (read from all of them). */
export const JSON_PATHS_KEY = 'jsonPaths';

const isObject = (t: JsonType): t is JsonObjectType => typeof t === 'object' && 'fields' in t;
const isVector = (t: JsonType): t is JsonVectorType => typeof t === 'object' && 'vector' in t;

/** Spark's compatibleType; merges objects in place into `a`. */
export function mergeJsonTypes(a: JsonType, b: JsonType): JsonType {
  if (a === T_NULL) return b;
  if (b === T_NULL) return a;
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return a;
    return a <= T_DOUBLE && b <= T_DOUBLE ? Math.max(a, b) : T_STRING;
  }
  if (isObject(a) && isObject(b)) {
    for (const [k, t] of b.fields) a.fields.set(k, mergeJsonTypes(a.fields.get(k) ?? T_NULL, t));
    return a;
  }
  if (isVector(a) && isVector(b)) return a.vector === b.vector ? a : { vector: -1 };
  return T_STRING;
}

/** The record types seen in one chunk of JSON lines (or one multiLine document). */
export function inferJsonChunk(
  text: string, options: JsonOptions, ctx: { source: string; firstLine?: number; root?: JsonObjectType },
): JsonObjectType {
  const root: JsonObjectType = ctx.root ?? { fields: new Map() };
  const lex = new JsonLexer(options);
  const sample = options.samplingRatio < 1 ? bernoulli(options.samplingRatio, 1) : null;
  const inferer = new Inferer(lex, options.primitivesAsString);
  forEachLine(text, options.multiLine, ctx.firstLine ?? 1, (start, end, line) => {
    lex.reset(text, start, end);
    const c = lex.ws();
    if (c < 0) return; // blank line
    if (sample && !sample()) return;
    // Types of one record go into a scratch object first, so a malformed record adds nothing.
    const record: JsonObjectType = { fields: new Map() };
    try {
      if (c === C.LBRACE) inferer.object(record.fields);
      else if (c === C.LBRACKET) inferer.arrayOfObjects(record.fields);
      else lex.fail('a record must be a JSON object (or an array of objects)');
      if (lex.ws() >= 0) lex.fail('unexpected text after the record');
    } catch (e) {
      if (!(e instanceof JsonSyntaxError) && !(e instanceof RangeError)) throw e;
      if (options.mode === 'FAILFAST') {
        throw new Error(`Malformed records are detected in schema inference. Parse Mode: FAILFAST. ${malformedMessage(text, start, line, e, ctx.source)}`);
      }
      if (options.mode === 'PERMISSIVE') root.fields.set(options.columnNameOfCorruptRecord, T_STRING);
      return;
    }
    mergeJsonTypes(root, record);
  });
  return root;
}

class Inferer {
  constructor(private readonly lex: JsonLexer, private readonly primitivesAsString: boolean) {}

  object(fields: Map<string, JsonType>): void {
    const lex = this.lex;
    if (lex.openEmpty(C.RBRACE)) return;
    do {
      const key = lex.key();
      lex.expect(C.COLON, "':' after a field name");
      const t = this.value();
      fields.set(key, mergeJsonTypes(fields.get(key) ?? T_NULL, t));
    } while (lex.another(C.RBRACE));
  }

  /** A top-level array: every element must be an object (Spark reads each as a row). */
  arrayOfObjects(fields: Map<string, JsonType>): void {
    const lex = this.lex;
    if (lex.openEmpty(C.RBRACKET)) return;
    do {
      if (lex.ws() !== C.LBRACE) lex.fail(lex.found('expected an object in a top-level array'));
      this.object(fields);
    } while (lex.another(C.RBRACKET));
  }

  private value(): JsonType {
    const lex = this.lex;
    const c = lex.ws();
    if (c === C.LBRACE) {
      const v = lex.vector(false);
      if (v) return { vector: v.indices === null ? v.size : -1 };
      const obj: JsonObjectType = { fields: new Map() };
      this.object(obj.fields);
      return obj;
    }
    if (c === C.LBRACKET) { lex.skip(); return T_STRING; }
    if (lex.startsNumber(c)) {
      const v = lex.number();
      if (this.primitivesAsString) return T_STRING;
      if (!lex.numInt) return T_DOUBLE;
      if (v >= -2147483648 && v <= 2147483647) return T_INT;
      return fitsInt64(lex.text.slice(lex.numStart, lex.numEnd)) ? T_LONG : T_DOUBLE;
    }
    const kind = lex.scalar(c);
    if (kind === 'z') return T_NULL;
    if (kind === 's') return T_STRING;
    return this.primitivesAsString ? T_STRING : T_BOOLEAN;
  }
}

const PRIMITIVE: Record<number, DataType> = {
  [T_INT]: { kind: 'int' }, [T_LONG]: { kind: 'long' }, [T_DOUBLE]: { kind: 'double' },
  [T_BOOLEAN]: { kind: 'boolean' }, [T_STRING]: { kind: 'string' }, [T_NULL]: { kind: 'string' },
};

/**
 * The DataFrame schema of the merged record types: nested objects flattened into dotted names
 * (with the key path in the field's metadata, so the writer can nest them again), every field
 * nullable. Two paths that flatten to one name (a key "a.b" beside {"a":{"b":..}}) share the column.
 */
export function jsonSchemaOf(root: JsonObjectType, options: Pick<JsonOptions, 'dropFieldIfAllNull'>): StructType {
  const out: StructField[] = [];
  const byName = new Map<string, { field: StructField; type: JsonType; paths: string[][] }>();
  const walk = (fields: Map<string, JsonType>, prefix: string[]) => {
    for (const key of [...fields.keys()].sort(compareNames)) {
      const t = fields.get(key)!;
      const path = [...prefix, key];
      if (isObject(t) && t.fields.size > 0) { walk(t.fields, path); continue; }
      if (options.dropFieldIfAllNull && (t === T_NULL || isObject(t))) continue;
      const name = path.join('.');
      const seen = byName.get(name);
      if (seen) {
        seen.type = mergeJsonTypes(seen.type, t);
        seen.paths.push(path);
        continue;
      }
      const field: StructField = { name, type: { kind: 'string' }, nullable: true };
      byName.set(name, { field, type: t, paths: [path] });
      out.push(field);
    }
  };
  walk(root.fields, []);
  for (const { field, type, paths } of byName.values()) {
    field.type = isVector(type) ? (type.vector >= 0 ? { kind: 'vector', encoding: 'dense', size: type.vector } : { kind: 'vector', encoding: 'sparse' })
      : typeof type === 'number' ? PRIMITIVE[type] : { kind: 'string' }; // an empty object: its JSON text
    if (paths.length === 1 && paths[0].length > 1) field.metadata = { [JSON_PATH_KEY]: paths[0] };
    else if (paths.length > 1) field.metadata = { [JSON_PATHS_KEY]: paths };
  }
  return new StructType(out);
}

/** Java's String.compareTo (UTF-16 code units), the order Spark sorts field names in. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
