// VectorSizeHint (Spark's VectorSizeHintSuite, case by case) and what it is for: VectorAssembler
// with handleInvalid = 'keep' over vector columns, in a Pipeline after OneHotEncoder included.
import { describe, expect, it } from 'vitest';
import {
  attributeGroupOf, load, OneHotEncoder, Pipeline, StringIndexer, VectorAssembler, VectorSizeHint, Vectors, type DenseVector,
  type SparseVector, type Row,
} from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';
import { expectSameParams } from '../helpers/params.js';
import { useTempDir } from '../helpers/temp-dir.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters);
const { fresh } = useTempDir('quiver-size-hint-');
const modes = ['error', 'skip', 'optimistic'] as const;
const values = (v: unknown) => Array.from((v as DenseVector | SparseVector).toArray());

describe('VectorSizeHint (VectorSizeHintSuite)', () => {
  it('validates its params and needs size and inputCol', () => {
    // @ts-expect-error -- not an option
    expect(() => new VectorSizeHint().setHandleInvalid('invalidValue')).toThrow(/handleInvalid given invalid value invalidValue \(must be one of \[error, skip, optimistic\]\)/);
    expect(() => new VectorSizeHint().setSize(-3)).toThrow(/size given invalid value -3 \(must be >= 0\)/);
    const df = session('inline').createDataFrame([{ vector: Vectors.dense([1, 2]), intValue: 0 }]);
    expect(() => new VectorSizeHint({ inputCol: 'vector' }).transform(df)).toThrow(/Failed to find a default value for size/);
    expect(() => new VectorSizeHint({ size: 2 }).transformSchema(df.schema)).toThrow(/Failed to find a default value for inputCol/);
    expect(new VectorSizeHint().getHandleInvalid()).toBe('error');
  });

  it('adds the size to a column of vectors, keeping every row, for each handleInvalid', async () => {
    for (const m of masters) {
      const df = session(m).createDataFrame([Vectors.dense([1, 2, 3]), Vectors.dense([1, 2, 3]), Vectors.sparse(3, [], [])].map((vector) => ({ vector })));
      expect(attributeGroupOf(df.schema.field('vector'))?.numAttributes).toBeUndefined();
      for (const handleInvalid of modes) {
        const withSize = new VectorSizeHint({ inputCol: 'vector', size: 3, handleInvalid }).transform(df);
        expect(attributeGroupOf(withSize.schema.field('vector'))?.numAttributes).toBe(3);
        expect(withSize.columns).toEqual(['vector']);
        expect((await withSize.collect()).map((r) => values(r.vector))).toEqual([[1, 2, 3], [1, 2, 3], [0, 0, 0]]);
      }
    }
  });

  it('keeps the attributes of a column whose size is already that size, and refuses another size', async () => {
    const df = new VectorAssembler({ inputCols: ['x', 'y', 'z'], outputCol: 'vector' })
      .transform(session('inline').createDataFrame([{ x: 1, y: 2, z: 3 }, { x: 2, y: 3, z: 3 }]));
    const group = attributeGroupOf(df.schema.field('vector'));
    for (const handleInvalid of modes) {
      const withSize = new VectorSizeHint({ inputCol: 'vector', size: 3, handleInvalid }).transform(df);
      expect(attributeGroupOf(withSize.schema.field('vector'))).toEqual(group);
      expect(await withSize.count()).toBe(2);
      expect(() => new VectorSizeHint({ inputCol: 'vector', size: 4, handleInvalid }).transform(df))
        .toThrow('Trying to set size of vectors in `vector` to 4 but size already set to 3.');
    }
    expect(() => new VectorSizeHint({ inputCol: 'x', size: 1 }).transform(df)).toThrow('Input column, x must be of Vector type, got int');
  });

  it('handles invalid vectors: error fails, skip drops the row, optimistic keeps it', async () => {
    for (const m of masters) {
      const vector = Vectors.dense([1, 2, 3]);
      const dataWithNull = session(m).createDataFrame([{ vector }, { vector: null }], { numPartitions: 2 });
      const dataWithShort = session(m).createDataFrame([{ vector }, { vector: Vectors.dense([2]) }], { numPartitions: 2 });
      const hint = new VectorSizeHint({ inputCol: 'vector', size: 3, handleInvalid: 'error' });
      await expect(hint.transform(dataWithNull).collect()).rejects.toThrow("Got null vector in VectorSizeHint, set `handleInvalid` to 'skip' to filter invalid rows.");
      await expect(hint.transform(dataWithShort).collect()).rejects.toThrow('VectorSizeHint Expecting a vector of size 3 but got 1');
      hint.setHandleInvalid('skip');
      expect(await hint.transform(dataWithNull).count()).toBe(1);
      expect((await hint.transform(dataWithShort).collect()).map((r) => values(r.vector))).toEqual([[1, 2, 3]]);
      hint.setHandleInvalid('optimistic');
      expect(await hint.transform(dataWithNull).count()).toBe(2);
      expect(await hint.transform(dataWithShort).count()).toBe(2);
    }
  });

  it('saves and loads its params in Spark\'s layout (DefaultParamsWritable)', async () => {
    const hint = new VectorSizeHint({ inputCol: 'myInputCol', size: 11, handleInvalid: 'skip' });
    const path = fresh('hint');
    await hint.save(path);
    const back = await VectorSizeHint.load(path);
    expectSameParams(hint, back);
    expectSameParams(hint, await load(path) as VectorSizeHint);
    expect(VectorSizeHint.sparkClassName).toBe('org.apache.spark.ml.feature.VectorSizeHint');
  });
});

describe("VectorAssembler with handleInvalid = 'keep' over vector columns", () => {
  it('assembles after VectorSizeHint (VectorSizeHintStreamingSuite\'s rows, as a batch)', async () => {
    const a = Vectors.dense([0, 1, 2]), b = Vectors.sparse(4, [0, 3], [3, 6]);
    const df = session('local[2]').createDataFrame([{ a, b }, { a, b }]);
    const assembler = new VectorAssembler({ inputCols: ['a', 'b'], outputCol: 'assembled', handleInvalid: 'keep' });
    expect(() => assembler.transform(df)).toThrow('Can not infer column lengths with handleInvalid = "keep". Consider using VectorSizeHint to add metadata for columns: [a, b].');
    const pipeline = new Pipeline({ stages: [new VectorSizeHint({ size: 4, inputCol: 'b' }), assembler] });
    const out = (await pipeline.fit(df)).transform(df).select('assembled');
    expect((await out.collect()).map((r) => values(r.assembled))).toEqual([[0, 1, 2, 3, 0, 0, 6], [0, 1, 2, 3, 0, 0, 6]]);
  });

  it('fits in a Pipeline after OneHotEncoder: the encoder\'s size is known once it is fitted, as in Spark', async () => {
    for (const m of masters) {
      const rows: Row[] = [{ c: 0, x: 1.0 }, { c: 1, x: null }, { c: 2, x: 3.0 }, { c: 1, x: 4.0 }];
      const df = session(m).createDataFrame(rows, { schema: { c: 'int', x: 'double' } });
      const model = await new Pipeline({ stages: [
        new OneHotEncoder({ inputCols: ['c'], outputCols: ['cv'] }),
        new VectorAssembler({ inputCols: ['cv', 'x'], outputCol: 'features', handleInvalid: 'keep' }),
      ] }).fit(df);
      // 3 categories, the last dropped: c = 0 -> [1, 0], 1 -> [0, 1], 2 -> [0, 0]; a null x is NaN under 'keep'.
      expect((await model.transform(df).collect()).map((r) => values(r.features))).toEqual([[1, 0, 1], [0, 1, NaN], [0, 0, 3], [0, 1, 4]]);
      const s = await new Pipeline({ stages: [
        new StringIndexer({ inputCol: 'x', outputCol: 'xi', handleInvalid: 'keep' }),
        new OneHotEncoder({ inputCols: ['xi'], outputCols: ['xv'], handleInvalid: 'keep' }),
        new VectorAssembler({ inputCols: ['xv', 'c'], outputCol: 'f', handleInvalid: 'keep' }),
      ] }).fit(df);
      // 3 labels and __unknown; under 'keep' with dropLast the encoder keeps all 4 (Spark's filterNames); plus c.
      expect(attributeGroupOf(s.transform(df).schema.field('f'))?.numAttributes).toBe(5);
    }
  });
});
