// SQLite (Python's stdlib sqlite3) as an independent engine for the SQL tests: the tables and the
// queries are written to a temporary directory and run by `python3 -c`; rows come back as JSON arrays.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../../../src/index.js';

export interface SqliteTable { columns: [string, 'INTEGER' | 'REAL' | 'TEXT'][]; rows: Row[] }
export type SqliteResult = { rows: unknown[][] } | { error: string };

// case_sensitive_like: SQLite's LIKE ignores ASCII case by default; Spark's does not.
const SCRIPT = `
import json, sqlite3, sys
spec = json.load(open(sys.argv[1]))
db = sqlite3.connect(':memory:')
db.execute('PRAGMA case_sensitive_like = ON')
for name, t in spec['tables'].items():
    cols = ', '.join('"%s" %s' % (c, ty) for c, ty in t['columns'])
    db.execute('CREATE TABLE "%s" (%s)' % (name, cols))
    marks = ', '.join('?' for _ in t['columns'])
    db.executemany('INSERT INTO "%s" VALUES (%s)' % (name, marks), [[r.get(c) for c, _ in t['columns']] for r in t['rows']])
out = []
for q in spec['queries']:
    try:
        out.append({'rows': [list(r) for r in db.execute(q).fetchall()]})
    except Exception as e:
        out.append({'error': str(e)})
json.dump(out, sys.stdout)
`;

/** Runs every query against the tables in one in-memory SQLite database. */
export function runSqlite(tables: Record<string, SqliteTable>, queries: readonly string[]): SqliteResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-sqlite-'));
  try {
    const input = join(dir, 'input.json');
    writeFileSync(input, JSON.stringify({ tables, queries }));
    return JSON.parse(execFileSync('python3', ['-c', SCRIPT, input], { encoding: 'utf8' })) as SqliteResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A value as both engines can agree on it: booleans as 0/1 (SQLite has no boolean type), bigints as
 * numbers, doubles to 9 significant digits (sums may add in another order across partitions).
 */
export function normalizeValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toPrecision(9));
  return v;
}

/** Rows as normalised arrays; sorted (a multiset) unless the query's ORDER BY fixes the order. */
export function normalizeRows(rows: readonly unknown[][], ordered: boolean): unknown[][] {
  const out = rows.map((r) => r.map(normalizeValue));
  if (!ordered) out.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
  return out;
}
