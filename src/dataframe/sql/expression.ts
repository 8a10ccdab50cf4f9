// SQL expressions (node-sql-parser's AST) to Quiver Columns: the same Column operations the
// DataFrame API builds, so SQL and DataFrame code share one path. Aggregate calls are handed to the
// query compiler (which computes them in a groupBy().agg()) and read back as columns; window calls
// become the window Columns of window.ts.
import { coalesce, Column, col, exprName, isnan, lit, SortOrder, when, type Expr, type Literal } from '../column.js';
import type { AggFunction } from '../aggregates.js';
import { AggColumn } from '../grouped.js';
import { unsupported, type AstNode } from './parse.js';
import { windowCall } from './windows.js';
import type { Scope } from './scope.js';

/** Receives an aggregate call of an aggregate query and returns the column that will hold it. */
export interface AggregateSink { add(agg: AggColumn, name: string): Expr }

export interface ExprContext {
  /** Where names resolve; null for expr(), whose names are resolved later by the DataFrame. */
  scope: Scope | null;
  /** The clause, for messages ('WHERE', 'the select list', ...). */
  clause: string;
  /** Set where aggregate functions may appear (the select list, HAVING and ORDER BY of a query). */
  aggregates: AggregateSink | null;
  /** Named windows of the query (WINDOW w AS (...)); null where window functions may not appear. */
  windows: Map<string, AstNode> | null;
}

/** SQL aggregate names to Quiver's aggregates. */
export const AGGREGATES: Record<string, AggFunction> = {
  count: 'count', sum: 'sum', avg: 'avg', mean: 'mean', min: 'min', max: 'max', stddev: 'stddev', stddev_samp: 'stddev', std: 'stddev',
  variance: 'variance', var_samp: 'variance', first: 'first', first_value: 'first', last: 'last', last_value: 'last',
};
export const RANKING = ['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist'] as const;
const ROW_FUNCTIONS = ['coalesce', 'nvl', 'ifnull', 'isnan', 'isnull', 'isnotnull', 'nullif'];

const CAST_TYPES: Record<string, 'double' | 'int' | 'long' | 'string' | 'boolean'> = {
  double: 'double', float: 'double', real: 'double', int: 'int', integer: 'int', smallint: 'int', tinyint: 'int',
  bigint: 'long', long: 'long', string: 'string', varchar: 'string', char: 'string', text: 'string', boolean: 'boolean', bool: 'boolean',
};

const COMPARISONS: Record<string, (a: Column, b: Column) => Column> = {
  '=': (a, b) => a.eq(b), '==': (a, b) => a.eq(b), '!=': (a, b) => a.ne(b), '<>': (a, b) => a.ne(b),
  '<': (a, b) => a.lt(b), '<=': (a, b) => a.le(b), '>': (a, b) => a.gt(b), '>=': (a, b) => a.ge(b),
};
const ARITHMETIC: Record<string, (a: Column, b: Column) => Column> = {
  '+': (a, b) => a.plus(b), '-': (a, b) => a.minus(b), '*': (a, b) => a.times(b), '/': (a, b) => a.divide(b), '%': (a, b) => a.mod(b),
};

/** A column reference's name (the parser gives a string, or an object for some quoted forms). */
export function columnName(node: AstNode): string {
  const c = node.column;
  if (typeof c === 'string') return c;
  if (c && typeof c === 'object') return String(c.expr?.value ?? c.value);
  throw new Error(`sql: cannot read the column name of ${JSON.stringify(node)}`);
}

export function functionName(node: AstNode): string {
  const n = node.name;
  if (typeof n === 'string') return n.toLowerCase();
  const parts = (n?.name ?? []) as { value: string }[];
  return parts.map((p) => p.value).join('.').toLowerCase();
}

/** True if the expression calls an aggregate function outside any window (so the query aggregates). */
export function hasAggregate(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasAggregate);
  if (node === null || typeof node !== 'object') return false;
  const n = node as AstNode;
  if (n.type === 'select') return false; // a subquery aggregates on its own
  if ((n.type === 'aggr_func' || n.type === 'function') && !n.over && AGGREGATES[functionName(n)] !== undefined) return true;
  return Object.values(n).some(hasAggregate); // OVER (ORDER BY sum(x)) aggregates too
}

export function literalOf(node: AstNode): Literal | undefined {
  switch (node.type) {
    case 'number': return Number(node.value);
    case 'single_quote_string': case 'double_quote_string': case 'string': case 'natural_string':
      return unescapeString(String(node.value), node.type === 'double_quote_string' ? '"' : "'");
    case 'bool': case 'boolean': return Boolean(node.value);
    case 'null': return null;
    default: return undefined;
  }
}

const ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '\\': '\\', "'": "'", '"': '"' };

/**
 * A string literal's value as Spark's parser reads it (the grammar leaves escapes in): `\n`, `\t`,
 * `\\`, `\'`, `\uXXXX`, ...; `\%` and `\_` stay as written (LIKE reads them); a doubled quote is one quote.
 */
export function unescapeString(raw: string, quote: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === quote && raw[i + 1] === quote) { out += quote; i++; continue; }
    if (c !== '\\' || i + 1 >= raw.length) { out += c; continue; }
    const n = raw[++i];
    if (n === '%' || n === '_') out += `\\${n}`;
    else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 1, i + 5))) { out += String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16)); i += 4; }
    else out += ESCAPES[n] ?? n;
  }
  return out;
}

/** Compiles one expression node. */
export function compileExpr(node: AstNode, ctx: ExprContext): Column {
  const lv = literalOf(node);
  if (lv !== undefined) {
    if (typeof lv === 'number' && !Number.isFinite(lv)) throw new Error(`sql: cannot read the number '${String(node.value)}'`);
    return lit(lv);
  }
  const sub = (n: AstNode) => compileExpr(n, ctx);
  switch (node.type) {
    case 'column_ref': {
      const name = columnName(node);
      if (name === '*') throw new Error(`sql: '*' cannot be used in ${ctx.clause}; only in the select list or count(*)`);
      const table = typeof node.table === 'string' ? node.table : node.table?.value ?? null;
      if (!ctx.scope) {
        if (table) throw unsupported(`the qualified name '${table}.${name}' in expr()`, 'use the bare column name');
        return col(name);
      }
      return new Column(ctx.scope.resolve(table, name));
    }
    case 'binary_expr': return binary(node, ctx);
    case 'unary_expr': {
      const op = String(node.operator).toUpperCase();
      if (op === 'NOT' || op === '!') return sub(node.expr).not();
      if (op === '-') return negate(node.expr, ctx);
      if (op === '+') return sub(node.expr);
      throw unsupported(`the operator ${op}`);
    }
    case 'case': return caseWhen(node, ctx);
    case 'cast': {
      const target = node.target?.[0];
      const typeName = String(target?.dataType ?? '').toLowerCase();
      const to = CAST_TYPES[typeName];
      if (!to || target?.length) throw unsupported(`CAST to ${String(target?.dataType ?? '?').toUpperCase()}`, `Quiver casts to ${Object.keys(CAST_TYPES).join(', ')}`);
      return sub(node.expr).cast(to);
    }
    case 'aggr_func': case 'function': case 'window_func': return call(node, ctx);
    case 'expr_list': {
      const items = node.value as AstNode[];
      if (items.length === 1) return sub(items[0]);
      throw unsupported('a row value (a, b, ...)');
    }
    case 'star': throw new Error(`sql: '*' cannot be used in ${ctx.clause}; only in the select list or count(*)`);
    case 'select': throw unsupported('a subquery in an expression', 'join with the subquery in FROM instead');
    default: throw unsupported(`the expression ${describeNode(node)}`);
  }
}

function describeNode(node: AstNode): string {
  if (node.type === 'interval') return 'INTERVAL';
  if (node.ast || node.type === 'select') return 'subquery';
  return `of type '${String(node.type)}'`;
}

/** `-5` is a literal (as Spark reads it), `-x` a negation. */
function negate(child: AstNode, ctx: ExprContext): Column {
  if (child.type === 'number') return lit(-Number(child.value));
  return compileExpr(child, ctx).negate();
}

function binary(node: AstNode, ctx: ExprContext): Column {
  const op = String(node.operator).toUpperCase();
  const sub = (n: AstNode) => compileExpr(n, ctx);
  if (op === 'AND') return sub(node.left).and(sub(node.right));
  if (op === 'OR') return sub(node.left).or(sub(node.right));
  if (COMPARISONS[op]) return COMPARISONS[op](sub(node.left), sub(node.right));
  if (ARITHMETIC[op]) return ARITHMETIC[op](sub(node.left), sub(node.right));
  switch (op) {
    case 'IS': case 'IS NOT': {
      if (node.right.type !== 'null') throw unsupported(`${op} ${String(node.right.value ?? node.right.type).toUpperCase()}`, 'IS [NOT] NULL is supported');
      return op === 'IS' ? sub(node.left).isNull() : sub(node.left).isNotNull();
    }
    case 'IN': case 'NOT IN': {
      if (node.right.type !== 'expr_list' || (node.right.value as AstNode[]).some((v) => v.ast || v.type === 'select')) {
        throw unsupported(`${op} (subquery)`, 'IN takes a list of values; join with the subquery instead');
      }
      const inList = sub(node.left).isin(...(node.right.value as AstNode[]).map(sub));
      return op === 'IN' ? inList : inList.not();
    }
    case 'BETWEEN': case 'NOT BETWEEN': {
      const [lo, hi] = node.right.value as AstNode[];
      const between = sub(node.left).between(sub(lo), sub(hi));
      return op === 'BETWEEN' ? between : between.not();
    }
    case 'LIKE': case 'NOT LIKE': {
      const pattern = literalOf(node.right);
      if (typeof pattern !== 'string') throw unsupported(`${op} with a pattern that is not a string literal`);
      if (node.right.escape || node.escape) throw unsupported(`${op} ... ESCAPE`, 'the escape character is \\');
      const like = sub(node.left).like(pattern);
      return op === 'LIKE' ? like : like.not();
    }
    default:
      throw unsupported(`the operator ${op}`, op === '||' ? 'Quiver has no string concatenation yet' : undefined);
  }
}

function caseWhen(node: AstNode, ctx: ExprContext): Column {
  const sub = (n: AstNode) => compileExpr(n, ctx);
  const subject = node.expr ? sub(node.expr) : null;
  let out: Column | null = null;
  let otherwise: Column | null = null;
  for (const arm of node.args as AstNode[]) {
    if (arm.type === 'else') { otherwise = sub(arm.result); continue; }
    const cond = subject ? subject.eq(sub(arm.cond)) : sub(arm.cond);
    out = out ? out.when(cond, sub(arm.result)) : when(cond, sub(arm.result));
  }
  if (!out) throw new Error('sql: CASE needs at least one WHEN');
  return otherwise ? out.otherwise(otherwise) : out;
}

function argsOf(node: AstNode): AstNode[] {
  const a = node.args;
  if (!a) return [];
  if (Array.isArray(a.value)) return a.value as AstNode[];
  if (a.expr) return [a.expr as AstNode];
  return [];
}

function call(node: AstNode, ctx: ExprContext): Column {
  const name = functionName(node);
  const args = argsOf(node);
  const sub = (n: AstNode) => compileExpr(n, ctx);
  const agg = AGGREGATES[name];
  if (node.over) return windowCall(node, name, args, ctx);
  if (agg) {
    if (!ctx.aggregates) {
      throw new Error(`[UNSUPPORTED_EXPR_FOR_OPERATOR] aggregate function ${name}() is not allowed in ${ctx.clause}`);
    }
    const distinct = String(node.args?.distinct ?? '').toUpperCase() === 'DISTINCT';
    const inner: ExprContext = { ...ctx, aggregates: null, windows: null, clause: `the argument of ${name}()` };
    if (args.length !== 1) throw new Error(`sql: ${name}() takes one argument but got ${args.length}`);
    const star = args[0].type === 'star' || (args[0].type === 'column_ref' && columnName(args[0]) === '*');
    if (star && name !== 'count') throw new Error(`sql: ${name}(*) is not allowed; only count(*)`);
    const input = star ? null : compileExpr(args[0], inner);
    let fn: AggFunction = agg;
    if (distinct) {
      if (name === 'count') fn = 'countDistinct';
      else if (name !== 'min' && name !== 'max') throw unsupported(`${name}(DISTINCT ...)`, 'Quiver has count(DISTINCT ...) only');
    }
    const column = new AggColumn(fn, input);
    return new Column(ctx.aggregates.add(column, aggregateName(fn, input, ctx.scope)));
  }
  switch (name) {
    case 'coalesce': case 'nvl': case 'ifnull':
      if (args.length === 0 || (name !== 'coalesce' && args.length !== 2)) throw new Error(`sql: ${name}() takes ${name === 'coalesce' ? 'one or more arguments' : 'two arguments'} but got ${args.length}`);
      return coalesce(...args.map(sub));
    case 'not': return sub(one(name, args)).not(); // `NOT (a OR b)` parses as a call
    case 'isnan': return isnan(sub(one(name, args)));
    case 'isnull': return sub(one(name, args)).isNull();
    case 'isnotnull': return sub(one(name, args)).isNotNull();
    case 'nullif': {
      if (args.length !== 2) throw new Error(`sql: nullif() takes two arguments but got ${args.length}`);
      const a = sub(args[0]);
      return when(a.eq(sub(args[1])), lit(null)).otherwise(a);
    }
  }
  if ((RANKING as readonly string[]).includes(name) || name === 'lag' || name === 'lead') {
    throw new Error(`sql: ${name}() is a window function and needs OVER (...)`);
  }
  throw unsupported(`the function ${name}()`, `Quiver's SQL has the aggregates ${Object.keys(AGGREGATES).join(', ')}, the window functions ${[...RANKING, 'lag', 'lead'].join(', ')} and ${ROW_FUNCTIONS.join(', ')}`);
}

function one(name: string, args: AstNode[]): AstNode {
  if (args.length !== 1) throw new Error(`sql: ${name}() takes one argument but got ${args.length}`);
  return args[0];
}

/** Spark's name for an unaliased aggregate: `sum(x)`, `count(1)` for count(*), `count(DISTINCT x)`. */
function aggregateName(fn: AggFunction, input: Column | null, scope: Scope | null): string {
  if (input === null) return 'count(1)';
  const shown = displayExpr(input.expr, scope);
  const label = fn === 'mean' ? 'avg' : fn;
  return fn === 'countDistinct' ? `count(DISTINCT ${shown})` : `${label}(${shown})`;
}

/** An expression's name with internal column names (`p.age` after a join) shown as the user's (`age`). */
export function displayExpr(e: Expr, scope: Scope | null, extra?: Map<string, string>): string {
  const names = new Map([...(scope?.displayNames() ?? []), ...(extra ?? [])]);
  const rename = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(rename);
    if (x === null || typeof x !== 'object') return x;
    const o = x as Expr;
    if (o.op === 'col') return { op: 'col', name: names.get(o.name) ?? o.name };
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, rename(v)]));
  };
  return exprName(rename(e) as Expr);
}

/** ORDER BY item to a SortOrder: ASC puts nulls first and DESC last unless NULLS FIRST/LAST says otherwise (Spark). */
export function sortOrder(item: AstNode, c: Column): SortOrder {
  const desc = String(item.type ?? 'ASC').toUpperCase() === 'DESC';
  const nulls = String(item.nulls ?? '').toUpperCase();
  const nullsFirst = nulls.includes('FIRST') ? true : nulls.includes('LAST') ? false : !desc;
  if (desc) return nullsFirst ? c.desc_nulls_first() : c.desc_nulls_last();
  return nullsFirst ? c.asc_nulls_first() : c.asc_nulls_last();
}
