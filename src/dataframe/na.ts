// Spark's DataFrameNaFunctions (`df.na`): drop, fill and replace missing values. Each builds an
// ordinary filter or projection from column expressions (coalesce, isnan, when), so it runs in
// the executors like any other plan. Missing means null, and also NaN in double columns, as in
// Spark (AtLeastNNonNulls and nanvl treat a float/double NaN as null).
import { coalesce, col, lit, when, type Column, type Literal } from './column.js';
import type { DataFrame } from './dataframe.js';
import { isNumeric, type AtomicTypeName, type StructField } from './types.js';

/** PySpark's keyword form of `na.drop` / `dropna`. */
export interface DropNaOptions {
  /** 'any' (default) drops a row with any missing value in `subset`; 'all' only when all are missing. */
  how?: 'any' | 'all';
  /** Keep rows with at least this many non-missing values in `subset` (overrides `how`). */
  thresh?: number;
  /** The columns to look at (default: every column). */
  subset?: string | readonly string[];
}

/** A value `na.fill` puts in place of missing ones. */
export type FillValue = number | string | boolean;

/** What `na.replace` replaces: one value, a list, or a mapping from old to new values. */
export type ReplaceSpec = Literal | readonly Literal[] | Readonly<Record<string, Literal>> | ReadonlyMap<Literal, Literal>;

const ATOMIC: readonly string[] = ['double', 'int', 'long', 'boolean', 'string'];

export class DataFrameNaFunctions {
  constructor(private readonly df: DataFrame) {}

  /**
   * Drops rows with missing values (null, or NaN in a double column). PySpark's forms:
   * `drop()`, `drop('all')`, `drop('any', 2)`, `drop('any', undefined, ['a', 'b'])`,
   * `drop({ how, thresh, subset })`; and Scala's `drop(['a', 'b'])`. `thresh` keeps rows with at
   * least that many non-missing values and overrides `how`.
   */
  drop(how?: 'any' | 'all' | DropNaOptions | readonly string[], thresh?: number, subset?: string | readonly string[]): DataFrame {
    let h: unknown = how;
    if (Array.isArray(how)) { h = undefined; subset = how as readonly string[]; }
    else if (how !== null && typeof how === 'object') {
      const o = how as DropNaOptions;
      const unknown = Object.keys(o).filter((k) => !['how', 'thresh', 'subset'].includes(k));
      if (unknown.length) throw new Error(`na.drop: unknown option '${unknown[0]}' (expected how, thresh, subset)`);
      h = o.how; thresh = o.thresh; subset = o.subset;
    }
    if (h !== undefined && h !== 'any' && h !== 'all') throw new Error(`na.drop: how must be 'any' or 'all' but got ${JSON.stringify(h)}`);
    if (thresh !== undefined && thresh !== null && !Number.isInteger(thresh)) throw new Error(`na.drop: thresh must be an integer but got ${thresh}`);
    const fields = this.subsetFields('na.drop', subset);
    const minNonMissing = thresh ?? (h === 'all' ? 1 : fields.length);
    if (minNonMissing <= 0) return this.df;
    // The number of present values per row, compared with the threshold (Spark's AtLeastNNonNulls).
    const present = fields.map((f) => when(presentIn(f), 1).otherwise(0));
    const count = present.length ? present.reduce((a, b) => a.plus(b)) : lit(0); // no columns: no row has enough
    return this.df.filter(count.ge(minNonMissing));
  }

  /**
   * Fills missing values. A number fills numeric columns (cast to the column's type, so 2.7
   * fills an int column with 2), a string fills string columns, a boolean boolean columns; other
   * columns are left alone. `{ col: value }` (or a Map) fills each named column with its value
   * cast to the column's type; `subset` is then ignored, as in PySpark.
   */
  fill(value: FillValue | Readonly<Record<string, FillValue>> | ReadonlyMap<string, FillValue>, subset?: string | readonly string[]): DataFrame {
    if (value instanceof Map || (value !== null && typeof value === 'object')) {
      const entries = value instanceof Map ? [...(value as ReadonlyMap<string, FillValue>)] : Object.entries(value as Record<string, FillValue>);
      const byColumn = new Map<string, FillValue>();
      for (const [name, v] of entries) {
        checkFillValue(v, `the value for column '${name}'`);
        const f = this.df.schema.field(name); // throws naming the column and those that exist
        if (!ATOMIC.includes(f.type.kind)) throw new Error(`na.fill: column '${name}' is ${f.type.kind}; only numeric, string and boolean columns can be filled`);
        byColumn.set(f.name, v);
      }
      return this.project((f) => (byColumn.has(f.name) ? fillColumn(f, byColumn.get(f.name)!, false) : null));
    }
    checkFillValue(value, 'the value');
    const targets = new Set(this.subsetFields('na.fill', subset).map((f) => f.name));
    const matches = (f: StructField) => (typeof value === 'number' ? isNumeric(f.type) : f.type.kind === typeof value);
    return this.project((f) => (targets.has(f.name) && matches(f) ? fillColumn(f, value, true) : null));
  }

  /**
   * Replaces values, as PySpark's `replace(to_replace, value, subset)`: `replace(0, 10)`,
   * `replace([1, 2], [10, 20])`, `replace(['a', 'b'], 'z')`, `replace({ Alice: 'A' })` (an object's
   * keys are strings) or `replace(new Map([[1, 10], [NaN, 0]]))` for other keys. Keys must all be
   * numbers, all strings or all booleans, and non-null values of the same kind; numeric keys apply
   * to numeric columns (the new value cast to the column's type), strings to string columns,
   * booleans to boolean columns. NaN matches NaN, as Spark's equality does.
   */
  replace(toReplace: ReplaceSpec, value?: Literal | readonly Literal[], subset?: string | readonly string[]): DataFrame {
    const pairs = replacementPairs(toReplace, value);
    const fields = subset === '*' ? this.df.schema.fields : this.subsetFields('na.replace', subset);
    if (pairs.length === 0 || fields.length === 0) return this.df;
    const keyKind = kindOf(pairs[0][0]);
    const targets = new Set(fields.filter((f) => (keyKind === 'number' ? isNumeric(f.type) : f.type.kind === keyKind)).map((f) => f.name));
    return this.project((f) => {
      if (!targets.has(f.name)) return null;
      const c = col(f.name), to = f.type.kind as AtomicTypeName;
      let expr = when(c.eq(pairs[0][0]), lit(pairs[0][1]).cast(to));
      for (const [k, v] of pairs.slice(1)) expr = expr.when(c.eq(k), lit(v).cast(to));
      return expr.otherwise(c);
    });
  }

  /** The named columns (all when not given); an unknown name fails, listing the columns that exist. */
  private subsetFields(op: string, subset: string | readonly string[] | undefined | null): StructField[] {
    if (subset === undefined || subset === null) return [...this.df.schema.fields];
    const names = typeof subset === 'string' ? [subset] : subset;
    if (!Array.isArray(names)) throw new Error(`${op}: subset must be a column name or an array of them`);
    return names.map((n) => {
      if (typeof n !== 'string') throw new Error(`${op}: subset must hold column names but holds ${String(n)}`);
      return this.df.schema.field(n);
    });
  }

  /** Every column in order, each replaced by `rewrite`'s column when it returns one. */
  private project(rewrite: (f: StructField) => Column | null): DataFrame {
    let changed = false;
    const cols = this.df.schema.fields.map((f) => {
      const c = rewrite(f);
      if (c === null) return col(f.name);
      changed = true;
      return c.alias(f.name);
    });
    return changed ? this.df.select(...cols) : this.df;
  }
}

/** A value counts as present unless null, or NaN in a double column. */
function presentIn(f: StructField): Column {
  const c = col(f.name);
  return f.type.kind === 'double' ? c.isNotNull().and(c.isNaN().not()) : c.isNotNull();
}

/**
 * Spark's fillCol: coalesce(nanvl(c, null), cast(value as type)). Spark casts a fractional value
 * to an integral column with a nullable cast (NaN and infinity), so such a fill keeps the column's
 * nullability; `when(c is null, ...)` computes the same values with that nullability.
 */
function fillColumn(f: StructField, value: FillValue, asDouble: boolean): Column {
  const c = col(f.name);
  const filler = lit(value).cast(f.type.kind as AtomicTypeName);
  const integral = f.type.kind === 'int' || f.type.kind === 'long';
  if (integral && typeof value === 'number' && (asDouble || !Number.isInteger(value))) return when(c.isNull(), filler).otherwise(c);
  const source = f.type.kind === 'double' ? when(c.isNaN(), lit(null)).otherwise(c) : c;
  return coalesce(source, filler);
}

function checkFillValue(v: unknown, what: string): void {
  if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
    throw new Error(`na.fill: ${what} must be a number, string or boolean but got ${v === null ? 'null' : typeof v}`);
  }
}

type KeyKind = 'number' | 'string' | 'boolean';

function kindOf(v: Literal): KeyKind | null {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? typeof v as KeyKind : null;
}

/** PySpark's argument handling for replace: the (old, new) pairs, checked for mixed types. */
function replacementPairs(toReplace: ReplaceSpec, value: Literal | readonly Literal[] | undefined): [Literal, Literal][] {
  let pairs: [Literal, Literal][];
  if (toReplace instanceof Map) pairs = [...(toReplace as ReadonlyMap<Literal, Literal>)];
  else if (toReplace !== null && typeof toReplace === 'object' && !Array.isArray(toReplace)) {
    pairs = Object.entries(toReplace as Record<string, Literal>);
  } else {
    if (value === undefined) throw new Error('na.replace: value is required when toReplace is not a mapping');
    const keys = Array.isArray(toReplace) ? toReplace as readonly Literal[] : [toReplace as Literal];
    if (Array.isArray(value)) {
      if (value.length !== keys.length) {
        throw new Error(`na.replace: toReplace and value lists should be of the same length. Got ${keys.length} and ${value.length}`);
      }
      pairs = keys.map((k, i) => [k, (value as readonly Literal[])[i]]);
    } else pairs = keys.map((k) => [k, value as Literal]);
  }
  for (const [k, v] of pairs) {
    if (v !== null && kindOf(v) === null) throw new Error(`na.replace: unsupported replacement value ${String(v)} (expected a number, string, boolean or null)`);
    if (kindOf(k) === null) throw new Error(`na.replace: unsupported value to replace ${String(k)} (expected a number, string or boolean)`);
  }
  const kinds = new Set(pairs.flatMap(([k, v]) => (v === null ? [kindOf(k)] : [kindOf(k), kindOf(v)])));
  if (kinds.size > 1) throw new Error(`na.replace: mixed type replacements are not supported (found ${[...kinds].join(' and ')} values)`);
  return pairs;
}
