// Quiver's column expressions (dataframe/column.ts) as Spark Connect Expression messages: columns
// by name, literals typed as Quiver types them, operators as Spark's built-in functions.
import { exprName, type ArithOp, type CmpOp, type Expr, type Literal, type SortOrder } from '../dataframe/column.js';
import type { AggFunction } from '../dataframe/aggregates.js';
import type { Message } from './client.js';

const fn = (name: string, args: Message[], isDistinct = false): Message =>
  ({ unresolved_function: { function_name: name, arguments: args, is_distinct: isDistinct } });

const ARITH: Record<ArithOp, string> = { '+': '+', '-': '-', '*': '*', '/': '/', '%': '%' };
const CMP: Record<Exclude<CmpOp, '!='>, string> = { '==': '==', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
/** Spark's names for Quiver's cast targets. */
const CAST: Record<string, string> = { double: 'double', int: 'int', long: 'bigint', boolean: 'boolean', string: 'string' };

export function literalProto(v: Literal): Message {
  if (v === null) return { literal: { null: { null: {} } } };
  if (typeof v === 'boolean') return { literal: { boolean: v } };
  if (typeof v === 'string') return { literal: { string: v } };
  // As Quiver's resolver: a whole number in int range is an int, anything else a double.
  if (Number.isInteger(v) && Math.abs(v) <= 2147483647 && !Object.is(v, -0)) return { literal: { integer: v } };
  return { literal: { double: v } };
}

export function exprProto(e: Expr): Message {
  switch (e.op) {
    case 'col': return e.name === '*' ? { unresolved_star: {} } : { unresolved_attribute: { unparsed_identifier: quoteIdentifier(e.name) } };
    case 'lit': return literalProto(e.value);
    case 'arith': return fn(ARITH[e.fn], [exprProto(e.left), exprProto(e.right)]);
    // PySpark sends a != b as NOT (a == b); Spark's column is named (NOT (a = b)) either way.
    case 'cmp': return e.fn === '!=' ? fn('not', [fn('==', [exprProto(e.left), exprProto(e.right)])]) : fn(CMP[e.fn], [exprProto(e.left), exprProto(e.right)]);
    case 'and': case 'or': return fn(e.op, [exprProto(e.left), exprProto(e.right)]);
    case 'not': return fn('not', [exprProto(e.child)]);
    case 'neg': return fn('negative', [exprProto(e.child)]);
    case 'isNull': return fn('isnull', [exprProto(e.child)]);
    case 'isNotNull': return fn('isnotnull', [exprProto(e.child)]);
    case 'isNaN': return fn('isnan', [exprProto(e.child)]);
    case 'coalesce': return fn('coalesce', e.args.map(exprProto));
    case 'cast': return { cast: { expr: exprProto(e.child), type_str: CAST[e.to] } };
    case 'alias': return aliasProto(exprProto(e.child), e.name);
    case 'when': return fn('when', [...e.branches.flatMap(([c, v]) => [exprProto(c), exprProto(v)]), ...(e.otherwise ? [exprProto(e.otherwise)] : [])]);
    case 'udf':
      throw new Error(`udf '${e.name}' is a JavaScript function and cannot run on a Spark Connect server's executors; ` +
        'use Spark\'s built-in functions on a remote session, or run this step on a local session');
  }
  const op = (e as { op: string }).op;
  throw new Error(`Spark Connect: the expression '${exprName(e)}' (${op}) cannot be sent to Spark yet`);
}

export const aliasProto = (expr: Message, name: string): Message => ({ alias: { expr, name: [name] } });

/** Spark's functions for Quiver's aggregates; countDistinct is count(DISTINCT ...). */
export function aggregateProto(fnName: AggFunction, input: Expr | null): Message {
  if (input === null) return fn('count', [literalProto(1)]);
  const arg = exprProto(input);
  switch (fnName) {
    case 'countDistinct': return fn('count', [arg], true);
    case 'mean': return fn('avg', [arg]);
    case 'stddev': return fn('stddev', [arg]);
    case 'variance': return fn('variance', [arg]);
    default: return fn(fnName, [arg]);
  }
}

export function sortOrderProto(o: SortOrder): Message {
  return {
    sort_order: {
      child: exprProto(o.expr),
      direction: o.ascending ? 'SORT_DIRECTION_ASCENDING' : 'SORT_DIRECTION_DESCENDING',
      null_ordering: o.nullsFirst ? 'SORT_NULLS_FIRST' : 'SORT_NULLS_LAST',
    },
  };
}

/** Backquotes a name that Spark's identifier parser would otherwise split (a.b) or reject. */
export function quoteIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}
