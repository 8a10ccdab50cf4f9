import type { Param } from './param.js';
import type { AnyParam } from './params-map.js';
import type { Params, ParamSpec } from './params.js';

// `any[]` constructor arguments are what TypeScript requires of a mixin's base.
type AbstractConstructor<T = object> = abstract new (...args: any[]) => T;

export type ParamSpecs = { readonly [name: string]: ParamSpec<any> };
type SpecValue<S> = S extends ParamSpec<infer T> ? T : never;

/** What `withParams` adds to a stage: for each spec `name`, the param field, `getName()` and `setName(v)`. */
export type DeclaredParams<S extends ParamSpecs> = {
  readonly [K in keyof S & string]: Param<SpecValue<S[K]>>;
} & {
  readonly [K in keyof S & string as `get${Capitalize<K>}`]: () => SpecValue<S[K]>;
} & {
  readonly [K in keyof S & string as `set${Capitalize<K>}`]: <Self>(this: Self, value: SpecValue<S[K]>) => Self;
};

/**
 * A base class plus params: `class KMeans extends withParams(Estimator, { k: ..., seed: ... })`
 * gives typed `this.k: Param<number>`, `getK()` and `setK(v)`, declared when the stage is constructed.
 * A stage whose getter or setter does more than get or set declares that param with `declareParam`
 * and writes its own methods.
 */
export function withParams<B extends AbstractConstructor<Params>, S extends ParamSpecs>(
  Base: B,
  specs: S,
): B & AbstractConstructor<DeclaredParams<S>> {
  abstract class WithParams extends Base {
    constructor(...args: any[]) {
      super(...args);
      for (const [name, spec] of Object.entries(specs)) {
        if (name in this) throw new Error(`${this.uid}: param name '${name}' clashes with a member of the stage`);
        Object.defineProperty(this, name, { value: this.declareParam(name, spec), enumerable: true });
      }
    }
  }
  type Self = Params & Record<string, AnyParam>;
  for (const name of Object.keys(specs)) {
    const suffix = name.charAt(0).toUpperCase() + name.slice(1);
    for (const method of [`get${suffix}`, `set${suffix}`]) {
      if (method in Base.prototype) throw new Error(`withParams: ${method} for param '${name}' clashes with a method`);
    }
    Object.defineProperty(WithParams.prototype, `get${suffix}`, {
      value: function (this: Self) {
        return this.getOrDefault(this[name] as AnyParam);
      },
      writable: true,
      configurable: true,
    });
    Object.defineProperty(WithParams.prototype, `set${suffix}`, {
      value: function (this: Self, value: unknown) {
        return this.set(this[name] as AnyParam, value);
      },
      writable: true,
      configurable: true,
    });
  }
  return WithParams as unknown as B & AbstractConstructor<DeclaredParams<S>>;
}
