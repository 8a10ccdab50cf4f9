// Spark's `ParamGridBuilder`: the cartesian product of candidate values, one ParamMap per combination.
import { Param } from '../pipeline/param.js';
import { ParamMap, type AnyParam, type AnyParamPair } from '../pipeline/params-map.js';
import { ParamPair } from '../pipeline/param.js';

const keyOf = (param: AnyParam): string => `${param.parent}\u0000${param.name}`;

export class ParamGridBuilder {
  /** In insertion order; adding values for a param already in the grid replaces them in place. */
  readonly #grid = new Map<string, { param: AnyParam; values: readonly unknown[] }>();

  /**
   * Candidate values for a param. A boolean param given no values takes `[true, false]` (Spark's
   * `addGrid(booleanParam)`). Every value is validated now: an error names the param and the value.
   */
  addGrid<T>(param: Param<T>, values?: Iterable<T>): this {
    if (!(param instanceof Param)) {
      throw new TypeError(`ParamGridBuilder.addGrid: expected a Param (e.g. lr.regParam), got ${String(param)}`);
    }
    let list: T[];
    if (values === undefined) {
      if (param.kind.name !== 'boolean') {
        throw new TypeError(`ParamGridBuilder.addGrid: param ${param.name} of ${param.parent} needs values (only boolean params default to [true, false])`);
      }
      list = [true, false] as T[];
    } else {
      if (values === null || typeof (values as Iterable<T>)[Symbol.iterator] !== 'function' || typeof values === 'string') {
        throw new TypeError(`ParamGridBuilder.addGrid: values for param ${param.name} of ${param.parent} must be an array, got ${String(values)}`);
      }
      list = [...values];
    }
    for (const v of list) param.validate(v);
    this.#grid.set(keyOf(param), { param, values: list });
    return this;
  }

  /** Fixed values every map gets: `baseOn(paramMap)` or `baseOn(p1.w(v1), p2.w(v2))` (single-value grids). */
  baseOn(...args: (ParamMap | AnyParamPair)[]): this {
    for (const arg of args) {
      if (arg instanceof ParamMap) {
        for (const pair of arg) this.addGrid(pair.param, [pair.value]);
      } else if (arg instanceof ParamPair) {
        this.addGrid(arg.param, [arg.value]);
      } else {
        throw new TypeError(`ParamGridBuilder.baseOn: expected a ParamMap or ParamPairs (param.w(value)), got ${String(arg)}`);
      }
    }
    return this;
  }

  /**
   * Every combination, as Spark builds it: params in the order added, the first added varying fastest.
   * An empty builder gives one empty map; a param with no values gives no maps.
   */
  build(): ParamMap[] {
    let maps = [new ParamMap()];
    for (const { param, values } of this.#grid.values()) {
      maps = values.flatMap((v) => maps.map((m) => m.copy().put(param, v)));
    }
    return maps;
  }
}
