// One inline and one local[2] session per test file: every evaluator must give the same numbers on both.
import { afterAll, beforeAll } from 'vitest';
import { Session, isClose, type DataFrame, type Row } from '../../src/index.js';

export const MASTERS = ['inline', 'local[2]'] as const;
export type Master = (typeof MASTERS)[number];

export function useSessions(): {
  session(master: Master): Session;
  df(master: Master, rows: readonly Row[], numPartitions: number, schema?: Record<string, string>): DataFrame;
} {
  const sessions = new Map<Master, Session>();
  beforeAll(() => { for (const m of MASTERS) sessions.set(m, Session.builder().master(m).create()); });
  afterAll(async () => { for (const s of sessions.values()) await s.stop(); });
  const session = (m: Master): Session => sessions.get(m)!;
  return {
    session,
    df: (m, rows, numPartitions, schema) => session(m).createDataFrame(rows as Row[], { numPartitions, ...(schema ? { schema } : {}) }),
  };
}

/** |actual - expected| <= atol + rtol·|expected|, with a message naming the tolerance. */
export function expectClose(actual: number, expected: number, { rtol = 0, atol = 0 }: { rtol?: number; atol?: number }, what = 'value'): void {
  if (!isClose(actual, expected, { rtol, atol })) throw new Error(`${what}: ${actual} differs from ${expected} beyond atol ${atol}, rtol ${rtol}`);
}
