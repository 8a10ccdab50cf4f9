// JSON write -> read round trips with random schemas, values (unicode, escapes, control characters,
// lone surrogates, NaN, ±0, longs beyond 2^53, vectors), nulls and partitionings, on a worker pool
// and inline. Reference: the rows collected from the DataFrame that was written.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  StructType, Vectors, denseVectorType, SparseVectorType, type DataType, type Row, type StructField,
} from '../../src/index.js';
import { parseJson } from '../../src/dataframe/io/json-parse.js';
import { DEFAULT_JSON_OPTIONS } from '../../src/dataframe/io/json-options.js';
import { batchToRows } from '../../src/dataframe/rows.js';
import { useSessions } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const masters = ['inline', 'local[2]'] as const;
const sessionFor = useSessions(masters);
const { fresh } = useTempDir('quiver-io-json-rt-');

type Kind = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'dense' | 'sparse';
const KINDS: Kind[] = ['int', 'long', 'double', 'boolean', 'string', 'dense', 'sparse'];
const NAMES = ['a', 'é名', 'q"uote\\', 'sp ace', 'x_1', '😀', 'tab\t', 'n7'];

const anyDouble = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.1, 1e300, 5e-324, 1e21, 1e-7));
const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true });

function valueArb(kind: Kind, size: number, finite: boolean): fc.Arbitrary<unknown> {
  const dbl = finite ? finiteDouble : anyDouble;
  switch (kind) {
    case 'int': return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'long': return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'double': return dbl;
    case 'boolean': return fc.boolean();
    case 'string': return fc.string({ maxLength: 8, unit: 'binary' });
    case 'dense': return fc.array(dbl, { minLength: size, maxLength: size }).map((v) => Vectors.dense(v));
    case 'sparse': return fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: size })
      .chain((idx) => fc.array(dbl, { minLength: idx.length, maxLength: idx.length })
        .map((vals) => Vectors.sparse(size, [...idx].sort((x, y) => x - y), vals)));
  }
}

function typeOf(kind: Kind, size: number): DataType {
  if (kind === 'dense') return denseVectorType(size);
  if (kind === 'sparse') return SparseVectorType;
  return { kind };
}

/** A random table: schema, rows (nulls included) and a partition count. */
function tableArb(kinds: Kind[], finite: boolean) {
  return fc.record({
    cols: fc.uniqueArray(fc.record({ name: fc.constantFrom(...NAMES), kind: fc.constantFrom(...kinds), size: fc.integer({ min: 1, max: 4 }) }),
      { minLength: 1, maxLength: 5, selector: (c) => c.name }),
    numRows: fc.integer({ min: 0, max: 12 }),
    numPartitions: fc.integer({ min: 1, max: 3 }),
  }).chain(({ cols, numRows, numPartitions }) => {
    const row = fc.tuple(...cols.map((c) => fc.option(valueArb(c.kind, c.size, finite), { nil: null, freq: 4 })));
    return fc.array(row, { minLength: numRows, maxLength: numRows }).map((values) => ({
      schema: new StructType(cols.map((c): StructField => ({ name: c.name, type: typeOf(c.kind, c.size), nullable: true }))),
      rows: values.map((v) => Object.fromEntries(cols.map((c, i) => [c.name, v[i]])) as Row),
      numPartitions,
    }));
  });
}

describe('JSON round trips', () => {
  it('write -> read with the schema gives back every row, value and null, on every master', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(tableArb(KINDS, false), async ({ schema, rows, numPartitions }) => {
      const session = sessionFor(masters[run++ % masters.length]);
      const df = session.createDataFrame(rows, { schema, numPartitions });
      const out = fresh('rt');
      await df.write.json(out);
      const back = await session.read.schema(schema).json(out);
      expect(back.columns).toEqual(df.columns);
      expect(await back.collect()).toEqual(await df.collect());
    }), { numRuns: 20 });
  });

  it('write -> read with inference gives back every column holding a value (sorted by name), with its values', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(tableArb(['int', 'long', 'double', 'boolean', 'string', 'dense', 'sparse'], true), async ({ schema, rows, numPartitions }) => {
      const session = sessionFor(masters[run++ % masters.length]);
      const df = session.createDataFrame(rows, { schema, numPartitions });
      const expected = await df.collect();
      const present = schema.fieldNames.filter((n) => expected.some((r) => r[n] !== null));
      const out = fresh('inf');
      await df.write.json(out);
      if (present.length === 0) {
        // Every row is {} (nulls are left out): nothing to infer from, as Spark.
        if (rows.length) await expect(session.read.json(out)).rejects.toThrow(/Unable to infer schema|no fields/);
        return;
      }
      const back = await session.read.json(out);
      expect(back.columns).toEqual([...present].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      for (const name of present) {
        const t = back.schema.field(name).type;
        const written = schema.field(name).type;
        if (written.kind === 'vector') expect(t.kind).toBe('vector');
        else if (written.kind === 'long') expect(['int', 'long']).toContain(t.kind); // small longs read back as int
        else expect(t.kind).toBe(written.kind);
      }
      expect(await back.select(...present).collect()).toEqual(expected.map((r) => Object.fromEntries(present.map((n) => [n, r[n]]))));
    }), { numRuns: 20 });
  });

  it('a string column holds any JSON value as its compact text (objects, arrays, escapes, integers)', () => {
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' },
        fc.integer(), fc.string({ maxLength: 5, unit: 'binary' }), fc.boolean(), fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 4, unit: 'binary' }), tie('value'), { maxKeys: 3 })),
    }));
    const schema = new StructType([{ name: 'v', type: { kind: 'string' }, nullable: true }]);
    fc.assert(fc.property(fc.array(value, { maxLength: 5 }), (values) => {
      const text = values.map((v) => JSON.stringify({ v })).join('\n');
      const got = batchToRows(schema, parseJson(text, schema, { ...DEFAULT_JSON_OPTIONS, mode: 'FAILFAST' }, { source: 'mem' })).map((r) => r.v);
      expect(got).toEqual(values.map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v))));
    }), { numRuns: 300 });
  });
});
