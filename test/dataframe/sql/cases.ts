// The tables every SQL comparison test reads (small, with nulls in every column but the ids), and a
// runner that checks each case three ways on each master: spark.sql(query), the equivalent
// DataFrame code, and SQLite (the expected values: an independent engine).
//
// Where SQLite differs from Spark the case gives SQLite its own text, and says so:
// - `/` on integers is integer division in SQLite and always a double in Spark: SQLite gets CAST(... AS REAL).
// - SQLite's type names: CAST(x AS STRING) would give NUMERIC affinity there, so SQLite gets TEXT (and INTEGER for INT).
// - booleans are 0/1 in SQLite: results are normalised to 0/1 (normalizeValue).
// - NULL ordering: both put NULLs first ascending and last descending by default; most ORDER BYs
//   here also say NULLS FIRST/LAST explicitly, which SQLite (3.30+) understands.
// - LIKE: SQLite ignores ASCII case unless PRAGMA case_sensitive_like (set in sqlite.ts).
// - SQLite has no variance(): SQLite gets the sample variance as sums.
import { describe, expect, it } from 'vitest';
import type { DataFrame, Row, Session } from '../../../src/index.js';
import { useSessions } from '../../helpers/sessions.js';
import { normalizeRows, runSqlite, type SqliteTable } from './sqlite.js';

export const PEOPLE: Row[] = [
  { id: 1, name: 'Ann', age: 34, dept: 'eng', salary: 100.5 },
  { id: 2, name: 'Bob', age: null, dept: 'eng', salary: 80 },
  { id: 3, name: 'Cid', age: 25, dept: 'ops', salary: null },
  { id: 4, name: 'Dee', age: 41, dept: null, salary: 70 },
  { id: 5, name: 'Eve', age: 25, dept: 'ops', salary: 65.25 },
  { id: 6, name: 'Fay', age: 52, dept: 'hr', salary: 120 },
  { id: 7, name: 'Gus', age: null, dept: null, salary: null },
  { id: 8, name: 'Hal', age: 34, dept: 'eng', salary: 95 },
  { id: 9, name: 'Ivy', age: 19, dept: 'ops', salary: 40 },
  { id: 10, name: 'Jo', age: 61, dept: 'sales', salary: 150 },
];
export const DEPTS: Row[] = [
  { dept: 'eng', floor: 3, budget: 1000 },
  { dept: 'ops', floor: 1, budget: 500 },
  { dept: 'hr', floor: 2, budget: null },
  { dept: 'legal', floor: 4, budget: 300 },
];
export const ORDERS: Row[] = [
  { order_id: 101, person_id: 1, amount: 20, status: 'paid' },
  { order_id: 102, person_id: 1, amount: 35.5, status: 'open' },
  { order_id: 103, person_id: 3, amount: 12, status: 'paid' },
  { order_id: 104, person_id: 5, amount: null, status: 'paid' },
  { order_id: 105, person_id: 9, amount: 80, status: null },
  { order_id: 106, person_id: 11, amount: 5, status: 'open' },
  { order_id: 107, person_id: 2, amount: 42, status: 'paid' },
];

export const SQLITE_TABLES: Record<string, SqliteTable> = {
  people: { columns: [['id', 'INTEGER'], ['name', 'TEXT'], ['age', 'INTEGER'], ['dept', 'TEXT'], ['salary', 'REAL']], rows: PEOPLE },
  depts: { columns: [['dept', 'TEXT'], ['floor', 'INTEGER'], ['budget', 'REAL']], rows: DEPTS },
  orders: { columns: [['order_id', 'INTEGER'], ['person_id', 'INTEGER'], ['amount', 'REAL'], ['status', 'TEXT']], rows: ORDERS },
};

export interface Tables { people: DataFrame; depts: DataFrame; orders: DataFrame }

export interface SqlCase {
  name: string;
  sql: string;
  /** SQLite's text where its dialect differs (see the list above). */
  sqlite?: string;
  /** True when ORDER BY fixes the whole order (every such query orders by a unique key last). */
  ordered?: boolean;
  /** The same query written with the DataFrame API. */
  df: (t: Tables) => DataFrame;
}

/** Registers the tables as views of `spark` (3 partitions, so shuffles and merges happen). */
export function registerTables(spark: Session): Tables {
  const people = spark.createDataFrame(PEOPLE, { numPartitions: 3, schema: { id: 'int', name: 'string', age: 'int', dept: 'string', salary: 'double' } });
  const depts = spark.createDataFrame(DEPTS, { numPartitions: 2, schema: { dept: 'string', floor: 'int', budget: 'double' } });
  const orders = spark.createDataFrame(ORDERS, { numPartitions: 2, schema: { order_id: 'int', person_id: 'int', amount: 'double', status: 'string' } });
  people.createOrReplaceTempView('people');
  depts.createOrReplaceTempView('depts');
  orders.createOrReplaceTempView('orders');
  return { people, depts, orders };
}

export async function rowsOf(df: DataFrame): Promise<unknown[][]> {
  const cols = df.columns;
  return (await df.collect()).map((r) => cols.map((c) => (r as Row)[c]));
}

export const MASTERS = ['local[2]', 'inline'] as const;

/** One test per case and master: spark.sql and the DataFrame code both give SQLite's rows. */
export function compareWithSqlite(title: string, cases: readonly SqlCase[]): void {
  const expected = runSqlite(SQLITE_TABLES, cases.map((c) => c.sqlite ?? c.sql));
  const session = useSessions(MASTERS);
  describe(title, () => {
    for (const m of MASTERS) {
      let tables: Tables | null = null;
      const get = () => (tables ??= registerTables(session(m)));
      cases.forEach((c, i) => {
        it(`${c.name} (${m})`, async () => {
          const want = expected[i];
          if ('error' in want) throw new Error(`SQLite could not run the reference query '${c.sqlite ?? c.sql}': ${want.error}`);
          const t = get();
          expect(want.rows.length, 'every case returns rows, so an engine that returns none fails').toBeGreaterThan(0);
          const ordered = c.ordered ?? false;
          const expectedRows = normalizeRows(want.rows, ordered);
          const viaSql = session(m).sql(c.sql);
          expect(normalizeRows(await rowsOf(viaSql), ordered), `spark.sql: ${c.sql}`).toEqual(expectedRows);
          const viaApi = c.df(t);
          expect(viaApi.columns.length, 'the DataFrame code selects as many columns').toBe(viaSql.columns.length);
          expect(normalizeRows(await rowsOf(viaApi), ordered), `DataFrame code for: ${c.sql}`).toEqual(expectedRows);
        });
      });
    }
  });
}
