/**
 * How each stage class persists, keyed both ways: class → persistence (for writers) and Spark class
 * name → persistence (for the generic `load(path)`, which dispatches on metadata's `class`).
 */
import type { JsonValue } from '../../pipeline/param.js';
import type { Params } from '../../pipeline/params.js';
import type { LoadContext, SaveContext } from './contexts.js';

// `any[]`: a stage class may take any constructor arguments.
export type StageClass<S extends Params = Params> = (abstract new (...args: any[]) => S) & { readonly sparkClassName?: string }; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What a stage class declares to persist. Everything is optional: a params-only stage constructible
 * with no arguments needs nothing beyond a `className` (or a static `sparkClassName`).
 */
export interface StagePersistence<S extends Params = Params> {
  /** Spark's class name, written as metadata `class`; default: the class's static `sparkClassName`. */
  readonly className?: string;
  /** Keys added to the metadata JSON beside `paramMap` (e.g. `numFeatures`, `numClasses`). */
  extraMetadata?(stage: S): Record<string, JsonValue>;
  /** Replaces the `paramMap` written (Spark's Pipeline writes `{stageUids: [...]}`). */
  paramMap?(stage: S): Record<string, JsonValue>;
  /** Writes what metadata does not hold (`data/`, sub-stages). Metadata is written after it returns. */
  save?(stage: S, out: SaveContext): Promise<void>;
  /**
   * Rebuilds the stage. Default: `ctx.construct(() => new Class())` (uid and params from metadata).
   * Use `ctx.construct` too, so the uid and params are restored the same way.
   */
  load?(ctx: LoadContext): Promise<S>;
}

export interface RegisteredStage<S extends Params = Params> extends StagePersistence<S> {
  readonly className: string;
  readonly cls: StageClass<S>;
}

const byClass = new Map<StageClass, RegisteredStage>();
const byClassName = new Map<string, RegisteredStage>();

/**
 * Declares how a stage class saves and loads; call once, beside the class. The class name comes
 * from `persistence.className` or the class's static `sparkClassName`.
 */
export function registerStage<S extends Params>(cls: StageClass<S>, persistence: StagePersistence<S> = {}): void {
  const className = persistence.className ?? cls.sparkClassName;
  if (typeof className !== 'string' || className === '') {
    throw new Error(`registerStage(${cls.name}): no class name; declare a static sparkClassName or pass { className }`);
  }
  const other = byClassName.get(className);
  // The same class evaluated twice (a module loaded again) replaces itself; another class may not.
  if (other && other.cls !== cls) {
    if (other.cls.name !== cls.name) {
      throw new Error(`registerStage(${cls.name}): class name ${className} is already registered by ${other.cls.name}`);
    }
    byClass.delete(other.cls);
  }
  const entry = { ...persistence, className, cls } as RegisteredStage;
  byClass.set(cls as StageClass, entry);
  byClassName.set(className, entry);
}

/**
 * The persistence of a stage: that of the nearest class up its prototype chain that is registered
 * or declares its own static `sparkClassName` (unregistered, it persists its params only).
 */
export function persistenceOf<S extends Params>(stage: S): RegisteredStage<S> {
  for (let proto = Object.getPrototypeOf(stage); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const cls = proto.constructor as StageClass<S>;
    const entry = byClass.get(cls as StageClass);
    if (entry) return entry as unknown as RegisteredStage<S>;
    if (Object.hasOwn(cls, 'sparkClassName') && typeof cls.sparkClassName === 'string' && cls.sparkClassName !== '') {
      return { className: cls.sparkClassName, cls };
    }
  }
  const cls = stage.constructor as StageClass<S>;
  throw new Error(
    `${stage.uid}: ${cls.name} cannot be saved: it declares no static sparkClassName and is not registered ` +
      `(registerStage(${cls.name}, { className, save, load }) from 'quiver')`,
  );
}

/** The registered persistence for a Spark class name, if any. */
export function persistenceForClassName(className: string): RegisteredStage | undefined {
  return byClassName.get(className);
}

/** Every registered class name, sorted (for error messages). */
export function registeredClassNames(): string[] {
  return [...byClassName.keys()].sort();
}

/** The class name `cls` saves under (registered, else its static `sparkClassName`). */
export function classNameOf(cls: StageClass): string | undefined {
  return byClass.get(cls)?.className ?? cls.sparkClassName;
}
