// How a stage finds its writer and its reader. The persistence layer (which sits above this one)
// registers a writer factory per stage class (or a default one) and the reader behind the static
// `SomeStage.load(path)`; stages without them fail clearly.
import type { Params } from './params.js';

/** A session's settings, duck-typed: whose `quiver.s3.*` settings apply to a path on S3. */
export interface SessionSettings {
  readonly conf: { get(key: string): unknown };
}

export interface MLWriter {
  /** Replace what is at the path (the old model stays loadable until the new one is complete). */
  overwrite(): MLWriter;
  option(key: string, value: string): MLWriter;
  /** Whose `quiver.s3.*` settings to use for an S3 path (default: the active session). */
  session(session: SessionSettings): MLWriter;
  save(path: string): Promise<void>;
}

export interface LoadOptions {
  /** Whose `quiver.s3.*` settings to use for an S3 path (default: the active session). */
  session?: SessionSettings | null;
}

type WriterFactory = (stage: Params) => MLWriter;
// `any[]`: stage classes take any constructor arguments.
type StageClass<T extends Params> = abstract new (...args: any[]) => T; // eslint-disable-line @typescript-eslint/no-explicit-any
type StageReader = (cls: StageClass<Params>, path: string, options?: LoadOptions) => Promise<Params>;

const factories = new Map<Function, WriterFactory>(); // eslint-disable-line @typescript-eslint/no-unsafe-function-type
let fallback: WriterFactory | null = null;
let reader: StageReader | null = null;

/** Registers the writer of a stage class (and its subclasses unless they register their own). */
export function registerWriter(cls: Function, factory: WriterFactory): void { factories.set(cls, factory); } // eslint-disable-line @typescript-eslint/no-unsafe-function-type

/** The writer used for stages without a class-specific one (params-only stages). */
export function registerDefaultWriter(factory: WriterFactory): void { fallback = factory; }

export function writerFor(stage: Params): MLWriter {
  for (let proto = Object.getPrototypeOf(stage); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const f = factories.get(proto.constructor);
    if (f) return f(stage);
  }
  if (fallback) return fallback(stage);
  throw new Error(`${stage.uid}: no writer is registered for ${stage.constructor.name}; import 'quiver' (the package root) so persistence is loaded`);
}

/** The reader behind every static `load`: loads the stage at `path`, checking that it is a `cls`. */
export function registerReader(read: StageReader): void { reader = read; }

/** For a stage class's static `load(path)`: `static load(path) { return readStage(this, path); }`. */
export async function readStage<T extends Params>(cls: StageClass<T>, path: string, options?: LoadOptions): Promise<T> {
  if (!reader) throw new Error(`${path}: cannot load a ${cls.name}: no reader is registered; import 'quiver' (the package root) so persistence is loaded`);
  return (await reader(cls, path, options)) as T;
}
