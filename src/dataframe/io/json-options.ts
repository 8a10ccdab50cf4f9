// JSON source options with Spark's names and defaults (JSONOptions.scala). Keys are case-insensitive
// and unknown keys are ignored, as in Spark; options this reader cannot honour are refused.
import { SourceOptions, type OptionValue } from './options.js';

export type JsonMode = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';

/** What the lexer accepts beyond strict JSON (Jackson's features as Spark sets them). */
export interface JsonSyntax {
  allowComments: boolean;
  /** Default true in Spark: 'a' is a string. */
  allowSingleQuotes: boolean;
  allowUnquotedFieldNames: boolean;
  allowNumericLeadingZeros: boolean;
  /** Default true in Spark: NaN, Infinity, +Infinity, -Infinity, +INF, -INF as numbers. */
  allowNonNumericNumbers: boolean;
  allowBackslashEscapingAnyCharacter: boolean;
  allowUnquotedControlChars: boolean;
}

export interface JsonOptions extends JsonSyntax {
  mode: JsonMode;
  /** A string column of this name receives the text of malformed records (PERMISSIVE). */
  columnNameOfCorruptRecord: string;
  /** Inference: every number and boolean becomes a string column. */
  primitivesAsString: boolean;
  /** Inference: columns with only nulls (and objects with no other fields) are left out. */
  dropFieldIfAllNull: boolean;
  samplingRatio: number;
  /** Each file is one JSON value (an object, or an array of objects) instead of one per line. */
  multiLine: boolean;
}

export const DEFAULT_JSON_OPTIONS: Readonly<JsonOptions> = Object.freeze({
  allowComments: false,
  allowSingleQuotes: true,
  allowUnquotedFieldNames: false,
  allowNumericLeadingZeros: false,
  allowNonNumericNumbers: true,
  allowBackslashEscapingAnyCharacter: false,
  allowUnquotedControlChars: false,
  mode: 'PERMISSIVE',
  columnNameOfCorruptRecord: '_corrupt_record',
  primitivesAsString: false,
  dropFieldIfAllNull: false,
  samplingRatio: 1,
  multiLine: false,
});

const BOOLEANS = [
  'allowComments', 'allowSingleQuotes', 'allowUnquotedFieldNames', 'allowNumericLeadingZeros', 'allowNonNumericNumbers',
  'allowBackslashEscapingAnyCharacter', 'allowUnquotedControlChars', 'primitivesAsString', 'dropFieldIfAllNull', 'multiLine',
] as const;

/** Spark's option map to validated reader options; errors name the option and the value. */
export function resolveJsonOptions(opts: SourceOptions, conf?: { get(key: string): OptionValue | undefined }): JsonOptions {
  const out: JsonOptions = { ...DEFAULT_JSON_OPTIONS };
  for (const name of BOOLEANS) {
    if (opts.has(name)) out[name] = bool(opts, name);
  }
  if (opts.has('mode')) {
    const m = String(opts.get('mode')).toUpperCase();
    if (m !== 'PERMISSIVE' && m !== 'DROPMALFORMED' && m !== 'FAILFAST') throw optionError('mode', opts.get('mode')!, 'must be PERMISSIVE, DROPMALFORMED or FAILFAST');
    out.mode = m;
  }
  const corrupt = opts.get('columnNameOfCorruptRecord') ?? conf?.get('spark.sql.columnNameOfCorruptRecord');
  if (corrupt !== undefined) out.columnNameOfCorruptRecord = String(corrupt);
  if (opts.has('samplingRatio')) {
    const v = opts.get('samplingRatio')!;
    const r = typeof v === 'number' ? v : Number(String(v).trim());
    if (typeof v === 'boolean' || !(r > 0 && r <= 1)) throw optionError('samplingRatio', v, 'must be a number in (0, 1]');
    out.samplingRatio = r;
  }
  const enc = opts.get('encoding') ?? opts.get('charset');
  if (enc !== undefined && !['utf-8', 'utf8'].includes(String(enc).toLowerCase())) throw optionError('encoding', enc, "is not supported (only 'utf-8')");
  const sep = opts.get('lineSep');
  if (sep !== undefined && !['\n', '\r\n', '\r'].includes(String(sep))) throw optionError('lineSep', sep, 'is not supported (lines end at \\n, \\r\\n or \\r)');
  return out;
}

/** The writer's options: Spark's ignoreNullFields (default true, spark.sql.jsonGenerator.ignoreNullFields). */
export function jsonWriteOptions(opts: SourceOptions, conf?: { get(key: string): OptionValue | undefined }): { ignoreNullFields: boolean } {
  const c = conf?.get('spark.sql.jsonGenerator.ignoreNullFields');
  const fallback = c === undefined ? true : String(c).toLowerCase() !== 'false';
  const compression = String(opts.get('compression') ?? opts.get('codec') ?? 'none').toLowerCase();
  if (compression !== 'none' && compression !== 'uncompressed') {
    throw new Error(`JSON compression '${compression}' is not supported; write uncompressed JSON (compression=none)`);
  }
  const sep = opts.get('lineSep');
  if (sep !== undefined && String(sep) !== '\n') throw optionError('lineSep', sep, 'is not supported by the writer (lines end at \\n)');
  return { ignoreNullFields: opts.has('ignoreNullFields') ? bool(opts, 'ignoreNullFields') : fallback };
}

function bool(opts: SourceOptions, name: string): boolean {
  try {
    return opts.bool(name, false);
  } catch {
    throw optionError(name, opts.get(name)!, "must be 'true' or 'false'");
  }
}

function optionError(key: string, value: OptionValue, why: string): Error {
  return new Error(`Invalid JSON option ${key}=${JSON.stringify(value)}: ${why}`);
}
