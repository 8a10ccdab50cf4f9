// spark.sql over one table: projections, predicates (three-valued with nulls), CASE, CAST,
// arithmetic, GROUP BY/HAVING with every aggregate SQLite also has, DISTINCT, ORDER BY ... NULLS
// FIRST/LAST and LIMIT — each compared with SQLite's rows and with the same query in DataFrame code.
import { coalesce, col, functions as F, lit, when } from '../../../src/index.js';
import { compareWithSqlite, type SqlCase } from './cases.js';

const CASES: SqlCase[] = [
  {
    name: 'projection with arithmetic and aliases',
    sql: 'SELECT id, name, age + 1 AS next, salary * 2 AS dbl, -age AS neg FROM people',
    df: ({ people }) => people.select('id', 'name', col('age').plus(1).alias('next'), col('salary').times(2).alias('dbl'), col('age').negate().alias('neg')),
  },
  {
    name: 'WHERE comparison',
    sql: 'SELECT id FROM people WHERE age > 30',
    df: ({ people }) => people.filter(col('age').gt(30)).select('id'),
  },
  {
    name: 'AND / OR / NOT over nulls',
    sql: "SELECT id FROM people WHERE NOT (age < 30 OR dept = 'ops') AND salary >= 80",
    df: ({ people }) => people.where(col('age').lt(30).or(col('dept').eq('ops')).not().and(col('salary').ge(80))).select('id'),
  },
  {
    name: 'IS NULL / IS NOT NULL',
    sql: 'SELECT id FROM people WHERE age IS NULL OR (dept IS NOT NULL AND salary IS NULL)',
    df: ({ people }) => people.filter(col('age').isNull().or(col('dept').isNotNull().and(col('salary').isNull()))).select('id'),
  },
  {
    name: 'IN and NOT IN (a null age is in neither)',
    sql: "SELECT id, name FROM people WHERE dept IN ('eng', 'hr') OR age NOT IN (25, 34, 19)",
    df: ({ people }) => people.filter(col('dept').isin('eng', 'hr').or(col('age').isin(25, 34, 19).not())).select('id', 'name'),
  },
  {
    name: 'BETWEEN and NOT BETWEEN',
    sql: 'SELECT id FROM people WHERE age BETWEEN 25 AND 41 AND salary NOT BETWEEN 70 AND 90',
    df: ({ people }) => people.filter(col('age').between(25, 41).and(col('salary').between(70, 90).not())).select('id'),
  },
  {
    name: 'LIKE with % and _, case-sensitive',
    sql: "SELECT id, name FROM people WHERE name LIKE 'A%' OR name LIKE '%y' OR name LIKE '_o' OR name LIKE 'h%' OR name NOT LIKE '%_%'",
    df: ({ people }) => people.filter(col('name').like('A%').or(col('name').like('%y')).or(col('name').like('_o')).or(col('name').like('h%')).or(col('name').like('%_%').not())).select('id', 'name'),
  },
  {
    name: 'searched CASE WHEN with ELSE',
    sql: "SELECT id, CASE WHEN age >= 50 THEN 'senior' WHEN age >= 30 THEN 'mid' WHEN age IS NULL THEN 'unknown' ELSE 'junior' END AS band FROM people",
    df: ({ people }) => people.select('id', when(col('age').ge(50), 'senior').when(col('age').ge(30), 'mid').when(col('age').isNull(), 'unknown').otherwise('junior').alias('band')),
  },
  {
    name: 'simple CASE without ELSE gives null',
    sql: "SELECT id, CASE dept WHEN 'eng' THEN 1 WHEN 'ops' THEN 2 END AS code FROM people",
    df: ({ people }) => people.select('id', when(col('dept').eq('eng'), 1).when(col('dept').eq('ops'), 2).alias('code')),
  },
  {
    name: 'CAST to int, double and string',
    sql: 'SELECT id, CAST(salary AS INT) AS s_int, CAST(age AS DOUBLE) / 4 AS q, CAST(id AS STRING) AS sid FROM people',
    sqlite: 'SELECT id, CAST(salary AS INTEGER) AS s_int, CAST(age AS REAL) / 4 AS q, CAST(id AS TEXT) AS sid FROM people',
    df: ({ people }) => people.select('id', col('salary').cast('int').alias('s_int'), col('age').cast('double').divide(4).alias('q'), col('id').cast('string').alias('sid')),
  },
  {
    name: '/ is a double division; by zero it is null',
    sql: 'SELECT id, age / 4 AS q, salary / (age - 25) AS r FROM people',
    sqlite: 'SELECT id, CAST(age AS REAL) / 4 AS q, salary / (age - 25) AS r FROM people',
    df: ({ people }) => people.select('id', col('age').divide(4).alias('q'), col('salary').divide(col('age').minus(25)).alias('r')),
  },
  {
    name: 'modulo and coalesce',
    sql: 'SELECT id, id % 3 AS m, coalesce(age, 0) + coalesce(salary, 0) AS t FROM people',
    df: ({ people }) => people.select('id', col('id').mod(3).alias('m'), coalesce(col('age'), lit(0)).plus(coalesce(col('salary'), lit(0))).alias('t')),
  },
  {
    name: 'GROUP BY with count(*), count, sum, avg, min, max (a null group)',
    sql: 'SELECT dept, count(*) AS n, count(age) AS na, sum(salary) AS s, avg(age) AS a, min(name) AS mn, max(salary) AS mx FROM people GROUP BY dept',
    df: ({ people }) => people.groupBy('dept').agg(F.count().alias('n'), F.count('age').alias('na'), F.sum('salary').alias('s'), F.avg('age').alias('a'), F.min('name').alias('mn'), F.max('salary').alias('mx')),
  },
  {
    name: 'count(DISTINCT x)',
    sql: 'SELECT dept, count(DISTINCT age) AS d FROM people GROUP BY dept',
    df: ({ people }) => people.groupBy('dept').agg(F.countDistinct('age').alias('d')),
  },
  {
    name: 'HAVING on aggregates not in the select list',
    sql: 'SELECT dept, count(*) AS n FROM people GROUP BY dept HAVING count(*) >= 2 AND max(age) > 30',
    df: ({ people }) => people.groupBy('dept').agg(F.count().alias('n'), F.max('age').alias('mx')).filter(col('n').ge(2).and(col('mx').gt(30))).select('dept', 'n'),
  },
  {
    name: 'HAVING naming a select alias',
    sql: 'SELECT dept, count(*) AS n, avg(salary) AS pay FROM people GROUP BY dept HAVING n > 1 AND pay < 100',
    sqlite: 'SELECT dept, count(*) AS n, avg(salary) AS pay FROM people GROUP BY dept HAVING count(*) > 1 AND avg(salary) < 100',
    df: ({ people }) => people.groupBy('dept').agg(F.count().alias('n'), F.avg('salary').alias('pay')).filter(col('n').gt(1).and(col('pay').lt(100))),
  },
  {
    name: 'aggregates without GROUP BY',
    sql: 'SELECT count(*), sum(age), avg(salary), min(age), max(name) FROM people',
    df: ({ people }) => people.agg(F.count(), F.sum('age'), F.avg('salary'), F.min('age'), F.max('name')),
  },
  {
    name: 'GROUP BY an expression (a boolean key with nulls)',
    sql: 'SELECT age > 30 AS older, count(*) AS n FROM people GROUP BY age > 30',
    df: ({ people }) => people.withColumn('older', col('age').gt(30)).groupBy('older').agg(F.count().alias('n')),
  },
  {
    name: 'expressions over aggregates and GROUP BY by position',
    sql: 'SELECT dept, sum(salary) / count(*) AS per_head, max(age) - min(age) AS spread FROM people GROUP BY 1',
    df: ({ people }) => people.groupBy('dept').agg(F.sum('salary').alias('s'), F.count().alias('n'), F.max('age').alias('hi'), F.min('age').alias('lo'))
      .select('dept', col('s').divide(col('n')).alias('per_head'), col('hi').minus(col('lo')).alias('spread')),
  },
  {
    name: 'variance (sample)',
    sql: 'SELECT dept, variance(salary) AS v FROM people GROUP BY dept',
    sqlite: 'SELECT dept, (sum(salary * salary) - sum(salary) * sum(salary) / count(salary)) / (count(salary) - 1) AS v FROM people GROUP BY dept',
    df: ({ people }) => people.groupBy('dept').agg(F.variance('salary').alias('v')),
  },
  {
    name: 'SELECT DISTINCT',
    sql: 'SELECT DISTINCT dept, age > 30 AS older FROM people',
    df: ({ people }) => people.select('dept', col('age').gt(30).alias('older')).distinct(),
  },
  {
    name: 'ORDER BY DESC NULLS FIRST, then a key',
    sql: 'SELECT id, age FROM people ORDER BY age DESC NULLS FIRST, id',
    ordered: true,
    df: ({ people }) => people.select('id', 'age').orderBy(col('age').desc_nulls_first(), 'id'),
  },
  {
    name: 'ORDER BY ASC NULLS LAST, id DESC',
    sql: 'SELECT id, age FROM people ORDER BY age ASC NULLS LAST, id DESC',
    ordered: true,
    df: ({ people }) => people.select('id', 'age').orderBy(col('age').asc_nulls_last(), col('id').desc()),
  },
  {
    name: 'ORDER BY defaults (nulls first ascending)',
    sql: 'SELECT id, dept FROM people ORDER BY dept, id',
    ordered: true,
    df: ({ people }) => people.select('id', 'dept').orderBy('dept', 'id'),
  },
  {
    name: 'ORDER BY an expression not selected, with LIMIT',
    sql: 'SELECT name FROM people ORDER BY salary * -1 NULLS LAST, id LIMIT 4',
    ordered: true,
    df: ({ people }) => people.orderBy(col('salary').times(-1).asc_nulls_last(), 'id').limit(4).select('name'),
  },
  {
    name: 'ORDER BY an alias and a position',
    sql: 'SELECT name, age * 2 AS a2 FROM people ORDER BY a2 DESC NULLS LAST, 1',
    ordered: true,
    df: ({ people }) => people.select('name', col('age').times(2).alias('a2')).orderBy(col('a2').desc_nulls_last(), 'name'),
  },
  {
    name: 'GROUP BY with ORDER BY an aggregate and LIMIT',
    sql: 'SELECT dept, sum(salary) AS total FROM people WHERE dept IS NOT NULL GROUP BY dept ORDER BY sum(salary) DESC NULLS LAST, dept LIMIT 3',
    ordered: true,
    df: ({ people }) => people.filter(col('dept').isNotNull()).groupBy('dept').agg(F.sum('salary').alias('total')).orderBy(col('total').desc_nulls_last(), 'dept').limit(3),
  },
  {
    name: 'SELECT without FROM',
    sql: "SELECT 1 + 2 AS three, 'x' AS s, 7 / 2 AS half",
    sqlite: "SELECT 1 + 2 AS three, 'x' AS s, 7.0 / 2 AS half",
    df: ({ people }) => people.limit(1).select(lit(1).plus(2).alias('three'), lit('x').alias('s'), lit(7).divide(2).alias('half')),
  },
];

compareWithSqlite('spark.sql over one table, against SQLite and the DataFrame API', CASES);
