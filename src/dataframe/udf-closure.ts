// The closure check of UDFs: a UDF travels to the executors as source text alone, so a function
// that reads a variable from outside itself would fail there ("k is not defined") or, worse, read
// something else of the same name. The free variables are found with real lexical scoping.
//
// Why eslint-scope rather than a walker of our own over acorn's tree: scoping in JavaScript has
// many cases that a flat set of names gets wrong (block-scoped let/const/class, function-scoped
// var hoisted out of blocks, catch parameters, parameters of nested functions, a named function
// expression's own name, class field initialisers and static blocks, `arguments` only inside
// non-arrow functions). eslint-scope is ESLint's maintained scope analyser over the same ESTree
// that acorn produces; its global scope's `through` list is exactly "references no enclosing
// scope declares", which is what must be refused.
import { parse } from 'acorn';
import { analyze, type Scope } from 'eslint-scope';
import type * as ESTree from 'estree';

/** Globals a UDF may use: they exist in every executor. */
const ALLOWED_GLOBALS = new Set([
  'Math', 'Number', 'String', 'Boolean', 'JSON', 'Array', 'Object', 'Date', 'RegExp', 'Map', 'Set', 'BigInt', 'Symbol',
  'Error', 'TypeError', 'RangeError', 'isNaN', 'isFinite', 'parseFloat', 'parseInt', 'undefined', 'NaN', 'Infinity',
  'Float64Array', 'Int32Array', 'Uint8Array', 'encodeURIComponent', 'decodeURIComponent',
  // esbuild's keepNames helper: tsx writes `__name(g, "g")` after a named function nested in the
  // function's body, so the source refers to it; udfFromSource defines it where functions are rebuilt.
  '__name',
]);

/** Throws naming the outside variables `source` (a function's `toString()`) refers to. */
export function checkSelfContained(source: string, name: string): void {
  const free = outsideVariables(source, `udf ${name || ''}`);
  if (free.length) {
    const list = free.map((v) => `'${v}'`).join(', ');
    throw new Error(`udf ${name || ''}: the function refers to ${list} from outside itself. A UDF runs in other threads from its source text alone, ` +
      'so it must be self-contained; pass constants as literal columns instead (e.g. lit(0.5) as an extra argument) or write them inside the function');
  }
}

/**
 * The outside variables a function's source refers to (the closure check shared by UDFs and RDD
 * functions, each of which words its own advice); `what` names the function in a parse error.
 */
export function outsideVariables(source: string, what: string): string[] {
  let parsed: { program: ESTree.Program; fn: ESTree.Node };
  try {
    parsed = parseFunction(source);
  } catch (e) {
    throw new Error(`${what}: cannot read the function's source (${(e as Error).message}); pass an arrow function or a function expression`);
  }
  return freeVariables(parsed.program, parsed.fn);
}

/** The program and the function node in it. */
function parseFunction(source: string): { program: ESTree.Program; fn: ESTree.Node } {
  // eslint-scope reads node ranges (to resolve names in parameter defaults).
  const program = (text: string) => parse(text, { ecmaVersion: 'latest', ranges: true }) as unknown as ESTree.Program;
  const expression = (p: ESTree.Program) => (p.body[0] as ESTree.ExpressionStatement).expression;
  try {
    const p = program(`(${source})`);
    return { program: p, fn: expression(p) };
  } catch {
    // A method shorthand (`{ f(x) {...} }.f`) prints as `f(x) {...}`: parse it as an object's method.
    const p = program(`({ ${source} })`);
    return { program: p, fn: ((expression(p) as ESTree.ObjectExpression).properties[0] as ESTree.Property).value };
  }
}

/** Names the function refers to that no scope inside it declares and no allowed global covers; `this` when it is not bound inside. */
function freeVariables(program: ESTree.Program, fn: ESTree.Node): string[] {
  const manager = analyze(program, { ecmaVersion: 2022, sourceType: 'script' });
  const global = manager.globalScope!;
  const free = new Set<string>();
  for (const ref of global.through) if (!ALLOWED_GLOBALS.has(ref.identifier.name)) free.add(ref.identifier.name);
  // `this` is no variable in eslint-scope: a scope records that it uses it. It is free when the
  // scope that binds it is the UDF itself (called without a receiver in the executors) or outside it.
  for (const scope of manager.scopes) if (scope.thisFound && !bindsThisInside(scope, fn)) free.add('this');
  return [...free];
}

function bindsThisInside(scope: Scope, fn: ESTree.Node): boolean {
  for (let s: Scope | null = scope; s !== null; s = s.upper) {
    if (s.block === fn || s.type === 'global') return false;
    const arrow = s.type === 'function' && s.block.type === 'ArrowFunctionExpression';
    if ((s.type === 'function' && !arrow) || s.type === 'class-field-initializer' || s.type === 'class-static-block') return true;
  }
  return false;
}
