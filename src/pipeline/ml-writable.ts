// How a stage finds its writer. The persistence layer (which sits above this one) registers a
// writer factory per stage class; stages without a registered writer fail clearly.
import type { Params } from './params.js';

export interface MLWriter {
  /** Replace what is at the path (the old model stays loadable until the new one is complete). */
  overwrite(): MLWriter;
  option(key: string, value: string): MLWriter;
  save(path: string): Promise<void>;
}

type WriterFactory = (stage: Params) => MLWriter;

const factories = new Map<Function, WriterFactory>(); // eslint-disable-line @typescript-eslint/no-unsafe-function-type
let fallback: WriterFactory | null = null;

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
