// Array and struct columns (Arrow List and Struct): schema, printSchema, collect, the narrow and
// wide operations that carry them, caching, files, Arrow input; and clear errors where they are
// not supported yet. Reference model: the same rows as plain JS values.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Field, Float32, Int32, List, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import {
  arrayType, col, functions as F, StorageLevel, structType, StructType, Vectors, type DataFrame, type Row,
} from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters, { 'quiver.memory.limit': '64m' });
const tmp = useTempDir('quiver-nested-');

const recType = structType([{ name: 'item', type: { kind: 'int' }, nullable: true }, { name: 'rating', type: { kind: 'double' }, nullable: true }]);
const schema = new StructType([
  { name: 'id', type: { kind: 'int' }, nullable: false },
  { name: 'recs', type: arrayType(recType), nullable: true },
  { name: 'tags', type: arrayType({ kind: 'string' }), nullable: true },
  {
    name: 'p', nullable: true,
    type: structType([
      { name: 'x', type: { kind: 'double' }, nullable: true },
      { name: 'v', type: { kind: 'vector', encoding: 'dense', size: 2 }, nullable: true },
      { name: 'deep', type: arrayType(arrayType({ kind: 'long' })), nullable: true },
    ]),
  },
]);

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const rowArb = (id: number) => fc.record({
  recs: maybe(fc.array(maybe(fc.record({ item: maybe(fc.integer({ min: -5, max: 5 })), rating: maybe(fc.double({ noNaN: true, min: -10, max: 10 })) })), { maxLength: 3 })),
  tags: maybe(fc.array(maybe(fc.string({ maxLength: 4 })), { maxLength: 3 })),
  p: maybe(fc.record({
    x: maybe(fc.double({ noNaN: true, min: -1e6, max: 1e6 })),
    v: maybe(fc.tuple(fc.double({ noNaN: true, min: -5, max: 5 }), fc.double({ noNaN: true, min: -5, max: 5 }))),
    deep: maybe(fc.array(maybe(fc.array(maybe(fc.integer({ min: -1000, max: 1000 })), { maxLength: 2 })), { maxLength: 2 })),
  })),
}).map((r) => ({ id, ...r }));
const rowsArb = fc.integer({ min: 0, max: 25 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rowArb(i))));

/** Rows as createDataFrame takes them (vectors as DenseVector) and as collect gives them back. */
const toInput = (r: Row): Row => {
  const p = r.p as { v: [number, number] | null } | null;
  return { ...r, p: p && { ...p, v: p.v && Vectors.dense(p.v) } };
};
// Plain JSON: a DenseVector (whose toJSON is Spark's {type: 1, values}) as its values, -0 as 0.
const normalize = (rows: Row[]): unknown => JSON.parse(JSON.stringify(rows, (_, v) => (
  v && typeof v === 'object' && !Array.isArray(v) && v.type === 1 && Array.isArray(v.values) ? v.values : Object.is(v, -0) ? 0 : v)));

const make = (master: string, rows: Row[], parts: number): DataFrame => session(master).createDataFrame(rows.map(toInput), { schema, numPartitions: parts });

describe('nested columns survive every operation that carries them (property)', () => {
  it('createDataFrame -> collect, filter, select, limit, sample, union, coalesce, repartition, orderBy, join, cache', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, fc.integer({ min: 1, max: 5 }), fc.constantFrom(...masters), async (rows, parts, master) => {
      const expected = normalize(rows);
      const df = make(master, rows, parts);
      expect(normalize(await df.collect())).toEqual(expected);
      expect(normalize(await df.filter(col('id').ge(3)).collect())).toEqual(normalize(rows.filter((r) => r.id >= 3)));
      expect(normalize(await df.filter(col('recs').isNull()).select('id').collect())).toEqual(normalize(rows.filter((r) => r.recs === null).map((r) => ({ id: r.id }))));
      expect(normalize(await df.select('p', 'id').limit(4).collect())).toEqual(normalize(rows.slice(0, 4).map((r) => ({ p: r.p, id: r.id }))));
      expect(normalize(await df.union(df).coalesce(1).collect())).toEqual(normalize([...rows, ...rows]));
      expect(normalize(await df.repartition(3).orderBy('id').collect())).toEqual(expected);
      expect(normalize(await df.repartition(2, 'id').orderBy(col('id').desc()).collect())).toEqual(normalize([...rows].reverse()));
      const sampled = await df.sample(0.5, 7).collect();
      expect(sampled.every((r) => JSON.stringify(normalize([r])) === JSON.stringify(normalize([rows[r.id as number]])))).toBe(true);
      const ids = session(master).createDataFrame(rows.filter((r) => r.id % 2 === 0).map((r) => ({ id: r.id, even: true })), { schema: { id: 'int', even: 'boolean' } });
      expect(normalize(await df.join(ids, 'id', 'left').orderBy('id').collect())).toEqual(normalize(rows.map((r) => ({ ...r, even: r.id % 2 === 0 ? true : null }))));
      // Nested columns on the unmatched side of an outer join come out null.
      const all = session(master).createDataFrame(rows.map((r) => ({ id: r.id })), { schema: { id: 'int' }, numPartitions: 2 });
      const evens = df.filter(col('id').mod(2).eq(0));
      for (const right of [evens, evens.repartition(3)]) {
        expect(normalize(await all.join(right, 'id', 'left').orderBy('id').collect()))
          .toEqual(normalize(rows.map((r) => (r.id % 2 === 0 ? r : { id: r.id, recs: null, tags: null, p: null }))));
      }
      for (const level of [StorageLevel.MEMORY_AND_DISK, StorageLevel.DISK_ONLY]) {
        const cached = df.persist(level);
        expect(normalize(await cached.collect())).toEqual(expected);
        expect(await cached.count()).toBe(rows.length);
        cached.unpersist();
      }
    }), { numRuns: 20 });
  });

  it('round-trips through Parquet, Arrow IPC and JSON lines files, and through an Arrow table', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, fc.integer({ min: 1, max: 3 }), async (rows, parts) => {
      const spark = session('local[2]');
      const df = make('local[2]', rows, parts);
      const expected = normalize(rows);
      for (const format of ['parquet', 'arrow'] as const) {
        const dir = tmp.fresh(format);
        await df.write.format(format).save(dir);
        const back = await spark.read.format(format).load(dir);
        expect(back.schema.treeString()).toBe(df.schema.treeString());
        expect(normalize(await back.orderBy('id').collect())).toEqual(expected);
      }
      const table = await df.toArrow();
      expect(normalize(await spark.createDataFrame(table, { numPartitions: 2 }).collect())).toEqual(expected);
      const dir = tmp.fresh('json');
      await df.write.json(dir);
      const lines = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean));
      // Spark's JSON writer: null fields left out (also inside structs), arrays keep their nulls, vectors in Spark's form.
      const dropNulls = (v: unknown): unknown => (Array.isArray(v) ? v.map(dropNulls)
        : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, k === 'v' ? { type: 1, values: x } : dropNulls(x)])) : v);
      expect(JSON.parse(JSON.stringify(lines.map((l) => JSON.parse(l)), (_, v) => (Object.is(v, -0) ? 0 : v)))).toEqual((expected as Row[]).map(dropNulls));
    }), { numRuns: 8 });
  });
});

describe('nested schemas and values', () => {
  it('infers arrays and structs from JS arrays and plain objects, and prints Spark\'s tree', async () => {
    const df = session('inline').createDataFrame([
      { user: 1, recs: [{ item: 10, rating: 0.5 }], tags: ['a', null] },
      { user: 2, recs: [], tags: null },
    ]);
    expect(df.schema.treeString()).toBe([
      'root',
      ' |-- user: integer (nullable = false)',
      ' |-- recs: array (nullable = false)',
      ' |    |-- element: struct (containsNull = false)',
      ' |    |    |-- item: integer (nullable = false)',
      ' |    |    |-- rating: double (nullable = false)',
      ' |-- tags: array (nullable = true)',
      ' |    |-- element: string (containsNull = true)',
      '',
    ].join('\n'));
    expect(df.dtypes).toEqual([['user', 'int'], ['recs', 'array<struct<item:int,rating:double>>'], ['tags', 'array<string>']]);
    expect(await df.collect()).toEqual([{ user: 1, recs: [{ item: 10, rating: 0.5 }], tags: ['a', null] }, { user: 2, recs: [], tags: null }]);
  });

  it('reads Arrow List and Struct input, Float32 elements and sliced tables included (Spark Connect and Spark-written Parquet)', async () => {
    const element = new Struct([new Field('item', new Int32(), true), new Field('rating', new Float32(), true)]);
    const table = new Table({
      user: vectorFromArray([1, 2, 3], new Int32()),
      recommendations: vectorFromArray([[{ item: 7, rating: 0.5 }], null, [{ item: 8, rating: 0.25 }, { item: 9, rating: null }]], new List(new Field('element', element, true))),
      tags: vectorFromArray([['x'], [], null], new List(new Field('item', new Utf8(), true))),
    });
    const spark = session('local[2]');
    const rows = await spark.createDataFrame(table).collect();
    expect(rows).toEqual([
      { user: 1, recommendations: [{ item: 7, rating: 0.5 }], tags: ['x'] },
      { user: 2, recommendations: null, tags: [] },
      { user: 3, recommendations: [{ item: 8, rating: 0.25 }, { item: 9, rating: null }], tags: null },
    ]);
    expect(spark.createDataFrame(table).schema.field('recommendations').type).toEqual(arrayType(recType));
    expect(await spark.createDataFrame(table.slice(1)).collect()).toEqual(rows.slice(1));
  });

  it('validates values against a given nested schema, naming the element or field and the row', () => {
    const spark = session('inline');
    const ints = new StructType([{ name: 'a', type: arrayType({ kind: 'int' }, false), nullable: true }]);
    expect(() => spark.createDataFrame([{ a: [1] }, { a: [1, 'x'] }], { schema: ints })).toThrow(`createDataFrame: column 'a.element' is int but element 1 of row 1 holds string "x"`);
    expect(() => spark.createDataFrame([{ a: [1, null] }], { schema: ints })).toThrow(`createDataFrame: column 'a.element' is not nullable but element 1 of row 0 is null`);
    expect(() => spark.createDataFrame([{ a: 5 }], { schema: ints })).toThrow(`createDataFrame: column 'a' is array<int> but row 0 holds number 5`);
    const st = new StructType([{ name: 's', type: structType([{ name: 'k', type: { kind: 'string' }, nullable: false }]), nullable: true }]);
    expect(() => spark.createDataFrame([{ s: null }, { s: {} }], { schema: st })).toThrow(`createDataFrame: column 's.k' is not nullable but row 1 is null`);
    expect(() => spark.createDataFrame([{ s: ['k'] }], { schema: st })).toThrow(`createDataFrame: column 's' is struct<k:string> but row 0 holds object k`);
    expect(() => spark.createDataFrame([{ a: [1, 'x'] }])).toThrow(`createDataFrame: column 'a.element' mixes double and string values (element 1 of its arrays)`);
  });

  it('refuses what nested columns do not support yet, naming the column', async () => {
    const spark = session('inline');
    const df = make('inline', [{ id: 0, recs: [], tags: ['a'], p: null }], 1);
    const key = /column '(tags|p|recs)' is of type (array|struct)<.*> and cannot be used as a key/;
    expect(() => df.groupBy('tags')).toThrow(key);
    expect(() => df.orderBy('p')).toThrow(key);
    expect(() => df.distinct()).toThrow(/distinct: column 'recs' is of type array<struct<item:int,rating:double>> and cannot be used as a key.*select the other columns first/);
    expect(() => df.join(df.select('tags', 'id'), 'tags')).toThrow(/join: column 'tags'/);
    expect(() => df.groupBy('id').agg(F.max('tags'))).toThrow(/max\(tags\): array<string> columns cannot be aggregated/);
    expect(() => df.select(col('tags').eq(col('tags')))).toThrow(/array columns cannot be compared/);
    expect(() => df.select(col('p').cast('string'))).toThrow(/a struct cannot be cast/);
    await expect(df.write.csv(tmp.fresh('csv'))).rejects.toThrow(`CSV data source does not support array<struct<item:int,rating:double>> data type (column 'recs')`);
    const json = tmp.file('a.json', '{"tags":["a"]}\n');
    await expect(spark.read.schema(new StructType([{ name: 'tags', type: arrayType({ kind: 'string' }), nullable: true }])).json(json))
      .rejects.toThrow(/JSON source: column 'tags' is array<string>; reading arrays and structs from JSON is not supported yet/);
  });
});
