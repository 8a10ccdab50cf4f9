// Random predicates (comparisons, arithmetic, IS NULL, IN, BETWEEN, LIKE under AND/OR/NOT) over the
// people table, whose columns hold nulls: spark.sql's three-valued result in a select list, and the
// rows WHERE keeps, against SQLite's for the same text. The predicates are drawn by fast-check from
// one seed (FC_SEED, else the fixed one below), printed in the test names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useSessions } from '../../helpers/sessions.js';
import { MASTERS, registerTables, rowsOf, SQLITE_TABLES } from './cases.js';
import { normalizeRows, runSqlite } from './sqlite.js';

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261207;
const COUNT = 40;

const num = fc.constantFrom('age', 'id', 'salary', 'age + id', 'salary / 2', 'age * 2 - id', '-age');
const int = fc.integer({ min: -5, max: 70 });
const atom: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(num, fc.constantFrom('=', '<>', '<', '<=', '>', '>='), int).map(([c, op, v]) => `${c} ${op} ${v}`),
  fc.tuple(fc.constantFrom('dept', 'name'), fc.constantFrom('=', '<>'), fc.constantFrom("'eng'", "'ops'", "'Ann'", "'zzz'")).map(([c, op, v]) => `${c} ${op} ${v}`),
  fc.tuple(fc.constantFrom('age', 'salary', 'dept'), fc.boolean()).map(([c, not]) => `${c} IS ${not ? 'NOT ' : ''}NULL`),
  fc.tuple(fc.boolean(), fc.array(fc.oneof(int.map(String), fc.constant('NULL'), fc.constantFrom('25', '34')), { minLength: 1, maxLength: 3 }))
    .map(([not, vs]) => `age ${not ? 'NOT ' : ''}IN (${vs.join(', ')})`),
  fc.tuple(num, fc.boolean(), int, int).map(([c, not, a, b]) => `${c} ${not ? 'NOT ' : ''}BETWEEN ${a} AND ${b}`),
  fc.tuple(fc.constantFrom('name', 'dept'), fc.boolean(), fc.constantFrom("'A%'", "'%e%'", "'_o%'", "'%y'", "'e_g'", "'%'"))
    .map(([c, not, p]) => `${c} ${not ? 'NOT ' : ''}LIKE ${p}`),
);
const predicate: fc.Arbitrary<string> = fc.letrec((tie) => ({
  p: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('p'), fc.constantFrom('AND', 'OR'), tie('p')).map(([a, op, b]) => `(${a as string}) ${op} (${b as string})`),
    tie('p').map((a) => `NOT (${a as string})`)),
})).p;

const predicates = fc.sample(predicate, { seed: SEED, numRuns: COUNT });
const queries = predicates.flatMap((p) => [`SELECT id, (${p}) AS p FROM people`, `SELECT id FROM people WHERE ${p}`]);
const expected = runSqlite(SQLITE_TABLES, queries);
const session = useSessions(MASTERS);

describe(`random predicates with nulls against SQLite (seed ${SEED})`, () => {
  for (const m of MASTERS) {
    it(`${COUNT} predicates, as values and as WHERE (${m})`, async () => {
      const spark = session(m);
      registerTables(spark);
      for (let i = 0; i < queries.length; i++) {
        const want = expected[i];
        if ('error' in want) throw new Error(`SQLite could not run '${queries[i]}': ${want.error}`);
        expect(normalizeRows(await rowsOf(spark.sql(queries[i])), false), queries[i]).toEqual(normalizeRows(want.rows, false));
      }
      // The sample is not degenerate: predicates are true, false and null on some rows.
      const values = new Set(expected.filter((_, i) => i % 2 === 0).flatMap((r) => ('rows' in r ? r.rows.map((row) => row[1]) : [])));
      expect([...values].sort()).toEqual([0, 1, null]);
    });
  }
});
