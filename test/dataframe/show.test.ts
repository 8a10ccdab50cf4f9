// show(): Spark's argument forms and output (Dataset.showString), expected texts from PySpark's
// DataFrame.show docstring (df = [(2, "Alice"), (5, "Bob")]) and Spark 3.5+'s ToPrettyString for
// nulls and nested values.
import { describe, expect, it } from 'vitest';
import { arrayType, structType, StructType, type DataFrame } from '../../src/index.js';
import { formatShow, showSettings } from '../../src/dataframe/show.js';
import { useSession } from '../helpers/sessions.js';

const spark = useSession('inline');
const people = () => spark().createDataFrame([{ age: 2, name: 'Alice' }, { age: 5, name: 'Bob' }], { numPartitions: 1 });

async function shown(df: DataFrame, ...args: unknown[]): Promise<string> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => { out.push(chunk); return true; }) as typeof process.stdout.write;
  try { await (df.show as (...a: unknown[]) => Promise<void>)(...args); } finally { process.stdout.write = write; }
  return out.join('');
}

describe('show() output (PySpark docstring examples)', () => {
  it('prints the table, truncate=3 and vertical as Spark does', async () => {
    expect(await shown(people())).toBe('+---+-----+\n|age| name|\n+---+-----+\n|  2|Alice|\n|  5|  Bob|\n+---+-----+\n');
    expect(await shown(people(), { truncate: 3 })).toBe('+---+----+\n|age|name|\n+---+----+\n|  2| Ali|\n|  5| Bob|\n+---+----+\n');
    // The docstring's doctest normalises whitespace; Spark pads every value to the widest.
    expect(await shown(people(), { vertical: true })).toBe(
      '-RECORD 0-----\n age  | 2     \n name | Alice \n-RECORD 1-----\n age  | 5     \n name | Bob   \n');
    expect(await shown(people(), 1, true, true)).toBe('-RECORD 0-----\n age  | 2     \n name | Alice \nonly showing top 1 row\n');
    expect(await shown(people().limit(0), { vertical: true })).toBe('(0 rows)\n');
  });

  it("accepts Scala's show(truncate: Boolean) and PySpark's show(n, truncate) with a width", async () => {
    const long = 'abcdefghijklmnopqrstuvwxyz';
    const df = spark().createDataFrame(Array.from({ length: 25 }, (_, i) => ({ i, s: long })), { numPartitions: 2 });
    const untruncated = await shown(df, false);
    expect(untruncated.split('\n')).toHaveLength(3 + 20 + 1 + 2);
    expect(untruncated).toContain(`|0  |${long}|`); // not truncated: left-aligned, as Spark
    expect(untruncated.endsWith('only showing top 20 rows\n')).toBe(true);
    expect(await shown(df, 1, 5)).toContain('|  0|ab...|');
    expect(await shown(df, 1, 3)).toContain('|  0|abc|'); // widths under 4 cut without an ellipsis
    expect(await shown(df, 1, true)).toContain(`|  0|${long.slice(0, 17)}...|`);
    // Spark's numRows.max(0): a negative count shows no row.
    expect(await shown(df, -1)).toBe('+---+---+\n|  i|  s|\n+---+---+\n+---+---+\nonly showing top 0 rows\n');
    expect(await shown(df, { n: 2, truncate: false, vertical: false })).toContain('only showing top 2 rows');
  });

  it('escapes control characters and aligns wide characters as Spark (escapeMetaCharacters, stringHalfWidth)', () => {
    const schema = new StructType([{ name: 'a\tb', type: { kind: 'string' }, nullable: true }]);
    expect(formatShow(schema, [{ 'a\tb': 'x\ny' }, { 'a\tb': '日本' }], { numRows: 20, truncate: 20, vertical: false })).toBe(
      '+----+\n|a\\tb|\n+----+\n|x\\ny|\n|日本|\n+----+\n');
  });

  it('rejects anything else, naming the argument', async () => {
    const df = people();
    await expect(shown(df, 2.5)).rejects.toThrow(/show: the number of rows must be an integer, got 2.5; expected show\(\), show\(n\)/);
    await expect(shown(df, '5')).rejects.toThrow(/number of rows must be an integer, got "5"/);
    await expect(shown(df, 5, 'yes')).rejects.toThrow(/truncate must be a boolean or an integer width, got "yes"/);
    await expect(shown(df, 5, 1.5)).rejects.toThrow(/truncate must be a boolean or an integer width, got 1.5/);
    await expect(shown(df, 5, true, 1)).rejects.toThrow(/vertical must be a boolean, got 1/);
    await expect(shown(df, false, 5)).rejects.toThrow(/show\(truncate\) takes no further arguments/);
    await expect(shown(df, { n: 1, verticle: true })).rejects.toThrow(/unknown option 'verticle'/);
    await expect(shown(df, { n: 1 }, 5)).rejects.toThrow(/an options object must be the only argument/);
    await expect(shown(df, 1, 2, true, 4)).rejects.toThrow(/got 4 arguments/);
    expect(showSettings([])).toEqual({ numRows: 20, truncate: 20, vertical: false });
    expect(showSettings([{}])).toEqual({ numRows: 20, truncate: 20, vertical: false });
  });
});

describe('cells as Spark 3.5+ prints them', () => {
  it('nulls as NULL, doubles in Java form, arrays as [a, b] and structs as {a, b}, nested', () => {
    const schema = new StructType([
      { name: 'd', type: { kind: 'double' }, nullable: true },
      { name: 'xs', type: arrayType({ kind: 'int' }), nullable: true },
      { name: 'p', type: structType([{ name: 'a', type: { kind: 'int' }, nullable: true }, { name: 'b', type: { kind: 'string' }, nullable: true }]), nullable: true },
      { name: 'recs', type: arrayType(structType([{ name: 'item', type: { kind: 'int' }, nullable: true }, { name: 'rating', type: { kind: 'double' }, nullable: true }])), nullable: true },
    ]);
    const rows = [
      { d: 1e8, xs: [1, null, 3], p: { a: null, b: 'q' }, recs: [{ item: 1, rating: 0.5 }, { item: 2, rating: 1 }] },
      { d: null, xs: [], p: null, recs: null },
    ];
    expect(formatShow(schema, rows, { numRows: 20, truncate: 0, vertical: false })).toBe([
      '+-----+------------+---------+--------------------+',
      '|d    |xs          |p        |recs                |',
      '+-----+------------+---------+--------------------+',
      '|1.0E8|[1, NULL, 3]|{NULL, q}|[{1, 0.5}, {2, 1.0}]|',
      '|NULL |[]          |NULL     |NULL                |',
      '+-----+------------+---------+--------------------+',
      '',
    ].join('\n'));
  });
});
