// The SQL entry points: spark.sql(text), df.selectExpr(...), df.filter("age > 25") and expr("...").
// Each parses with parse.ts and compiles to the DataFrame calls of query.ts / expression.ts.
import type { Column } from '../column.js';
import type { DataFrame } from '../dataframe.js';
import { Catalog } from './catalog.js';
import { compileExpr } from './expression.js';
import { parseExpressions, parseStatement, unsupported, type AstNode } from './parse.js';
import { compileQuery, compileSelect, type QueryEnv } from './query.js';
import { Scope } from './scope.js';

/** `spark.sql(text)`: the query's DataFrame (lazy, like any other). */
export function runSql(text: string, catalog: Catalog, oneRow: () => DataFrame): DataFrame {
  const { ast } = parseStatement(text);
  return compileQuery(ast, { catalog, ctes: new Map(), oneRow });
}

/** `df.selectExpr('name', 'age + 1 AS next', 'count(*)')`: a SELECT over `df` (aggregates included, as Spark). */
export function selectExpr(df: DataFrame, exprs: readonly string[]): DataFrame {
  if (exprs.length === 0) throw new Error('selectExpr() needs at least one expression');
  const columns: AstNode[] = [];
  for (const text of exprs) {
    if (typeof text !== 'string') throw new Error(`selectExpr: expected SQL expression strings but got ${String(text)}`);
    const { ast } = parseExpressions(text, 'selectExpr');
    columns.push(...(ast.columns as AstNode[]));
  }
  const env: QueryEnv = { catalog: new Catalog(), ctes: new Map(), oneRow: () => df };
  return compileSelect({ type: 'select', columns }, env, { df, scope: Scope.of(df, null) });
}

/** The condition of `df.filter("age > 25")` / `df.where(...)`, resolved against `df`'s columns. */
export function conditionExpr(df: DataFrame, text: string, op: string): Column {
  const node = single(text, op, false);
  return compileExpr(node, { scope: Scope.of(df, null), clause: op, aggregates: null, windows: null });
}

/** `expr("age + 1")`: a Column from SQL text, its names resolved when the DataFrame uses it. */
export function expr(text: string): Column {
  const node = single(text, 'expr', true);
  const alias = (node as { quiverAlias?: string }).quiverAlias;
  const c = compileExpr(node, { scope: null, clause: 'expr()', aggregates: null, windows: new Map() });
  return alias ? c.alias(alias) : c;
}

function single(text: string, op: string, allowAlias: boolean): AstNode {
  const { ast } = parseExpressions(text, op);
  const cols = ast.columns as AstNode[];
  if (cols.length !== 1) throw new Error(`${op}: expected one expression but got ${cols.length} in '${text}'`);
  const item = cols[0];
  if (item.as && !allowAlias) throw new Error(`${op}: the expression '${text}' cannot have an alias here`);
  if (item.expr.type === 'star' || item.expr.column === '*') throw unsupported(`'*' in ${op}`);
  return item.as ? { ...item.expr, quiverAlias: String(typeof item.as === 'object' ? item.as.value : item.as) } : item.expr;
}
