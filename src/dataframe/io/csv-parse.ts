// CSV text -> typed columns, with Spark's (univocity's) tokenizing and malformed-record semantics.
// One pass over the text with charCodeAt; unquoted numeric fields are parsed in place (no substring)
// and written straight into typed arrays. Quoted fields and hard numbers take a slower, exact path.
import { charCodeOption, type CsvField, type CsvFieldType, type CsvOptions } from './csv-options.js';

export type CsvColumn =
  | { type: 'int'; values: Int32Array; valid: Uint8Array }
  | { type: 'long' | 'double'; values: Float64Array; valid: Uint8Array }
  | { type: 'boolean'; values: Uint8Array; valid: Uint8Array }
  | { type: 'string'; values: (string | null)[] };

export interface CsvChunk { numRows: number; columns: CsvColumn[]; malformedRows: number }

export interface CsvParseContext {
  /** Named in error messages (usually the file path). */
  source: string;
  /** The chunk's first record is the header line: skip it. */
  skipHeader: boolean;
  /** Line number of the chunk's first line within its file (1-based); default 1. */
  firstLine?: number;
}

const LF = 10;
const CR = 13;
const SPACE = 32;

// ---------------------------------------------------------------------------------------------
// Tokenizer primitives, shared by the parser, schema inference and chunk splitting.

/** Character codes of the syntax options (-1 = disabled). */
export interface CsvSyntax {
  sep: number; quote: number; escape: number; comment: number;
  multiLine: boolean; trimLeading: boolean; trimTrailing: boolean;
  emptyValue: string;
}

export function csvSyntax(o: CsvOptions): CsvSyntax {
  return {
    sep: o.sep.charCodeAt(0),
    quote: charCodeOption(o.quote),
    escape: charCodeOption(o.escape),
    comment: charCodeOption(o.comment),
    multiLine: o.multiLine,
    trimLeading: o.ignoreLeadingWhiteSpace,
    trimTrailing: o.ignoreTrailingWhiteSpace,
    emptyValue: o.emptyValue ?? '',
  };
}

/** Scanner position: `pos` is an offset in the text, `line` the 1-based line it is on. */
export interface CsvCursor { pos: number; line: number }

/**
 * Moves past blank lines (only characters <= ' ', as Java's trim) and comment lines, as Spark
 * filters them before tokenizing. Leaves the cursor at the start of a record, or at the end.
 */
export function skipBlankAndCommentLines(text: string, cur: CsvCursor, syn: CsvSyntax): void {
  const n = text.length;
  let p = cur.pos;
  while (p < n) {
    let c = text.charCodeAt(p);
    if (c === syn.comment) {
      while (p < n && (c = text.charCodeAt(p)) !== LF && c !== CR) p++;
    } else {
      let q = p;
      while (q < n && (c = text.charCodeAt(q)) <= SPACE && c !== LF && c !== CR) q++;
      if (q < n && c !== LF && c !== CR) break; // a record starts at p
      p = q;
    }
    if (p >= n) break;
    p = c === CR && p + 1 < n && text.charCodeAt(p + 1) === LF ? p + 2 : p + 1;
    cur.line++;
  }
  cur.pos = p;
}

/** Consumes the line terminator at the cursor (\n, \r\n or \r), if any. */
export function skipLineEnd(text: string, cur: CsvCursor): void {
  const p = cur.pos;
  if (p >= text.length) return;
  const c = text.charCodeAt(p);
  if (c === CR) cur.pos = p + 1 < text.length && text.charCodeAt(p + 1) === LF ? p + 2 : p + 1;
  else if (c === LF) cur.pos = p + 1;
  else return;
  cur.line++;
}

/**
 * Reads one field at the cursor and leaves the cursor on what ends it (separator, line break or
 * the end of the text). Returns null for an empty unquoted field (univocity hands Spark its
 * nullValue there), `emptyValue` for `""`, else the field's text with quotes and escapes resolved.
 */
export function readField(text: string, cur: CsvCursor, syn: CsvSyntax): string | null {
  const n = text.length;
  const sep = syn.sep;
  let p = cur.pos;
  let c = p < n ? text.charCodeAt(p) : -1;
  if (syn.trimLeading) {
    while (c <= SPACE && c >= 0 && c !== LF && c !== CR && c !== sep) c = ++p < n ? text.charCodeAt(p) : -1;
  }
  if (c === syn.quote) {
    cur.pos = p;
    const v = readQuoted(text, cur, syn);
    return v === '' ? syn.emptyValue : v;
  }
  const start = p;
  while (p < n && (c = text.charCodeAt(p)) !== sep && c !== LF && c !== CR) p++;
  cur.pos = p;
  let end = p;
  if (syn.trimTrailing) while (end > start && text.charCodeAt(end - 1) <= SPACE) end--;
  return end === start ? null : text.slice(start, end);
}

/**
 * A quoted field, the cursor on its opening quote. Inside quotes, escape+quote is a quote and
 * escape+escape an escape (Spark's default charToEscapeQuoteEscaping); with escape == quote a doubled
 * quote is a quote. Whitespace after the closing quote is dropped. A closing quote followed by other
 * text is an unescaped quote: like univocity's STOP_AT_DELIMITER, the raw text up to the next
 * separator is the value. Without multiLine a line break ends the field even inside quotes.
 */
function readQuoted(text: string, cur: CsvCursor, syn: CsvSyntax): string {
  const n = text.length;
  const { quote, escape, sep } = syn;
  const open = cur.pos;
  let p = open + 1;
  let seg = p;
  let out = '';
  while (p < n) {
    const c = text.charCodeAt(p);
    if (c === escape && escape !== quote) {
      const d = p + 1 < n ? text.charCodeAt(p + 1) : -1;
      if (d === quote || d === escape) {
        out += text.slice(seg, p);
        seg = p + 1;
        p += 2;
      } else {
        p++;
      }
    } else if (c === quote) {
      if (escape === quote && p + 1 < n && text.charCodeAt(p + 1) === quote) {
        out += text.slice(seg, p + 1);
        p += 2;
        seg = p;
        continue;
      }
      out += text.slice(seg, p);
      let r = p + 1;
      let w = r < n ? text.charCodeAt(r) : -1;
      while (w >= 0 && w <= SPACE && w !== LF && w !== CR && w !== sep) w = ++r < n ? text.charCodeAt(r) : -1;
      if (w < 0 || w === sep || w === LF || w === CR) {
        cur.pos = r;
        return out;
      }
      while (r < n && (w = text.charCodeAt(r)) !== sep && w !== LF && w !== CR) r++;
      cur.pos = r;
      return text.slice(open, r);
    } else if (c === LF || c === CR) {
      if (!syn.multiLine) break;
      if (c === LF || p + 1 >= n || text.charCodeAt(p + 1) !== LF) cur.line++;
      p++;
    } else {
      p++;
    }
  }
  // Unterminated quote: the value runs to the end of the line (or of the text), as univocity's.
  cur.pos = p;
  return out + text.slice(seg, p);
}

/**
 * Reads the record at the cursor (which must be at a record start) into `out` and returns its
 * field count; the cursor ends after the record's line terminator.
 */
export function readRecord(text: string, cur: CsvCursor, syn: CsvSyntax, out: (string | null)[]): number {
  let count = 0;
  for (;;) {
    out[count++] = readField(text, cur, syn);
    if (cur.pos < text.length && text.charCodeAt(cur.pos) === syn.sep) { cur.pos++; continue; }
    break;
  }
  skipLineEnd(text, cur);
  return count;
}

// ---------------------------------------------------------------------------------------------
// Java's number and boolean grammars (Spark converts with _.toInt, _.toLong, _.toDouble, _.toBoolean).

const TWO53 = 9007199254740992;
const INT_RE = /^[+-]?[0-9]+$/;
const DEC_RE = /^[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)[fFdD]?$/;

/** Integer.parseInt: optional sign, ASCII digits, 32-bit range. */
export function parseJavaInt(s: string): number | undefined {
  if (!INT_RE.test(s)) return undefined;
  const v = Number(s);
  return v >= -2147483648 && v <= 2147483647 ? v | 0 : undefined;
}

/** Long.parseLong restricted to integers a double holds exactly (|x| <= 2^53). */
export function parseJavaLong(s: string): number | undefined {
  if (!INT_RE.test(s)) return undefined;
  if (s.length <= 16) {
    const v = Number(s);
    if (Math.abs(v) < TWO53) return v + 0; // + 0 turns -0 into 0
  }
  const b = BigInt(s);
  return b <= 9007199254740992n && b >= -9007199254740992n ? Number(b) + 0 : undefined;
}

/**
 * Double.parseDouble: trims characters <= ' ', accepts NaN, Infinity, decimal and hexadecimal
 * floating literals with an optional f/F/d/D suffix; rejects '', '1,5', '0x10'.
 */
export function parseJavaDouble(raw: string): number | undefined {
  const s = javaTrim(raw);
  if (DEC_RE.test(s)) {
    const last = s.charCodeAt(s.length - 1);
    // f/F/d/D suffix (NaN and Infinity end in N and y).
    const body = last === 102 || last === 70 || last === 100 || last === 68 ? s.slice(0, -1) : s;
    return Number(body);
  }
  const m = HEX_RE.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  return hexDouble(m[1] === '-', m[2], m[3] ?? '', Number(m[4]));
}

function hexDouble(neg: boolean, intDigits: string, fracDigits: string, exp: number): number {
  const digits = (intDigits + fracDigits).replace(/^0+/, '');
  if (digits === '') return neg ? -0 : 0;
  // Number(BigInt) rounds to nearest-even; the power-of-two scaling is exact outside subnormals.
  let v = Number(BigInt('0x' + digits));
  let e = exp - 4 * fracDigits.length;
  while (e > 1000) { v *= 2 ** 1000; e -= 1000; }
  while (e < -1000) { v *= 2 ** -1000; e += 1000; }
  v *= 2 ** e;
  return neg ? -v : v;
}

function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= SPACE) a++;
  while (b > a && s.charCodeAt(b - 1) <= SPACE) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Scala's String.toBoolean: 'true' or 'false', any case. */
export function parseJavaBoolean(s: string): boolean | undefined {
  if (s.length !== 4 && s.length !== 5) return undefined;
  const l = s.toLowerCase();
  return l === 'true' ? true : l === 'false' ? false : undefined;
}

/** Spark's double converter: the nanValue/positiveInf/negativeInf spellings, then Java's grammar. */
export function parseSparkDouble(s: string, o: CsvOptions): number | undefined {
  if (s === o.nanValue) return NaN;
  if (s === o.negativeInf) return -Infinity;
  if (s === o.positiveInf) return Infinity;
  return parseJavaDouble(s);
}

// ---------------------------------------------------------------------------------------------
// Fast in-place number scanners. Each returns the value when the field is a plain number ending at
// a separator, line break or end of text, leaving the offset after it in `scanEnd`; else NaN (the
// caller then takes the exact slow path). Returning the double, rather than parking it in a module
// variable, avoids boxing it on every field. A plain decimal too long for the exact shortcut (more
// than 15 significant digits, or a large exponent) returns NaN with `scanPlain` set: its text is
// valid, so Number(slice) gives the exact value without the general path's checks.

let scanEnd = 0;
let scanPlain = false;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Decimal with up to 15 significant digits and a power of ten within 1e±22: both the mantissa and the
 * power are exact doubles, so one multiplication or division rounds correctly and equals Number(s).
 */
function scanDouble(text: string, p: number, n: number, sep: number): number {
  const FAIL = NaN;
  let c = text.charCodeAt(p);
  let neg = false;
  if (c === 45) { neg = true; c = text.charCodeAt(++p); } else if (c === 43) c = text.charCodeAt(++p);
  let m = 0;
  let sig = 0;
  let digits = 0;
  let scale = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    if (m !== 0) sig++;
    digits++;
    c = text.charCodeAt(++p);
  }
  if (c === 46) {
    c = text.charCodeAt(++p);
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      if (m !== 0) sig++;
      digits++;
      scale++;
      c = text.charCodeAt(++p);
    }
  }
  if (digits === 0) return FAIL;
  let e = 0;
  if (c === 101 || c === 69) {
    c = text.charCodeAt(++p);
    let eneg = false;
    if (c === 45) { eneg = true; c = text.charCodeAt(++p); } else if (c === 43) c = text.charCodeAt(++p);
    if (!(c >= 48 && c <= 57)) return FAIL;
    while (c >= 48 && c <= 57) {
      if (e < 10000) e = e * 10 + (c - 48);
      c = text.charCodeAt(++p);
    }
    if (eneg) e = -e;
  }
  if (p < n && c !== sep && c !== LF && c !== CR) return FAIL;
  scanEnd = p;
  if (sig > 15) { scanPlain = true; return FAIL; }
  const e10 = e - scale;
  let v: number;
  if (m === 0) v = 0;
  else if (e10 === 0) v = m;
  else if (e10 < 0 && e10 >= -22) v = m / POW10[-e10];
  else if (e10 > 0 && e10 <= 22) v = m * POW10[e10];
  else { scanPlain = true; return FAIL; }
  return neg ? -v : v;
}

/** Optional sign and up to 15 digits (larger magnitudes go to the exact slow path). */
function scanInteger(text: string, p: number, n: number, sep: number): number {
  const FAIL = NaN;
  let c = text.charCodeAt(p);
  let neg = false;
  if (c === 45) { neg = true; c = text.charCodeAt(++p); } else if (c === 43) c = text.charCodeAt(++p);
  let m = 0;
  let digits = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    digits++;
    c = text.charCodeAt(++p);
  }
  if (digits === 0 || digits > 15) return FAIL;
  if (p < n && c !== sep && c !== LF && c !== CR) return FAIL;
  scanEnd = p;
  return neg ? 0 - m : m;
}

// ---------------------------------------------------------------------------------------------
// The parser.

const K_INT = 0;
const K_LONG = 1;
const K_DOUBLE = 2;
const K_BOOLEAN = 3;
const K_STRING = 4;
const KIND: Record<CsvFieldType, number> = { int: K_INT, long: K_LONG, double: K_DOUBLE, boolean: K_BOOLEAN, string: K_STRING };

/** Why a field could not be stored. */
const OK = 0;
const BAD = 1;
const NULL = 2;
const MALFORMED_NULL = 3;

/**
 * Parses a chunk of CSV text (a whole file, or a slice starting and ending on record boundaries)
 * into typed columns following `schema`. Malformed records (a value that does not convert, or a
 * field count different from the schema's, as Spark 3) are nulled in PERMISSIVE mode, dropped in
 * DROPMALFORMED mode and raise an error naming source, line and column in FAILFAST mode. A null in
 * a non-nullable column is an error in every mode.
 */
export function parseCsv(text: string, schema: CsvField[], options: CsvOptions, ctx: CsvParseContext): CsvChunk {
  const syn = csvSyntax(options);
  const n = text.length;
  const ncol = schema.length;
  const sep = syn.sep;
  const quote = syn.quote;
  const nullValue = options.nullValue;
  const mode = options.mode;
  const fast = fastPathAllowed(options);
  const kinds = Int8Array.from(schema, (f) => KIND[f.type]);
  const nullable = Uint8Array.from(schema, (f) => (f.nullable ? 1 : 0));

  const cur: CsvCursor = { pos: 0, line: ctx.firstLine ?? 1 };
  if (ctx.skipHeader) {
    skipBlankAndCommentLines(text, cur, syn);
    if (cur.pos < n) readRecord(text, cur, syn, []);
  }

  let cap = estimateRecords(text, cur.pos);
  const i32: Int32Array[] = [];
  const f64: Float64Array[] = [];
  const u8: Uint8Array[] = [];
  const str: (string | null)[][] = [];
  const valid: Uint8Array[] = [];
  for (let j = 0; j < ncol; j++) {
    const k = kinds[j];
    i32.push(k === K_INT ? new Int32Array(cap) : EMPTY_I32);
    f64.push(k === K_LONG || k === K_DOUBLE ? new Float64Array(cap) : EMPTY_F64);
    u8.push(k === K_BOOLEAN ? new Uint8Array(cap) : EMPTY_U8);
    str.push(k === K_STRING ? [] : EMPTY_STR);
    valid.push(k === K_STRING ? EMPTY_U8 : new Uint8Array(cap));
  }

  let row = 0;
  let malformed = 0;
  const fail = (line: number, col: number, why: string): never => {
    const where = col < ncol ? `column '${schema[col].name}'` : `column ${col + 1}`;
    throw new Error(`Malformed CSV record in ${ctx.source} at line ${line}, ${where}: ${why}`);
  };
  const nullError = (line: number, col: number, why: string): never => {
    throw new Error(`Null value in non-nullable column '${schema[col].name}' at line ${line} of ${ctx.source}${why}`);
  };

  for (;;) {
    // Most records start with a visible character: only then skip the blank/comment line check.
    const first = cur.pos < n ? text.charCodeAt(cur.pos) : -1;
    if (first <= SPACE || first === syn.comment) {
      skipBlankAndCommentLines(text, cur, syn);
      if (cur.pos >= n) break;
    }
    if (row === cap) {
      cap = cap * 2;
      for (let j = 0; j < ncol; j++) {
        const k = kinds[j];
        if (k === K_INT) i32[j] = grow(i32[j], cap);
        else if (k === K_LONG || k === K_DOUBLE) f64[j] = grow(f64[j], cap);
        else if (k === K_BOOLEAN) u8[j] = grow(u8[j], cap);
        if (k !== K_STRING) valid[j] = grow(valid[j], cap);
      }
    }
    const recordLine = cur.line;
    let bad = false;
    let col = 0;
    for (;; col++) {
      const p = cur.pos;
      if (col >= ncol) {
        readField(text, cur, syn); // extra tokens are dropped; the record is malformed
      } else {
        const k = kinds[col];
        const c = p < n ? text.charCodeAt(p) : -1;
        let status = OK;
        let end = -1;
        if (c === sep || c === LF || c === CR || c < 0) {
          status = NULL; // empty unquoted field
        } else if (fast && c !== quote && k <= K_DOUBLE) {
          const v = k === K_DOUBLE ? scanDouble(text, p, n, sep) : scanInteger(text, p, n, sep);
          if (v === v) { // not NaN: parsed in place
            if (k === K_DOUBLE) { f64[col][row] = v; valid[col][row] = 1; end = scanEnd; }
            else if (k === K_INT) {
              if (v >= -2147483648 && v <= 2147483647) { i32[col][row] = v; valid[col][row] = 1; end = scanEnd; }
            } else { f64[col][row] = v; valid[col][row] = 1; end = scanEnd; }
            if (end >= 0) cur.pos = end;
          } else if (scanPlain) {
            scanPlain = false;
            end = scanEnd;
            f64[col][row] = Number(text.slice(p, end)); // k === K_DOUBLE: only scanDouble sets scanPlain
            valid[col][row] = 1;
            cur.pos = end;
          }
        }
        if (end < 0 && status === OK) {
          const line = cur.line;
          const s = readField(text, cur, syn);
          if (s === null || s === nullValue) {
            status = NULL;
          } else {
            status = store(s, k, col, row, options, i32, f64, u8, str, valid);
            if (status === BAD) {
              if (mode === 'FAILFAST') fail(line, col, `cannot convert ${JSON.stringify(s)} to ${schema[col].type}`);
              if (!nullable[col] && mode === 'PERMISSIVE') {
                nullError(line, col, ` (malformed value ${JSON.stringify(s)})`);
              }
              bad = true;
              status = MALFORMED_NULL;
            }
          }
        }
        if (status === NULL && !nullable[col]) nullError(cur.line, col, '');
        if (status !== OK) { // PERMISSIVE nulls a malformed field (DROPMALFORMED drops the row anyway)
          if (k === K_STRING) str[col][row] = null;
          else valid[col][row] = 0;
        }
      }
      if (cur.pos < n && text.charCodeAt(cur.pos) === sep) { cur.pos++; continue; }
      col++;
      break;
    }
    skipLineEnd(text, cur);
    if (col !== ncol && ncol > 0) {
      if (mode === 'FAILFAST') {
        fail(recordLine, Math.min(col, ncol), `the record has ${col} fields, the schema has ${ncol} columns`);
      }
      for (let j = col; j < ncol; j++) {
        if (!nullable[j] && mode === 'PERMISSIVE') nullError(recordLine, j, ' (missing field)');
        if (kinds[j] === K_STRING) str[j][row] = null;
        else valid[j][row] = 0;
      }
      bad = true;
    }
    if (bad) {
      malformed++;
      if (mode === 'DROPMALFORMED') continue;
    }
    row++;
  }

  const columns: CsvColumn[] = schema.map((f, j): CsvColumn => {
    switch (kinds[j]) {
      case K_INT: return { type: 'int', values: fit(i32[j], row), valid: fit(valid[j], row) };
      case K_LONG:
      case K_DOUBLE: return { type: f.type as 'long' | 'double', values: fit(f64[j], row), valid: fit(valid[j], row) };
      case K_BOOLEAN: return { type: 'boolean', values: fit(u8[j], row), valid: fit(valid[j], row) };
      default: {
        const values = str[j];
        values.length = row;
        return { type: 'string', values };
      }
    }
  });
  return { numRows: row, columns, malformedRows: malformed };
}

/** The slow, exact conversion of a non-null field's text. */
function store(
  s: string, k: number, col: number, row: number, o: CsvOptions,
  i32: Int32Array[], f64: Float64Array[], u8: Uint8Array[], str: (string | null)[][], valid: Uint8Array[],
): number {
  switch (k) {
    case K_STRING:
      str[col][row] = s;
      return OK;
    case K_INT: {
      const v = parseJavaInt(s);
      if (v === undefined) return BAD;
      i32[col][row] = v;
      break;
    }
    case K_LONG: {
      const v = parseJavaLong(s);
      if (v === undefined) return BAD;
      f64[col][row] = v;
      break;
    }
    case K_DOUBLE: {
      const v = parseSparkDouble(s, o);
      if (v === undefined) return BAD;
      f64[col][row] = v;
      break;
    }
    default: {
      const v = parseJavaBoolean(s);
      if (v === undefined) return BAD;
      u8[col][row] = v ? 1 : 0;
    }
  }
  valid[col][row] = 1;
  return OK;
}

/**
 * The in-place scanners skip the nullValue/NaN/Inf checks and whitespace handling, so they are
 * used only when no such spelling could look like a plain number and fields are not trimmed.
 */
function fastPathAllowed(o: CsvOptions): boolean {
  if (o.ignoreLeadingWhiteSpace || o.ignoreTrailingWhiteSpace) return false;
  return [o.nullValue, o.nanValue, o.positiveInf, o.negativeInf].every((s) => !PLAIN_NUMBER.test(s));
}

/** What the in-place scanners accept. */
const PLAIN_NUMBER = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

const EMPTY_I32 = new Int32Array(0);
const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_STR: (string | null)[] = [];

/** Upper bound on the records left (one per line), so typed arrays rarely need to grow. */
function estimateRecords(text: string, from: number): number {
  let breaks = 0;
  for (let p = text.indexOf('\n', from); p >= 0; p = text.indexOf('\n', p + 1)) breaks++;
  if (breaks === 0) for (let p = text.indexOf('\r', from); p >= 0; p = text.indexOf('\r', p + 1)) breaks++;
  const last = text.length > from ? text.charCodeAt(text.length - 1) : LF;
  return Math.max(1, last === LF || last === CR ? breaks : breaks + 1);
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

/** Trims to `len` (copying only when the estimate overshot, so no oversized buffer escapes). */
function fit<T extends Int32Array | Float64Array | Uint8Array>(a: T, len: number): T {
  return a.length === len ? a : (a.slice(0, len) as T);
}

// ---------------------------------------------------------------------------------------------
// Chunking.

export interface CsvChunkRange { start: number; end: number; firstLine: number }

/**
 * Cuts the text into pieces of about `targetChars` that start and end on record boundaries.
 * Without multiLine every line break ends a record (as Spark), so cuts go after a line break;
 * with multiLine the records are tokenized to respect quoted line breaks.
 */
export function splitCsvChunkRanges(text: string, targetChars: number, options: CsvOptions): CsvChunkRange[] {
  const n = text.length;
  const target = Math.max(1, Math.floor(targetChars));
  const ranges: CsvChunkRange[] = [];
  let start = 0;
  let line = 1;
  if (!options.multiLine) {
    while (start < n) {
      let cut = start + target >= n ? n : lineBreakAfter(text, start + target - 1);
      if (cut < 0) cut = n;
      ranges.push({ start, end: cut, firstLine: line });
      line += countLines(text, start, cut);
      start = cut;
    }
    return ranges;
  }
  const syn = csvSyntax(options);
  const cur: CsvCursor = { pos: 0, line: 1 };
  const scratch: (string | null)[] = [];
  while (cur.pos < n) {
    const limit = start + target;
    while (cur.pos < n && cur.pos < limit) {
      skipBlankAndCommentLines(text, cur, syn);
      if (cur.pos < n) readRecord(text, cur, syn, scratch);
    }
    ranges.push({ start, end: cur.pos, firstLine: line });
    start = cur.pos;
    line = cur.line;
  }
  return ranges;
}

/** splitCsvChunks as strings; see splitCsvChunkRanges (which also gives each chunk's first line). */
export function splitCsvChunks(text: string, targetChars: number, options: CsvOptions): string[] {
  return splitCsvChunkRanges(text, targetChars, options).map((r) => text.slice(r.start, r.end));
}

/** Offset just after the first line break at or after `from`, or -1. */
function lineBreakAfter(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (cr >= 0 && (lf < 0 || cr < lf)) return cr + 1 < text.length && text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
  return lf < 0 ? -1 : lf + 1;
}

function countLines(text: string, start: number, end: number): number {
  let lines = 0;
  for (let p = start; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c === LF) lines++;
    else if (c === CR && (p + 1 >= end || text.charCodeAt(p + 1) !== LF)) lines++;
  }
  return lines;
}
