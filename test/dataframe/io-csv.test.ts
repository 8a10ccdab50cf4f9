// Reading CSV files: byte-range splits of big files, headers across files, schema inference,
// user schemas, malformed-record modes, and errors that name the file.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Session, type DataFrame } from '../../src/index.js';
import { readLineAlignedRange } from '../../src/dataframe/io/sources.js';
import { useSparkAndInline } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const { spark, inline } = useSparkAndInline();
const { freshDir, file } = useTempDir('quiver-io-csv-');

describe('line-aligned byte ranges (Hadoop splits)', () => {
  it('any cut points tile the text into whole lines: every line is read by exactly one range', async () => {
    const lineArb = fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'é', '€', '😀', ',', '"', ' ') });
    const eolArb = fc.constantFrom('\n', '\r\n', '\r');
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(lineArb, eolArb), { maxLength: 30 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }),
      async (lines, finalEol, cuts) => {
        let text = lines.map(([l, e]) => l + e).join('');
        if (!finalEol && lines.length) text = text.slice(0, -lines[lines.length - 1][1].length);
        const bytes = Buffer.from(text, 'utf8');
        const size = bytes.length;
        const read = async (a: number, b: number) => new Uint8Array(bytes.subarray(a, b));
        const points = [...new Set([0, ...cuts.map((c) => (size ? c % size : 0)), size])].sort((a, b) => a - b);
        const pieces: Buffer[] = [];
        for (let i = 0; i + 1 < points.length; i++) {
          const { bytes: got, offset } = await readLineAlignedRange(read, points[i], points[i + 1], size);
          if (got.length) {
            // A range starts where a line starts.
            expect(offset === 0 || bytes[offset - 1] === 10 || (bytes[offset - 1] === 13 && bytes[offset] !== 10)).toBe(true);
          }
          pieces.push(Buffer.from(got));
        }
        expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
      }), { numRuns: 300 });
  });

  it('reads lines longer than the look-ahead past the end of a range', async () => {
    const long = 'x'.repeat(300_000);
    const bytes = Buffer.from(`a\n${long}\nb\n`);
    const read = async (a: number, b: number) => new Uint8Array(bytes.subarray(a, b));
    const first = await readLineAlignedRange(read, 0, 5, bytes.length);
    const second = await readLineAlignedRange(read, 5, bytes.length, bytes.length);
    expect(Buffer.from(first.bytes).toString()).toBe(`a\n${long}\n`);
    expect(Buffer.from(second.bytes).toString()).toBe('b\n');
  });
});

describe('splitting big files', () => {
  const rowsOf = async (df: DataFrame) => df.collect();

  it('gives the same rows as one chunk, for any split size, with a header, CRLF, blank lines and UTF-8', async () => {
    const lines = ['id,name,score'];
    for (let i = 0; i < 400; i++) {
      lines.push(`${i},"n€me ${i}, ""q""",${i % 7 === 0 ? '' : (i * 0.25).toString()}`);
      if (i % 50 === 0) lines.push('');
    }
    const p = file('big.csv', '\uFEFF' + lines.join('\r\n') + '\r\n');
    const reader = (s: Session) => s.read.options({ header: true, inferSchema: true, escape: '"' });
    const whole = await reader(spark()).csv(p);
    expect(whole.numPartitions()).toBe(1);
    expect(whole.dtypes).toEqual([['id', 'int'], ['name', 'string'], ['score', 'double']]);
    const expected = await rowsOf(whole);
    expect(expected).toHaveLength(400);
    expect(expected[1]).toEqual({ id: 1, name: 'n€me 1, "q"', score: 0.25 });
    const size = fs.statSync(p).size;
    await fc.assert(fc.asyncProperty(fc.integer({ min: 200, max: size }), fc.constantFrom(spark(), inline()), async (splitBytes, s) => {
      const df = await reader(s).option('quiver.csv.splitBytes', splitBytes).csv(p);
      expect(df.dtypes).toEqual(whole.dtypes);
      expect(df.numPartitions()).toBe(Math.ceil(size / splitBytes) || 1);
      expect(await rowsOf(df)).toEqual(expected);
    }), { numRuns: 15 });
  });

  it('takes the split size from the session settings too, and never splits multiLine files', async () => {
    const p = file('ml.csv', 'a,b\n1,"x\ny"\n2,z\n3,w\n');
    const s = Session.builder().master('inline').config('quiver.csv.splitBytes', 4).create();
    try {
      expect((await s.read.option('header', true).csv(p)).numPartitions()).toBe(Math.ceil(fs.statSync(p).size / 4));
      const ml = await s.read.option('header', true).option('multiLine', true).csv(p);
      expect(ml.numPartitions()).toBe(1);
      expect(await ml.collect()).toEqual([{ a: '1', b: 'x\ny' }, { a: '2', b: 'z' }, { a: '3', b: 'w' }]);
    } finally {
      await s.stop();
    }
    await expect(spark().read.option('quiver.csv.splitBytes', 'lots').csv(p)).rejects.toThrow(/quiver.csv.splitBytes: cannot parse 'lots' as a byte size/);
  });
});

describe('headers, schemas and inference', () => {
  it('names columns _c0.. without a header, and reads every value as a string without inferSchema', async () => {
    const p = file('plain.csv', '1,2.5,true\n3,,false\n');
    const df = await spark().read.csv(p);
    expect(df.dtypes).toEqual([['_c0', 'string'], ['_c1', 'string'], ['_c2', 'string']]);
    expect(await df.collect()).toEqual([{ _c0: '1', _c1: '2.5', _c2: 'true' }, { _c0: '3', _c1: null, _c2: 'false' }]);
  });

  it('takes the header from the first file and skips it in every file', async () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, 'a.csv'), 'k,v\n1,10\n2,20\n');
    fs.writeFileSync(path.join(dir, 'b.csv'), 'k,v\n3,30\n');
    fs.writeFileSync(path.join(dir, 'c.csv'), ''); // empty files hold no rows and no header
    fs.writeFileSync(path.join(dir, 'd.csv'), 'k,v\n');
    const df = await spark().read.options({ header: 'true', inferSchema: 'true' }).csv(dir);
    expect(await df.collect()).toEqual([{ k: 1, v: 10 }, { k: 2, v: 20 }, { k: 3, v: 30 }]);
  });

  it('finds the header when the first record is longer than the first read', async () => {
    const long = 'y'.repeat(5 * 2 ** 20);
    const p = file('long.csv', `a,b\n${long},1\n2,3\n`);
    const df = await spark().read.options({ header: true, inferSchema: true }).csv(p);
    expect(df.dtypes).toEqual([['a', 'string'], ['b', 'int']]);
    expect((await df.collect()).map((r) => [String(r.a).length, r.b])).toEqual([[long.length, 1], [1, 3]]);
  });

  it('reports files whose header differs from the first file, naming both', async () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, 'a.csv'), 'k,v\n1,10\n');
    fs.writeFileSync(path.join(dir, 'b.csv'), 'k,w\n3,30\n');
    const df = await spark().read.option('header', true).csv(dir);
    await expect(df.collect()).rejects.toThrow(`Schema mismatch between CSV files: column 2 is 'v' in ${path.join(dir, 'a.csv')} but 'w' in ${path.join(dir, 'b.csv')}`);
    // With a schema given, the header lines are only skipped (Spark's enforceSchema).
    expect(await (await spark().read.option('header', true).schema('k INT, value INT').csv(dir)).collect()).toEqual([{ k: 1, value: 10 }, { k: 3, value: 30 }]);
  });

  it('reads with a DDL schema string or a StructType, nullability enforced', async () => {
    const p = file('typed.csv', '1,9007199254740991,0.5,true,x\n,-5,NaN,false,\n');
    const df = await spark().read.schema('i INT, l BIGINT, d DOUBLE, b BOOLEAN, s STRING').csv(p);
    expect(df.dtypes).toEqual([['i', 'int'], ['l', 'long'], ['d', 'double'], ['b', 'boolean'], ['s', 'string']]);
    expect(await df.collect()).toEqual([
      { i: 1, l: 9007199254740991, d: 0.5, b: true, s: 'x' },
      { i: null, l: -5, d: Number.NaN, b: false, s: null },
    ]);
    const strict = await spark().read.schema('i INT NOT NULL, l LONG, d DOUBLE, b BOOLEAN, s STRING').csv(p);
    expect(strict.schema.field('i').nullable).toBe(false);
    await expect(strict.collect()).rejects.toThrow(`Null value in non-nullable column 'i' at line 2 of ${p}`);
  });

  it('infers from the first 1000 records by default; samplingRatio asks for a full pass on the executors', async () => {
    const lines = ['n'];
    for (let i = 0; i < 1500; i++) lines.push(i === 1400 ? '2.5' : String(i));
    const p = file('late-double.csv', lines.join('\n') + '\n');
    const sampled = await spark().read.options({ header: true, inferSchema: true }).csv(p);
    expect(sampled.dtypes).toEqual([['n', 'int']]);
    // PERMISSIVE: the value that does not fit the sampled type reads as null.
    expect((await sampled.collect())[1400]).toEqual({ n: null });
    for (const s of [spark(), inline()]) {
      const full = await s.read.options({ header: true, inferSchema: true, samplingRatio: 1, 'quiver.csv.splitBytes': 2000 }).csv(p);
      expect(full.dtypes).toEqual([['n', 'double']]);
      expect((await full.collect())[1400]).toEqual({ n: 2.5 });
    }
  });
});

describe('malformed records', () => {
  const text = 'a,b\n1,x\n2,3\n4\n5,6,7\n8,9\n';

  it('PERMISSIVE nulls bad values, DROPMALFORMED drops the records, FAILFAST names the file and line', async () => {
    const p = file('bad.csv', text);
    const read = (mode: string) => spark().read.schema('a INT, b INT').options({ header: true, mode }).csv(p);
    expect(await (await read('PERMISSIVE')).collect()).toEqual([
      { a: 1, b: null }, { a: 2, b: 3 }, { a: 4, b: null }, { a: 5, b: 6 }, { a: 8, b: 9 },
    ]);
    expect(await (await read('DROPMALFORMED')).collect()).toEqual([{ a: 2, b: 3 }, { a: 8, b: 9 }]);
    await expect((await read('FAILFAST')).count()).rejects.toThrow(`Malformed CSV record in ${p} at line 2, column 'b'`);
    await expect(read('SOMETIMES')).rejects.toThrow(/Invalid CSV option mode="SOMETIMES"/);
  });

  it('FAILFAST in a later split names the file and the byte where the split starts', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 200; i++) lines.push(i === 150 ? `${i},oops` : `${i},${i}`);
    const p = file('bad-split.csv', lines.join('\n') + '\n');
    const df = await spark().read.schema('a INT, b INT').options({ header: true, mode: 'FAILFAST', 'quiver.csv.splitBytes': 400 }).csv(p);
    await expect(df.count()).rejects.toThrow(new RegExp(`Malformed CSV record in ${p} \\(split starting at byte \\d+; line numbers count from there\\) at line \\d+, column 'b'`));
  });
});
