// User-defined functions: a pure JavaScript function of a row's values, shipped to the executors
// as source text. Since only the source travels, a function that uses variables from outside
// itself would silently break there; udf-closure.ts finds them and they are refused.
import { Column, type Expr } from './column.js';
import type { AtomicTypeName } from './types.js';
import { checkSelfContained } from './udf-closure.js';

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
    // `__name`: the helper that code compiled by tsx (esbuild's keepNames) calls (see udf-closure.ts).
    f = new Function(`"use strict"; const __name = (target, value) => Object.defineProperty(target, "name", { value, configurable: true }); return (${source});`)() as UdfFunction;
    rebuilt.set(source, f);
  }
  return f;
}
