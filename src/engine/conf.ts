// Session settings: parsing and validation of the values a user passes to builder().config(k, v).
import { availableParallelism } from 'node:os';

export type MasterSpec = { mode: 'inline' } | { mode: 'local'; threads: number; maxFailures?: number };

export function parseMaster(master: string): MasterSpec {
  if (master === 'inline') return { mode: 'inline' };
  if (master === 'local') return { mode: 'local', threads: 1 };
  const m = /^local\[(\*|\d+)(?:,\s*(\d+))?\]$/.exec(master);
  if (m) {
    const threads = m[1] === '*' ? availableParallelism() : Number(m[1]);
    if (threads < 1) throw new Error(`master '${master}': the number of threads must be at least 1`);
    return { mode: 'local', threads, ...(m[2] ? { maxFailures: Number(m[2]) } : {}) };
  }
  throw new Error(`Unsupported master '${master}': expected 'local', 'local[N]', 'local[*]', 'local[N,F]' or 'inline'`);
}

const UNITS: Record<string, number> = { b: 1, k: 2 ** 10, kb: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, t: 2 ** 40, tb: 2 ** 40 };

/** Parses Spark-style byte sizes: "512m", "4g", "1024" (bytes). */
export function parseBytes(key: string, value: string | number): number {
  if (typeof value === 'number') {
    if (!(value >= 0)) throw new Error(`config ${key}: expected a byte size >= 0 but got ${value}`);
    return value;
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = m ? UNITS[(m[2] || 'b').toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`config ${key}: cannot parse '${value}' as a byte size (examples: 512m, 4g)`);
  return Math.floor(Number(m[1]) * unit);
}

export function parsePositiveInt(key: string, value: string | number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`config ${key}: expected a positive integer but got '${value}'`);
  return n;
}

export function parseBoolean(key: string, value: string | number | boolean): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw new Error(`config ${key}: expected true or false but got '${value}'`);
}
