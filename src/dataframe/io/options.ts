// Data source options as Spark keeps them: case-insensitive keys, string-ish values; plus the
// session settings the readers and writers consult.
import { parseBytes } from '../../engine/conf.js';
import type { ConfSource } from './files.js';

export type OptionValue = string | number | boolean;

/** An immutable, case-insensitive option map that remembers the keys as the user spelled them. */
export class SourceOptions {
  private constructor(private readonly entries: ReadonlyMap<string, { key: string; value: OptionValue }>) {}

  static empty(): SourceOptions { return new SourceOptions(new Map()); }

  with(key: string, value: OptionValue): SourceOptions {
    if (typeof key !== 'string' || key === '') throw new Error(`option: the key must be a non-empty string, got ${JSON.stringify(key)}`);
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new Error(`option ${key}: the value must be a string, number or boolean, got ${value === null ? 'null' : typeof value}`);
    }
    const next = new Map(this.entries);
    next.set(key.toLowerCase(), { key, value });
    return new SourceOptions(next);
  }

  get(key: string): OptionValue | undefined { return this.entries.get(key.toLowerCase())?.value; }
  has(key: string): boolean { return this.entries.has(key.toLowerCase()); }

  /** As the user spelled them (for the CSV codec, which resolves its own keys). */
  toRecord(): Record<string, OptionValue> {
    const out: Record<string, OptionValue> = {};
    for (const { key, value } of this.entries.values()) out[key] = value;
    return out;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    const s = String(v).toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    throw new Error(`option ${key}: expected true or false but got '${v}'`);
  }
}

/** A byte size from the reader's options, else the session's settings, else the default. */
export function byteSetting(options: SourceOptions, conf: ConfSource | undefined, key: string, fallback: number): number {
  const v = options.get(key) ?? conf?.get(key);
  if (v === undefined) return fallback;
  const n = parseBytes(key, typeof v === 'boolean' ? String(v) : v);
  if (!(n >= 1)) throw new Error(`${key}: expected a positive byte size but got '${v}'`);
  return n;
}

/** The session's settings, if the session has any (SessionLike does not promise them). */
export function confOf(session: object): ConfSource | undefined {
  const conf = (session as { conf?: unknown }).conf;
  return conf && typeof (conf as ConfSource).get === 'function' ? (conf as ConfSource) : undefined;
}
