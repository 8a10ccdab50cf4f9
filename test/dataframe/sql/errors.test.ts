// What spark.sql says when a query cannot run: syntax errors with line, column and token; unknown
// tables and columns naming what exists; Spark's analysis errors; and, for each construct Quiver's
// SQL does not cover, an error that names the construct (never a silent wrong answer).
import { describe, expect, it } from 'vitest';
import { useSession } from '../../helpers/sessions.js';
import { registerTables } from './cases.js';

const spark = useSession('inline');
const sql = (q: string) => { registerTables(spark()); return () => spark().sql(q); };

describe('syntax errors name the position and the token', () => {
  it('at the end of the input', () => {
    expect(sql('SELECT name FROM people WHERE')).toThrow('[PARSE_SYNTAX_ERROR] Syntax error at or near end of input (line 1, column 30)');
  });
  it('on a later line, with the text and a caret', () => {
    let message = '';
    try { sql('SELECT name\nFROM people\nWHERE age >> 2')(); } catch (e) { message = (e as Error).message; }
    expect(message).toContain("Syntax error at or near '>' (line 3, column 12)");
    expect(message).toContain('== SQL ==\nSELECT name\nFROM people\nWHERE age >> 2\n-----------^^^');
  });
  it('an unterminated string', () => {
    expect(sql("SELECT name FROM people WHERE name = 'Ann")).toThrow(/PARSE_SYNTAX_ERROR.*line 1, column 42/);
  });
  it('in a string predicate, at the position of the predicate text', () => {
    registerTables(spark());
    expect(() => spark().table('people').filter('age > > 3')).toThrow("[PARSE_SYNTAX_ERROR] Syntax error at or near '>' (line 1, column 7)");
  });
  it('more than one statement', () => {
    expect(sql('SELECT 1; SELECT 2')).toThrow('expected one statement but got 2');
  });
});

describe('unknown names list what exists', () => {
  it('a table', () => {
    expect(sql('SELECT * FROM peeple')).toThrow('[TABLE_OR_VIEW_NOT_FOUND] The table or view `peeple` cannot be found. Available: [');
    expect(sql('SELECT * FROM peeple')).toThrow(/Available: \[.*people.*\]/);
    expect(sql('WITH t AS (SELECT 1 AS a) SELECT * FROM u')).toThrow(/`u` cannot be found\. Available: \[t, /);
  });
  it('a column (the DataFrame error, with the visible columns)', () => {
    expect(sql('SELECT nme FROM people')).toThrow("Column 'nme' does not exist. Available columns: [id, name, age, dept, salary]");
    expect(sql('SELECT p.nme FROM people p JOIN depts d ON p.dept = d.dept')).toThrow("Column 'p.nme' does not exist. Available columns: [id, name, age, dept, salary]");
    expect(sql('SELECT nme FROM people p JOIN depts d ON p.dept = d.dept')).toThrow(/Available columns: \[id, name, age, p\.dept, salary, d\.dept, floor, budget\]/);
  });
  it('a table alias', () => {
    expect(sql('SELECT x.id FROM people p')).toThrow("there is no table or alias 'x' in this query. Tables: [p]");
    expect(sql('SELECT x.* FROM people p')).toThrow('[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve `x`.* given input tables: [p]');
  });
  it('an ambiguous column', () => {
    expect(sql('SELECT dept FROM people JOIN depts ON people.dept = depts.dept')).toThrow('[AMBIGUOUS_REFERENCE] Reference `dept` is ambiguous, could be: [`people.dept`, `depts.dept`]');
  });
  it('a named window', () => {
    expect(sql('SELECT sum(age) OVER w2 FROM people WINDOW w AS (ORDER BY id)')).toThrow("window 'w2' is not defined; defined windows: [w]");
  });
});

describe("Spark's analysis errors", () => {
  it('a column that is neither grouped nor aggregated', () => {
    expect(sql('SELECT name, count(*) FROM people GROUP BY dept')).toThrow('[MISSING_AGGREGATION] The non-aggregating expression "name" is based on columns which are not participating in the GROUP BY clause');
    expect(sql('SELECT name, count(*) FROM people')).toThrow('[MISSING_AGGREGATION]');
  });
  it('aggregates and window functions where they cannot be', () => {
    expect(sql('SELECT id FROM people WHERE count(*) > 1')).toThrow('aggregate function count() is not allowed in WHERE');
    expect(sql('SELECT id FROM people WHERE row_number() OVER (ORDER BY id) = 1')).toThrow('window function row_number() is not allowed in WHERE');
    expect(sql('SELECT sum(max(age)) FROM people')).toThrow('aggregate function max() is not allowed in the argument of sum()');
    expect(sql('SELECT dept FROM people GROUP BY dept HAVING rank() OVER (ORDER BY dept) = 1')).toThrow('window function rank() is not allowed in HAVING');
    expect(sql('SELECT dept, sum(age) OVER () FROM people GROUP BY dept')).toThrow('[MISSING_AGGREGATION] The non-aggregating expression "age"');
    expect(sql('SELECT rank() FROM people')).toThrow('rank() is a window function and needs OVER (...)');
  });
  it('type mismatches, from the DataFrame API', () => {
    expect(sql('SELECT sum(name) FROM people')).toThrow('function sum requires numeric types, not string');
    expect(sql('SELECT age + name FROM people')).toThrow("cannot resolve '(age + name)' due to data type mismatch");
    expect(sql("SELECT id FROM people WHERE age LIKE '3%'")).toThrow('LIKE requires a string operand');
  });
  it('positions and names that are not in the select list', () => {
    expect(sql('SELECT id FROM people ORDER BY 3')).toThrow('ORDER BY position 3 is not in the select list (1 to 1)');
    expect(sql('SELECT id FROM people GROUP BY 2')).toThrow('GROUP BY position 2 is not an expression of the select list');
    expect(sql('SELECT DISTINCT name FROM people ORDER BY age')).toThrow('with SELECT DISTINCT, ORDER BY terms must appear in the select list');
    expect(sql('SELECT id FROM people p JOIN people p ON p.id = p.id')).toThrow("'p' appears twice in FROM; give each an alias");
    // Spark's result may repeat a name; a Quiver DataFrame cannot, and says so.
    expect(sql('SELECT * FROM people p JOIN people q ON p.id = q.id')).toThrow("select list items 1 and 6 are both named 'id', and a Quiver DataFrame needs unique column names");
  });
});

describe('constructs Quiver does not cover are named', () => {
  const cases: [string, string][] = [
    ['SELECT * FROM people p LEFT SEMI JOIN depts d ON p.dept = d.dept AND p.age > d.floor', 'a SEMI JOIN condition other than equalities between the two sides'],
    ['SELECT id FROM people INTERSECT SELECT id FROM people', 'INTERSECT is not supported'],
    ['SELECT id FROM people EXCEPT SELECT id FROM people', 'EXCEPT is not supported'],
    ['SELECT upper(name) FROM people', 'the function upper() is not supported'],
    ["SELECT name || 'x' FROM people", 'the operator || is not supported'],
    ['SELECT CAST(age AS DECIMAL(10,2)) FROM people', 'CAST to DECIMAL is not supported'],
    ['SELECT id FROM people WHERE id IN (SELECT person_id FROM orders)', 'IN (subquery) is not supported'],
    ['SELECT id FROM people LIMIT 1 OFFSET 2', 'LIMIT with OFFSET is not supported'],
    ['SELECT * FROM people p LEFT JOIN depts d ON p.dept = d.dept AND p.age > d.floor', 'a LEFT JOIN condition other than equalities between the two sides joined by AND is not supported'],
    ['SELECT * FROM people p FULL JOIN depts d ON p.age > d.floor', 'FULL JOIN condition other than equalities'],
    ['INSERT INTO people VALUES (1)', 'the statement INSERT is not supported'],
    ['SELECT a FROM (SELECT 1 AS a) t, LATERAL (SELECT 2)', 'LATERAL in FROM is not supported'],
    ['SELECT id FROM people WHERE age IS TRUE', 'IS TRUE is not supported'],
    ['SELECT dept, sum(age) FROM people GROUP BY ROLLUP (dept)', 'GROUP BY ROLLUP is not supported'],
    ['SELECT dept FROM people GROUP BY CUBE (dept)', 'GROUP BY CUBE is not supported'],
  ];
  for (const [q, message] of cases) {
    it(q, () => { expect(sql(q)).toThrow(message); });
  }
});
