// SELECT statements to DataFrame calls: FROM (views, CTEs, subqueries, joins) -> filter (WHERE)
// -> groupBy().agg() (GROUP BY, aggregates) -> filter (HAVING) -> select (with window columns)
// -> distinct -> orderBy -> limit, the order Spark's analyzer gives them. Nothing here executes or
// optimises: the result is the DataFrame the equivalent API calls would build.
import { Column, col, type Expr } from '../column.js';
import type { DataFrame } from '../dataframe.js';
import { exprJson } from '../literal.js';
import { Aggregation } from './aggregation.js';
import type { Catalog } from './catalog.js';
import { columnName, compileExpr, displayExpr, hasAggregate, literalOf, sortOrder, type ExprContext } from './expression.js';
import { compileFrom } from './from.js';
import { unsupported, type AstNode } from './parse.js';
import { Scope } from './scope.js';

export interface QueryEnv {
  catalog: Catalog;
  /** Common table expressions in scope (lower-case names). */
  ctes: Map<string, DataFrame>;
  /** A one-row DataFrame, for SELECT without FROM. */
  oneRow: () => DataFrame;
}

/** A relation being built: its DataFrame and the names its columns answer to. */
export interface Relation { df: DataFrame; scope: Scope }

/** A query: WITH, then a chain of SELECTs joined by UNION [ALL], with the chain's ORDER BY / LIMIT. */
export function compileQuery(ast: AstNode, env: QueryEnv): DataFrame {
  let scoped = env;
  if (ast.with) {
    if (ast.with.some?.((w: AstNode) => w.recursive) || ast.with.recursive) throw unsupported('WITH RECURSIVE');
    const ctes = new Map(env.ctes);
    for (const w of ast.with as AstNode[]) {
      const name = String(w.name?.value ?? w.name);
      let df = compileQuery(w.stmt.ast ?? w.stmt, { ...env, ctes });
      const cols = (w.columns ?? []) as AstNode[];
      if (cols.length) {
        if (cols.length !== df.columns.length) throw new Error(`sql: WITH ${name}(...) names ${cols.length} columns but its query has ${df.columns.length}`);
        df = df.select(...df.columns.map((c, i) => col(c).alias(String(cols[i].value ?? columnName(cols[i])))));
      }
      ctes.set(name.toLowerCase(), df);
    }
    scoped = { ...env, ctes };
  }
  const chain: AstNode[] = [];
  for (let s: AstNode | undefined = ast; s; s = s._next) chain.push(s);
  if (chain.length === 1) return compileSelect(ast, scoped);
  const last = chain[chain.length - 1];
  // The ORDER BY and LIMIT written after the last SELECT apply to the whole chain.
  let result = compileSelect(chain[0], scoped);
  for (let i = 1; i < chain.length; i++) {
    const s = i === chain.length - 1 ? { ...last, orderby: null, limit: null } : chain[i];
    const op = String(chain[i - 1].set_op ?? '').toLowerCase().replace(/\s+/g, ' ');
    const [l, right] = widenForUnion(result, compileSelect(s, scoped));
    if (op === 'union all') result = l.union(right);
    else if (op === 'union' || op === 'union distinct') result = l.union(right).distinct();
    else throw unsupported(op.toUpperCase() || 'this set operation', 'UNION and UNION ALL are supported');
  }
  const scope = Scope.of(result, null);
  const outputs = result.columns.map((name) => ({ name, expr: col(name).expr }));
  const orders = (last.orderby ?? []) as AstNode[];
  if (orders.length) {
    const ctx: ExprContext = { scope, clause: 'ORDER BY', aggregates: null, windows: null };
    const keys = orders.map((o, i) => {
      const k = outputKey(o.expr, outputs, ctx);
      void i;
      return sortOrder(o, k ?? compileExpr(o.expr, ctx));
    });
    result = result.orderBy(...keys);
  }
  return applyLimit(result, last.limit);
}

const NUMERIC_RANK: Record<string, number> = { int: 1, long: 2, double: 3 };

/** Both sides of a UNION with each numeric column cast to the wider of its two types (Spark widens either side). */
function widenForUnion(left: DataFrame, right: DataFrame): [DataFrame, DataFrame] {
  if (left.columns.length !== right.columns.length) return [left, right]; // union() names the mismatch
  const lf = left.schema.fields, rf = right.schema.fields;
  const target = lf.map((f, i) => {
    const a = NUMERIC_RANK[f.type.kind], b = NUMERIC_RANK[rf[i].type.kind];
    return a && b && a !== b ? (a > b ? f.type.kind : rf[i].type.kind) as 'int' | 'long' | 'double' : null;
  });
  if (target.every((t) => t === null)) return [left, right];
  const cast = (df: DataFrame) => df.select(...df.schema.fields.map((f, i) => (target[i] && f.type.kind !== target[i] ? col(f.name).cast(target[i]!).alias(f.name) : col(f.name))));
  return [cast(left), cast(right)];
}

/** One SELECT; `preset` is the relation it reads when it has no FROM of its own (selectExpr). */
export function compileSelect(ast: AstNode, env: QueryEnv, preset?: Relation): DataFrame {
  if (ast.into?.expr || ast.into?.type) throw unsupported('SELECT ... INTO');
  if (ast.qualify) throw unsupported('QUALIFY');
  let rel = preset ?? (ast.from ? compileFrom(ast.from as AstNode[], env) : { df: env.oneRow(), scope: new Scope([]) });
  const rowCtx = (clause: string): ExprContext => ({ scope: rel.scope, clause, aggregates: null, windows: null });
  if (ast.where) rel = { ...rel, df: rel.df.filter(compileExpr(ast.where, rowCtx('WHERE'))) };

  const windows = new Map<string, AstNode>();
  for (const w of (ast.window?.expr ?? []) as AstNode[]) windows.set(String(w.name).toLowerCase(), w.as_window_specification);

  const items = selectItems(ast.columns as AstNode[] | string);
  const groupBy = groupByItems(ast, items, rel.scope);
  const orders = (ast.orderby ?? []) as AstNode[];
  const aggregating = groupBy.length > 0 || items.some((i) => i.ast && hasAggregate(i.ast)) || hasAggregate(ast.having) || orders.some((o) => hasAggregate(o.expr));
  const distinct = String(ast.distinct?.type ?? ast.distinct ?? '').toUpperCase() === 'DISTINCT';
  if (typeof ast.distinct === 'string' && ast.distinct.toUpperCase() !== 'DISTINCT' && ast.distinct) throw unsupported(`SELECT ${ast.distinct}`);

  const agg = aggregating ? new Aggregation(rel, groupBy) : null;
  // Window functions may read aggregates (rank() OVER (ORDER BY sum(x))): they run after the aggregation.
  const ctx = (clause: string): ExprContext => ({ scope: rel.scope, clause, aggregates: agg, windows: clause === 'HAVING' ? null : windows });

  // Select list, HAVING and ORDER BY are compiled against the FROM relation first (aggregates are
  // collected on the way), then rewritten onto the aggregated one.
  let outputs = items.flatMap((item) => {
    if (item.star !== undefined) return rel.scope.star(item.star).map((s) => ({ name: s.name, expr: s.expr }));
    const c = compileExpr(item.ast!, ctx('the select list'));
    // A bare column keeps its own name (as spelled in the table, not in the query), as in Spark.
    const ref = item.ast!.type === 'column_ref' ? item.ast! : null;
    const own = ref ? rel.scope.entry(typeof ref.table === 'string' ? ref.table : ref.table?.value ?? null, columnName(ref)).name : null;
    return [{ name: item.alias ?? own, expr: c.expr }];
  }) as { name: string | null; expr: Expr }[];
  const having = ast.having ? compileExpr(withAliases(ast.having, items, rel.scope), ctx('HAVING')).expr : null;
  const orderExprs = orders.map((o) => outputKey(o.expr, outputs, ctx('ORDER BY')) ?? compileExpr(o.expr, ctx('ORDER BY')));

  let df = rel.df;
  let names = new Map<string, string>();
  if (agg) {
    df = agg.build();
    names = agg.names;
    outputs = outputs.map((o) => ({ ...o, expr: agg.rewrite(o.expr) }));
  }
  if (having !== null) {
    if (!agg) throw new Error('sql: HAVING needs GROUP BY or an aggregate');
    df = df.filter(new Column(agg.rewrite(having)));
  }
  // Unaliased names show the user's expressions, not the internal columns of the aggregation.
  const shown = (text: string) => text.replace(/__(?:agg|grp)\d+/g, (m) => names.get(m) ?? m);
  const named = outputs.map((o) => ({ name: o.name ?? shown(displayExpr(o.expr, rel.scope, names)), expr: o.expr }));
  const seen = new Map<string, number>();
  named.forEach((o, i) => {
    const first = seen.get(o.name);
    // Spark's result may repeat a name; a Quiver DataFrame's columns are unique.
    if (first !== undefined) {
      throw new Error(`sql: select list items ${first + 1} and ${i + 1} are both named '${o.name}', and a Quiver DataFrame needs unique column names; alias one of them (… AS other_${o.name}), or join with USING (${o.name}) when they are the join key`);
    }
    seen.set(o.name, i);
  });
  // ORDER BY terms not in the select list are computed as hidden columns, dropped after sorting.
  const hidden: Column[] = [];
  const sortKeys = orderExprs.map((c, i) => {
    let e = c.expr;
    if (e.op === 'col' && named.some((o) => o.name === (e as { name: string }).name) && outputKeyName(c)) return sortOrder(orders[i], col(e.name));
    if (agg) e = agg.rewrite(e);
    const same = named.find((o) => exprJson(o.expr) === exprJson(e));
    if (same) return sortOrder(orders[i], col(same.name));
    hidden.push(new Column(e).alias(`__ord${i}`));
    return sortOrder(orders[i], col(`__ord${i}`));
  });
  if (distinct && hidden.length) throw new Error('sql: with SELECT DISTINCT, ORDER BY terms must appear in the select list');
  let out = df.select(...named.map((o) => new Column(o.expr).alias(o.name)), ...hidden);
  if (distinct) out = out.distinct();
  if (sortKeys.length) out = out.orderBy(...sortKeys);
  out = applyLimit(out, ast.limit);
  return hidden.length ? out.drop(...hidden.map((_, i) => out.columns[named.length + i])) : out;
}

const OUTPUT_REF = Symbol('output');
const outputKeyName = (c: Column): boolean => (c as unknown as Record<symbol, boolean>)[OUTPUT_REF] === true;

/** ORDER BY 2 (an ordinal) or ORDER BY alias: the select list's column, else null. */
function outputKey(node: AstNode, outputs: { name: string | null; expr: Expr }[], ctx: ExprContext): Column | null {
  const mark = (name: string) => Object.assign(col(name), { [OUTPUT_REF]: true });
  if (node.type === 'number') {
    const k = Number(node.value);
    if (!Number.isInteger(k) || k < 1 || k > outputs.length) throw new Error(`sql: ORDER BY position ${node.value} is not in the select list (1 to ${outputs.length})`);
    const o = outputs[k - 1];
    return o.name ? mark(o.name) : new Column(o.expr);
  }
  if (node.type === 'column_ref' && !node.table) {
    const name = columnName(node);
    const hit = outputs.find((o) => o.name === name) ?? outputs.find((o) => o.name !== null && o.name.toLowerCase() === name.toLowerCase());
    if (hit) return mark(hit.name!);
  }
  void ctx;
  return null;
}

/** HAVING's bare names that are select aliases (and not columns) stand for the aliased expression. */
function withAliases(node: unknown, items: SelectItem[], scope: Scope): AstNode {
  const swap = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(swap);
    if (n === null || typeof n !== 'object') return n;
    const o = n as AstNode;
    if (o.type === 'select') return o;
    if (o.type === 'column_ref' && !o.table) {
      const name = columnName(o);
      const isColumn = scope.columns.some((c) => c.bare && c.name.toLowerCase() === name.toLowerCase());
      const aliased = items.find((i) => i.alias !== null && i.alias.toLowerCase() === name.toLowerCase());
      if (!isColumn && aliased?.ast) return aliased.ast;
      return o;
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, swap(v)]));
  };
  return swap(node) as AstNode;
}

interface SelectItem { ast?: AstNode; alias: string | null; star?: string | null }

function selectItems(columns: AstNode[] | string): SelectItem[] {
  if (columns === '*') return [{ alias: null, star: null }];
  return (columns as AstNode[]).map((c) => {
    const e = c.expr as AstNode;
    const alias = c.as === null || c.as === undefined ? null : String(typeof c.as === 'object' ? c.as.value : c.as);
    if ((e.type === 'column_ref' && columnName(e) === '*') || e.type === 'star') {
      return { alias: null, star: e.table ? String(typeof e.table === 'object' ? e.table.value : e.table) : null };
    }
    return { ast: e, alias };
  });
}

/** GROUP BY terms as expressions; an ordinal or a select alias (that is not a column) names a select item, as in Spark. */
function groupByItems(ast: AstNode, items: SelectItem[], scope: Scope): AstNode[] {
  const g = ast.groupby;
  if (!g) return [];
  if (g.modifiers?.length || g.type === 'rollup') throw unsupported('GROUP BY ROLLUP/CUBE/GROUPING SETS');
  const cols = (Array.isArray(g) ? g : g.columns ?? []) as AstNode[];
  return cols.map((c) => {
    if (c.type === 'function' && ['rollup', 'cube', 'grouping sets'].includes(String(c.name?.name?.[0]?.value).toLowerCase())) {
      throw unsupported(`GROUP BY ${String(c.name.name[0].value).toUpperCase()}`, 'group by columns or expressions');
    }
    if (c.type === 'number') {
      const k = Number(c.value);
      const item = items[k - 1];
      if (!item || !item.ast) throw new Error(`sql: GROUP BY position ${c.value} is not an expression of the select list (1 to ${items.length})`);
      return item.ast;
    }
    if (c.type === 'column_ref' && !c.table) {
      const name = columnName(c);
      const isColumn = scope.columns.some((s) => s.bare && s.name.toLowerCase() === name.toLowerCase());
      const aliased = items.find((i) => i.alias !== null && i.alias.toLowerCase() === name.toLowerCase());
      if (!isColumn && aliased?.ast) return aliased.ast;
    }
    return c;
  });
}

function applyLimit(df: DataFrame, limit: AstNode | null | undefined): DataFrame {
  const values = (limit?.value ?? []) as AstNode[];
  if (values.length === 0) return df;
  if (values.length > 1) throw unsupported('LIMIT with OFFSET');
  const n = literalOf(values[0]);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error(`sql: LIMIT takes a non-negative integer but got ${JSON.stringify(values[0].value)}`);
  return df.limit(n);
}
