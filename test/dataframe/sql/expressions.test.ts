// SQL text inside DataFrame code: filter("age > 25") / where(...), selectExpr(...) (aggregates
// included, as Spark's), expr("...") columns, Column.like/isin/between, and the column names Spark
// gives unaliased SQL expressions.
import { describe, expect, it } from 'vitest';
import { col, expr, functions as F, Window } from '../../../src/index.js';
import { useSessions } from '../../helpers/sessions.js';
import { MASTERS, PEOPLE, registerTables } from './cases.js';

const session = useSessions(MASTERS);
const ids = (rows: object[]) => rows.map((r) => (r as { id: number }).id);

describe('SQL strings in DataFrame code', () => {
  for (const m of MASTERS) {
    it(`filter and where take SQL predicates (${m})`, async () => {
      const { people } = registerTables(session(m));
      // Expected: the rows PEOPLE has with age > 25, computed here from the literal table.
      const older = PEOPLE.filter((r) => r.age !== null && (r.age as number) > 25).map((r) => r.id);
      expect(ids(await people.filter('age > 25').orderBy('id').collect())).toEqual(older);
      expect(ids(await people.where('age > 25').orderBy('id').collect())).toEqual(older);
      expect(await people.filter("dept = 'ops' AND salary IS NULL").select('id').collect()).toEqual([{ id: 3 }]);
      expect(ids(await people.filter("name LIKE '%a%' OR id IN (9, 10)").orderBy('id').collect())).toEqual([6, 8, 9, 10]);
    });

    it(`selectExpr: expressions with aliases, and aggregates (${m})`, async () => {
      const { people } = registerTables(session(m));
      const df = people.selectExpr('id', 'age + 1 AS next', 'CASE WHEN salary > 90 THEN 1 ELSE 0 END AS rich');
      expect(df.columns).toEqual(['id', 'next', 'rich']);
      expect(await df.filter('id <= 3').orderBy('id').collect()).toEqual([{ id: 1, next: 35, rich: 1 }, { id: 2, next: null, rich: 0 }, { id: 3, next: 26, rich: 0 }]);
      // Ages 34, 25, 41, 25, 52, 34, 19, 61 (two nulls): 8 values summing to 291.
      expect(await people.selectExpr('count(*) AS n', 'count(age) AS na', 'sum(age) AS s').collect()).toEqual([{ n: 10, na: 8, s: 291 }]);
      expect(await people.selectExpr('*').count()).toBe(10);
    });

    it(`expr() builds Columns usable anywhere (${m})`, async () => {
      const { people } = registerTables(session(m));
      const df = people.select(col('id'), expr('age * 2').alias('a2'), expr('salary IS NULL AS nosal'))
        .withColumn('rn', expr('row_number() OVER (PARTITION BY nosal ORDER BY id DESC)'))
        .filter(expr('a2 > 60'));
      // Expected, from the literal table: row_number over the rows sharing salary-is-null, by id descending.
      const want = PEOPLE.map((r) => {
        const nosal = r.salary === null;
        const peers = PEOPLE.filter((q) => (q.salary === null) === nosal).map((q) => q.id as number).sort((x, y) => y - x);
        return { id: r.id, a2: r.age === null ? null : (r.age as number) * 2, nosal, rn: peers.indexOf(r.id as number) + 1 };
      }).filter((r) => r.a2 !== null && r.a2 > 60);
      expect(await df.orderBy('id').collect()).toEqual(want);
    });
  }

  it('Column.like / isin / between match their SQL forms', async () => {
    const { people } = registerTables(session('inline'));
    const pairs: [string, ReturnType<typeof col>][] = [
      ["name LIKE '_a%'", col('name').like('_a%')],
      ['age IN (25, 61)', col('age').isin([25, 61])],
      ['age BETWEEN 30 AND 45', col('age').between(30, 45)],
    ];
    for (const [text, column] of pairs) {
      expect(ids(await people.filter(column).orderBy('id').collect()), text).toEqual(ids(await people.filter(text).orderBy('id').collect()));
    }
    // LIKE escapes: \% is a literal percent sign; regex characters are literal.
    const odd = session('inline').createDataFrame([{ s: '50%' }, { s: '50x' }, { s: 'a.c' }, { s: 'abc' }]);
    expect(await odd.filter("s LIKE '50\\\\%'").collect()).toEqual([{ s: '50%' }]);
    expect(await odd.filter(col('s').like('a.c')).collect()).toEqual([{ s: 'a.c' }]);
  });

  it("string literals unescape as Spark's (docs: Spark SQL literals)", async () => {
    const spark = session('inline');
    expect(await spark.sql("SELECT 'it\\'s' AS a, 'tab\\there' AS b, 'back\\\\slash' AS c, \"dq\" AS d, 'caf\\u00e9' AS e").collect())
      .toEqual([{ a: "it's", b: 'tab\there', c: 'back\\slash', d: 'dq', e: 'café' }]);
  });

  it("unaliased columns get Spark's names", () => {
    const spark = session('inline');
    registerTables(spark);
    expect(spark.sql('SELECT count(*), sum(salary), avg(age), count(DISTINCT dept), max(name) FROM people').columns)
      .toEqual(['count(1)', 'sum(salary)', 'avg(age)', 'count(DISTINCT dept)', 'max(name)']);
    expect(spark.sql('SELECT age + 1, p.name, dept FROM people p').columns).toEqual(['(age + 1)', 'name', 'dept']);
    expect(spark.sql('SELECT dept, sum(salary) FROM people GROUP BY dept').columns).toEqual(['dept', 'sum(salary)']);
    // Names resolve case-insensitively and keep the table's spelling.
    expect(spark.sql('select Id, DEPT from PEOPLE group by Dept, ID').columns).toEqual(['id', 'dept']);
    expect(spark.sql('SELECT p.dept, sum(o.amount) FROM orders o JOIN people p ON o.person_id = p.id GROUP BY p.dept').columns).toEqual(['dept', 'sum(amount)']);
    expect(spark.sql('SELECT id, rank() OVER (PARTITION BY dept ORDER BY age) FROM people').columns[1]).toBe(
      F.rank().over(Window.partitionBy('dept').orderBy('age')).toString(),
    );
  });
});
