import { Param, ParamPair } from './param.js';
import type { Identifiable } from './uid.js';

// `any`, not `unknown`: Param<T> is invariant in T, and a map holds params of every value type.
export type AnyParam = Param<any>;
export type AnyParamPair = ParamPair<any>;

/** Identity of a param: its parent uid and name (NUL cannot occur in either, so keys never collide). */
const keyOf = (param: AnyParam): string => `${param.parent}\u0000${param.name}`;

/**
 * Param values keyed by param identity (parent uid + name), as Spark's `ParamMap`, iterated in
 * insertion order. Every value put is validated through `ParamPair`.
 */
export class ParamMap implements Iterable<AnyParamPair> {
  readonly #pairs = new Map<string, AnyParamPair>();

  static empty(): ParamMap {
    return new ParamMap();
  }

  static of(...pairs: AnyParamPair[]): ParamMap {
    return new ParamMap().put(...pairs);
  }

  /** `put(param, value)` or `put(...pairs)`; a value for a param already present replaces it in place. */
  put<T>(param: Param<T>, value: T): this;
  put(...pairs: AnyParamPair[]): this;
  put(...args: unknown[]): this {
    const pairs =
      args[0] instanceof Param ? [new ParamPair(args[0] as AnyParam, args[1])] : (args as AnyParamPair[]);
    for (const pair of pairs) {
      if (!(pair instanceof ParamPair)) throw new TypeError(`ParamMap.put expects ParamPairs, got ${String(pair)}`);
      this.#pairs.set(keyOf(pair.param), pair);
    }
    return this;
  }

  get<T>(param: Param<T>): T | undefined {
    return this.#pairs.get(keyOf(param))?.value as T | undefined;
  }

  getOrElse<T>(param: Param<T>, defaultValue: T): T {
    return this.contains(param) ? (this.get(param) as T) : defaultValue;
  }

  /** The value, or an error naming the param (Spark's `apply`). */
  apply<T>(param: Param<T>): T {
    if (!this.contains(param)) throw new Error(`Cannot find param ${param.name} of ${param.parent} in this ParamMap`);
    return this.get(param) as T;
  }

  contains(param: AnyParam): boolean {
    return this.#pairs.has(keyOf(param));
  }

  /** Removes the param; returns the value it had. */
  remove<T>(param: Param<T>): T | undefined {
    const value = this.get(param);
    this.#pairs.delete(keyOf(param));
    return value;
  }

  /** The pairs whose params belong to one stage. */
  filter(parent: Identifiable | string): ParamMap {
    const uid = typeof parent === 'string' ? parent : parent.uid;
    return ParamMap.of(...this.toSeq().filter((p) => p.param.parent === uid));
  }

  copy(): ParamMap {
    return ParamMap.of(...this.toSeq());
  }

  /** A new map: this one's pairs, then `other`'s, which win (Spark's `++`). */
  merge(other: ParamMap): ParamMap {
    return this.copy().addAll(other);
  }

  /** Puts every pair of `other` into this map (Spark's `++=`). */
  addAll(other: ParamMap): this {
    for (const [key, pair] of other.#pairs) this.#pairs.set(key, pair);
    return this;
  }

  get size(): number {
    return this.#pairs.size;
  }

  toSeq(): AnyParamPair[] {
    return [...this.#pairs.values()];
  }

  [Symbol.iterator](): Iterator<AnyParamPair> {
    return this.#pairs.values();
  }

  /** Spark's layout: one `parent-name: value` per line, sorted by name. */
  toString(): string {
    const lines = this.toSeq()
      .sort((a, b) => (a.param.name < b.param.name ? -1 : a.param.name > b.param.name ? 1 : 0))
      .map(({ param, value }) => `\t${param.parent}-${param.name}: ${param.kind.format(value)}`);
    return `{\n${lines.join(',\n')}\n}`;
  }
}
