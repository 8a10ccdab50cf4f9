// LibSVM: Spark's sample_libsvm_data.txt-style lines, 1-based indices in the file and 0-based in
// the vectors, numFeatures given or found by a pass, dense vectors, errors naming file and line,
// splits, and write -> read round trips with Spark's number formatting.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SparseVector, Vectors, denseVectorType, SparseVectorType, StructType, type Row } from '../../src/index.js';
import { useSparkAndInline } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const { spark, inline } = useSparkAndInline();
const { freshDir, file } = useTempDir('quiver-io-libsvm-');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const readParts = (d: string) => fs.readdirSync(d).filter((f) => f.startsWith('part-')).sort().map((f) => fs.readFileSync(path.join(d, f), 'utf8')).join('');

// The first records of Spark's data/mllib/sample_libsvm_data.txt (MNIST pixels; 692 features), trimmed.
const SAMPLE = [
  '0 128:51 129:159 130:253 131:159 132:50 155:48 156:238 157:252 158:252 159:252 160:237 182:54 183:227',
  '1 159:124 160:253 161:255 162:63 186:96 187:244 188:251 189:253 190:62 214:127 215:251 216:251 217:253 218:62 692:7',
  '1 125:145 126:255 127:211 128:31 152:32 153:237 154:253 155:252 156:71 180:11 181:175 182:253',
];

describe('reading', () => {
  it("reads Spark's sample lines: label double, features a sparse vector with 0-based indices; numFeatures by a pass", async () => {
    const p = file('sample_libsvm_data.txt', SAMPLE.join('\n') + '\n');
    for (const session of [spark(), inline()]) {
      const df = await session.read.format('libsvm').load(p);
      expect(df.dtypes).toEqual([['label', 'double'], ['features', 'vector']]);
      expect(df.schema.field('label').nullable).toBe(false);
      expect(df.schema.field('features').type).toEqual(SparseVectorType);
      expect(df.schema.field('features').metadata).toEqual({ numFeatures: 692, ml_attr: { num_attrs: 692 } });
      const rows = await df.collect();
      expect(rows.map((r) => r.label)).toEqual([0, 1, 1]);
      const first = rows[0].features as SparseVector;
      expect(first.size).toBe(692);
      expect(Array.from(first.indices.slice(0, 3))).toEqual([127, 128, 129]);
      expect(Array.from(first.values.slice(0, 3))).toEqual([51, 159, 253]);
      expect((rows[1].features as SparseVector).get(691)).toBe(7);
    }
  });

  it('numFeatures given (reader method, option or format) sets the size and skips the pass; indices above it fail', async () => {
    const p = file('small.txt', '1 1:0.5 3:2\n0 2:1e3\n-1\n');
    const a = await spark().read.libsvm(p, { numFeatures: 10 });
    const b = await spark().read.format('libsvm').option('numFeatures', '10').load(p);
    for (const df of [a, b]) {
      expect(await df.collect()).toEqual([
        { label: 1, features: Vectors.sparse(10, [0, 2], [0.5, 2]) },
        { label: 0, features: Vectors.sparse(10, [1], [1000]) },
        { label: -1, features: Vectors.sparse(10, [], []) },
      ]);
    }
    const inferred = await spark().read.libsvm(p);
    expect(((await inferred.first())!.features as SparseVector).size).toBe(3);
    // Spark: a non-positive numFeatures means "find it".
    expect(((await (await spark().read.libsvm(p, { numFeatures: 0 })).first())!.features as SparseVector).size).toBe(3);
    const tooSmall = await spark().read.libsvm(p, { numFeatures: 2 });
    await expect(tooSmall.collect()).rejects.toThrow(new RegExp(`${escape(p)} at line 1: index 3 is above numFeatures = 2`));
  });

  it("vectorType 'dense' gives dense vectors of size numFeatures", async () => {
    const p = file('dense.txt', '1 1:0.5 3:2\n0 2:7\n');
    const df = await spark().read.libsvm(p, { vectorType: 'dense' });
    expect(df.schema.field('features').type).toEqual(denseVectorType(3));
    expect(await df.collect()).toEqual([{ label: 1, features: Vectors.dense([0.5, 0, 2]) }, { label: 0, features: Vectors.dense([0, 7, 0]) }]);
  });

  it('skips blank lines and # comments, trims, and takes tabs, runs of spaces, CRLF, +1/-1 labels and Java numbers', async () => {
    const p = file('ws.txt', '# header comment\r\n\r\n  +1\t1:1.5e2   4:-0.25  \r\n-1 2:NaN 3:1d\r\n   \r\n');
    const rows = await (await spark().read.libsvm(p)).collect();
    expect(rows.map((r) => r.label)).toEqual([1, -1]);
    expect(rows[0].features).toEqual(Vectors.sparse(4, [0, 3], [150, -0.25]));
    expect(Array.from((rows[1].features as SparseVector).values)).toEqual([NaN, 1]);
  });

  it('errors name the file and line: zero or negative indices, indices not increasing, bad numbers, missing colons', async () => {
    const cases: [string, RegExp][] = [
      ['1 0:1', /index 0 in '0:1' is not positive \(LibSVM indices are 1-based\)/],
      ['1 -2:1', /index -2 in '-2:1' is not positive/],
      ['1 3:1 2:1', /indices must be strictly increasing, but 2 follows 3/],
      ['1 3:1 3:2', /indices must be strictly increasing, but 3 follows 3/],
      ['one 1:1', /cannot parse the label 'one'/],
      ['1 1:x', /cannot parse the value in '1:x'/],
      ['1 1.5:2', /cannot parse the index in '1.5:2'/],
      ['1 7', /expected index:value but found '7'/],
      ['1 qid:3 1:2', /cannot parse the index in 'qid:3'/],
    ];
    for (const [bad, why] of cases) {
      const p = file('bad.txt', `0 1:1\n\n${bad}\n`);
      await expect(spark().read.libsvm(p)).rejects.toThrow(new RegExp(`Malformed LibSVM record in ${escape(p)} at line 3: ${why.source}`));
      // With numFeatures there is no pass: the read itself fails.
      await expect((await inline().read.libsvm(p, { numFeatures: 10 })).collect()).rejects.toThrow(why);
    }
  });

  it('finds numFeatures across files and splits; the rows are the same for any split size', async () => {
    const d = freshDir();
    const lines = Array.from({ length: 300 }, (_, i) => `${i % 3} ${i % 5 + 1}:${i} ${i % 5 + 7}:${(i * 0.1).toFixed(1)}`);
    fs.writeFileSync(path.join(d, 'part-0.txt'), lines.slice(0, 200).join('\n') + '\n');
    fs.writeFileSync(path.join(d, 'part-1.txt'), lines.slice(200).join('\n') + '\n' + '2 40:1\n');
    const whole = await (await inline().read.libsvm(d)).collect();
    expect(whole).toHaveLength(301);
    expect((whole[0].features as SparseVector).size).toBe(40);
    for (const splitBytes of [64, 1000]) {
      const df = await spark().read.option('quiver.libsvm.splitBytes', splitBytes).libsvm(d);
      expect(df.numPartitions()).toBeGreaterThan(2);
      expect(await df.collect()).toEqual(whole);
    }
  });

  it('refuses bad options and files without records', async () => {
    const p = file('x.txt', '1 1:1\n');
    await expect(spark().read.libsvm(p, { numFeatures: 1.5 })).rejects.toThrow(/numFeatures=1.5/);
    await expect(spark().read.format('libsvm').option('vectorType', 'ragged').load(p)).rejects.toThrow(/vectorType="ragged": must be 'sparse' or 'dense'/);
    await expect(spark().read.schema('a INT').format('libsvm').load(p)).rejects.toThrow(/fixed schema/);
    await expect(spark().read.libsvm(file('c.txt', '# only a comment\n'))).rejects.toThrow(/Cannot determine numFeatures.*no records/);
    expect(await (await spark().read.libsvm(file('e.txt', ''), { numFeatures: 3 })).count()).toBe(0);
  });
});

describe('writing', () => {
  it("writes Spark's lines: Java doubles, 1-based indices, every entry of a dense vector; part files .libsvm", async () => {
    const df = spark().createDataFrame([
      { label: 1, features: Vectors.sparse(5, [0, 3], [0.5, 1e21]) },
      { label: 0, features: Vectors.sparse(5, [], []) },
      { label: -1.5, features: Vectors.sparse(5, [4], [-0]) },
    ], { numPartitions: 2 });
    const out = path.join(freshDir(), 'out');
    await df.write.format('libsvm').save(out);
    expect(fs.readdirSync(out).filter((f) => f.startsWith('part-')).every((f) => f.endsWith('-c000.libsvm'))).toBe(true);
    expect(readParts(out)).toBe('1.0 1:0.5 4:1.0E21\n0.0\n-1.5 5:-0.0\n');
    const dense = spark().createDataFrame([{ y: 2, x: Vectors.dense([0, 1.25, 0]) }], { numPartitions: 1 });
    const out2 = path.join(freshDir(), 'dense');
    await dense.write.format('libsvm').save(out2);
    expect(readParts(out2)).toBe('2.0 1:0.0 2:1.25 3:0.0\n');
  });

  it("refuses what Spark's verifySchema refuses, and nulls, before or without leaving output", async () => {
    const df = spark().createDataFrame([{ label: 1, features: Vectors.dense([1]), extra: 'x' }], { numPartitions: 1 });
    await expect(df.write.format('libsvm').save(path.join(freshDir(), 'x'))).rejects.toThrow(/Illegal schema for libsvm data.*label: int, features: vector, extra: string.*df.select\('label', 'features'\)/);
    await expect(df.select('extra', 'features').write.format('libsvm').save(path.join(freshDir(), 'y'))).rejects.toThrow(/Illegal schema/);
    const nulls = spark().createDataFrame([{ label: 1, features: Vectors.dense([1]) }, { label: null, features: Vectors.dense([2]) }],
      { numPartitions: 1, schema: new StructType([{ name: 'label', type: { kind: 'double' }, nullable: true }, { name: 'features', type: denseVectorType(1), nullable: true }]) });
    const target = path.join(freshDir(), 'n');
    await expect(nulls.write.format('libsvm').save(target)).rejects.toThrow(/LibSVM cannot hold nulls: column 'label' is null in row 1/);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('write -> read gives back labels and vectors (sparse and dense), any values, any partitioning', async () => {
    const row = (size: number) => fc.record({
      label: fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 })),
      idx: fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: size }),
    }).chain(({ label, idx }) => fc.array(fc.double(), { minLength: idx.length, maxLength: idx.length })
      .map((vals) => ({ label, features: Vectors.sparse(size, [...idx].sort((a, b) => a - b), vals) }) as Row));
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 12 }).chain((size) => fc.tuple(fc.constant(size), fc.array(row(size), { maxLength: 15 }), fc.integer({ min: 1, max: 3 }), fc.boolean())),
      async ([size, rows, numPartitions, dense]) => {
        const session = run++ % 2 ? spark() : inline();
        const sparseDf = session.createDataFrame(rows, { numPartitions, schema: new StructType([
          { name: 'label', type: { kind: 'double' }, nullable: false }, { name: 'features', type: SparseVectorType, nullable: false }]) });
        const out = path.join(freshDir(), 'rt');
        await sparseDf.write.format('libsvm').save(out);
        const back = await session.read.libsvm(out, { numFeatures: size, vectorType: dense ? 'dense' : 'sparse' });
        const expected = (await sparseDf.collect()).map((r) => ({ label: r.label, features: dense ? Vectors.dense((r.features as SparseVector).toArray()) : r.features }));
        expect(await back.collect()).toEqual(expected);
      }), { numRuns: 30 });
  });
});
