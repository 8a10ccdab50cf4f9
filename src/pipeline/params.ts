import { Param, ParamKinds, type JsonValue, type Long, type ParamKind } from './param.js';
import { stringifyJSONExact } from './json-exact.js';
import { ParamMap, type AnyParam, type AnyParamPair } from './params-map.js';
import { ParamValidators, type Validator } from './params-validators.js';
import { Identifiable } from './uid.js';

export interface ParamOptions<T> {
  readonly default?: T;
  /** A default computed from the stage, e.g. outputCol's `${uid}__output`; wins over `default`. */
  readonly defaultFor?: (stage: Params) => T;
  readonly validator?: Validator<T>;
}

/**
 * Everything that declares a param except its owner: kind, doc, default, validator. Shared params
 * (shared-params.ts) are specs declared once; a stage turns specs into its own `Param`s.
 */
export class ParamSpec<T> {
  constructor(
    readonly kind: ParamKind<T>,
    readonly doc: string,
    readonly options: ParamOptions<T> = {},
  ) {}

  /** The same spec with another default (Spark's stages set their own defaults for shared params). */
  withDefault(value: T): ParamSpec<T> {
    return new ParamSpec(this.kind, this.doc, { ...this.options, default: value, defaultFor: undefined });
  }

  withoutDefault(): ParamSpec<T> {
    return new ParamSpec(this.kind, this.doc, { ...this.options, default: undefined, defaultFor: undefined });
  }

  withDoc(doc: string): ParamSpec<T> {
    return new ParamSpec(this.kind, doc, this.options);
  }

  withValidator(validator: Validator<T>): ParamSpec<T> {
    return new ParamSpec(this.kind, this.doc, { ...this.options, validator });
  }

  static double = (doc: string, options?: ParamOptions<number>) => new ParamSpec(ParamKinds.double, doc, options);
  static int = (doc: string, options?: ParamOptions<number>) => new ParamSpec(ParamKinds.int, doc, options);
  static long = (doc: string, options?: ParamOptions<Long>) => new ParamSpec(ParamKinds.long, doc, options);
  static boolean = (doc: string, options?: ParamOptions<boolean>) => new ParamSpec(ParamKinds.boolean, doc, options);
  static string = (doc: string, options?: ParamOptions<string>) => new ParamSpec(ParamKinds.string, doc, options);
  static stringArray = (doc: string, options?: ParamOptions<readonly string[]>) =>
    new ParamSpec(ParamKinds.stringArray, doc, options);
  static doubleArray = (doc: string, options?: ParamOptions<readonly number[]>) =>
    new ParamSpec(ParamKinds.doubleArray, doc, options);
  static intArray = (doc: string, options?: ParamOptions<readonly number[]>) =>
    new ParamSpec(ParamKinds.intArray, doc, options);
  static doubleArrayArray = (doc: string, options?: ParamOptions<readonly (readonly number[])[]>) =>
    new ParamSpec(ParamKinds.doubleArrayArray, doc, options);

  /**
   * A string param that takes one of `choices`: its TypeScript type is their union, so a typo
   * (`handleInvalid: 'skp'`) fails to compile; JavaScript callers get the validator's error.
   */
  static choice<const T extends string>(doc: string, choices: readonly T[], options: { default?: NoInfer<T> } = {}): ParamSpec<T> {
    return new ParamSpec(ParamKinds.string as ParamKind<string> as ParamKind<T>, doc, {
      ...(options.default !== undefined ? { default: options.default } : {}),
      validator: ParamValidators.inArray<T>(choices),
    });
  }

  /**
   * A choice Spark matches case-insensitively (impurity, lossType, family, coldStartStrategy): the
   * type admits each choice in lower, upper and capitalised case; any case passes at run time.
   */
  static caseInsensitiveChoice<const T extends string>(doc: string, choices: readonly T[], options: { default?: NoInfer<T> } = {}): ParamSpec<AnyCase<T>> {
    return new ParamSpec(ParamKinds.string as ParamKind<string> as ParamKind<AnyCase<T>>, doc, {
      ...(options.default !== undefined ? { default: options.default } : {}),
      validator: ParamValidators.custom((v: string) => (choices as readonly string[]).includes(v.toLowerCase()),
        `one of [${choices.join(', ')}] (case-insensitive)`),
    });
  }
}

/** A string in the spellings a case-insensitive choice is usually written in: 'gini', 'GINI', 'Gini'. */
export type AnyCase<T extends string> = T | Uppercase<T> | Capitalize<T>;

/** The uid the next `Params` constructed must take; see `constructWithUid`. */
let pendingUid: string | undefined;

/**
 * Runs `construct` so that the first `Params` it constructs gets `uid` whatever its constructor
 * passes — how `defaultCopy` and loaders rebuild a stage with a known uid (Spark calls a
 * `(uid: String)` constructor by reflection; our stages are constructible with no arguments).
 */
export function constructWithUid<T>(uid: string, construct: () => T): T {
  const outer = pendingUid;
  pendingUid = uid;
  try {
    return construct();
  } finally {
    pendingUid = outer;
  }
}

/** The values a stage's params take, for constructors: `new KMeans({ k: 3, seed: 1 })`. */
export type ParamValues<P> = {
  readonly [K in keyof P as P[K] extends AnyParam ? K : never]?: P[K] extends Param<infer T> ? T : never;
};

const byName = (a: AnyParam, b: AnyParam): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Spark's `Params`: a stage's declared params, the values the user set and the defaults.
 * Values are validated when set; `getOrDefault` reads set value, else default.
 */
export abstract class Params implements Identifiable {
  readonly uid: string;
  readonly #declared = new Map<string, AnyParam>();
  readonly #paramMap = new ParamMap();
  readonly #defaultParamMap = new ParamMap();

  /** Without a uid the stage gets `${ClassName}_` + 12 hex characters. */
  constructor(uid?: string) {
    const forced = pendingUid;
    pendingUid = undefined;
    this.uid = forced ?? uid ?? Identifiable.randomUID(new.target.name);
  }

  /** Declares a param owned by this stage and sets its default; store the result in a readonly field. */
  protected declareParam<T>(name: string, spec: ParamSpec<T>): Param<T>;
  protected declareParam<T>(kind: ParamKind<T>, name: string, doc: string, options?: ParamOptions<T>): Param<T>;
  protected declareParam<T>(...args: unknown[]): Param<T> {
    const [name, spec] =
      typeof args[0] === 'string'
        ? [args[0], args[1] as ParamSpec<T>]
        : [args[1] as string, new ParamSpec(args[0] as ParamKind<T>, args[2] as string, args[3] as ParamOptions<T>)];
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`${this.uid}: invalid param name '${name}'`);
    if (this.#declared.has(name)) throw new Error(`${this.uid} declares param ${name} twice`);
    const param = new Param(this.uid, name, spec.doc, spec.kind, spec.options.validator);
    this.#declared.set(name, param);
    const { defaultFor, default: defaultValue } = spec.options;
    const value = defaultFor ? defaultFor(this) : defaultValue;
    if (value !== undefined) this.#defaultParamMap.put(param, value);
    return param;
  }

  /** Every declared param, sorted by name. */
  get params(): AnyParam[] {
    return [...this.#declared.values()].sort(byName);
  }

  hasParam(name: string): boolean {
    return this.#declared.has(name);
  }

  getParam(name: string): AnyParam {
    const param = this.#declared.get(name);
    if (!param) throw new Error(`${this.uid} has no param named '${name}'; valid params: ${this.#names()}`);
    return param;
  }

  set<T>(param: Param<T>, value: T): this {
    this.#paramMap.put(this.#own(param), value);
    return this;
  }

  /** Spark's `setDefault(param, value)` or `setDefault(param1.w(v1), param2.w(v2))`. */
  protected setDefault<T>(param: Param<T>, value: T): this;
  protected setDefault(...pairs: AnyParamPair[]): this;
  protected setDefault(...args: unknown[]): this {
    const pairs = args[0] instanceof Param ? [(args[0] as AnyParam).w(args[1])] : (args as AnyParamPair[]);
    for (const { param, value } of pairs) this.#defaultParamMap.put(this.#own(param), value);
    return this;
  }

  /** The value the user set, if any (not the default). */
  get<T>(param: Param<T>): T | undefined {
    return this.#paramMap.get(this.#own(param));
  }

  /** The value set, else the default, else an error naming the param. */
  getOrDefault<T>(param: Param<T>): T {
    const own = this.#own(param);
    if (this.#paramMap.contains(own)) return this.#paramMap.get(own) as T;
    if (this.#defaultParamMap.contains(own)) return this.#defaultParamMap.get(own) as T;
    throw new Error(`Failed to find a default value for ${own.name} (${this.uid} has no value set and no default)`);
  }

  /** Spark's `$(param)`. */
  $<T>(param: Param<T>): T {
    return this.getOrDefault(param);
  }

  isSet(param: AnyParam): boolean {
    return this.#paramMap.contains(this.#own(param));
  }

  hasDefault(param: AnyParam): boolean {
    return this.#defaultParamMap.contains(this.#own(param));
  }

  isDefined(param: AnyParam): boolean {
    return this.isSet(param) || this.hasDefault(param);
  }

  getDefault<T>(param: Param<T>): T | undefined {
    return this.#defaultParamMap.get(this.#own(param));
  }

  /** Forgets the value the user set; the default, if any, applies again. */
  clear(param: AnyParam): this {
    this.#paramMap.remove(this.#own(param));
    return this;
  }

  /** Defaults, overridden by values set, overridden by `extra`. */
  extractParamMap(extra: ParamMap = ParamMap.empty()): ParamMap {
    return this.#defaultParamMap.merge(this.#paramMap).merge(extra);
  }

  /** Spark's format: `name: doc (default: x, current: y)`, or `(undefined)`. */
  explainParam(param: AnyParam): string {
    const own = this.#own(param);
    const parts: string[] = [];
    if (this.hasDefault(own)) parts.push(`default: ${own.kind.format(this.getDefault(own))}`);
    if (this.isSet(own)) parts.push(`current: ${own.kind.format(this.get(own))}`);
    return `${own.name}: ${own.doc} ${parts.length > 0 ? `(${parts.join(', ')})` : '(undefined)'}`;
  }

  /** Every param explained, one per line, sorted by name. */
  explainParams(): string {
    return this.params.map((p) => this.explainParam(p)).join('\n');
  }

  /**
   * A copy with the same uid and the same values, plus `extra`. Stages constructible with no
   * arguments get this for free; a stage holding more state (a fitted model) overrides it.
   */
  copy(extra: ParamMap = ParamMap.empty()): this {
    return this.defaultCopy(extra);
  }

  /** A new instance of this class with this uid, then `copyValues` (Spark's `defaultCopy`). */
  protected defaultCopy(extra: ParamMap = ParamMap.empty()): this {
    const Stage = this.constructor as new () => this;
    return this.copyValues(constructWithUid(this.uid, () => new Stage()), extra);
  }

  /**
   * Copies defaults and set values (plus `extra`'s for this stage) by name into `to`, for the params
   * `to` also has — an estimator's values into its model, as Spark's `copyValues`.
   */
  protected copyValues<P extends Params>(to: P, extra: ParamMap = ParamMap.empty()): P {
    for (const { param, value } of this.#defaultParamMap) {
      if (to.hasParam(param.name)) to.#defaultParamMap.put(to.getParam(param.name), value);
    }
    for (const { param, value } of this.#paramMap.merge(extra).filter(this.uid)) {
      if (this.hasParam(param.name) && to.hasParam(param.name)) to.set(to.getParam(param.name), value);
    }
    return to;
  }

  /** The values set, as Spark's metadata `paramMap`: `{ name: jsonValue }`. */
  paramMapJSON(): Record<string, JsonValue> {
    return toJSONObject(this.#paramMap);
  }

  /** The defaults, as Spark's metadata `defaultParamMap`. */
  defaultParamMapJSON(): Record<string, JsonValue> {
    return toJSONObject(this.#defaultParamMap);
  }

  /**
   * Restores values and defaults from metadata (Spark's `getAndSetParams`). `defaultParamMap` is
   * absent in metadata older than Spark 2.4: the class's own defaults then stay.
   */
  setParamsFromJSON(
    paramMap: Readonly<Record<string, JsonValue>>,
    defaultParamMap?: Readonly<Record<string, JsonValue>>,
    skipParams: readonly string[] = [],
  ): this {
    for (const [name, json] of this.#jsonEntries('paramMap', paramMap, skipParams)) {
      const param = this.getParam(name);
      this.set(param, param.fromJSON(json));
    }
    if (defaultParamMap !== undefined) {
      for (const [name, json] of this.#jsonEntries('defaultParamMap', defaultParamMap, skipParams)) {
        const param = this.getParam(name);
        this.#defaultParamMap.put(param, param.fromJSON(json));
      }
    }
    return this;
  }

  /** Sets each key through its param: `{ k: 3, seed: 1 }`. Undefined values are skipped. */
  setParamsFromObject<Self extends Params>(this: Self, values: ParamValues<Self>): Self {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new TypeError(`${this.uid}: params must be an object of param values, got ${String(values)}`);
    }
    for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
      if (value === undefined) continue;
      if (!this.hasParam(name)) {
        throw new Error(`${this.uid} has no param named '${name}'; valid params: ${this.#names()}`);
      }
      this.set(this.getParam(name), value);
    }
    return this;
  }

  toString(): string {
    return this.uid;
  }

  /** This stage's own param with the identity of `param`, or an error (Spark's `shouldOwn`). */
  #own<T>(param: Param<T>): Param<T> {
    const own = param instanceof Param && param.parent === this.uid ? this.#declared.get(param.name) : undefined;
    if (!own) {
      throw new Error(
        `Param ${String(param)} does not belong to ${this.uid}: use the param of the stage itself ` +
          `(e.g. stage.${param?.name ?? 'paramName'}), not another stage's`,
      );
    }
    return own as Param<T>;
  }

  #names(): string {
    return this.params.map((p) => p.name).join(', ');
  }

  #jsonEntries(
    what: string,
    map: Readonly<Record<string, JsonValue>>,
    skip: readonly string[],
  ): [string, JsonValue][] {
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      throw new TypeError(`${this.uid}: metadata ${what} must be a JSON object, got ${stringifyJSONExact(map)}`);
    }
    return Object.entries(map).filter(([name]) => !skip.includes(name));
  }
}

function toJSONObject(map: ParamMap): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const { param, value } of map) out[param.name] = param.kind.toJSON(value);
  return out;
}
