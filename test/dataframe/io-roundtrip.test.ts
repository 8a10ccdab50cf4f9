// write -> read round trips for every file format, with random schemas, nulls and partitionings,
// on a worker pool and inline. Reference: the rows collected from the DataFrame that was written.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as fs from 'node:fs';
import {
  StructType, Vectors, denseVectorType, SparseVectorType, type DataType, type Row, type StructField,
} from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters);
const { fresh } = useTempDir('quiver-io-rt-');

type Kind = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'dense' | 'sparse';

// CSV writers trim whitespace and write '' as an empty field that reads back as null (Spark's
// defaults), so CSV strings are non-empty with visible ends; any other character may appear.
const csvString = fc.string({ minLength: 1, maxLength: 8, unit: 'binary' })
  .filter((s) => s.charCodeAt(0) > 32 && s.charCodeAt(s.length - 1) > 32);
const anyString = fc.string({ maxLength: 8, unit: 'binary' });
const double = fc.oneof(
  fc.double({ noNaN: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 0.1, 1e300, 5e-324),
);

function valueArb(kind: Kind, size: number, csv: boolean): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'int': return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'long': return fc.oneof(fc.integer(), fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }));
    case 'double': return double;
    case 'boolean': return fc.boolean();
    case 'string': return csv ? csvString : anyString;
    case 'dense': return fc.array(double, { minLength: size, maxLength: size }).map((a) => Vectors.dense(a));
    case 'sparse': return fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: size })
      .chain((idx) => fc.array(double, { minLength: idx.length, maxLength: idx.length })
        .map((vals) => { const order = idx.map((_, k) => k).sort((a, b) => idx[a] - idx[b]); return Vectors.sparse(size, order.map((k) => idx[k]), order.map((k) => vals[k])); }));
  }
}

function typeOf(kind: Kind, size: number): DataType {
  switch (kind) {
    case 'dense': return denseVectorType(size);
    case 'sparse': return SparseVectorType;
    default: return { kind };
  }
}

/** A random table: schema (unique names), rows with nulls, and a partition count. */
function tableArb(kinds: Kind[], csv: boolean) {
  return fc.array(fc.tuple(fc.constantFrom(...kinds), fc.integer({ min: 1, max: 4 }), fc.boolean()), { minLength: 1, maxLength: 5 })
    .chain((cols) => {
      const fields: StructField[] = cols.map(([k, size, nullable], i) => ({ name: `c${i}_${k}`, type: typeOf(k, size), nullable }));
      const row = fc.tuple(...cols.map(([k, size, nullable]) => (nullable ? fc.option(valueArb(k, size, csv), { nil: null, freq: 4 }) : valueArb(k, size, csv))))
        .map((vals) => Object.fromEntries(vals.map((v, i) => [fields[i].name, v])) as Row);
      return fc.record({
        schema: fc.constant(new StructType(fields)),
        rows: fc.array(row, { maxLength: 25 }),
        parts: fc.integer({ min: 1, max: 4 }),
        master: fc.constantFrom(...masters),
      });
    });
}

describe('write -> read round trips', () => {
  it('Parquet keeps every type, nulls, dense and sparse vectors, and the partitioning', async () => {
    await fc.assert(fc.asyncProperty(tableArb(['int', 'long', 'double', 'boolean', 'string', 'dense', 'sparse'], false), async ({ schema, rows, parts, master }) => {
      const spark = session(master);
      const df = spark.createDataFrame(rows, { numPartitions: parts, schema });
      const dir = fresh('pq');
      await df.write.parquet(dir);
      const back = await spark.read.parquet(dir);
      expect(back.schema.fields.map((f) => [f.name, f.type])).toEqual(schema.fields.map((f) => [f.name, f.type]));
      expect(back.numPartitions()).toBe(parts);
      expect(await back.collect()).toEqual(await df.collect());
    }), { numRuns: 20 });
  });

  it('Arrow IPC keeps every type, nulls, vectors and the partitioning', async () => {
    await fc.assert(fc.asyncProperty(tableArb(['int', 'long', 'double', 'boolean', 'string', 'dense', 'sparse'], false), async ({ schema, rows, parts, master }) => {
      const spark = session(master);
      const df = spark.createDataFrame(rows, { numPartitions: parts, schema });
      const dir = fresh('arrow');
      await df.write.format('arrow').save(dir);
      const back = await spark.read.arrow(dir);
      expect(back.schema.fields.map((f) => [f.name, f.type, f.nullable])).toEqual(schema.fields.map((f) => [f.name, f.type, f.nullable]));
      expect(back.numPartitions()).toBe(parts);
      expect(await back.collect()).toEqual(await df.collect());
    }), { numRuns: 20 });
  });

  it('CSV with a header and the schema given keeps values, nulls, quotes, separators and line breaks', async () => {
    await fc.assert(fc.asyncProperty(tableArb(['int', 'long', 'double', 'boolean', 'string'], true), async ({ schema, rows, parts, master }) => {
      const spark = session(master);
      const df = spark.createDataFrame(rows, { numPartitions: parts, schema });
      const dir = fresh('csv');
      await df.write.option('header', true).csv(dir);
      // multiLine: strings may hold line breaks, which the writer quotes.
      const back = await spark.read.schema(schema).option('header', true).option('multiLine', true).csv(dir);
      expect(await back.collect()).toEqual(await df.collect());
    }), { numRuns: 25 });
  });

  it('CSV schema inference reads back what a typed table wrote (ints, doubles, booleans, strings)', async () => {
    const spark = session('local[2]');
    const rows = Array.from({ length: 40 }, (_, i) => ({ i, d: i / 4, b: i % 3 === 0, s: `v${i}`, n: i % 5 ? i : null }));
    const df = spark.createDataFrame(rows, { numPartitions: 3, schema: { i: 'int', d: 'double', b: 'boolean', s: 'string', n: 'int' } });
    const dir = fresh('csv-infer');
    await df.write.option('header', true).csv(dir);
    const back = await spark.read.options({ header: true, inferSchema: true }).csv(dir);
    expect(back.dtypes).toEqual([['i', 'int'], ['d', 'double'], ['b', 'boolean'], ['s', 'string'], ['n', 'int']]);
    expect(await back.collect()).toEqual(await df.collect());
  });

  it('an empty DataFrame round-trips with its schema (Parquet, Arrow) ', async () => {
    const spark = session('local[2]');
    const schema = new StructType([{ name: 'x', type: { kind: 'double' }, nullable: true }, { name: 'v', type: denseVectorType(3), nullable: true }]);
    const df = spark.createDataFrame([], { numPartitions: 2, schema });
    for (const format of ['parquet', 'arrow']) {
      const dir = fresh(`empty-${format}`);
      await df.write.format(format).save(dir);
      const back = await spark.read.format(format).load(dir);
      expect(back.schema.fields.map((f) => f.type)).toEqual(schema.fields.map((f) => f.type));
      expect(await back.count()).toBe(0);
    }
  });

  it('Parquet compression codecs all read back; snappy is the default and named in the file names', async () => {
    const spark = session('inline');
    const df = spark.createDataFrame(Array.from({ length: 100 }, (_, i) => ({ x: i * 1.5, s: `s${i % 7}` })), { numPartitions: 2 });
    const plain = fresh('pq-default');
    await df.write.parquet(plain);
    expect(fs.readdirSync(plain).filter((n) => n.startsWith('part-')).every((n) => n.endsWith('-c000.snappy.parquet'))).toBe(true);
    for (const codec of ['none', 'uncompressed', 'gzip', 'zstd', 'brotli', 'lz4', 'lz4_raw']) {
      const dir = fresh(`pq-${codec}`);
      await df.write.option('compression', codec).parquet(dir);
      expect(await (await spark.read.parquet(dir)).collect()).toEqual(await df.collect());
    }
    await expect(df.write.option('compression', 'lzo').parquet(fresh('pq-lzo'))).rejects.toThrow(/Parquet compression 'lzo' is not supported; choose one of none, .*snappy/);
  });

  it('field metadata (ML attributes) survives Parquet and Arrow', async () => {
    const spark = session('local[2]');
    const schema = new StructType([{ name: 'label', type: { kind: 'double' }, nullable: false, metadata: { ml_attr: { type: 'nominal', vals: ['a', 'b'] } } }]);
    const df = spark.createDataFrame([{ label: 0 }, { label: 1 }], { schema });
    for (const format of ['parquet', 'arrow']) {
      const dir = fresh(`meta-${format}`);
      await df.write.format(format).save(dir);
      expect((await spark.read.format(format).load(dir)).schema.field('label').metadata).toEqual({ ml_attr: { type: 'nominal', vals: ['a', 'b'] } });
    }
  });
});
