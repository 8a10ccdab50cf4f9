// Window calls of SQL (`fn(...) OVER (PARTITION BY ... ORDER BY ... ROWS/RANGE BETWEEN ...)` and
// named windows) to the window Columns of window.ts: the same WindowSpec the API builds.
import { Column } from '../column.js';
import { AggColumn, functions } from '../grouped.js';
import { Window, WindowFunction, type WindowSpec } from '../window.js';
import { AGGREGATES, columnName, compileExpr, literalOf, RANKING, sortOrder, type ExprContext } from './expression.js';
import { unsupported, type AstNode } from './parse.js';

export function windowCall(node: AstNode, name: string, args: AstNode[], ctx: ExprContext): Column {
  if (!ctx.windows) throw new Error(`[UNSUPPORTED_EXPR_FOR_OPERATOR] window function ${name}() is not allowed in ${ctx.clause}`);
  // Aggregates stay allowed inside a window of an aggregate query (rank() OVER (ORDER BY sum(x))).
  const inner: ExprContext = { ...ctx, windows: null, clause: `the window of ${name}()` };
  const spec = windowSpec(node.over, ctx.windows, inner);
  const sub = (n: AstNode) => compileExpr(n, { ...inner, clause: `the argument of ${name}()` });
  const agg = AGGREGATES[name];
  if (agg) {
    if (String(node.args?.distinct ?? '').toUpperCase() === 'DISTINCT') throw unsupported(`${name}(DISTINCT ...) OVER (...)`);
    const star = args.length === 1 && (args[0].type === 'star' || (args[0].type === 'column_ref' && columnName(args[0]) === '*'));
    if (star && name !== 'count') throw new Error(`sql: ${name}(*) is not allowed; only count(*)`);
    if (args.length !== 1) throw new Error(`sql: ${name}() takes one argument but got ${args.length}`);
    return new AggColumn(agg, star ? null : sub(args[0])).over(spec);
  }
  if ((RANKING as readonly string[]).includes(name)) {
    if (args.length) throw new Error(`sql: ${name}() takes no arguments but got ${args.length}`);
    return (functions[name as typeof RANKING[number]]() as WindowFunction).over(spec);
  }
  if (name === 'lag' || name === 'lead') {
    if (args.length < 1 || args.length > 3) throw new Error(`sql: ${name}() takes one to three arguments but got ${args.length}`);
    const offset = args.length > 1 ? literalOf(args[1]) : 1;
    if (typeof offset !== 'number') throw new Error(`sql: the offset of ${name}() must be an integer literal`);
    const dflt = args.length > 2 ? literalOf(args[2]) : null;
    if (dflt === undefined) throw new Error(`sql: the default of ${name}() must be a literal`);
    return functions[name](sub(args[0]), offset, dflt).over(spec);
  }
  throw unsupported(`the window function ${name}()`, `window functions are ${[...RANKING, 'lag', 'lead', 'count', 'sum', 'avg', 'mean', 'min', 'max', 'first', 'last'].join(', ')}`);
}

function windowSpec(over: AstNode, named: Map<string, AstNode>, ctx: ExprContext): WindowSpec {
  let ws = over.as_window_specification;
  if (typeof ws === 'string') {
    const def = named.get(ws.toLowerCase());
    if (!def) throw new Error(`sql: window '${ws}' is not defined; defined windows: [${[...named.keys()].join(', ')}]`);
    ws = def;
  }
  const spec = (ws?.window_specification ?? {}) as AstNode;
  if (spec.name) throw unsupported('a window that refines a named window');
  let w: WindowSpec = Window.partitionBy(...((spec.partitionby ?? []) as AstNode[]).map((p) => compileExpr(p.expr, ctx)));
  const orders = ((spec.orderby ?? []) as AstNode[]).map((o) => sortOrder(o, compileExpr(o.expr, ctx)));
  if (orders.length) w = w.orderBy(...orders);
  const frame = spec.window_frame_clause as AstNode | undefined;
  if (frame) {
    const range = spec.quiverRange === true;
    let start: AstNode, end: AstNode;
    if (frame.operator === 'BETWEEN') [start, end] = frame.right.value as AstNode[];
    else { start = frame.expr; end = { type: 'origin', value: 'CURRENT ROW' }; }
    const s = bound(start), e = bound(end);
    w = range ? w.rangeBetween(s, e) : w.rowsBetween(s, e);
  }
  return w;
}

/** A frame boundary: UNBOUNDED PRECEDING/FOLLOWING, CURRENT ROW, n PRECEDING/FOLLOWING. */
function bound(node: AstNode): number {
  const text = String(node?.value ?? '').trim().toUpperCase().replace(/\s+/g, ' ');
  if (text === 'UNBOUNDED PRECEDING') return Window.unboundedPreceding;
  if (text === 'UNBOUNDED FOLLOWING') return Window.unboundedFollowing;
  if (text === 'CURRENT ROW') return Window.currentRow;
  const m = /^(\d+(?:\.\d+)?) (PRECEDING|FOLLOWING)$/.exec(text);
  if (m) return m[2] === 'PRECEDING' ? -Number(m[1]) : Number(m[1]);
  throw unsupported(`the frame boundary '${String(node?.value)}'`);
}

