// Column names (header) and schema inference with Spark's rules (CSVInferSchema.scala):
// each non-null value is tried as int -> long -> double -> boolean -> string, starting from the
// type the column has so far; types widen int < long < double, and mixing numbers with booleans
// (or anything else) gives string. Nulls don't vote; an all-null column is string.
import type { CsvField, CsvFieldType, CsvOptions } from './csv-options.js';
import {
  csvSyntax, parseJavaBoolean, parseJavaDouble, parseJavaInt, parseJavaLong, readRecord,
  skipBlankAndCommentLines, type CsvCursor,
} from './csv-parse.js';
import { bernoulli } from '../../linalg/random.js';

/**
 * Column names from the first record (after blank and comment lines): the header's values made
 * safe as Spark's makeSafeHeader does (empty or null names become _c<i>; names duplicated, ignoring
 * case, get their index appended), or _c0, _c1... when header=false.
 */
export function readCsvHeader(text: string, options: CsvOptions): string[] {
  const syn = csvSyntax(options);
  const cur: CsvCursor = { pos: 0, line: 1 };
  skipBlankAndCommentLines(text, cur, syn);
  if (cur.pos >= text.length) return [];
  const tokens: (string | null)[] = [];
  const count = readRecord(text, cur, syn, tokens);
  tokens.length = count;
  if (!options.header) return tokens.map((_, i) => `_c${i}`);
  return safeHeader(tokens, options.nullValue);
}

/**
 * Spark's CSVUtils.makeSafeHeader with spark.sql.caseSensitive=false (the default), made to give
 * unique names for every header. Spark's rule alone can collide (the header `A,A,A1` becomes
 * `A0,A1,A1`; an empty name at index 2 becomes `_c2` beside a literal `_c2`), which Spark lets
 * through and fails on later as an ambiguous column. Quiver keeps Spark's name wherever it is
 * unique and gives a generated name that collides a `_<k>` suffix (smallest k that is free).
 */
export function safeHeader(tokens: (string | null)[], nullValue: string): string[] {
  const seen = new Map<string, number>();
  for (const t of tokens) if (t !== null) seen.set(t.toLowerCase(), (seen.get(t.toLowerCase()) ?? 0) + 1);
  const generated: boolean[] = [];
  const names = tokens.map((t, i) => {
    const isNull = t === null || t === '' || t === nullValue;
    generated[i] = isNull || (seen.get(t.toLowerCase()) ?? 0) > 1;
    if (isNull) return `_c${i}`;
    return generated[i] ? `${t}${i}` : t;
  });
  // Literal names are unique (duplicates were all renamed), so they keep their spelling first.
  const used = new Set(names.filter((_, i) => !generated[i]).map((n) => n.toLowerCase()));
  return names.map((name, i) => {
    if (!generated[i]) return name;
    let unique = name;
    for (let k = 1; used.has(unique.toLowerCase()); k++) unique = `${name}_${k}`;
    used.add(unique.toLowerCase());
    return unique;
  });
}

/** What a column's values have shown so far; null = only nulls seen. */
export type InferredType = CsvFieldType | null;

/**
 * Infers the schema of a CSV text: names from readCsvHeader, types from the values (all string
 * when options.inferSchema is false, as Spark). Inferred fields are nullable, as Spark's.
 */
export function inferCsvSchema(text: string, options: CsvOptions, ctx: { source: string }): CsvField[] {
  void ctx; // inference never fails on data; the source is kept for symmetry with parseCsv
  const names = readCsvHeader(text, options);
  const types: InferredType[] = options.inferSchema
    ? inferCsvTypes(text, options, { skipHeader: options.header, numColumns: names.length })
    : names.map(() => 'string');
  return names.map((name, i) => ({ name, type: types[i] ?? 'string', nullable: true }));
}

/**
 * The types seen in one chunk of text (null for columns with only nulls), to be merged across
 * chunks with mergeInferredTypes. `typesSoFar` continues from an earlier chunk's result.
 * With samplingRatio < 1 a seeded Bernoulli sample of the records votes, as Spark's sample(seed=1).
 */
export function inferCsvTypes(
  text: string, options: CsvOptions,
  ctx: { skipHeader: boolean; numColumns: number; typesSoFar?: InferredType[] },
): InferredType[] {
  const syn = csvSyntax(options);
  const ncol = ctx.numColumns;
  const levels = Int8Array.from({ length: ncol }, (_, i) => levelOf(ctx.typesSoFar?.[i] ?? null));
  const cur: CsvCursor = { pos: 0, line: 1 };
  const tokens: (string | null)[] = [];
  const n = text.length;
  if (ctx.skipHeader) {
    skipBlankAndCommentLines(text, cur, syn);
    if (cur.pos < n) readRecord(text, cur, syn, tokens);
  }
  const sample = options.samplingRatio < 1 ? bernoulli(options.samplingRatio, 1) : null;
  for (;;) {
    skipBlankAndCommentLines(text, cur, syn);
    if (cur.pos >= n) break;
    const count = readRecord(text, cur, syn, tokens);
    if (sample && !sample()) continue;
    const m = Math.min(count, ncol);
    for (let i = 0; i < m; i++) {
      const s = tokens[i];
      const level = levels[i];
      // An empty field is null only when it is the nullValue; otherwise no number parses from it, so it votes string.
      if (s === null || s === options.nullValue || level === L_STRING) continue;
      levels[i] = join(level, classify(s, level, options));
    }
  }
  return Array.from(levels, (l) => TYPE_OF_LEVEL[l]);
}

/** Widens two inferred types as Spark's compatibleType (numeric with non-numeric -> string). */
export function mergeInferredTypes(a: InferredType[], b: InferredType[]): InferredType[] {
  const len = Math.max(a.length, b.length);
  return Array.from({ length: len }, (_, i) => TYPE_OF_LEVEL[join(levelOf(a[i] ?? null), levelOf(b[i] ?? null))]);
}

// Levels of the lattice; int < long < double are numeric, boolean stands apart.
const L_NULL = 0;
const L_INT = 1;
const L_LONG = 2;
const L_DOUBLE = 3;
const L_BOOLEAN = 4;
const L_STRING = 5;
const TYPE_OF_LEVEL: InferredType[] = [null, 'int', 'long', 'double', 'boolean', 'string'];

function levelOf(t: InferredType): number {
  return t === null ? L_NULL : TYPE_OF_LEVEL.indexOf(t);
}

function join(a: number, b: number): number {
  if (a === L_NULL) return b;
  if (b === L_NULL || a === b) return a;
  if (a === L_STRING || b === L_STRING || a === L_BOOLEAN || b === L_BOOLEAN) return L_STRING;
  return Math.max(a, b);
}

/**
 * Spark's inferField for one value, starting at the column's level. Integers that a double cannot
 * hold exactly (|x| > 2^53; Spark: long or decimal) are inferred as double, since this reader's long
 * column is a Float64Array.
 */
function classify(s: string, level: number, o: CsvOptions): number {
  if (level <= L_INT && parseJavaInt(s) !== undefined) return L_INT;
  if (level <= L_LONG && parseJavaLong(s) !== undefined) return L_LONG;
  if (level <= L_DOUBLE) {
    if (parseJavaDouble(s) !== undefined) return L_DOUBLE;
    if (s === o.nanValue || s === o.positiveInf || s === o.negativeInf) return L_DOUBLE;
  }
  return parseJavaBoolean(s) !== undefined ? L_BOOLEAN : L_STRING;
}
