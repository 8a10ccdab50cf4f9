// Spark's show(): an aligned text table (or one block per row with vertical), cells truncated to 20
// characters by default. The arguments take Spark's forms: Scala's show(), show(n), show(truncate),
// show(n, truncate), show(n, truncate, vertical), and PySpark's keywords as show({ n, truncate, vertical }).
import type { Row } from './rows.js';
import { formatCell } from './format.js';
import type { StructType } from './types.js';

export interface ShowOptions {
  /** Rows to show (default 20); a negative count shows none, as Spark's. */
  n?: number;
  /** true (default) cuts cells to 20 characters, false or 0 never, a number to that many. */
  truncate?: boolean | number;
  /** One block of `name | value` lines per row, as Spark's vertical mode. */
  vertical?: boolean;
}

export interface ShowSettings { numRows: number; truncate: number; vertical: boolean }

const SHOW_KEYS = ['n', 'truncate', 'vertical'];
const FORMS = 'show(), show(n), show(truncate: boolean), show(n, truncate), show(n, truncate, vertical) or show({ n, truncate, vertical })';

function bad(what: string): Error {
  return new Error(`show: ${what}; expected ${FORMS}`);
}

function checkRows(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n)) throw bad(`the number of rows must be an integer, got ${describeArg(n)}`);
  return Math.max(0, n); // Spark: _numRows.max(0)
}

function checkTruncate(t: unknown): number {
  if (t === true) return 20;
  if (t === false) return 0;
  if (typeof t === 'number' && Number.isInteger(t)) return t;
  throw bad(`truncate must be a boolean or an integer width, got ${describeArg(t)}`);
}

function checkVertical(v: unknown): boolean {
  if (typeof v !== 'boolean') throw bad(`vertical must be a boolean, got ${describeArg(v)}`);
  return v;
}

function describeArg(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** Resolves show()'s arguments to settings, or throws naming the argument that fits no form. */
export function showSettings(args: readonly unknown[]): ShowSettings {
  const [a, b, c] = args;
  if (args.length > 3) throw bad(`got ${args.length} arguments`);
  if (a !== null && typeof a === 'object') {
    if (args.length > 1) throw bad('an options object must be the only argument');
    const o = a as Record<string, unknown>;
    const unknown = Object.keys(o).find((k) => !SHOW_KEYS.includes(k));
    if (unknown !== undefined) throw bad(`unknown option '${unknown}'`);
    return {
      numRows: o.n === undefined ? 20 : checkRows(o.n),
      truncate: o.truncate === undefined ? 20 : checkTruncate(o.truncate),
      vertical: o.vertical === undefined ? false : checkVertical(o.vertical),
    };
  }
  if (typeof a === 'boolean') {
    // Scala's show(truncate: Boolean): 20 rows.
    if (args.length > 1) throw bad('show(truncate) takes no further arguments; use show(n, truncate, vertical)');
    return { numRows: 20, truncate: checkTruncate(a), vertical: false };
  }
  return {
    numRows: a === undefined ? 20 : checkRows(a),
    truncate: b === undefined ? 20 : checkTruncate(b),
    vertical: c === undefined ? false : checkVertical(c),
  };
}

/** Spark's Dataset.showString over the first numRows + 1 rows (one more says whether there are more). */
export function formatShow(schema: StructType, rows: Row[], settings: ShowSettings): string {
  const { numRows, truncate, vertical } = settings;
  const cut = (s: string) => (truncate > 0 && s.length > truncate ? (truncate < 4 ? s.slice(0, truncate) : s.slice(0, truncate - 3) + '...') : s);
  const shown = rows.slice(0, numRows);
  // Spark escapes names and cells (so a newline cannot break the table) and truncates cells only.
  const header = schema.fieldNames.map(escapeMetaCharacters);
  const cells = shown.map((r) => schema.fields.map((f) => cut(escapeMetaCharacters(formatCell(r[f.name], f.type)))));
  const out = vertical ? verticalLines(header, cells) : tableLines(header, cells, truncate > 0);
  if (vertical && cells.length === 0) out.push('(0 rows)');
  else if (rows.length > numRows) out.push(`only showing top ${numRows} row${numRows === 1 ? '' : 's'}`);
  return out.join('\n') + '\n';
}

const META: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f', '\b': '\\b', '\u000B': '\\v', '\u0007': '\\a' };

/** Spark's SchemaUtils.escapeMetaCharacters. */
function escapeMetaCharacters(s: string): string {
  return s.replace(/[\n\r\t\f\b\u000B\u0007]/g, (c) => META[c]);
}

// Spark's Utils.fullWidthRegex: East Asian wide characters take two columns.
const FULL_WIDTH = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE19\uFE30-\uFE6F\uFF00-\uFF60\uFFE0-\uFFE6]/g;

/** Spark's Utils.stringHalfWidth: the columns a string takes on a terminal. */
function halfWidth(s: string): number {
  return s.length + (s.match(FULL_WIDTH)?.length ?? 0);
}

const padLeft = (s: string, w: number) => ' '.repeat(Math.max(0, w - halfWidth(s))) + s;
const padRight = (s: string, w: number, fill = ' ') => s + fill.repeat(Math.max(0, w - halfWidth(s)));

function tableLines(header: string[], cells: string[][], alignRight: boolean): string[] {
  const widths = header.map((h, c) => Math.max(3, halfWidth(h), ...cells.map((row) => halfWidth(row[c]))));
  const pad = alignRight ? padLeft : padRight;
  const sep = '+' + widths.map((w) => '-'.repeat(w)).join('+') + '+';
  const line = (vals: string[]) => '|' + vals.map((v, c) => pad(v, widths[c])).join('|') + '|';
  return [sep, line(header), sep, ...cells.map(line), sep];
}

/** Spark's extended display: `-RECORD i` rules, then ` name | value ` per column, left-aligned. */
function verticalLines(header: string[], cells: string[][]): string[] {
  const nameWidth = Math.max(3, ...header.map(halfWidth));
  const valueWidth = Math.max(3, ...cells.map((row) => Math.max(0, ...row.map(halfWidth))));
  const out: string[] = [];
  cells.forEach((row, i) => {
    out.push(padRight(`-RECORD ${i}`, nameWidth + valueWidth + 5, '-'));
    row.forEach((v, c) => out.push(` ${padRight(header[c], nameWidth)} | ${padRight(v, valueWidth)} `));
  });
  return out;
}
