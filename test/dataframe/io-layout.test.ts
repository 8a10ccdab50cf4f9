// The directory layout of written data, how paths resolve (directories, globs, lists), save modes,
// failed writes that must publish nothing, and errors that name the path.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Session, Vectors, col, type DataFrame } from '../../src/index.js';
import { useSparkAndInline } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const { spark, inline } = useSparkAndInline();
const { root, fresh } = useTempDir('quiver-io-layout-');

const numbers = (s: Session, from: number, n: number, parts: number): DataFrame =>
  s.createDataFrame(Array.from({ length: n }, (_, i) => ({ id: from + i, x: (from + i) / 2 })), { numPartitions: parts, schema: { id: 'int', x: 'double' } });
const ids = async (df: DataFrame) => (await df.collect()).map((r) => r.id as number).sort((a, b) => a - b);
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
/** Entries of a directory that an interrupted or finished write may have left beside its target. */
const leftovers = (dir: string) => fs.readdirSync(dir).filter((n) => n.startsWith('.'));

describe('layout of written data', () => {
  it("is Spark's: one part file per partition plus an empty _SUCCESS, and no temporary directory left", async () => {
    for (const [format, ext] of [['parquet', '.snappy.parquet'], ['csv', '.csv'], ['arrow', '.arrow']] as const) {
      const dir = fresh(format);
      await numbers(spark(), 0, 30, 3).write.format(format).save(dir);
      const names = fs.readdirSync(dir).sort();
      expect(names[0]).toBe('_SUCCESS');
      expect(fs.statSync(path.join(dir, '_SUCCESS')).size).toBe(0);
      const parts = names.slice(1);
      expect(parts).toHaveLength(3);
      const uuid = /^part-0000(\d)-([0-9a-f-]{36})-c000(.*)$/.exec(parts[0])![2];
      parts.forEach((n, i) => expect(n).toBe(`part-0000${i}-${uuid}-c000${ext}`));
    }
    expect(leftovers(root())).toEqual([]);
  });
});

describe('resolving paths', () => {
  it("reads a directory's part files and skips names starting with '_' or '.'", async () => {
    const dir = fresh('skip');
    await numbers(spark(), 0, 20, 2).write.csv(dir);
    fs.writeFileSync(path.join(dir, '_metadata'), 'not,csv,at,all\n1,2,3,4\n');
    fs.writeFileSync(path.join(dir, '.part-00009.csv.crc'), 'garbage');
    fs.mkdirSync(path.join(dir, '_temporary'));
    fs.writeFileSync(path.join(dir, '_temporary', 'part-00000.csv'), '999,1.0\n');
    const df = await spark().read.schema('id INT, x DOUBLE').csv(dir);
    expect(await ids(df)).toEqual(range(0, 20));
    expect(df.numPartitions()).toBe(2);
  });

  it('reads globs, lists of paths and single files', async () => {
    const base = fresh('glob');
    await numbers(spark(), 0, 10, 2).write.parquet(path.join(base, 'run1'));
    await numbers(spark(), 10, 10, 2).write.parquet(path.join(base, 'run2'));
    await numbers(spark(), 100, 5, 1).write.parquet(path.join(base, 'other'));
    expect(await ids(await spark().read.parquet(path.join(base, 'run*')))).toEqual(range(0, 20));
    expect(await ids(await spark().read.parquet(path.join(base, 'run?', '*.parquet')))).toEqual(range(0, 20));
    expect(await ids(await spark().read.parquet(path.join(base, '{run2,other}')))).toEqual([...range(10, 10), ...range(100, 5)]);
    expect(await ids(await spark().read.parquet(path.join(base, 'run1', 'part-00001-*')))).toEqual(range(5, 5));
    expect(await ids(await spark().read.parquet([path.join(base, 'run1'), path.join(base, 'other')]))).toEqual([...range(0, 10), ...range(100, 5)]);
    expect(await ids(await spark().read.parquet(path.join(base, 'run2'), path.join(base, 'other')))).toEqual([...range(10, 10), ...range(100, 5)]);
    const one = fs.readdirSync(path.join(base, 'run2')).find((n) => n.startsWith('part-00000'))!;
    expect(await ids(await spark().read.parquet(path.join(base, 'run2', one)))).toEqual(range(10, 5));
    expect(await ids(await spark().read.load(`file://${path.join(base, 'run1')}`))).toEqual(range(0, 10)); // parquet is the default format
    await expect(spark().read.parquet(path.join(base, 'nothing*'))).rejects.toThrow(`Path does not exist: ${path.join(base, 'nothing*')}`);
  });

  it('reads subdirectories only with recursiveFileLookup, still skipping hidden ones', async () => {
    const base = fresh('nested');
    await numbers(spark(), 0, 4, 1).write.parquet(path.join(base, 'top'));
    await numbers(spark(), 4, 4, 2).write.parquet(path.join(base, 'top', 'sub', 'deeper'));
    await numbers(spark(), 50, 4, 1).write.parquet(path.join(base, 'top', '_hidden'));
    expect(await ids(await spark().read.parquet(path.join(base, 'top')))).toEqual(range(0, 4));
    expect(await ids(await spark().read.option('recursiveFileLookup', true).parquet(path.join(base, 'top')))).toEqual(range(0, 8));
  });

  it('a directory named with glob characters is read literally when the pattern matches nothing', async () => {
    const dir = fresh('run[2]');
    await numbers(spark(), 0, 4, 1).write.arrow(dir);
    expect(await ids(await spark().read.arrow(dir))).toEqual(range(0, 4));
  });

  it('fails clearly for a missing path, an empty directory, and a directory holding only _SUCCESS', async () => {
    const missing = path.join(root(), 'no', 'such', 'dir');
    for (const format of ['csv', 'parquet', 'arrow']) {
      await expect(spark().read.format(format).load(missing)).rejects.toThrow(`Path does not exist: ${missing}`);
    }
    const empty = fresh('empty');
    fs.mkdirSync(empty);
    await expect(spark().read.parquet(empty)).rejects.toThrow(new RegExp(`Unable to infer schema for Parquet: no data files in ${empty}`));
    await expect(spark().read.csv(empty)).rejects.toThrow(/Unable to infer schema for CSV: no data files in .*specify the schema/);
    fs.writeFileSync(path.join(empty, '_SUCCESS'), '');
    await expect(spark().read.arrow(empty)).rejects.toThrow(/Unable to infer schema for Arrow: no data files/);
    // With a schema an empty directory is an empty DataFrame, as in Spark.
    const df = await spark().read.schema('a INT, b STRING').parquet(empty);
    expect(df.columns).toEqual(['a', 'b']);
    expect(await df.count()).toBe(0);
  });
});

describe('save modes', () => {
  it("'error' (the default) and 'errorifexists' refuse an existing path; 'ignore' leaves it as it is", async () => {
    const dir = fresh('modes');
    await numbers(spark(), 0, 6, 2).write.parquet(dir);
    await expect(numbers(spark(), 50, 3, 1).write.parquet(dir)).rejects.toThrow(`Path ${dir} already exists. Set mode as "overwrite" to overwrite the existing path.`);
    await expect(numbers(spark(), 50, 3, 1).write.mode('errorifexists').parquet(dir)).rejects.toThrow(/already exists/);
    await numbers(spark(), 50, 3, 1).write.mode('ignore').parquet(dir);
    expect(await ids(await spark().read.parquet(dir))).toEqual(range(0, 6));
    expect(() => numbers(spark(), 0, 1, 1).write.mode('merge')).toThrow(/Unknown save mode 'merge': accepted save modes are 'overwrite', 'append', 'ignore', 'error'/);
  });

  it("'overwrite' replaces the data, even when the new data is read from the same path", async () => {
    const dir = fresh('overwrite');
    await numbers(spark(), 0, 10, 2).write.csv(dir);
    await numbers(spark(), 100, 4, 3).write.mode('overwrite').csv(dir);
    expect(await ids(await spark().read.schema('id INT, x DOUBLE').csv(dir))).toEqual(range(100, 4));
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('part-'))).toHaveLength(3);
    const self = await spark().read.schema('id INT, x DOUBLE').csv(dir);
    await self.filter(col('id').gt(101)).write.mode('overwrite').csv(dir);
    expect(await ids(await spark().read.schema('id INT, x DOUBLE').csv(dir))).toEqual([102, 103]);
    expect(leftovers(root())).toEqual([]);
  });

  it("'append' adds new part files beside the old ones, and creates the directory when missing", async () => {
    const dir = fresh('append');
    await numbers(inline(), 0, 5, 1).write.mode('append').arrow(dir);
    await numbers(spark(), 5, 6, 2).write.mode('append').arrow(dir);
    await numbers(spark(), 11, 3, 3).write.mode('append').arrow(dir);
    const df = await spark().read.arrow(dir);
    expect(await ids(df)).toEqual(range(0, 14));
    expect(df.numPartitions()).toBe(6);
    expect(fs.readdirSync(dir).filter((n) => n === '_SUCCESS')).toHaveLength(1);
    const file = path.join(dir, fs.readdirSync(dir).find((n) => n.startsWith('part-'))!);
    await expect(numbers(spark(), 0, 1, 1).write.mode('append').arrow(file)).rejects.toThrow(/Cannot append to .*: it is a file/);
  });
});

describe('a write that fails publishes nothing', () => {
  /** A CSV source whose second file is malformed: reading that partition fails in FAILFAST mode. */
  async function failingSource(): Promise<{ df: DataFrame; bad: string }> {
    const src = fresh('src');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, 'a.csv'), '1,0.5\n2,1.0\n');
    fs.writeFileSync(path.join(src, 'b.csv'), '3,1.5\nfour,2.0\n');
    fs.writeFileSync(path.join(src, 'c.csv'), '5,2.5\n');
    const df = await spark().read.schema('id INT, x DOUBLE').option('mode', 'FAILFAST').csv(src);
    return { df, bad: path.join(src, 'b.csv') };
  }

  it('a new path is not created, and no temporary directory is left', async () => {
    const { df, bad } = await failingSource();
    expect(df.numPartitions()).toBe(3);
    for (const format of ['parquet', 'csv', 'arrow']) {
      const dest = fresh(`failed-${format}`);
      const err = await df.write.format(format).save(dest).then(() => null, (e: Error) => e);
      expect(err?.message).toContain(`Writing ${format} to ${dest} failed; nothing was written there`);
      expect(err?.message).toContain(`Malformed CSV record in ${bad} at line 2, column 'id'`);
      expect(fs.existsSync(dest)).toBe(false);
      await expect(spark().read.format(format).load(dest)).rejects.toThrow(`Path does not exist: ${dest}`);
    }
    expect(leftovers(root())).toEqual([]);
  });

  it("'overwrite' keeps the old data when the new data fails", async () => {
    const { df } = await failingSource();
    const dest = fresh('keep');
    await numbers(spark(), 0, 8, 2).write.parquet(dest);
    const before = fs.readdirSync(dest).sort();
    await expect(df.write.mode('overwrite').parquet(dest)).rejects.toThrow(/failed; nothing was written there/);
    expect(fs.readdirSync(dest).sort()).toEqual(before);
    expect(await ids(await spark().read.parquet(dest))).toEqual(range(0, 8));
    await expect(df.write.mode('append').parquet(dest)).rejects.toThrow(/failed; nothing was written there/);
    expect(fs.readdirSync(dest).sort()).toEqual(before);
    expect(leftovers(root())).toEqual([]);
  });
});

describe('bad input names the path', () => {
  it('rejects files that are not Parquet or Arrow, and truncated ones', async () => {
    const dir = fresh('corrupt');
    await numbers(spark(), 0, 50, 1).write.parquet(path.join(dir, 'pq'));
    await numbers(spark(), 0, 50, 1).write.arrow(path.join(dir, 'arrow'));
    const pq = path.join(dir, 'pq', fs.readdirSync(path.join(dir, 'pq')).find((n) => n.startsWith('part-'))!);
    const ar = path.join(dir, 'arrow', fs.readdirSync(path.join(dir, 'arrow')).find((n) => n.startsWith('part-'))!);
    const csv = path.join(dir, 'data.csv');
    fs.writeFileSync(csv, 'a,b\n1,2\n');

    await expect(spark().read.parquet(csv)).rejects.toThrow(new RegExp(`Cannot read Parquet file ${csv}: .*not Parquet`));
    await expect(spark().read.arrow(csv)).rejects.toThrow(`Cannot read Arrow file ${csv}: it is not an Arrow IPC file or stream`);
    await expect(spark().read.arrow(pq)).rejects.toThrow(`Cannot read Arrow file ${pq}`);
    await expect(spark().read.parquet(ar)).rejects.toThrow(`Cannot read Parquet file ${ar}`);

    const bytes = fs.readFileSync(pq);
    const cutPq = path.join(dir, 'cut.parquet');
    fs.writeFileSync(cutPq, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(spark().read.parquet(cutPq)).rejects.toThrow(`Cannot read Parquet file ${cutPq}`);
    const tiny = path.join(dir, 'tiny.parquet');
    fs.writeFileSync(tiny, 'PAR1');
    await expect(spark().read.parquet(tiny)).rejects.toThrow(`Cannot read Parquet file ${tiny}: it is 4 bytes long`);
    const arBytes = fs.readFileSync(ar);
    const cutAr = path.join(dir, 'cut.arrow');
    fs.writeFileSync(cutAr, arBytes.subarray(0, arBytes.length - 20));
    await expect(spark().read.arrow(cutAr)).rejects.toThrow(`Cannot read Arrow file ${cutAr}: the IPC file is truncated`);

    // A corrupt file that is not the first is found by the executor reading it, which names it.
    const mixed = path.join(dir, 'mixed');
    fs.mkdirSync(mixed);
    fs.copyFileSync(pq, path.join(mixed, 'a.parquet'));
    fs.writeFileSync(path.join(mixed, 'b.parquet'), bytes.subarray(0, bytes.length - 100));
    const df = await spark().read.parquet(mixed);
    await expect(df.count()).rejects.toThrow(`Cannot read Parquet file ${path.join(mixed, 'b.parquet')}`);
  });

  it('reports a schema mismatch between files naming both paths and the column', async () => {
    const dir = fresh('mismatch');
    await spark().createDataFrame([{ id: 1, v: 'a' }], { schema: { id: 'int', v: 'string' } }).write.parquet(path.join(dir, 'a'));
    await spark().createDataFrame([{ id: 2, v: 2.5 }], { schema: { id: 'int', v: 'double' } }).write.parquet(path.join(dir, 'b'));
    await spark().createDataFrame([{ id: 3 }], { schema: { id: 'int' } }).write.parquet(path.join(dir, 'c'));
    const first = (sub: string) => path.join(dir, sub, fs.readdirSync(path.join(dir, sub)).find((n) => n.startsWith('part-'))!);
    const ab = await spark().read.parquet(path.join(dir, 'a'), path.join(dir, 'b'));
    // b has two part files (one empty); whichever is read first reports the mismatch.
    await expect(ab.collect()).rejects.toThrow(`Schema mismatch: column 'v' is string in ${first('a')} but double in ${path.join(dir, 'b', 'part-0000')}`);
    const ac = await spark().read.parquet(path.join(dir, 'a'), path.join(dir, 'c'));
    await expect(ac.count()).rejects.toThrow(`Schema mismatch: column 'v' of ${first('a')} is missing from ${path.join(dir, 'c', 'part-0000')}`);
    // Columns match by name, not position.
    await spark().createDataFrame([{ v: 'z', id: 9 }], { schema: { v: 'string', id: 'int' } }).write.arrow(path.join(dir, 'd1'));
    await spark().createDataFrame([{ id: 8, v: 'y' }], { schema: { id: 'int', v: 'string' } }).write.arrow(path.join(dir, 'd2'));
    expect(await (await spark().read.arrow(path.join(dir, 'd*'))).collect()).toEqual([{ v: 'z', id: 9 }, { v: 'y', id: 8 }]);
  });

  it('refuses vectors in CSV and unknown formats, listing the supported ones', async () => {
    const df = spark().createDataFrame([{ id: 1, features: Vectors.dense([1, 2]) }]);
    const dest = fresh('vec');
    await expect(df.write.csv(dest)).rejects.toThrow("CSV data source does not support vector data type (column 'features')");
    expect(fs.existsSync(dest)).toBe(false);
    await expect(spark().read.schema(df.schema).csv(dest)).rejects.toThrow("CSV data source does not support vector data type (column 'features')");
    expect(() => df.write.format('orc')).toThrow("Unsupported data source format 'orc': supported formats are csv, parquet, arrow, json, libsvm");
    expect(() => spark().read.format('orc')).toThrow("Unsupported data source format 'orc': supported formats are csv, parquet, arrow, json, libsvm");
    expect(() => spark().read.schema('a DOUBLE, b')).toThrow(/schema: cannot parse 'b'/);
    expect(() => spark().read.schema('a DECIMAL')).toThrow(/column 'a': Unsupported data type 'DECIMAL'/);
  });

  it("builder calls return new readers: options set on spark.read don't leak into later reads", async () => {
    const dir = fresh('noleak');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'x.csv'), 'a;b\n1;2\n');
    const semi = await spark().read.option('sep', ';').option('header', true).csv(dir);
    expect(semi.columns).toEqual(['a', 'b']);
    const plain = await spark().read.csv(dir);
    expect(plain.columns).toEqual(['_c0']);
    expect(await plain.collect()).toEqual([{ _c0: 'a;b' }, { _c0: '1;2' }]);
  });
});
