// spark.sql window functions: ranking, lag/lead, aggregates over ROWS and RANGE frames and the
// default frame, named windows, and a top-1-per-group through a subquery — compared with SQLite's
// rows (SQLite 3.28+ has the same window functions and frames) and with the DataFrame API.
import { col, functions as F, lit, Window } from '../../../src/index.js';
import { compareWithSqlite, type SqlCase } from './cases.js';

const byDept = Window.partitionBy('dept');

const CASES: SqlCase[] = [
  {
    name: 'row_number per partition',
    sql: 'SELECT id, row_number() OVER (PARTITION BY dept ORDER BY salary DESC NULLS LAST, id) AS rn FROM people',
    df: ({ people }) => people.select('id', F.row_number().over(byDept.orderBy(col('salary').desc_nulls_last(), 'id')).alias('rn')),
  },
  {
    name: 'rank and dense_rank with ties and null keys',
    sql: 'SELECT id, rank() OVER (ORDER BY age) AS r, dense_rank() OVER (ORDER BY age) AS dr FROM people',
    df: ({ people }) => people.select('id', F.rank().over(Window.orderBy('age')).alias('r'), F.dense_rank().over(Window.orderBy('age')).alias('dr')),
  },
  {
    name: 'percent_rank and cume_dist',
    sql: 'SELECT id, percent_rank() OVER (PARTITION BY dept ORDER BY age) AS pr, cume_dist() OVER (PARTITION BY dept ORDER BY age) AS cd FROM people',
    df: ({ people }) => people.select('id', F.percent_rank().over(byDept.orderBy('age')).alias('pr'), F.cume_dist().over(byDept.orderBy('age')).alias('cd')),
  },
  {
    name: 'lag with a default and lead',
    sql: 'SELECT id, lag(salary, 1, 0) OVER (ORDER BY id) AS prev, lead(name) OVER (PARTITION BY dept ORDER BY id) AS nxt FROM people',
    df: ({ people }) => people.select('id', F.lag('salary', 1, 0).over(Window.orderBy('id')).alias('prev'), F.lead('name').over(byDept.orderBy('id')).alias('nxt')),
  },
  {
    name: 'running sum: ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW',
    sql: 'SELECT id, sum(salary) OVER (PARTITION BY dept ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run FROM people',
    df: ({ people }) => people.select('id', F.sum('salary').over(byDept.orderBy('id').rowsBetween(Window.unboundedPreceding, Window.currentRow)).alias('run')),
  },
  {
    name: 'moving average: ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING',
    sql: 'SELECT id, avg(salary) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS m FROM people',
    df: ({ people }) => people.select('id', F.avg('salary').over(Window.orderBy('id').rowsBetween(-1, 1)).alias('m')),
  },
  {
    name: 'RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING (null keys are their own peers)',
    sql: 'SELECT id, count(*) OVER (ORDER BY age RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS near FROM people',
    df: ({ people }) => people.select('id', F.count().over(Window.orderBy('age').rangeBetween(-5, 5)).alias('near')),
  },
  {
    name: 'RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING',
    sql: 'SELECT id, max(salary) OVER (PARTITION BY dept ORDER BY age RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS mx FROM people',
    df: ({ people }) => people.select('id', F.max('salary').over(byDept.orderBy('age').rangeBetween(Window.currentRow, Window.unboundedFollowing)).alias('mx')),
  },
  {
    // The parser has no RANGE frames: parse.ts reads RANGE as ROWS and marks it back by position,
    // so a ROWS and a RANGE window side by side (and the words in a string) must each keep their kind.
    name: "ROWS and RANGE windows in one query, and 'RANGE BETWEEN' inside a string",
    sql: "SELECT id, 'RANGE BETWEEN 1 PRECEDING' AS s, count(*) OVER (ORDER BY age ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS by_rows, count(*) OVER (ORDER BY age RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS by_range FROM people",
    df: ({ people }) => people.select('id', lit('RANGE BETWEEN 1 PRECEDING').alias('s'),
      F.count().over(Window.orderBy('age').rowsBetween(-1, 0)).alias('by_rows'), F.count().over(Window.orderBy('age').rangeBetween(-1, 0)).alias('by_range')),
  },
  {
    name: 'the default frame with ORDER BY includes peers',
    sql: 'SELECT id, sum(age) OVER (ORDER BY age) AS s FROM people',
    df: ({ people }) => people.select('id', F.sum('age').over(Window.orderBy('age')).alias('s')),
  },
  {
    name: 'a whole partition: count(*) OVER (PARTITION BY ...) and min over no window spec',
    sql: 'SELECT id, count(*) OVER (PARTITION BY dept) AS n, min(age) OVER () AS youngest FROM people',
    df: ({ people }) => people.select('id', F.count().over(byDept).alias('n'), F.min('age').over(Window.partitionBy()).alias('youngest')),
  },
  {
    name: 'a named window (WINDOW w AS ...)',
    sql: 'SELECT id, sum(salary) OVER w AS s, row_number() OVER w AS rn FROM people WINDOW w AS (PARTITION BY dept ORDER BY id)',
    df: ({ people }) => people.select('id', F.sum('salary').over(byDept.orderBy('id')).alias('s'), F.row_number().over(byDept.orderBy('id')).alias('rn')),
  },
  {
    name: 'window arithmetic: a share of the partition total',
    sql: 'SELECT id, salary / sum(salary) OVER (PARTITION BY dept) AS share FROM people',
    df: ({ people }) => people.select('id', col('salary').divide(F.sum('salary').over(byDept)).alias('share')),
  },
  {
    name: 'a window over aggregated rows: rank by a group total',
    sql: 'SELECT dept, sum(salary) AS total, rank() OVER (ORDER BY sum(salary) DESC NULLS LAST) AS r FROM people GROUP BY dept',
    df: ({ people }) => people.groupBy('dept').agg(F.sum('salary').alias('total')).select('dept', 'total', F.rank().over(Window.orderBy(col('total').desc_nulls_last())).alias('r')),
  },
  {
    name: 'an aggregate of an aggregate over the whole result: each group of the total',
    sql: 'SELECT dept, count(*) AS n, sum(count(*)) OVER () AS all_n, count(*) / sum(count(*)) OVER () AS share FROM people GROUP BY dept',
    sqlite: 'SELECT dept, count(*) AS n, sum(count(*)) OVER () AS all_n, CAST(count(*) AS REAL) / sum(count(*)) OVER () AS share FROM people GROUP BY dept',
    df: ({ people }) => people.groupBy('dept').agg(F.count().alias('n'))
      .select('dept', 'n', F.sum('n').over(Window.partitionBy()).alias('all_n'), col('n').divide(F.sum('n').over(Window.partitionBy())).alias('share')),
  },
  {
    name: 'top 1 per group through a subquery',
    sql: 'SELECT id, dept FROM (SELECT id, dept, row_number() OVER (PARTITION BY dept ORDER BY salary DESC NULLS LAST, id) AS rn FROM people) t WHERE rn = 1 ORDER BY id',
    ordered: true,
    df: ({ people }) => people.withColumn('rn', F.row_number().over(byDept.orderBy(col('salary').desc_nulls_last(), 'id'))).filter(col('rn').eq(1)).select('id', 'dept').orderBy('id'),
  },
];

compareWithSqlite('spark.sql window functions, against SQLite and the DataFrame API', CASES);
