// Window specifications and window expressions (Spark's Window / WindowSpec / `fn.over(w)`).
// A window expression is a Column whose expression reads a placeholder column: its name encodes
// the whole call (function, input, window) as JSON, so the Column stays a plain, serialisable
// expression that can be combined (`.plus(1)`, `when(...)`) like any other. When a projection
// references placeholders its DataFrame lacks, window-plan.ts computes them first.
import { Column, exprName, SortOrder, toColumn, type Expr, type Literal } from './column.js';
import { aggName } from './aggregates.js';
import { exprJson, parseExprJson } from './literal.js';

/** A frame: ROWS (offsets in rows) or RANGE (offsets in order-key units); null = unbounded. */
export interface WindowFrame { type: 'rows' | 'range'; start: number | null; end: number | null }
export interface WindowOrder { expr: Expr; ascending: boolean; nullsFirst: boolean }

export const AGG_WINDOW_FUNCTIONS = ['count', 'sum', 'mean', 'avg', 'min', 'max', 'first', 'last'] as const;
export const RANKING_FUNCTIONS = ['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist'] as const;
export const OFFSET_FUNCTIONS = ['lag', 'lead'] as const;
export type WindowFn = typeof AGG_WINDOW_FUNCTIONS[number] | typeof RANKING_FUNCTIONS[number] | typeof OFFSET_FUNCTIONS[number];
const ALL_FUNCTIONS: readonly string[] = [...AGG_WINDOW_FUNCTIONS, ...RANKING_FUNCTIONS, ...OFFSET_FUNCTIONS];

/** Everything a window column needs, as stored in its placeholder name. */
export interface WindowCall {
  fn: WindowFn;
  input: Expr | null;
  offset: number;
  default: Literal;
  partitionBy: Expr[];
  orderBy: WindowOrder[];
  /** As the user gave it; null means Spark's default for the function and ordering. */
  frame: WindowFrame | null;
}

// Spark's JVM bounds are Long.MinValue/MaxValue; anything at or beyond them is unbounded too.
const LONG_LIMIT = 2 ** 63 - 1;

/** @inline */
type ColumnArg = string | Column;
/** @inline */
type OrderArg = string | Column | SortOrder;
const flat = <T>(args: (T | T[])[]): T[] => args.flatMap((a) => (Array.isArray(a) ? a : [a]));

/** A window: `Window.partitionBy('user').orderBy('ts').rangeBetween(-3600, Window.currentRow)`. Immutable. */
export class WindowSpec {
  constructor(readonly partitionExprs: readonly Expr[] = [], readonly orders: readonly WindowOrder[] = [], readonly frame: WindowFrame | null = null) {}

  partitionBy(...cols: (ColumnArg | ColumnArg[])[]): WindowSpec {
    return new WindowSpec(flat(cols).map((c) => columnArg('partitionBy', c).expr), this.orders, this.frame);
  }

  /** Ascending with nulls first unless given a SortOrder (`col('ts').desc()`), as Spark. */
  orderBy(...cols: (OrderArg | OrderArg[])[]): WindowSpec {
    const orders = flat(cols).map((c): WindowOrder => {
      if (c instanceof SortOrder) return { expr: c.expr, ascending: c.ascending, nullsFirst: c.nullsFirst };
      return { expr: columnArg('orderBy', c).expr, ascending: true, nullsFirst: true };
    });
    return new WindowSpec(this.partitionExprs, orders, this.frame);
  }

  /** A frame counted in rows relative to the current row: -1 is the previous row, 0 the current one. */
  rowsBetween(start: number, end: number): WindowSpec {
    const frame = makeFrame('rows', start, end);
    for (const b of [frame.start, frame.end]) {
      if (b !== null && !Number.isInteger(b)) throw new Error(`rowsBetween(${start}, ${end}): row offsets must be integers (or Window.unboundedPreceding/unboundedFollowing)`);
    }
    return new WindowSpec(this.partitionExprs, this.orders, frame);
  }

  /**
   * A frame of order-key values relative to the current row's: rangeBetween(-3600, 0) holds the rows
   * whose key is within 3600 below the current key (ties included). Offsets other than 0 and the
   * unbounded ones need a single numeric orderBy column.
   */
  rangeBetween(start: number, end: number): WindowSpec {
    return new WindowSpec(this.partitionExprs, this.orders, makeFrame('range', start, end));
  }

  toString(): string { return specString(this.partitionExprs, this.orders, this.frame); }
}

/** Entry points for window specifications and Spark's frame boundary constants. */
export class Window {
  private constructor() {}
  static readonly unboundedPreceding = -Infinity;
  static readonly unboundedFollowing = Infinity;
  static readonly currentRow = 0;
  static partitionBy(...cols: (ColumnArg | ColumnArg[])[]): WindowSpec { return new WindowSpec().partitionBy(...cols); }
  static orderBy(...cols: (OrderArg | OrderArg[])[]): WindowSpec { return new WindowSpec().orderBy(...cols); }
  static rowsBetween(start: number, end: number): WindowSpec { return new WindowSpec().rowsBetween(start, end); }
  static rangeBetween(start: number, end: number): WindowSpec { return new WindowSpec().rangeBetween(start, end); }
}

/** A ranking or offset function waiting for its window: `F.row_number().over(w)`, `F.lag('ts').over(w)`. */
export class WindowFunction {
  constructor(readonly fn: WindowFn, readonly input: Column | null = null, readonly offset = 1, readonly defaultValue: Literal = null) {}
  over(window: WindowSpec): Column { return windowColumn(this.fn, this.input, window, undefined, this.offset, this.defaultValue); }
}

/** lag/lead: `F.lag('amount', 1, 0)` — the value `offset` rows before (lag) or after (lead), else `default`. */
export function offsetFunction(fn: 'lag' | 'lead', c: string | Column, offset = 1, defaultValue: Literal = null): WindowFunction {
  if (!Number.isInteger(offset)) throw new Error(`${fn}: offset must be an integer but got ${offset}`);
  if (defaultValue !== null && !['number', 'string', 'boolean'].includes(typeof defaultValue)) {
    throw new Error(`${fn}: default must be a number, string, boolean or null but got ${String(defaultValue)}`);
  }
  return new WindowFunction(fn, toColumn(c), offset, defaultValue);
}

/** The Column for `fn(input) OVER window` (AggColumn.over and WindowFunction.over). */
export function windowColumn(fn: string, input: Column | null, window: WindowSpec, alias?: string, offset = 1, defaultValue: Literal = null): Column {
  if (!ALL_FUNCTIONS.includes(fn)) {
    throw new Error(`${fn} cannot be used as a window function (over()); window functions are ${ALL_FUNCTIONS.join(', ')}`);
  }
  if (!(window instanceof WindowSpec)) throw new Error("over() takes a window specification, e.g. Window.partitionBy('user').orderBy('ts')");
  const call: WindowCall = {
    fn: fn as WindowFn, input: input?.expr ?? null, offset, default: defaultValue,
    partitionBy: [...window.partitionExprs], orderBy: [...window.orders], frame: window.frame,
  };
  const placeholder: Expr = { op: 'col', name: encodeCall(call) };
  return new Column({ op: 'alias', child: placeholder, name: alias ?? displayName(call) });
}

// --- the placeholder encoding --------------------------------------------------------------------

export const WINDOW_PREFIX = '__window';

// Literals may hold NaN, ±Infinity or -0 (lag's default, lit(NaN) inputs): literal.ts keeps them.
export function encodeCall(call: WindowCall): string { return WINDOW_PREFIX + exprJson(call); }
export function decodeCall(name: string): WindowCall { return parseExprJson(name.slice(WINDOW_PREFIX.length)) as WindowCall; }
export const isWindowPlaceholder = (name: string): boolean => name.startsWith(`${WINDOW_PREFIX}{`);

/** Spark's default frame: RANGE UNBOUNDED PRECEDING .. CURRENT ROW when ordered, else the whole partition. */
export function defaultFrame(ordered: boolean): WindowFrame {
  return ordered ? { type: 'range', start: null, end: 0 } : { type: 'rows', start: null, end: null };
}

/** The fixed frame a ranking or offset function works on (Spark rejects any other given frame). */
export function requiredFrame(call: Pick<WindowCall, 'fn' | 'offset'>): WindowFrame | null {
  if (call.fn === 'lag') return { type: 'rows', start: -call.offset, end: -call.offset };
  if (call.fn === 'lead') return { type: 'rows', start: call.offset, end: call.offset };
  if (call.fn === 'cume_dist') return { type: 'range', start: null, end: 0 };
  if ((RANKING_FUNCTIONS as readonly string[]).includes(call.fn)) return { type: 'rows', start: null, end: 0 };
  return null;
}

// --- helpers -------------------------------------------------------------------------------------

function columnArg(op: string, c: unknown): Column {
  if (typeof c === 'string') return toColumn(c);
  if (c instanceof Column) return c;
  throw new Error(`Window.${op}: expected column names or Columns but got ${String(c)}`);
}

function makeFrame(type: 'rows' | 'range', start: number, end: number): WindowFrame {
  const what = `${type}Between(${start}, ${end})`;
  if (typeof start !== 'number' || typeof end !== 'number' || Number.isNaN(start) || Number.isNaN(end)) {
    throw new Error(`${what}: boundaries must be numbers (or Window.unboundedPreceding, Window.currentRow, Window.unboundedFollowing)`);
  }
  if (start >= LONG_LIMIT) throw new Error(`${what}: the frame cannot start at unboundedFollowing`);
  if (end <= -LONG_LIMIT) throw new Error(`${what}: the frame cannot end at unboundedPreceding`);
  if (start > end) throw new Error(`${what}: the lower bound must not be greater than the upper bound`);
  const norm = (b: number) => (b === 0 ? 0 : b); // -0 is the current row too
  return { type, start: start <= -LONG_LIMIT ? null : norm(start), end: end >= LONG_LIMIT ? null : norm(end) };
}

function boundString(b: number | null, side: 'start' | 'end'): string {
  if (b === null) return side === 'start' ? 'UNBOUNDED PRECEDING' : 'UNBOUNDED FOLLOWING';
  if (b === 0) return 'CURRENT ROW';
  return b < 0 ? `${-b} PRECEDING` : `${b} FOLLOWING`;
}

function specString(partitionBy: readonly Expr[], orderBy: readonly WindowOrder[], frame: WindowFrame | null): string {
  const parts: string[] = [];
  if (partitionBy.length) parts.push(`PARTITION BY ${partitionBy.map(exprName).join(', ')}`);
  if (orderBy.length) {
    parts.push(`ORDER BY ${orderBy.map((o) => `${exprName(o.expr)} ${o.ascending ? 'ASC' : 'DESC'} NULLS ${o.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ')}`);
  }
  if (frame) parts.push(`${frame.type.toUpperCase()} BETWEEN ${boundString(frame.start, 'start')} AND ${boundString(frame.end, 'end')}`);
  return parts.join(' ');
}

/** Spark's name for an unaliased window column: `count OVER (PARTITION BY ... ORDER BY ... RANGE BETWEEN ...)`. */
function displayName(call: WindowCall): string {
  const input = call.input ? exprName(call.input) : null;
  let fn: string;
  if ((AGG_WINDOW_FUNCTIONS as readonly string[]).includes(call.fn)) fn = aggName(call.fn as 'count', input);
  else if (call.fn === 'lag' || call.fn === 'lead') fn = `${call.fn}(${input}, ${call.offset}, ${call.default === null ? 'NULL' : String(call.default)})`;
  else fn = `${call.fn}()`;
  const frame = requiredFrame(call) ?? call.frame ?? defaultFrame(call.orderBy.length > 0);
  return `${fn} OVER (${specString(call.partitionBy, call.orderBy, frame)})`;
}
