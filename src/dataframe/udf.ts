// User-defined functions: a pure JavaScript function of a row's values, shipped to the executors
// as source text. Since only the source travels, a function that uses variables from outside
// itself would silently break there; the free variables are found with a parser and refused.
import { parse, type Node } from 'acorn';
import { Column, type Expr } from './column.js';
import type { AtomicTypeName } from './types.js';

/** Globals a UDF may use: they exist in every executor. */
const ALLOWED_GLOBALS = new Set([
  'Math', 'Number', 'String', 'Boolean', 'JSON', 'Array', 'Object', 'Date', 'RegExp', 'Map', 'Set', 'BigInt', 'Symbol',
  'Error', 'TypeError', 'RangeError', 'isNaN', 'isFinite', 'parseFloat', 'parseInt', 'undefined', 'NaN', 'Infinity',
  'Float64Array', 'Int32Array', 'Uint8Array', 'encodeURIComponent', 'decodeURIComponent', 'arguments',
]);

const RETURN_TYPES: Record<string, AtomicTypeName> = { double: 'double', int: 'int', integer: 'int', long: 'long', bigint: 'long', boolean: 'boolean', string: 'string' };

export type UdfFunction = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * `udf((a, b) => a * b + 1, 'double')` returns a function of columns: `f(col('a'), col('b'))`.
 * Arguments arrive as numbers, strings, booleans or null; the result must be of `returnType` or null.
 */
export function udf(fn: UdfFunction, returnType: string = 'string'): (...cols: (Column | string)[]) => Column {
  if (typeof fn !== 'function') throw new Error('udf: expected a function');
  const type = RETURN_TYPES[returnType.toLowerCase()];
  if (!type) throw new Error(`udf: unsupported return type '${returnType}'; expected double, int, long, boolean or string`);
  const source = fn.toString();
  checkSelfContained(source, fn.name);
  const name = fn.name || 'udf';
  return (...cols) => {
    if (cols.length !== fn.length && fn.length > 0) {
      throw new Error(`udf ${name}: the function takes ${fn.length} argument(s) but was given ${cols.length} column(s)`);
    }
    const args: Expr[] = cols.map((c) => (typeof c === 'string' ? { op: 'col', name: c } : c.expr));
    return new Column({ op: 'udf', name, source, returnType: type, args });
  };
}

/** Rebuilds a UDF from its source in an executor. */
const rebuilt = new Map<string, UdfFunction>();
export function udfFromSource(source: string): UdfFunction {
  let f = rebuilt.get(source);
  if (!f) {
    f = new Function(`"use strict"; return (${source});`)() as UdfFunction;
    rebuilt.set(source, f);
  }
  return f;
}

function checkSelfContained(source: string, name: string): void {
  let ast: Node;
  try {
    // A method shorthand (`{ f(x) {...} }.f`) prints as `f(x) {...}`: parse it as a function expression.
    ast = parseFunction(source);
  } catch (e) {
    throw new Error(`udf ${name || ''}: cannot read the function's source (${(e as Error).message}); pass an arrow function or a function expression`);
  }
  const free = freeVariables(ast);
  if (free.size) {
    const list = [...free].map((v) => `'${v}'`).join(', ');
    throw new Error(`udf ${name || ''}: the function refers to ${list} from outside itself. A UDF runs in other threads from its source text alone, ` +
      'so it must be self-contained; pass constants as literal columns instead (e.g. lit(0.5) as an extra argument) or write them inside the function');
  }
}

function parseFunction(source: string): Node {
  try {
    return parse(`(${source})`, { ecmaVersion: 'latest' });
  } catch {
    return parse(`({ ${source} })`, { ecmaVersion: 'latest' });
  }
}

type AnyNode = Node & Record<string, unknown>;

/** Names referenced but declared nowhere inside the function and not allowed globals. */
function freeVariables(root: Node): Set<string> {
  const declared = new Set<string>();
  const referenced = new Set<string>();
  const declarePattern = (p: AnyNode | null): void => {
    if (!p) return;
    switch (p.type) {
      case 'Identifier': declared.add(p.name as string); return;
      case 'ObjectPattern': for (const prop of p.properties as AnyNode[]) declarePattern((prop.type === 'RestElement' ? prop.argument : prop.value) as AnyNode); return;
      case 'ArrayPattern': for (const el of p.elements as (AnyNode | null)[]) declarePattern(el); return;
      case 'RestElement': declarePattern(p.argument as AnyNode); return;
      case 'AssignmentPattern': declarePattern(p.left as AnyNode); visit(p.right as AnyNode); return;
    }
  };
  const visit = (node: AnyNode | null | undefined, parent?: AnyNode, key?: string): void => {
    if (!node || typeof node.type !== 'string') return;
    switch (node.type) {
      case 'Identifier':
        if (parent && isNonReference(parent, key!)) return;
        referenced.add(node.name as string);
        return;
      case 'ThisExpression':
        referenced.add('this');
        return;
      case 'FunctionExpression': case 'ArrowFunctionExpression': case 'FunctionDeclaration':
        if (node.id) declared.add((node.id as AnyNode).name as string);
        for (const p of node.params as AnyNode[]) declarePattern(p);
        visit(node.body as AnyNode, node, 'body');
        return;
      case 'VariableDeclarator':
        declarePattern(node.id as AnyNode);
        visit(node.init as AnyNode, node, 'init');
        return;
      case 'ClassDeclaration':
        if (node.id) declared.add((node.id as AnyNode).name as string);
        break;
      case 'CatchClause':
        declarePattern(node.param as AnyNode);
        visit(node.body as AnyNode, node, 'body');
        return;
    }
    for (const k of Object.keys(node)) {
      const v = node[k];
      if (Array.isArray(v)) for (const c of v) visit(c as AnyNode, node, k);
      else if (v && typeof v === 'object' && typeof (v as AnyNode).type === 'string') visit(v as AnyNode, node, k);
    }
  };
  visit(root as AnyNode);
  const free = new Set<string>();
  for (const r of referenced) if (!declared.has(r) && !ALLOWED_GLOBALS.has(r)) free.add(r);
  return free;
}

/** Identifier positions that name something rather than refer to a variable. */
function isNonReference(parent: AnyNode, key: string): boolean {
  switch (parent.type) {
    case 'MemberExpression': return key === 'property' && !parent.computed;
    case 'Property': case 'PropertyDefinition': case 'MethodDefinition': return key === 'key' && !parent.computed;
    case 'LabeledStatement': case 'BreakStatement': case 'ContinueStatement': return key === 'label';
    default: return false;
  }
}
