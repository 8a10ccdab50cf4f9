// FROM: views, CTEs and subqueries, and the joins between them. A joined relation reads each
// column under a name unique to its table (`alias.column`), so both sides may share names; the
// scope maps the user's names onto them. Joins are Quiver's equi-joins (extra conditions of an
// inner join become a filter; a cross join is an equi-join on a constant).
import { coalesce, Column, col, lit, type Expr } from '../column.js';
import type { DataFrame } from '../dataframe.js';
import { tableNotFound } from './catalog.js';
import { columnName, compileExpr } from './expression.js';
import { unsupported, type AstNode } from './parse.js';
import { compileQuery, type QueryEnv, type Relation } from './query.js';
import { Scope } from './scope.js';

type How = 'inner' | 'left' | 'right' | 'full' | 'cross' | 'left_semi' | 'left_anti';
const JOINS: Record<string, How> = {
  'join': 'inner', 'inner join': 'inner', 'left join': 'left', 'left outer join': 'left', 'right join': 'right', 'right outer join': 'right',
  'full join': 'full', 'full outer join': 'full', 'cross join': 'cross',
};

export function compileFrom(from: AstNode[], env: QueryEnv): Relation {
  const sources = from.map((item, i) => source(item, env, i));
  if (sources.length === 1) return { df: sources[0].df, scope: Scope.of(sources[0].df, sources[0].qualifier) };
  // Joined relations read every column under a name unique to its table: `alias.column`.
  const seen = new Set<string>();
  const rels = sources.map((s, i): Relation => {
    const q = s.qualifier ?? `__subquery${i}`;
    if (seen.has(q.toLowerCase())) throw new Error(`sql: '${q}' appears twice in FROM; give each an alias`);
    seen.add(q.toLowerCase());
    const df = s.df.select(...s.df.columns.map((c) => col(c).alias(`${q}.${c}`)));
    return { df, scope: new Scope(s.df.columns.map((name) => ({ qualifier: s.qualifier, name, expr: col(`${q}.${name}`).expr, bare: true }))) };
  });
  let acc = rels[0];
  for (let i = 1; i < rels.length; i++) {
    const item = from[i];
    const kind = item.join ? String(item.join).toLowerCase().replace(/\s+/g, ' ') : 'cross join';
    const how: How | undefined = item.quiverJoin ?? JOINS[kind];
    if (!how) throw unsupported(String(item.join).toUpperCase(), 'supported joins: INNER, LEFT, RIGHT, FULL [OUTER] and CROSS');
    acc = joinStep(acc, rels[i], how, item.on ?? null, item.using ?? null);
  }
  return acc;
}

function source(item: AstNode, env: QueryEnv, i: number): { df: DataFrame; qualifier: string | null } {
  const alias = item.as ? String(typeof item.as === 'object' ? item.as.value : item.as) : null;
  if (item.prefix) throw unsupported(`${String(item.prefix).toUpperCase()} in FROM`);
  if (item.expr?.ast) return { df: compileQuery(item.expr.ast, env), qualifier: alias };
  if (item.expr) throw unsupported(`this FROM item (${String(item.expr.type ?? 'expression')})`);
  if (item.type === 'dual') return { df: env.oneRow(), qualifier: null };
  if (typeof item.table !== 'string') throw unsupported(`FROM item ${i + 1}`);
  const db = item.db ? String(item.db) : null;
  const name = item.table;
  if (db === null && env.ctes.has(name.toLowerCase())) return { df: env.ctes.get(name.toLowerCase())!, qualifier: alias ?? name };
  try {
    return { df: env.catalog.resolve(db, name), qualifier: alias ?? name };
  } catch {
    throw tableNotFound(db ? `${db}.${name}` : name, [...[...env.ctes.keys()], ...env.catalog.names()]);
  }
}

function joinStep(left: Relation, right: Relation, how: How, on: AstNode | null, using: AstNode[] | null): Relation {
  if (using) {
    if (how === 'cross') throw new Error('sql: CROSS JOIN takes no USING');
    const names = using.map((u) => String(typeof u === 'string' ? u : u.value ?? columnName(u)));
    const pairs = names.map((n) => [left.scope.resolve(null, n), right.scope.resolve(null, n)] as [Expr, Expr]);
    const cond = pairs.map(([l, r]) => new Column(l).eq(new Column(r))).reduce((a, b) => a.and(b));
    const df = left.df.join(right.df, cond, how);
    if (how === 'left_semi' || how === 'left_anti') return { df, scope: left.scope };
    const lower = names.map((n) => n.toLowerCase());
    const hide = (s: Scope) => s.columns.map((c) => (lower.includes(c.name.toLowerCase()) ? { ...c, bare: false } : c));
    // A USING key is one column: the left's, the right's for RIGHT JOIN, either for FULL JOIN (Spark).
    const keys = names.map((name, i) => ({
      qualifier: null, name, bare: true,
      expr: how === 'full' ? coalesce(new Column(pairs[i][0]), new Column(pairs[i][1])).expr : how === 'right' ? pairs[i][1] : pairs[i][0],
    }));
    return { df, scope: new Scope([...keys, ...hide(left.scope), ...hide(right.scope)]) };
  }
  const filtering = how === 'left_semi' || how === 'left_anti';
  const scope = filtering ? left.scope : left.scope.concat(right.scope);
  if (!on) {
    if (filtering) throw new Error(`sql: a ${how === 'left_semi' ? 'SEMI' : 'ANTI'} JOIN needs ON or USING`);
    if (how !== 'cross' && how !== 'inner') throw new Error(`sql: a ${how.toUpperCase()} JOIN needs ON or USING`);
    return { df: crossJoin(left.df, right.df), scope };
  }
  if (how === 'cross') throw new Error('sql: CROSS JOIN takes no ON condition; use JOIN ... ON');
  const cond = compileExpr(on, { scope: left.scope.concat(right.scope), clause: 'the join condition (ON)', aggregates: null, windows: null }).expr;
  const keys: Column[] = [], residual: Column[] = [];
  for (const c of conjuncts(cond)) {
    const side = (e: Expr) => (e.op !== 'col' ? null : left.df.schema.has(e.name) ? 'left' : right.df.schema.has(e.name) ? 'right' : null);
    if (c.op === 'cmp' && c.fn === '==' && side(c.left) && side(c.right) && side(c.left) !== side(c.right)) keys.push(new Column(c));
    else residual.push(new Column(c));
  }
  if (residual.length && how !== 'inner') {
    const shown = how === 'left_semi' ? 'SEMI' : how === 'left_anti' ? 'ANTI' : how.toUpperCase();
    throw unsupported(`a ${shown} JOIN condition other than equalities between the two sides joined by AND`, 'filter one side first, or use an INNER JOIN');
  }
  if (!keys.length && how !== 'inner') throw unsupported(`a ${how.toUpperCase()} JOIN without an equality between the two sides`);
  let df = keys.length ? left.df.join(right.df, keys.reduce((a, b) => a.and(b)), how) : crossJoin(left.df, right.df);
  if (residual.length) df = df.filter(residual.reduce((a, b) => a.and(b)));
  return { df, scope };
}

function conjuncts(e: Expr): Expr[] { return e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e]; }

/** Every pair of rows: an equi-join on a constant (Quiver's join is a hash join on keys). */
function crossJoin(l: DataFrame, r: DataFrame): DataFrame {
  const lk = '__cross_left', rk = '__cross_right';
  return l.withColumn(lk, lit(0)).join(r.withColumn(rk, lit(0)), col(lk).eq(col(rk)), 'inner').drop(lk, rk);
}
