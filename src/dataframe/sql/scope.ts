// The columns a SQL expression can name at one point of a query: each with the table (alias) it
// comes from and the expression that reads it in the DataFrame being built. Names resolve as
// Spark's do by default: case-insensitively, `t.c` by table and column, a bare `c` only when one
// visible column has that name.
import { col, type Expr } from '../column.js';
import type { DataFrame } from '../dataframe.js';
import { unknownColumn } from '../types.js';

export interface ScopeColumn {
  /** The table or alias the column belongs to (null for USING keys and unaliased subqueries). */
  qualifier: string | null;
  name: string;
  /** How to read it in the current DataFrame (usually a column reference). */
  expr: Expr;
  /** Visible to bare references and to a bare `*` (false for the two sides of a USING key). */
  bare: boolean;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const display = (c: ScopeColumn) => (c.qualifier ? `${c.qualifier}.${c.name}` : c.name);

export class Scope {
  constructor(readonly columns: readonly ScopeColumn[]) {}

  /** A DataFrame's columns under one qualifier, read by their own names. */
  static of(df: DataFrame, qualifier: string | null): Scope {
    return new Scope(df.columns.map((name) => ({ qualifier, name, expr: col(name).expr, bare: true })));
  }

  concat(other: Scope): Scope { return new Scope([...this.columns, ...other.columns]); }

  /** The expression for `table.column` (table null for a bare name); throws naming what exists. */
  resolve(table: string | null, column: string): Expr { return this.entry(table, column).expr; }

  /** The column `table.column` names (its own spelling, which a case-insensitive reference may not share). */
  entry(table: string | null, column: string): ScopeColumn {
    const candidates = this.columns.filter((c) => (table === null ? c.bare : c.qualifier !== null && same(c.qualifier, table)));
    let hits = candidates.filter((c) => c.name === column);
    if (hits.length === 0) hits = candidates.filter((c) => same(c.name, column));
    const shown = table === null ? column : `${table}.${column}`;
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) {
      throw new Error(`[AMBIGUOUS_REFERENCE] Reference \`${shown}\` is ambiguous, could be: [${hits.map((c) => `\`${display(c)}\``).join(', ')}]`);
    }
    if (table !== null && !this.columns.some((c) => c.qualifier !== null && same(c.qualifier, table))) {
      const tables = [...new Set(this.columns.flatMap((c) => (c.qualifier ? [c.qualifier] : [])))];
      throw new Error(`Column '${shown}' does not exist: there is no table or alias '${table}' in this query. Tables: [${tables.join(', ')}]`);
    }
    // Bare names where they are unambiguous, `t.c` where two tables share a name.
    const visible = table === null ? this.columns.filter((c) => c.bare) : candidates;
    const count = (n: string) => visible.filter((c) => same(c.name, n)).length;
    throw unknownColumn(shown, visible.map((c) => (count(c.name) > 1 ? display(c) : c.name)));
  }

  /** What `*` (table null) or `t.*` selects: names and expressions, in order. */
  star(table: string | null): { name: string; expr: Expr }[] {
    const cols = this.columns.filter((c) => (table === null ? c.bare : c.qualifier !== null && same(c.qualifier, table)));
    if (table !== null && cols.length === 0) {
      const tables = [...new Set(this.columns.flatMap((c) => (c.qualifier ? [c.qualifier] : [])))];
      throw new Error(`[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve \`${table}\`.* given input tables: [${tables.join(', ')}]`);
    }
    return cols.map((c) => ({ name: c.name, expr: c.expr }));
  }

  /** Display names for the expressions that read scope columns (internal names back to `c`). */
  displayNames(): Map<string, string> {
    const m = new Map<string, string>();
    for (const c of this.columns) if (c.expr.op === 'col') m.set(c.expr.name, c.name);
    return m;
  }
}
