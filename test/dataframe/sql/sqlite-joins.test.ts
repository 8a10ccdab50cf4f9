// spark.sql across tables: every join type with ON and USING, comma and CROSS joins, extra
// non-equality conditions of an inner join, subqueries in FROM, WITH, UNION [ALL] — compared with
// SQLite's rows and with the same query in DataFrame code.
import { coalesce, col, functions as F, lit } from '../../../src/index.js';
import { compareWithSqlite, type SqlCase } from './cases.js';

const CASES: SqlCase[] = [
  {
    name: 'INNER JOIN ... ON with aliases',
    sql: 'SELECT p.name, d.floor FROM people p JOIN depts d ON p.dept = d.dept',
    df: ({ people, depts }) => people.join(depts, 'dept').select('name', 'floor'),
  },
  {
    name: 'LEFT JOIN keeps unmatched left rows (null keys too)',
    sql: 'SELECT p.id, d.budget FROM people p LEFT OUTER JOIN depts d ON p.dept = d.dept',
    df: ({ people, depts }) => people.join(depts, 'dept', 'left').select('id', 'budget'),
  },
  {
    name: 'RIGHT JOIN keeps unmatched right rows',
    sql: 'SELECT p.id, d.dept FROM people p RIGHT JOIN depts d ON p.dept = d.dept',
    df: ({ people, depts }) => people.join(depts.withColumnRenamed('dept', 'd_dept'), col('dept').eq(col('d_dept')), 'right').select('id', 'd_dept'),
  },
  {
    name: 'FULL OUTER JOIN ... ON, both key columns',
    // Aliased: a Quiver DataFrame cannot hold two columns of one name (Spark's can).
    sql: 'SELECT p.id, d.dept AS d_dept, p.dept FROM people p FULL OUTER JOIN depts d ON p.dept = d.dept',
    df: ({ people, depts }) => people.join(depts.withColumnRenamed('dept', 'd_dept'), col('dept').eq(col('d_dept')), 'full').select('id', 'd_dept', 'dept'),
  },
  {
    name: 'JOIN ... USING: one key column',
    sql: 'SELECT dept, name, floor FROM people JOIN depts USING (dept)',
    df: ({ people, depts }) => people.join(depts, ['dept']).select('dept', 'name', 'floor'),
  },
  {
    name: 'FULL JOIN ... USING: the key is the coalesce of both sides',
    sql: 'SELECT dept, id, floor FROM people FULL JOIN depts USING (dept)',
    // SQLite is given the coalesce explicitly (Spark's meaning of a FULL JOIN's USING column).
    sqlite: 'SELECT coalesce(p.dept, d.dept), p.id, d.floor FROM people p FULL JOIN depts d ON p.dept = d.dept',
    df: ({ people, depts }) => people.join(depts, 'dept', 'full').select('dept', 'id', 'floor'),
  },
  {
    name: 'SELECT * over a USING join: key first, then each side',
    sql: 'SELECT * FROM depts LEFT JOIN people USING (dept)',
    sqlite: 'SELECT d.dept, d.floor, d.budget, p.id, p.name, p.age, p.salary FROM depts d LEFT JOIN people p ON d.dept = p.dept',
    df: ({ people, depts }) => depts.join(people, 'dept', 'left'),
  },
  {
    name: 't.* from one side of a join',
    sql: 'SELECT o.*, p.name FROM orders o JOIN people p ON o.person_id = p.id',
    df: ({ people, orders }) => orders.join(people, col('person_id').eq(col('id'))).select('order_id', 'person_id', 'amount', 'status', 'name'),
  },
  {
    name: 'CROSS JOIN',
    sql: 'SELECT p.id, d.dept FROM people p CROSS JOIN depts d WHERE p.id <= 2',
    df: ({ people, depts }) => people.filter(col('id').le(2)).select('id').withColumn('k', lit(0)).join(depts.withColumn('k', lit(0)), 'k').select('id', 'dept'),
  },
  {
    name: 'LEFT SEMI JOIN (SQLite: IN a subquery)',
    sql: 'SELECT p.id, p.name FROM people p LEFT SEMI JOIN orders o ON p.id = o.person_id',
    sqlite: 'SELECT id, name FROM people WHERE id IN (SELECT person_id FROM orders)',
    df: ({ people, orders }) => people.join(orders, col('id').eq(col('person_id')), 'left_semi').select('id', 'name'),
  },
  {
    name: 'LEFT ANTI JOIN with SELECT * (SQLite: NOT EXISTS)',
    sql: 'SELECT * FROM people p LEFT ANTI JOIN orders o ON o.person_id = p.id',
    sqlite: 'SELECT * FROM people WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.person_id = people.id)',
    df: ({ people, orders }) => people.join(orders, col('id').eq(col('person_id')), 'left_anti'),
  },
  {
    name: 'SEMI JOIN ... USING, then an inner join',
    sql: 'SELECT d.dept, d.floor, o.order_id FROM depts d SEMI JOIN people USING (dept) JOIN orders o ON o.order_id - 100 = d.floor',
    sqlite: 'SELECT d.dept, d.floor, o.order_id FROM depts d JOIN orders o ON o.order_id - 100 = d.floor WHERE d.dept IN (SELECT dept FROM people)',
    df: ({ people, depts, orders }) => depts.join(people, 'dept', 'left_semi').join(orders.withColumn('k', col('order_id').minus(100)), col('floor').eq(col('k'))).select('dept', 'floor', 'order_id'),
  },
  {
    name: 'comma join with the condition in WHERE',
    sql: 'SELECT p.name, o.amount FROM people p, orders o WHERE p.id = o.person_id AND o.amount > 15',
    df: ({ people, orders }) => people.join(orders, col('id').eq(col('person_id'))).filter(col('amount').gt(15)).select('name', 'amount'),
  },
  {
    name: 'INNER JOIN with a non-equality condition besides the keys',
    sql: 'SELECT p.id, o.order_id FROM people p JOIN orders o ON p.id = o.person_id AND o.amount > p.age',
    df: ({ people, orders }) => people.join(orders, col('id').eq(col('person_id'))).filter(col('amount').gt(col('age'))).select('id', 'order_id'),
  },
  {
    name: 'three tables, an outer join, GROUP BY over the result',
    sql: 'SELECT d.floor, count(o.order_id) AS n, sum(o.amount) AS total FROM orders o JOIN people p ON o.person_id = p.id LEFT JOIN depts d ON p.dept = d.dept GROUP BY d.floor',
    df: ({ people, depts, orders }) => orders.join(people, col('person_id').eq(col('id'))).join(depts, 'dept', 'left')
      .groupBy('floor').agg(F.count('order_id').alias('n'), F.sum('amount').alias('total')),
  },
  {
    name: 'subquery in FROM with an alias',
    sql: 'SELECT t.dept, t.n FROM (SELECT dept, count(*) AS n FROM people WHERE dept IS NOT NULL GROUP BY dept) t WHERE t.n > 1',
    df: ({ people }) => people.filter(col('dept').isNotNull()).groupBy('dept').agg(F.count().alias('n')).filter(col('n').gt(1)),
  },
  {
    name: 'a subquery joined to a table',
    sql: 'SELECT p.name, s.spent FROM people p JOIN (SELECT person_id, sum(amount) AS spent FROM orders GROUP BY person_id) s ON s.person_id = p.id',
    df: ({ people, orders }) => people.join(orders.groupBy('person_id').agg(F.sum('amount').alias('spent')), col('id').eq(col('person_id'))).select('name', 'spent'),
  },
  {
    name: 'WITH: two CTEs, the second joined to the first',
    sql: 'WITH big AS (SELECT * FROM orders WHERE amount >= 20), who AS (SELECT id, name FROM people) SELECT who.name, big.amount FROM big JOIN who ON big.person_id = who.id',
    df: ({ people, orders }) => orders.filter(col('amount').ge(20)).join(people.select('id', 'name'), col('person_id').eq(col('id'))).select('name', 'amount'),
  },
  {
    name: 'UNION ALL keeps duplicates',
    sql: 'SELECT dept FROM people UNION ALL SELECT dept FROM depts',
    df: ({ people, depts }) => people.select('dept').union(depts.select('dept')),
  },
  {
    name: 'UNION removes duplicates; ORDER BY applies to the whole union',
    sql: 'SELECT dept FROM people UNION SELECT dept FROM depts ORDER BY dept NULLS LAST',
    ordered: true,
    df: ({ people, depts }) => people.select('dept').union(depts.select('dept')).distinct().orderBy(col('dept').asc_nulls_last()),
  },
  {
    name: 'UNION ALL of different expressions with LIMIT after ORDER BY',
    sql: 'SELECT id AS k, name AS v FROM people WHERE age > 40 UNION ALL SELECT floor, dept FROM depts ORDER BY k DESC LIMIT 5',
    ordered: true,
    df: ({ people, depts }) => people.filter(col('age').gt(40)).select(col('id').alias('k'), col('name').alias('v'))
      .union(depts.select('floor', 'dept')).orderBy(col('k').desc()).limit(5),
  },
  {
    name: 'UNION ALL widens an int column and a double column to double',
    sql: 'SELECT id, age FROM people WHERE id < 3 UNION ALL SELECT budget, floor FROM depts',
    df: ({ people, depts }) => people.filter(col('id').lt(3)).select(col('id').cast('double').alias('id'), 'age').union(depts.select('budget', 'floor')),
  },
  {
    name: 'coalesce across an outer join',
    sql: "SELECT d.dept, coalesce(p.name, 'nobody') AS who FROM depts d LEFT JOIN people p ON d.dept = p.dept",
    df: ({ people, depts }) => depts.join(people, 'dept', 'left').select('dept', coalesce(col('name'), lit('nobody')).alias('who')),
  },
];

compareWithSqlite('spark.sql joins, subqueries, WITH and UNION, against SQLite and the DataFrame API', CASES);
