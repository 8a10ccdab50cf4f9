// JSON records into the columns of a schema (Spark's JacksonParser semantics). A column named
// `a.b` is read from the nested key path a -> b (and from a top-level key "a.b"); keys no column
// asks for are skipped. A string column takes any value: strings as they are, other values as their
// JSON text. Malformed records: a syntax error nulls the whole row (PERMISSIVE), drops it
// (DROPMALFORMED) or fails (FAILFAST); a value of the wrong type nulls only that field in
// PERMISSIVE mode (Spark 3's partial results). The corrupt-record column, when the schema has it
// as a string, receives the text of every malformed record in PERMISSIVE mode.
import type { RecordBatch } from 'apache-arrow';
import {
  booleanData, denseVectorData, makeBatch, primitiveData, sparseVectorData, utf8Data, type AnyData,
} from '../batch.js';
import { StructType, typeName, type StructField } from '../types.js';
import { JSON_PATH_KEY, JSON_PATHS_KEY } from './json-infer.js';
import { C, JsonLexer, JsonSyntaxError, fitsInt64, type JsonVector } from './json-lexer.js';
import { forEachLine, malformedMessage } from './json-lines.js';
import type { JsonOptions } from './json-options.js';

export interface JsonParseContext {
  /** Names the file (and split) in errors. */
  source: string;
  firstLine?: number;
}

/** Parses JSON lines (or a multiLine document) into one batch of `schema`. */
export function parseJson(text: string, schema: StructType, options: JsonOptions, ctx: JsonParseContext): RecordBatch {
  const p = new RecordParser(schema, options, ctx.source, text);
  forEachLine(text, options.multiLine, ctx.firstLine ?? 1, (start, end, line) => p.record(start, end, line));
  return p.finish();
}

/** Where a key leads: a column, nested keys, or both. */
interface Route { col: number; kids: Map<string, Route> | null }

function routesOf(fields: readonly StructField[], skip: number): Route {
  const root: Route = { col: -1, kids: new Map() };
  const add = (path: readonly string[], col: number) => {
    let node = root;
    for (const key of path) {
      node.kids ??= new Map();
      let next = node.kids.get(key);
      if (!next) { next = { col: -1, kids: null }; node.kids.set(key, next); }
      node = next;
    }
    if (node.col < 0) node.col = col;
  };
  fields.forEach((f, i) => {
    if (i === skip) return;
    const meta = f.metadata ?? {};
    const one = meta[JSON_PATH_KEY], many = meta[JSON_PATHS_KEY];
    if (isPath(one)) add(one, i);
    if (Array.isArray(many)) for (const p of many) if (isPath(p)) add(p, i);
    add([f.name], i);
    const parts = f.name.split('.');
    if (parts.length > 1 && parts.every((s) => s !== '')) add(parts, i);
  });
  return root;
}

const isPath = (p: unknown): p is string[] => Array.isArray(p) && p.length > 0 && p.every((s) => typeof s === 'string');

class RecordParser {
  private readonly lex: JsonLexer;
  private readonly cols: ColumnBuilder[];
  private readonly routes: Route;
  private readonly corrupt: number;
  private rows = 0;
  private cap = 256;
  /** The first conversion error of the row being read. */
  private fieldError: string | null = null;

  constructor(readonly schema: StructType, readonly options: JsonOptions, readonly source: string, readonly text: string) {
    this.lex = new JsonLexer(options);
    const ci = schema.fields.findIndex((f) => f.name === options.columnNameOfCorruptRecord);
    this.corrupt = ci >= 0 && schema.fields[ci].type.kind === 'string' ? ci : -1;
    this.cols = schema.fields.map((f) => builderFor(f, this.cap));
    this.routes = routesOf(schema.fields, this.corrupt);
  }

  record(start: number, end: number, line: number): void {
    const lex = this.lex;
    lex.reset(this.text, start, end);
    const c = lex.ws();
    if (c < 0) return; // blank lines hold no record
    const first = this.rows;
    try {
      if (c === C.LBRACE) this.row(start, end, line);
      else if (c === C.LBRACKET) {
        if (!lex.openEmpty(C.RBRACKET)) {
          do {
            if (lex.ws() !== C.LBRACE) lex.fail(lex.found('expected an object in a top-level array'));
            this.row(start, end, line);
          } while (lex.another(C.RBRACKET));
        }
      } else lex.fail('a record must be a JSON object (or an array of objects)');
      if (lex.ws() >= 0) lex.fail('unexpected text after the record');
    } catch (e) {
      if (!(e instanceof JsonSyntaxError) && !(e instanceof RangeError)) throw e;
      while (this.rows > first) this.clearRow(--this.rows);
      if (this.options.mode === 'FAILFAST') throw this.failFast(malformedMessage(this.text, start, line, e, this.source));
      if (this.options.mode === 'PERMISSIVE') {
        this.beginRow();
        this.markCorrupt(start, end);
        this.rows++;
      }
    }
  }

  /** One object at the lexer's position as one row. */
  private row(start: number, end: number, line: number): void {
    this.beginRow();
    this.fieldError = null;
    this.object(this.routes);
    if (this.fieldError !== null) {
      if (this.options.mode === 'FAILFAST') throw this.failFast(`Malformed JSON record in ${this.source} at line ${line}: ${this.fieldError}`);
      if (this.options.mode === 'DROPMALFORMED') { this.clearRow(this.rows); return; }
      this.markCorrupt(start, end);
    }
    this.rows++;
  }

  private failFast(message: string): Error {
    return new Error(`${message}. Parse Mode: FAILFAST (set the option mode to PERMISSIVE to read malformed records as nulls, or DROPMALFORMED to skip them)`);
  }

  private beginRow(): void {
    if (this.rows === this.cap) {
      this.cap *= 2;
      for (const b of this.cols) b.grow(this.cap);
    }
    this.clearRow(this.rows);
  }

  private clearRow(r: number): void {
    for (const b of this.cols) b.clear(r);
  }

  private markCorrupt(start: number, end: number): void {
    if (this.corrupt >= 0) (this.cols[this.corrupt] as StringBuilder).set(this.rows, this.text.slice(start, end));
  }

  private object(route: Route): void {
    const lex = this.lex;
    if (lex.openEmpty(C.RBRACE)) return;
    do {
      const key = lex.key();
      lex.expect(C.COLON, "':' after a field name");
      const next = route.kids?.get(key);
      if (next === undefined) lex.skip();
      else this.field(next, key);
    } while (lex.another(C.RBRACE));
  }

  private field(route: Route, key: string): void {
    const lex = this.lex;
    const c = lex.ws();
    if (c === C.LBRACE && route.kids) {
      if (route.col >= 0) {
        // A column for the object itself (its JSON text) and columns for its fields.
        const at = lex.pos;
        this.value(route.col);
        lex.pos = at;
      }
      this.object(route);
      return;
    }
    if (route.col >= 0) { this.value(route.col); return; }
    // Only nested columns below this key, but the value is not an object.
    const kind = c === C.LBRACKET ? (lex.skip(), 'an array') : lex.scalar(c);
    if (kind !== 'z') this.noteError(`field '${key}' holds ${kind === 'an array' ? kind : describeScalar(kind)} where an object was expected`);
  }

  private value(col: number): void {
    const why = this.cols[col].read(this.lex, this.rows);
    if (why !== null) this.noteError(`column '${this.schema.fields[col].name}': ${why}`);
  }

  private noteError(why: string): void { this.fieldError ??= why; }

  finish(): RecordBatch {
    const n = this.rows;
    return makeBatch(this.schema, this.cols.map((b) => b.finish(n)), n);
  }
}

function describeScalar(kind: 's' | 'n' | 't' | 'f' | 'z'): string {
  return kind === 's' ? 'a string' : kind === 'n' ? 'a number' : kind === 'z' ? 'null' : 'a boolean';
}

// --- column builders ---------------------------------------------------------------------------

/** Reads values into rows; `read` consumes exactly one value and returns why it did not fit, or null. */
interface ColumnBuilder {
  read(lex: JsonLexer, r: number): string | null;
  clear(r: number): void;
  grow(cap: number): void;
  finish(n: number): AnyData;
}

function builderFor(f: StructField, cap: number): ColumnBuilder {
  const t = f.type;
  switch (t.kind) {
    case 'int': return new IntBuilder(cap);
    case 'long': return new LongBuilder(cap);
    case 'double': return new DoubleBuilder(cap);
    case 'boolean': return new BooleanBuilder(cap);
    case 'string': return new StringBuilder();
    case 'vector': return t.encoding === 'dense' ? new DenseBuilder(cap, t.size) : new SparseBuilder(cap);
    case 'array': case 'struct': throw nestedJsonColumn(f);
  }
}

/** Reading arrays and structs from JSON is not supported yet (planJson refuses such a schema first). */
export function nestedJsonColumn(f: StructField): Error {
  return new Error(`JSON source: column '${f.name}' is ${typeName(f.type)}; reading arrays and structs from JSON is not supported yet ` +
    '(nested objects are read as dotted columns, arrays as their JSON text or into a vector column)');
}

function grown<T extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(a: T, cap: number): T {
  const out = new (a.constructor as new (n: number) => T)(cap);
  out.set(a as never);
  return out;
}

/** What a value that does not fit is, for messages (consumes it). */
function mismatch(lex: JsonLexer, expected: string): string {
  const start = lex.pos;
  lex.skip();
  const text = lex.text.slice(start, lex.pos);
  return `expected ${expected} but found ${text.length > 40 ? text.slice(0, 40) + '…' : text}`;
}

abstract class NullableBuilder {
  valid: Uint8Array;
  constructor(cap: number) { this.valid = new Uint8Array(cap); }
  clear(r: number): void { this.valid[r] = 0; }
  /** Consumes a null; true when the value was null. */
  protected isNull(lex: JsonLexer, c: number, r: number): boolean {
    if (c !== 110) return false;
    lex.literal('null');
    this.valid[r] = 0;
    return true;
  }
}

class IntBuilder extends NullableBuilder implements ColumnBuilder {
  values: Int32Array;
  constructor(cap: number) { super(cap); this.values = new Int32Array(cap); }
  read(lex: JsonLexer, r: number): string | null {
    const c = lex.ws();
    if (this.isNull(lex, c, r)) return null;
    if (lex.startsNumber(c)) {
      const v = lex.number();
      if (lex.numInt && v >= -2147483648 && v <= 2147483647) { this.values[r] = v; this.valid[r] = 1; return null; }
      return `expected an int but found ${lex.text.slice(lex.numStart, lex.numEnd)}`;
    }
    return mismatch(lex, 'an int');
  }
  grow(cap: number): void { this.values = grown(this.values, cap); this.valid = grown(this.valid, cap); }
  finish(n: number): AnyData { return primitiveData({ kind: 'int' }, this.values.slice(0, n), this.valid.subarray(0, n)); }
}

class LongBuilder extends NullableBuilder implements ColumnBuilder {
  values: BigInt64Array;
  constructor(cap: number) { super(cap); this.values = new BigInt64Array(cap); }
  read(lex: JsonLexer, r: number): string | null {
    const c = lex.ws();
    if (this.isNull(lex, c, r)) return null;
    if (lex.startsNumber(c)) {
      const v = lex.number();
      const text = lex.text.slice(lex.numStart, lex.numEnd);
      if (!lex.numInt || !fitsInt64(text)) return `expected a long but found ${text}`;
      this.values[r] = Number.isSafeInteger(v) ? BigInt(v) : BigInt(text);
      this.valid[r] = 1;
      return null;
    }
    return mismatch(lex, 'a long');
  }
  grow(cap: number): void { this.values = grown(this.values, cap); this.valid = grown(this.valid, cap); }
  finish(n: number): AnyData { return primitiveData({ kind: 'long' }, this.values.slice(0, n), this.valid.subarray(0, n)); }
}

class DoubleBuilder extends NullableBuilder implements ColumnBuilder {
  values: Float64Array;
  constructor(cap: number) { super(cap); this.values = new Float64Array(cap); }
  read(lex: JsonLexer, r: number): string | null {
    const c = lex.ws();
    if (this.isNull(lex, c, r)) return null;
    if (lex.startsNumber(c) || lex.isQuote(c)) {
      const start = lex.pos;
      const v = lex.doubleValue(c);
      if (v !== undefined) { this.values[r] = v; this.valid[r] = 1; return null; }
      return `expected a double but found ${lex.text.slice(start, Math.min(lex.pos, start + 40))}`;
    }
    return mismatch(lex, 'a double');
  }
  grow(cap: number): void { this.values = grown(this.values, cap); this.valid = grown(this.valid, cap); }
  finish(n: number): AnyData { return primitiveData({ kind: 'double' }, this.values.slice(0, n), this.valid.subarray(0, n)); }
}

class BooleanBuilder extends NullableBuilder implements ColumnBuilder {
  values: Uint8Array;
  constructor(cap: number) { super(cap); this.values = new Uint8Array(cap); }
  read(lex: JsonLexer, r: number): string | null {
    const c = lex.ws();
    if (this.isNull(lex, c, r)) return null;
    if (c === 116 || c === 102) {
      lex.literal(c === 116 ? 'true' : 'false');
      this.values[r] = c === 116 ? 1 : 0;
      this.valid[r] = 1;
      return null;
    }
    return mismatch(lex, 'a boolean');
  }
  grow(cap: number): void { this.values = grown(this.values, cap); this.valid = grown(this.valid, cap); }
  finish(n: number): AnyData { return booleanData(this.values.slice(0, n), this.valid.subarray(0, n), n); }
}

class StringBuilder implements ColumnBuilder {
  values: (string | null)[] = [];
  read(lex: JsonLexer, r: number): string | null {
    const c = lex.ws();
    if (lex.isQuote(c)) this.values[r] = lex.string();
    else if (c === 110 && lex.text.startsWith('null', lex.pos)) { lex.literal('null'); this.values[r] = null; }
    else if (c === 116 || c === 102) { this.values[r] = lex.scalar(c) === 't' ? 'true' : 'false'; }
    else if (lex.startsNumber(c)) {
      // A number as Spark's copy of it: integers as written, others as Java prints doubles.
      this.values[r] = lex.copy().replace(/^"(.*)"$/, '$1');
    } else this.values[r] = lex.copy();
    return null;
  }
  set(r: number, s: string): void { this.values[r] = s; }
  clear(r: number): void { this.values[r] = null; }
  grow(): void { /* a JS array grows by itself */ }
  finish(n: number): AnyData { return utf8Data(this.values, n); }
}

/** A vector value (Spark's object form or a plain array), or why not; consumes the value. */
function readVector(lex: JsonLexer, c: number): JsonVector | string {
  if (c === C.LBRACE || c === C.LBRACKET) {
    const v = lex.vector(true);
    if (v) return v;
  }
  return mismatch(lex, 'a vector ({"type":1,"values":[...]}, {"type":0,"size":n,"indices":[...],"values":[...]} or an array of numbers)');
}

class DenseBuilder extends NullableBuilder implements ColumnBuilder {
  values: Float64Array;
  constructor(cap: number, readonly size: number) { super(cap); this.values = new Float64Array(cap * size); }
  read(lex: JsonLexer, r: number): string | null {
    const c = lex.ws();
    if (this.isNull(lex, c, r)) return null;
    const v = readVector(lex, c);
    if (typeof v === 'string') return v;
    if (v.size !== this.size) return `expected a vector of size ${this.size} but found one of size ${v.size}`;
    const base = r * this.size;
    if (v.indices === null) this.values.set(v.values, base);
    else {
      this.values.fill(0, base, base + this.size);
      for (let k = 0; k < v.indices.length; k++) this.values[base + v.indices[k]] = v.values[k];
    }
    this.valid[r] = 1;
    return null;
  }
  override clear(r: number): void { this.valid[r] = 0; this.values.fill(0, r * this.size, (r + 1) * this.size); }
  grow(cap: number): void {
    const next = new Float64Array(cap * this.size);
    next.set(this.values);
    this.values = next;
    this.valid = grown(this.valid, cap);
  }
  finish(n: number): AnyData { return denseVectorData(this.size, this.values.slice(0, n * this.size), this.valid.slice(0, n), n); }
}

class SparseBuilder extends NullableBuilder implements ColumnBuilder {
  sizes: Int32Array;
  offsets: Int32Array;
  indices: number[] = [];
  values: number[] = [];
  constructor(cap: number) { super(cap); this.sizes = new Int32Array(cap); this.offsets = new Int32Array(cap + 1); }
  read(lex: JsonLexer, r: number): string | null {
    const c = lex.ws();
    this.truncate(r);
    if (this.isNull(lex, c, r)) return null;
    const v = readVector(lex, c);
    if (typeof v === 'string') return v;
    this.sizes[r] = v.size;
    if (v.indices !== null) {
      for (let k = 0; k < v.indices.length; k++) { this.indices.push(v.indices[k]); this.values.push(v.values[k]); }
    } else {
      for (let k = 0; k < v.values.length; k++) if (v.values[k] !== 0) { this.indices.push(k); this.values.push(v.values[k]); }
    }
    this.offsets[r + 1] = this.indices.length;
    this.valid[r] = 1;
    return null;
  }
  private truncate(r: number): void {
    const at = this.offsets[r];
    this.indices.length = at;
    this.values.length = at;
    this.offsets[r + 1] = at;
    this.sizes[r] = 0;
  }
  override clear(r: number): void { this.valid[r] = 0; this.truncate(r); }
  grow(cap: number): void {
    this.sizes = grown(this.sizes, cap);
    this.offsets = grown(this.offsets, cap + 1);
    this.valid = grown(this.valid, cap);
  }
  finish(n: number): AnyData {
    return sparseVectorData(this.sizes.slice(0, n), this.offsets.slice(0, n + 1), Int32Array.from(this.indices.slice(0, this.offsets[n])),
      Float64Array.from(this.values.slice(0, this.offsets[n])), this.valid.slice(0, n));
  }
}

/** Spark reads every file-source column as nullable, whatever the given schema says. */
export function nullableSchema(schema: StructType): StructType {
  return new StructType(schema.fields.map((f) => (f.nullable ? f : { ...f, nullable: true })));
}

