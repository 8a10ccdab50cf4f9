// One inline and one local[2] session per test file: every evaluator must give the same numbers on both.
import { type DataFrame, type Row, type Session } from '../../src/index.js';
import { useSessions as useSessionsOf } from '../helpers/sessions.js';

export const MASTERS = ['inline', 'local[2]'] as const;
export type Master = (typeof MASTERS)[number];

export function useSessions(): {
  session(master: Master): Session;
  df(master: Master, rows: readonly Row[], numPartitions: number, schema?: Record<string, string>): DataFrame;
} {
  const session = useSessionsOf(MASTERS);
  return {
    session,
    df: (m, rows, numPartitions, schema) => session(m).createDataFrame(rows as Row[], { numPartitions, ...(schema ? { schema } : {}) }),
  };
}

export { expectClose } from '../helpers/close.js';
