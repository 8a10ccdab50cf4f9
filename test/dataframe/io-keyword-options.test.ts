// Reader options as keyword arguments (PySpark's spark.read.csv(path, header=True, inferSchema=True)):
// the same DataFrame as the .option(...) chain, schema as a keyword, None-like values skipped, and
// clear errors for anything else.
import { describe, expect, it } from 'vitest';
import { Session, StructType, type DataFrame } from '../../src/index.js';
import { useSession } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const spark = useSession('local[2]');
const { file, fresh } = useTempDir('quiver-io-kw-');

const same = async (a: DataFrame, b: DataFrame) => {
  expect(a.schema.treeString()).toBe(b.schema.treeString());
  expect(await a.collect()).toEqual(await b.collect());
};

describe('spark.read.<format>(path, { ...options })', () => {
  it('csv: header and inferSchema as keywords equal the option chain', async () => {
    const p = file('people.csv', 'name;age\nAnn;31\nBo;\n');
    const kw = await spark().read.csv(p, { header: true, inferSchema: true, sep: ';' });
    await same(kw, await spark().read.option('header', true).option('inferSchema', true).option('sep', ';').csv(p));
    expect(kw.schema.treeString()).toBe('root\n |-- name: string (nullable = true)\n |-- age: integer (nullable = true)\n');
    expect(await kw.collect()).toEqual([{ name: 'Ann', age: 31 }, { name: 'Bo', age: null }]);
    // PySpark skips None: null and undefined mean "not given".
    await same(await spark().read.csv(p, { header: true, inferSchema: null, sep: ';', mode: undefined }), await spark().read.option('header', true).option('sep', ';').csv(p));
    // Several paths, then the options; a list of paths works too.
    const q = file('more.csv', 'name;age\nCy;7\n');
    expect(await (await spark().read.csv(p, q, { header: true, sep: ';', inferSchema: true })).count()).toBe(3);
    expect(await (await spark().read.csv([p, q], { header: true, sep: ';' })).count()).toBe(3);
  });

  it('schema as a keyword: a DDL string or a StructType', async () => {
    const p = file('xy.csv', '1,a\n2,b\n');
    const ddl = await spark().read.csv(p, { schema: 'x DOUBLE, y STRING' });
    expect(await ddl.collect()).toEqual([{ x: 1, y: 'a' }, { x: 2, y: 'b' }]);
    const st = new StructType([{ name: 'x', type: { kind: 'long' }, nullable: true }, { name: 'y', type: { kind: 'string' }, nullable: true }]);
    expect((await spark().read.csv(p, { schema: st })).schema.field('x').type).toEqual({ kind: 'long' });
  });

  it('json, parquet and load take keywords too', async () => {
    const doc = file('doc.json', '[{"a": 1},\n {"a": 2}]');
    await same(await spark().read.json(doc, { multiLine: true }), await spark().read.option('multiLine', true).json(doc));
    const dir = fresh('pq');
    await spark().createDataFrame([{ a: 1 }, { a: 2 }]).write.parquet(`${dir}/nested/x`);
    await expect(spark().read.parquet(dir)).rejects.toThrow(/Unable to infer schema for Parquet|no data files/);
    expect(await (await spark().read.parquet(dir, { recursiveFileLookup: true })).count()).toBe(2);
    const csv = file('c.csv', 'a\n5\n');
    expect(await (await spark().read.load(csv, { format: 'csv', header: true, inferSchema: true })).collect()).toEqual([{ a: 5 }]);
  });

  it('rejects options that are not option values, misplaced objects and format as a csv keyword', async () => {
    const p = file('a.csv', 'a\n1\n');
    await expect(spark().read.csv(p, { header: [true] as never })).rejects.toThrow("spark.read.csv: option 'header' must be a string, number or boolean, got an object");
    await expect(spark().read.csv({ header: true } as never, p)).rejects.toThrow('spark.read.csv: a path must be a string, and options an object as the last argument, got {"header":true}');
    await expect(spark().read.csv(p, { format: 'json' })).rejects.toThrow("spark.read.csv: 'format' is not an option of csv(); use spark.read.format(...).load(...)");
    await expect(spark().read.json(p, { mode: 'LENIENT' as never })).rejects.toThrow(/mode/);
    expect(spark()).toBeInstanceOf(Session);
  });
});
