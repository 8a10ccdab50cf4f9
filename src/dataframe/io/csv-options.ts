// CSV reader/writer options with Spark's names, defaults and string forms (CSVOptions.scala).
// Option keys are case-insensitive, as in Spark; unknown keys are ignored, as in Spark.

export type CsvFieldType = 'int' | 'long' | 'double' | 'boolean' | 'string';
export interface CsvField { name: string; type: CsvFieldType; nullable: boolean }

export type CsvMode = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';

export interface CsvOptions {
  header: boolean;
  inferSchema: boolean;
  /** One character. */
  sep: string;
  /** One character; '' or '\u0000' disables quoting. */
  quote: string;
  /** One character; '' or '\u0000' disables escaping. */
  escape: string;
  /** A field equal to it is null. */
  nullValue: string;
  nanValue: string;
  positiveInf: string;
  negativeInf: string;
  mode: CsvMode;
  /** '' = none. A line starting with this character is skipped. */
  comment: string;
  ignoreLeadingWhiteSpace: boolean;
  ignoreTrailingWhiteSpace: boolean;
  encoding: 'utf-8';
  /** When false, a newline always ends a record, even inside quotes. */
  multiLine: boolean;
  samplingRatio: number;
  /** Spark's `emptyValue`: what a quoted empty field `""` reads as (default ''). */
  emptyValue?: string;
}

export const DEFAULT_CSV_OPTIONS: Readonly<CsvOptions> = Object.freeze({
  header: false,
  inferSchema: false,
  sep: ',',
  quote: '"',
  escape: '\\',
  nullValue: '',
  nanValue: 'NaN',
  positiveInf: 'Inf',
  negativeInf: '-Inf',
  mode: 'PERMISSIVE',
  comment: '',
  ignoreLeadingWhiteSpace: false,
  ignoreTrailingWhiteSpace: false,
  encoding: 'utf-8',
  multiLine: false,
  samplingRatio: 1.0,
});

type Raw = string | number | boolean;

/** Options Spark knows but this reader does not implement: refuse them rather than misread data. */
const UNSUPPORTED = new Set(['linesep', 'chartoescapequoteescaping', 'unescapedquotehandling']);

/**
 * Spark's option map (string forms such as 'true', '\t') to validated options.
 * Errors name the option and the offending value.
 */
export function resolveCsvOptions(raw: Record<string, Raw>): CsvOptions {
  const opts: CsvOptions = { ...DEFAULT_CSV_OPTIONS };
  const lower = new Map<string, { key: string; value: Raw }>();
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    lower.set(key.toLowerCase(), { key, value });
  }
  for (const [k, { key, value }] of lower) {
    if (UNSUPPORTED.has(k)) throw optionError(key, value, 'is not supported by this CSV reader');
  }
  const get = (name: string) => lower.get(name.toLowerCase());

  for (const name of ['header', 'inferSchema', 'ignoreLeadingWhiteSpace', 'ignoreTrailingWhiteSpace', 'multiLine'] as const) {
    const e = get(name);
    if (e) opts[name] = toBool(e.key, e.value);
  }
  const sep = get('sep') ?? get('delimiter');
  if (sep) opts.sep = toDelimiter(sep.key, String(sep.value));
  const quote = get('quote');
  if (quote) opts.quote = toChar(quote.key, String(quote.value));
  const escape = get('escape');
  if (escape) opts.escape = toChar(escape.key, String(escape.value));
  const comment = get('comment');
  if (comment) {
    const c = toChar(comment.key, String(comment.value));
    opts.comment = c === '\u0000' ? '' : c;
  }
  for (const name of ['nullValue', 'nanValue', 'positiveInf', 'negativeInf', 'emptyValue'] as const) {
    const e = get(name);
    if (e) opts[name] = String(e.value);
  }
  const mode = get('mode');
  if (mode) {
    const m = String(mode.value).toUpperCase();
    if (m !== 'PERMISSIVE' && m !== 'DROPMALFORMED' && m !== 'FAILFAST') {
      throw optionError(mode.key, mode.value, 'must be PERMISSIVE, DROPMALFORMED or FAILFAST');
    }
    opts.mode = m;
  }
  const enc = get('encoding') ?? get('charset');
  if (enc) {
    const v = String(enc.value).toLowerCase();
    if (v !== 'utf-8' && v !== 'utf8') throw optionError(enc.key, enc.value, "is not supported (only 'utf-8')");
  }
  const ratio = get('samplingRatio');
  if (ratio) {
    const r = typeof ratio.value === 'number' ? ratio.value : Number(String(ratio.value).trim());
    if (typeof ratio.value === 'boolean' || !(r > 0 && r <= 1)) {
      throw optionError(ratio.key, ratio.value, 'must be a number in (0, 1]');
    }
    opts.samplingRatio = r;
  }

  if (opts.quote !== '\u0000' && opts.sep === opts.quote) {
    throw optionError('sep', opts.sep, `must differ from the quote character`);
  }
  return opts;
}

function optionError(key: string, value: Raw, why: string): Error {
  return new Error(`Invalid CSV option ${key}=${JSON.stringify(value)}: ${why}`);
}

function toBool(key: string, value: Raw): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw optionError(key, value, "must be 'true' or 'false'");
}

/** Spark's getChar: '' disables (NUL), otherwise exactly one character. */
function toChar(key: string, value: string): string {
  if (value.length === 0) return '\u0000';
  if (value.length === 1) return value;
  throw optionError(key, value, 'must be a single character');
}

/** Spark's CSVExprUtils.toChar: one character or a backslash escape such as '\t'. */
function toDelimiter(key: string, value: string): string {
  const escapes: Record<string, string> = {
    '\\t': '\t', '\\b': '\b', '\\f': '\f', '\\"': '"', "\\'": "'", '\\\\': '\\',
  };
  let c: string;
  if (value.length === 0) throw optionError(key, value, 'cannot be empty');
  else if (value === '\\') throw optionError(key, value, 'a single backslash is not allowed; use "\\\\"');
  else if (value.length === 1) c = value;
  else if (escapes[value] !== undefined) c = escapes[value];
  else throw optionError(key, value, 'must be a single character (or an escape such as \\t)');
  if (c === '\n' || c === '\r') throw optionError(key, value, 'cannot be a line break');
  return c;
}

/** The single-character code of an option, or -1 when the option is disabled ('' or NUL). */
export function charCodeOption(c: string): number {
  return c.length === 0 || c === '\u0000' ? -1 : c.charCodeAt(0);
}
