// Rows -> CSV text with Spark's writer semantics (univocity CsvWriter as Spark configures it):
// whitespace trimmed by default, fields quoted only when needed, quotes escaped with the escape
// character, null -> nullValue, empty string -> "", numbers printed as Java prints them.
import { formatDouble } from '../../linalg/format.js';
import { charCodeOption, type CsvFieldType, type CsvOptions } from './csv-options.js';

export interface CsvWriteOptions extends Partial<CsvOptions> {
  header?: boolean;
  /** Quote every field (Spark's quoteAll). */
  quoteAll?: boolean;
  /** Quote fields containing the quote character (Spark's escapeQuotes, default true). */
  escapeQuotes?: boolean;
  /**
   * Column types, for number formatting: 'int'/'long' print integers ('1'), 'double' prints as
   * Java's Double.toString ('1.0', '1.0E10'). Without it every JS number prints as a double.
   */
  types?: CsvFieldType[];
}

const LF = 10;
const CR = 13;
const SPACE = 32;

/**
 * Formats rows as CSV; every line, the header's too, ends with '\n'. Spark's write defaults apply:
 * ignoreLeadingWhiteSpace/ignoreTrailingWhiteSpace are true. Unlike Spark, a line that a reader would
 * skip (blank, or starting with the comment character) gets its first field quoted, so it survives.
 */
export function formatCsv(columnNames: string[], rows: Iterable<unknown[]>, options: CsvWriteOptions = {}): string {
  const w = writerOf(options);
  const types = options.types;
  let out = '';
  if (options.header) out += formatLine(w, columnNames) + '\n';
  const texts: (string | null)[] = new Array(columnNames.length);
  for (const row of rows) {
    if (row.length !== columnNames.length) {
      throw new Error(`formatCsv: a row has ${row.length} values for ${columnNames.length} columns`);
    }
    for (let i = 0; i < row.length; i++) texts[i] = valueText(row[i], types?.[i], columnNames[i]);
    out += formatLine(w, texts) + '\n';
  }
  return out;
}

interface Writer {
  sep: string; sepCode: number;
  quote: string; quoteCode: number;
  escape: string; escapeCode: number;
  /** Escape for the escape character inside quotes (Spark's charToEscapeQuoteEscaping default). */
  escapeEscape: string;
  comment: number;
  nullValue: string; emptyValue: string;
  trimLeading: boolean; trimTrailing: boolean;
  quoteAll: boolean; escapeQuotes: boolean;
}

function writerOf(o: CsvWriteOptions): Writer {
  const sep = o.sep ?? ',';
  if (sep.length !== 1) throw new Error(`formatCsv: sep must be one character, got ${JSON.stringify(sep)}`);
  const quoteCode = charCodeOption(o.quote ?? '"');
  const escapeCode = charCodeOption(o.escape ?? '\\');
  const quote = quoteCode < 0 ? '' : String.fromCharCode(quoteCode);
  const escape = escapeCode < 0 ? quote : String.fromCharCode(escapeCode);
  return {
    sep, sepCode: sep.charCodeAt(0),
    quote, quoteCode,
    escape, escapeCode,
    escapeEscape: escapeCode >= 0 && escapeCode !== quoteCode ? escape : '',
    comment: charCodeOption(o.comment ?? ''),
    nullValue: o.nullValue ?? '',
    emptyValue: o.emptyValue ?? quote + quote,
    trimLeading: o.ignoreLeadingWhiteSpace ?? true,
    trimTrailing: o.ignoreTrailingWhiteSpace ?? true,
    quoteAll: o.quoteAll ?? false,
    escapeQuotes: o.escapeQuotes ?? true,
  };
}

function formatLine(w: Writer, texts: (string | null)[]): string {
  let line = '';
  for (let i = 0; i < texts.length; i++) {
    if (i > 0) line += w.sep;
    line += formatField(w, texts[i], false);
  }
  if (w.quoteCode >= 0 && texts.length > 0 && wouldBeSkipped(w, line)) {
    const first = formatField(w, texts[0], true);
    line = texts.length === 1 ? first : first + line.slice(formatField(w, texts[0], false).length);
  }
  return line;
}

/** A reader skips blank lines and comment lines. */
function wouldBeSkipped(w: Writer, line: string): boolean {
  if (line.length > 0 && line.charCodeAt(0) === w.comment) return true;
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) > SPACE) return false;
  return true;
}

function formatField(w: Writer, text: string | null, forceQuote: boolean): string {
  const quoteIt = (w.quoteAll || forceQuote) && w.quoteCode >= 0;
  if (text === null) return quoteIt ? w.quote + w.nullValue + w.quote : w.nullValue;
  let a = 0;
  let b = text.length;
  if (w.trimLeading) while (a < b && text.charCodeAt(a) <= SPACE) a++;
  if (w.trimTrailing) while (b > a && text.charCodeAt(b - 1) <= SPACE) b--;
  if (a === b) return w.emptyValue;
  const v = a === 0 && b === text.length ? text : text.slice(a, b);
  if (w.quoteCode < 0) return v;
  if (!quoteIt && !needsQuotes(w, v)) return v;
  return w.quote + escapeQuoted(w, v) + w.quote;
}

function needsQuotes(w: Writer, v: string): boolean {
  if (v.charCodeAt(0) === w.quoteCode) return true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === w.sepCode || c === LF || c === CR || (c === w.quoteCode && w.escapeQuotes)) return true;
  }
  return false;
}

/** Inside quotes: quote -> escape+quote, escape -> escapeEscape+escape (what the reader undoes). */
function escapeQuoted(w: Writer, v: string): string {
  let out = '';
  let seg = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === w.quoteCode) {
      out += v.slice(seg, i) + w.escape;
      seg = i;
    } else if (c === w.escapeCode && w.escapeEscape !== '') {
      out += v.slice(seg, i) + w.escapeEscape;
      seg = i;
    }
  }
  return out + v.slice(seg);
}

/** The text Spark writes for a value (row.get(i).toString), null for null. */
function valueText(v: unknown, type: CsvFieldType | undefined, column: string): string | null {
  switch (typeof v) {
    case 'string': return v;
    case 'number':
      return type === 'int' || type === 'long' ? integerText(v) : formatJavaDouble(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return v.toString();
    case 'undefined': return null;
    case 'object': if (v === null) return null;
  }
  throw new Error(`formatCsv: column '${column}' has a value of unsupported type ${describe(v)}`);
}

function describe(v: unknown): string {
  return typeof v === 'object' && v !== null ? (v.constructor?.name ?? 'object') : typeof v;
}

function integerText(v: number): string {
  if (!Number.isInteger(v)) return formatJavaDouble(v);
  return Math.abs(v) < 1e21 ? String(v) : BigInt(v).toString();
}

/** Java's Double.toString, as Spark writes doubles (see linalg/format.ts). */
export const formatJavaDouble = formatDouble;
