// Column expressions as users write them (`col('a').plus(1).alias('b')`). A Column only describes
// work: it wraps a plain, serialisable expression tree that executors compile into a loop.
import type { AtomicTypeName } from './types.js';

export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type Literal = number | string | boolean | null;

export type Expr =
  | { op: 'col'; name: string }
  | { op: 'lit'; value: Literal }
  | { op: 'arith'; fn: ArithOp; left: Expr; right: Expr }
  | { op: 'cmp'; fn: CmpOp; left: Expr; right: Expr }
  | { op: 'and' | 'or'; left: Expr; right: Expr }
  | { op: 'not' | 'neg' | 'isNull' | 'isNotNull' | 'isNaN'; child: Expr }
  | { op: 'coalesce'; args: Expr[] }
  | { op: 'cast'; child: Expr; to: AtomicTypeName }
  | { op: 'alias'; child: Expr; name: string }
  | { op: 'when'; branches: [Expr, Expr][]; otherwise: Expr | null }
  | { op: 'like'; child: Expr; pattern: string }
  | { op: 'udf'; name: string; source: string; returnType: AtomicTypeName; args: Expr[] };

/** @inline */
type ColumnLike = Column | Literal;

const toExpr = (c: ColumnLike): Expr => (c instanceof Column ? c.expr : { op: 'lit', value: c });

export class Column {
  constructor(readonly expr: Expr) {}

  plus(o: ColumnLike): Column { return this.arith('+', o); }
  minus(o: ColumnLike): Column { return this.arith('-', o); }
  times(o: ColumnLike): Column { return this.arith('*', o); }
  /** Always a double, as Spark's `/`; division by zero gives null. */
  divide(o: ColumnLike): Column { return this.arith('/', o); }
  mod(o: ColumnLike): Column { return this.arith('%', o); }
  negate(): Column { return new Column({ op: 'neg', child: this.expr }); }

  eq(o: ColumnLike): Column { return this.cmp('==', o); }
  ne(o: ColumnLike): Column { return this.cmp('!=', o); }
  lt(o: ColumnLike): Column { return this.cmp('<', o); }
  le(o: ColumnLike): Column { return this.cmp('<=', o); }
  gt(o: ColumnLike): Column { return this.cmp('>', o); }
  ge(o: ColumnLike): Column { return this.cmp('>=', o); }

  and(o: ColumnLike): Column { return new Column({ op: 'and', left: this.expr, right: toExpr(o) }); }
  or(o: ColumnLike): Column { return new Column({ op: 'or', left: this.expr, right: toExpr(o) }); }
  not(): Column { return new Column({ op: 'not', child: this.expr }); }

  isNull(): Column { return new Column({ op: 'isNull', child: this.expr }); }
  isNotNull(): Column { return new Column({ op: 'isNotNull', child: this.expr }); }
  /**
   * SQL's LIKE on a string column: `%` matches any run of characters, `_` one character, and `\\`
   * escapes either; case-sensitive and matched against the whole value, as Spark. Null stays null.
   */
  like(pattern: string): Column {
    if (typeof pattern !== 'string') throw new Error(`like: the pattern must be a string but got ${String(pattern)}`);
    return new Column({ op: 'like', child: this.expr, pattern });
  }

  /** True where the value equals one of `values` (Spark's isin; null where it is null and matches none). */
  isin(...values: (ColumnLike | ColumnLike[])[]): Column {
    const flat = values.flatMap((v) => (Array.isArray(v) ? v : [v]));
    if (flat.length === 0) throw new Error('isin: give at least one value');
    // An OR of equalities has exactly SQL's three-valued IN semantics.
    return flat.map((v) => this.eq(v)).reduce((a, b) => a.or(b));
  }

  /** lower <= value <= upper (Spark's between). */
  between(lower: ColumnLike, upper: ColumnLike): Column { return this.ge(lower).and(this.le(upper)); }

  /** True where a numeric value is NaN; false for null and for other numbers (Spark's isnan). */
  isNaN(): Column { return new Column({ op: 'isNaN', child: this.expr }); }

  cast(to: AtomicTypeName | 'integer' | 'bigint' | 'float'): Column {
    const canonical = ({ integer: 'int', bigint: 'long', float: 'double' } as Record<string, AtomicTypeName>)[to] ?? to;
    if (!['double', 'int', 'long', 'boolean', 'string'].includes(canonical)) {
      throw new Error(`cast: unsupported target type '${to}' (expected double, int, long, boolean or string)`);
    }
    return new Column({ op: 'cast', child: this.expr, to: canonical as AtomicTypeName });
  }

  alias(name: string): Column { return new Column({ op: 'alias', child: this.expr, name }); }
  as(name: string): Column { return this.alias(name); }

  /** Chains another branch onto a `when(...)` column. */
  when(cond: Column, value: ColumnLike): Column {
    if (this.expr.op !== 'when' || this.expr.otherwise !== null) throw new Error('when() can only follow when(...) before otherwise()');
    return new Column({ ...this.expr, branches: [...this.expr.branches, [cond.expr, toExpr(value)]] });
  }

  otherwise(value: ColumnLike): Column {
    if (this.expr.op !== 'when') throw new Error('otherwise() can only follow when(...)');
    if (this.expr.otherwise !== null) throw new Error('otherwise() was already given');
    return new Column({ ...this.expr, otherwise: toExpr(value) });
  }

  /** Sort orders for orderBy: ascending puts nulls first, descending puts them last, as Spark. */
  asc(): SortOrder { return new SortOrder(this.expr, true, true); }
  desc(): SortOrder { return new SortOrder(this.expr, false, false); }
  asc_nulls_first(): SortOrder { return new SortOrder(this.expr, true, true); }
  asc_nulls_last(): SortOrder { return new SortOrder(this.expr, true, false); }
  desc_nulls_first(): SortOrder { return new SortOrder(this.expr, false, true); }
  desc_nulls_last(): SortOrder { return new SortOrder(this.expr, false, false); }

  toString(): string { return exprName(this.expr); }

  private arith(fn: ArithOp, o: ColumnLike): Column { return new Column({ op: 'arith', fn, left: this.expr, right: toExpr(o) }); }
  private cmp(fn: CmpOp, o: ColumnLike): Column { return new Column({ op: 'cmp', fn, left: this.expr, right: toExpr(o) }); }
}

export class SortOrder {
  constructor(readonly expr: Expr, readonly ascending: boolean, readonly nullsFirst: boolean) {}
}

export const col = (name: string): Column => new Column({ op: 'col', name });
export const lit = (value: Literal): Column => new Column({ op: 'lit', value });
export const when = (cond: Column, value: ColumnLike): Column =>
  new Column({ op: 'when', branches: [[cond.expr, toExpr(value)]], otherwise: null });

/** The first non-null of the arguments, else null (Spark's coalesce): `coalesce(col('a'), lit(0))`. */
export const coalesce = (...cols: (string | Column)[]): Column => {
  if (cols.length === 0) throw new Error('coalesce() needs at least one column');
  return new Column({ op: 'coalesce', args: cols.map((c) => toColumn(c).expr) });
};

/** Spark's isnan(col). */
export const isnan = (c: string | Column): Column => toColumn(c).isNaN();

export function toColumn(c: string | Column): Column { return typeof c === 'string' ? col(c) : c; }

/** The column name Spark gives an unaliased expression. */
export function exprName(e: Expr): string {
  switch (e.op) {
    case 'col': return e.name;
    case 'lit': return e.value === null ? 'NULL' : String(e.value);
    case 'arith': return `(${exprName(e.left)} ${e.fn} ${exprName(e.right)})`;
    case 'cmp': return `(${exprName(e.left)} ${e.fn === '==' ? '=' : e.fn} ${exprName(e.right)})`;
    case 'and': return `(${exprName(e.left)} AND ${exprName(e.right)})`;
    case 'or': return `(${exprName(e.left)} OR ${exprName(e.right)})`;
    case 'not': return `(NOT ${exprName(e.child)})`;
    case 'neg': return `(- ${exprName(e.child)})`;
    case 'isNull': return `(${exprName(e.child)} IS NULL)`;
    case 'isNotNull': return `(${exprName(e.child)} IS NOT NULL)`;
    case 'isNaN': return `isnan(${exprName(e.child)})`;
    case 'coalesce': return `coalesce(${e.args.map(exprName).join(', ')})`;
    case 'cast': return `CAST(${exprName(e.child)} AS ${e.to.toUpperCase()})`;
    case 'alias': return e.name;
    case 'udf': return `${e.name}(${e.args.map(exprName).join(', ')})`;
    case 'like': return `${exprName(e.child)} LIKE ${e.pattern}`;
    case 'when':
      return `CASE ${e.branches.map(([c, v]) => `WHEN ${exprName(c)} THEN ${exprName(v)}`).join(' ')}` +
        `${e.otherwise ? ` ELSE ${exprName(e.otherwise)}` : ''} END`;
  }
}
