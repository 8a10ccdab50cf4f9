import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  StructType, col, Vectors, VectorAssembler, DenseVector, SparseVector, attributeGroupOf, attributeGroupMetadata,
  attributeMetadata, categoricalFeatures, denseVectorType, SparseVectorType, type DataType, type Row, type StructField,
} from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters);
const spark = (m: string = 'inline') => session(m);

const field = (name: string, type: DataType, metadata?: Record<string, unknown>): StructField =>
  ({ name, type, nullable: true, ...(metadata ? { metadata } : {}) });
const sizeHint = (name: string, size: number) => attributeGroupMetadata({ name, numAttributes: size, attributes: [] });
const arrayOf = (v: unknown) => Array.from((v as DenseVector | SparseVector).toArray());

describe('VectorAssembler: Spark examples', () => {
  it('assembles the documentation example (ml-features.md, "VectorAssembler")', async () => {
    for (const m of masters) {
      const df = spark(m).createDataFrame([{ id: 0, hour: 18, mobile: 1.0, userFeatures: Vectors.dense([0.0, 10.0, 0.5]), clicked: 1.0 }]);
      const out = new VectorAssembler({ inputCols: ['hour', 'mobile', 'userFeatures'], outputCol: 'features' }).transform(df);
      const [row] = await out.collect();
      expect(row.features).toBeInstanceOf(DenseVector);
      expect(arrayOf(row.features)).toEqual([18.0, 1.0, 0.0, 10.0, 0.5]);
      expect(out.schema.field('features').type).toEqual(denseVectorType(5));
      expect(attributeGroupOf(out.schema.field('features'))?.numAttributes).toBe(5);
    }
  });

  it('assembles double, dense, sparse and long columns (VectorAssemblerSuite "VectorAssembler")', async () => {
    const df = spark().createDataFrame([
      { id: 0, x: 0.0, y: Vectors.dense([1.0, 2.0]), name: 'a', z: Vectors.sparse(2, [1], [3.0]), n: 10n },
    ]);
    const out = new VectorAssembler({ inputCols: ['x', 'y', 'z', 'n'], outputCol: 'features' }).transform(df);
    const [row] = await out.collect();
    // Spark: Vectors.sparse(6, Array(1, 2, 4, 5), Array(1.0, 2.0, 3.0, 10.0)). z has no size metadata, so sparse.
    expect(row.features).toEqual(Vectors.sparse(6, [1, 2, 4, 5], [1.0, 2.0, 3.0, 10.0]));
    expect(out.schema.field('features').type).toEqual(SparseVectorType);
  });

  it('rejects unsupported types with Spark\'s message, one line per column (VectorAssemblerSuite)', () => {
    const df = spark().createDataFrame([{ a: 'a', b: 'b', c: 'c' }]);
    const va = new VectorAssembler({ inputCols: ['a', 'b', 'c'], outputCol: 'features' });
    expect(() => va.transform(df)).toThrow(
      'Data type string of column a is not supported.\nData type string of column b is not supported.\nData type string of column c is not supported.',
    );
  });

  it('names a missing input column, refuses an existing output column, and needs inputCols', () => {
    const df = spark().createDataFrame([{ a: 1.0, b: 2.0 }]);
    expect(() => new VectorAssembler({ inputCols: ['a', 'nope'], outputCol: 'v' }).transform(df)).toThrow(/Column 'nope' does not exist/);
    expect(() => new VectorAssembler({ inputCols: ['a'], outputCol: 'b' }).transform(df)).toThrow('Output column b already exists.');
    expect(() => new VectorAssembler({ outputCol: 'v' }).transform(df)).toThrow(/inputCols/);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => new VectorAssembler({ handleInvalid: 'drop' })).toThrow(/handleInvalid/);
  });

  it('assembles empty inputCols into empty vectors (SPARK-25371)', async () => {
    const df = spark().createDataFrame([{ a: 1.0 }, { a: 2.0 }]);
    const rows = await new VectorAssembler({ inputCols: [], outputCol: 'v' }).transform(df).collect();
    expect(rows.map((r) => r.v)).toEqual([Vectors.sparse(0, [], []), Vectors.sparse(0, [], [])]);
  });

  it('carries ML attributes as Spark names them (VectorAssemblerSuite "ML attributes")', () => {
    const schema = new StructType([
      field('browser', { kind: 'double' }, attributeMetadata({ type: 'nominal', values: ['chrome', 'firefox', 'safari'] })),
      field('hour', { kind: 'double' }, attributeMetadata({ type: 'numeric', min: 0, max: 24 })),
      field('count', { kind: 'int' }),
      field('user', denseVectorType(2), attributeGroupMetadata({ numAttributes: 2, attributes: [
        { type: 'nominal', name: 'gender', index: 0, values: ['male', 'female'] },
        { type: 'numeric', name: 'salary', index: 1 },
      ] })),
      field('ad', SparseVectorType, sizeHint('ad', 2)),
    ]);
    const df = spark().createDataFrame([{ browser: 1.0, hour: 0.5, count: 1, user: Vectors.dense([1.0, 1000.0]), ad: Vectors.sparse(2, [1], [2.0]) }], { schema });
    const out = new VectorAssembler({ inputCols: ['browser', 'hour', 'count', 'user', 'ad'], outputCol: 'features' }).transform(df);
    const f = out.schema.field('features');
    const group = attributeGroupOf(f)!;
    expect(group.numAttributes).toBe(7);
    expect(group.attributes).toEqual([
      { type: 'nominal', name: 'browser', index: 0, values: ['chrome', 'firefox', 'safari'] },
      { type: 'numeric', name: 'hour', index: 1, min: 0, max: 24 },
      { type: 'nominal', name: 'user_gender', index: 3, values: ['male', 'female'] },
      { type: 'numeric', name: 'user_salary', index: 4 },
    ]);
    expect([...categoricalFeatures(f)]).toEqual([[0, 3], [3, 2]]);
  });
});

describe('VectorAssembler: handleInvalid (VectorAssemblerSuite "Handle Invalid should behave properly")', () => {
  // dfWithNullsAndNaNs of the suite: x double with nulls and NaN, y dense with nulls, z sparse, n long.
  const sv = Vectors.sparse(2, [1], [3.0]);
  const rows: Row[] = [
    { id1: 1, x: 0.0, y: Vectors.dense([1.0, 2.0]), z: sv, n: 7 },
    { id1: 2, x: 0.0, y: null, z: sv, n: 6 },
    { id1: 3, x: null, y: Vectors.dense([1.0, 2.0]), z: sv, n: 8 },
    { id1: 4, x: null, y: null, z: sv, n: 9 },
    { id1: 5, x: NaN, y: Vectors.dense([1.0, 2.0]), z: sv, n: 7 },
    { id1: 6, x: NaN, y: null, z: sv, n: 8 },
  ];
  const schemaWith = (zMeta?: Record<string, unknown>) => new StructType([
    field('id1', { kind: 'int' }), field('x', { kind: 'double' }), field('y', denseVectorType(2)),
    field('z', SparseVectorType, zMeta), field('n', { kind: 'long' }),
  ]);
  const withMetadata = schemaWith(attributeGroupMetadata({ numAttributes: 2, attributes: [
    { type: 'numeric', name: 'foo', index: 0 }, { type: 'numeric', name: 'bar', index: 1 }] }));
  const assembler = (mode: 'error' | 'skip' | 'keep') => new VectorAssembler({ inputCols: ['x', 'y', 'z', 'n'], outputCol: 'features', handleInvalid: mode });
  const NULL_MSG = 'Encountered null while assembling a row with handleInvalid = "error". Consider removing nulls from dataset or using handleInvalid = "keep" or "skip".';
  const NAN_MSG = 'Encountered NaN while assembling a row with handleInvalid = "error". Consider removing NaNs from dataset or using handleInvalid = "keep" or "skip".';

  it('keeps every row with NaN for nulls, skips invalid rows, or fails, when sizes are known', async () => {
    for (const m of masters) {
      const df = spark(m).createDataFrame(rows, { schema: withMetadata, numPartitions: 2 });
      const kept = await assembler('keep').transform(df).collect();
      expect(kept.map((r) => arrayOf(r.features))).toEqual([
        [0, 1, 2, 0, 3, 7], [0, NaN, NaN, 0, 3, 6], [NaN, 1, 2, 0, 3, 8],
        [NaN, NaN, NaN, 0, 3, 9], [NaN, 1, 2, 0, 3, 7], [NaN, NaN, NaN, 0, 3, 8],
      ]);
      const skipped = await assembler('skip').transform(df).collect();
      expect(skipped.map((r) => r.id1)).toEqual([1]);
      await expect(assembler('error').transform(df).collect()).rejects.toThrow(NULL_MSG);
      await expect(assembler('error').transform(df.filter(col('id1').gt(4))).collect()).rejects.toThrow(NAN_MSG);
      // A scalar column that is all null is fine under 'keep'.
      expect(await assembler('keep').transform(df.filter(col('id1').gt(2))).count()).toBe(4);
    }
  });

  it('without size metadata for a sparse column: keep fails naming VectorSizeHint, skip and error still work', async () => {
    const df = spark().createDataFrame(rows, { schema: schemaWith(), numPartitions: 3 });
    expect(() => assembler('keep').transform(df)).toThrow(
      'Can not infer column lengths with handleInvalid = "keep". Consider using VectorSizeHint to add metadata for columns: [y, z].',
    );
    expect((await assembler('skip').transform(df).collect()).map((r) => r.id1)).toEqual([1]);
    await expect(assembler('error').transform(df).collect()).rejects.toThrow(NULL_MSG);
  });

  it('checks vectors against the size their metadata declares', async () => {
    const df = spark().createDataFrame([{ z: Vectors.sparse(3, [0], [1]) }], { schema: new StructType([field('z', SparseVectorType, sizeHint('z', 2))]) });
    await expect(new VectorAssembler({ inputCols: ['z'], outputCol: 'v' }).transform(df).collect())
      .rejects.toThrow("column 'z' holds a vector of size 3 but its metadata declares size 2");
  });
});

describe('VectorAssembler: output encoding', () => {
  const schema = (sparseSize: number) => new StructType([
    field('a', { kind: 'double' }), field('b', { kind: 'double' }), field('s', SparseVectorType, sizeHint('s', sparseSize)),
  ]);
  it('is dense when dense inputs fill enough of the vector for Spark to store it densely, else sparse', () => {
    const va = new VectorAssembler({ inputCols: ['a', 'b', 's'], outputCol: 'v' });
    // 1.5 * (2 + 1) = 4.5 >= 4: Spark's compressed is dense whatever s holds.
    expect(va.transformSchema(schema(2)).field('v').type).toEqual(denseVectorType(4));
    expect(va.transformSchema(schema(10)).field('v').type).toEqual(SparseVectorType);
    expect(new VectorAssembler({ inputCols: ['a', 'b'], outputCol: 'v' }).transformSchema(schema(10)).field('v').type).toEqual(denseVectorType(2));
  });
});

describe('VectorAssembler: properties', () => {
  const cell = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });
  const finite = fc.double({ noDefaultInfinity: true, noNaN: true, min: -1e3, max: 1e3 }).map((v) => (Object.is(v, -0) ? 0 : v));
  const sparseArb = (size: number) => fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: Math.min(size, 4) })
    .chain((idx) => fc.array(finite, { minLength: idx.length, maxLength: idx.length })
      .map((vals) => { const order = idx.map((i, k) => [i, vals[k]] as const).sort((p, q) => p[0] - q[0]); return Vectors.sparse(size, order.map((p) => p[0]), order.map((p) => p[1])); }));
  const rowsArb = (sparseSize: number) => fc.array(fc.record({
    x: cell(fc.oneof({ weight: 8, arbitrary: finite }, { weight: 1, arbitrary: fc.constant(NaN) }, { weight: 2, arbitrary: fc.constant(0) })),
    i: cell(fc.integer({ min: -5, max: 5 })),
    b: cell(fc.boolean()),
    dv: cell(fc.tuple(finite, finite).map(([p, q]) => Vectors.dense([p, q]))),
    sv: cell(sparseArb(sparseSize)),
  }), { maxLength: 25 });
  const schema = (sparseSize: number) => new StructType([
    field('x', { kind: 'double' }), field('i', { kind: 'int' }), field('b', { kind: 'boolean' }),
    field('dv', denseVectorType(2)), field('sv', SparseVectorType, sizeHint('sv', sparseSize)),
  ]);

  /** Plain concatenation, with Spark's rules: nulls are invalid, and NaN in a double column. */
  function reference(r: Row): number[] | 'null' | 'nan' {
    for (const k of ['x', 'i', 'b', 'dv', 'sv']) {
      if (r[k] === null) return 'null';
      if (k === 'x' && Number.isNaN(r[k])) return 'nan';
    }
    return [r.x as number, r.i as number, r.b ? 1 : 0, ...arrayOf(r.dv), ...arrayOf(r.sv)];
  }
  function keepReference(r: Row, sparseSize: number): number[] {
    const or = (v: unknown, n: number) => (v === null ? new Array<number>(n).fill(NaN) : null);
    return [
      ...(or(r.x, 1) ?? [r.x as number]), ...(or(r.i, 1) ?? [r.i as number]), ...(or(r.b, 1) ?? [r.b ? 1 : 0]),
      ...(or(r.dv, 2) ?? arrayOf(r.dv)), ...(or(r.sv, sparseSize) ?? arrayOf(r.sv)),
    ];
  }

  it('equals the concatenation of the inputs under every handleInvalid, on every master and partitioning', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(3, 20).chain((size) => fc.tuple(fc.constant(size), rowsArb(size))),
      fc.integer({ min: 1, max: 5 }), fc.constantFrom(...masters), fc.constantFrom('error', 'skip', 'keep'),
      async ([size, rows], parts, master, mode) => {
        const df = spark(master).createDataFrame(rows, { schema: schema(size), numPartitions: parts });
        const out = new VectorAssembler({ inputCols: ['x', 'i', 'b', 'dv', 'sv'], outputCol: 'v', handleInvalid: mode }).transform(df);
        expect(out.schema.field('v').type).toEqual(size === 3 ? denseVectorType(8) : SparseVectorType);
        const expected = rows.map((r) => reference(r));
        if (mode === 'error' && expected.some((e) => typeof e === 'string')) {
          await expect(out.collect()).rejects.toThrow(/Encountered (null|NaN) while assembling a row/);
          return;
        }
        const got = (await out.collect()).map((r) => arrayOf(r.v));
        if (mode === 'keep') expect(got).toEqual(rows.map((r) => keepReference(r, size)));
        else expect(got).toEqual(expected.filter((e) => typeof e !== 'string'));
      },
    ), { numRuns: 40 });
  });
});
