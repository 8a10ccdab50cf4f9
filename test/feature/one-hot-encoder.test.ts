import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  OneHotEncoder, OneHotEncoderModel, StringIndexer, StructType, Vectors, SparseVector, attributeGroupOf,
  attributeMetadata, SparseVectorType, type DataType, type Row,
} from '../../src/index.js';
import { useSessions } from '../helpers/sessions.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters);
const spark = (m: string = 'inline') => session(m);

const doubles = (m: string, name: string, values: (number | null)[], parts = 2, metadata?: Record<string, unknown>, type: DataType = { kind: 'double' }) =>
  spark(m).createDataFrame(values.map((v) => ({ [name]: v })), {
    numPartitions: parts, schema: new StructType([{ name, type, nullable: true, ...(metadata ? { metadata } : {}) }]),
  });
const sv = (size: number, idx: number[]) => Vectors.sparse(size, idx, idx.map(() => 1));

describe('OneHotEncoder: Spark examples', () => {
  it('encodes the documentation example (ml-features.md "OneHotEncoder")', async () => {
    const rows = [[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [0.0, 2.0], [0.0, 1.0], [2.0, 0.0]]
      .map(([categoryIndex1, categoryIndex2]) => ({ categoryIndex1, categoryIndex2 }));
    for (const m of masters) {
      const df = spark(m).createDataFrame(rows, { numPartitions: 2, schema: { categoryIndex1: 'double', categoryIndex2: 'double' } });
      const model = await new OneHotEncoder({ inputCols: ['categoryIndex1', 'categoryIndex2'], outputCols: ['categoryVec1', 'categoryVec2'] }).fit(df);
      expect(model.categorySizes).toEqual([3, 3]);
      const out = await model.transform(df).collect();
      expect(out.map((r) => r.categoryVec1)).toEqual([sv(2, [0]), sv(2, [1]), sv(2, []), sv(2, [0]), sv(2, [0]), sv(2, [])]);
      expect(out.map((r) => r.categoryVec2)).toEqual([sv(2, [1]), sv(2, [0]), sv(2, [1]), sv(2, []), sv(2, [1]), sv(2, [0])]);
      expect(out[0].categoryVec1).toBeInstanceOf(SparseVector);
    }
  });

  it('matches the pyspark doctest: single and multi column params give SparseVector(2, {0: 1.0})', async () => {
    const df = doubles('inline', 'input', [0, 1, 2]);
    const multi = await new OneHotEncoder({ inputCols: ['input'], outputCols: ['output'] }).fit(df);
    expect(multi.getHandleInvalid()).toBe('error');
    expect((await multi.transform(df).first())!.output).toEqual(sv(2, [0]));
    const single = await new OneHotEncoder({ inputCol: 'input', outputCol: 'output' }).fit(df);
    expect((await single.transform(df).first())!.output).toEqual(sv(2, [0]));
  });

  it('keeps the last category with dropLast = false (OneHotEncoderSuite)', async () => {
    const df = doubles('local[2]', 'index', [0, 1, 2, 0, 0, 2]);
    const model = await new OneHotEncoder({ inputCol: 'index', outputCol: 'vec', dropLast: false }).fit(df);
    expect((await model.transform(df).collect()).map((r) => r.vec)).toEqual([sv(3, [0]), sv(3, [1]), sv(3, [2]), sv(3, [0]), sv(3, [0]), sv(3, [2])]);
  });

  it('keeps invalid values as an extra category (OneHotEncoderSuite "Keep on invalid values")', async () => {
    const train = doubles('inline', 'input', [0, 1, 2]);
    const test = doubles('inline', 'input', [0, 1, 3, -1, NaN]);
    const model = await new OneHotEncoder({ inputCol: 'input', outputCol: 'v', handleInvalid: 'keep' }).fit(train);
    expect((await model.copy().setDropLast(false).transform(test).collect()).map((r) => r.v))
      .toEqual([sv(4, [0]), sv(4, [1]), sv(4, [3]), sv(4, [3]), sv(4, [3])]);
    expect((await model.transform(test).collect()).map((r) => r.v)).toEqual([sv(3, [0]), sv(3, [1]), sv(3, []), sv(3, []), sv(3, [])]);
    const group = attributeGroupOf(model.copy().setDropLast(false).transform(test).schema.field('v'))!;
    expect(group.attributes.map((a) => a.name)).toEqual(['0', '1', '2', 'invalidValues']);
  });

  it('fails on unseen and negative values with Spark\'s messages (OneHotEncoderSuite)', async () => {
    const model = await new OneHotEncoder({ inputCol: 'input', outputCol: 'v' }).fit(doubles('inline', 'input', [0, 1, 2]));
    await expect(model.transform(doubles('local[2]', 'input', [0, 2, 3])).collect())
      .rejects.toThrow('Unseen value: 3.0. To handle unseen values, set Param handleInvalid to keep.');
    await expect(model.transform(doubles('inline', 'input', [0, -1])).collect())
      .rejects.toThrow("Negative value: -1.0. Input can't be negative. To handle invalid values, set Param handleInvalid to keep");
  });

  it('keeps null indices null, and a fractional index picks its integer part (Spark\'s idx.toInt)', async () => {
    const model = new OneHotEncoderModel([3], { inputCol: 'i', outputCol: 'v' });
    expect((await model.transform(doubles('inline', 'i', [null, 1.7, 0])).collect()).map((r) => r.v)).toEqual([null, sv(2, [1]), sv(2, [0])]);
  });

  it('takes category sizes and names from nominal attributes (OneHotEncoderSuite "input column with ML attribute")', async () => {
    const meta = attributeMetadata({ type: 'nominal', values: ['small', 'medium', 'large'] });
    const df = doubles('inline', 'size', [0, 1, 1], 1, meta); // "large" never occurs: the size comes from metadata
    const model = await new OneHotEncoder({ inputCols: ['size'], outputCols: ['encoded'] }).fit(df);
    expect(model.categorySizes).toEqual([3]);
    const group = attributeGroupOf(model.transform(df).schema.field('encoded'))!;
    expect(group.numAttributes).toBe(2);
    expect(group.attributes).toEqual([{ type: 'binary', name: 'small', index: 0 }, { type: 'binary', name: 'medium', index: 1 }]);
    // Without attributes, names are the indices (OneHotEncoderSuite "input column without ML attribute").
    const plain = await new OneHotEncoder({ inputCols: ['size'], outputCols: ['encoded'] }).fit(doubles('inline', 'size', [0, 1, 2, 1]));
    const g2 = attributeGroupOf(plain.transform(doubles('inline', 'size', [0])).schema.field('encoded'))!;
    expect(g2.attributes.map((a) => a.name)).toEqual(['0', '1']);
  });

  it('encodes StringIndexer output using its labels, without a pass over the data', async () => {
    const df = spark().createDataFrame(['a', 'b', 'c', 'a', 'a', 'c'].map((category, id) => ({ id, category })));
    const indexed = (await new StringIndexer({ inputCol: 'category', outputCol: 'categoryIndex' }).fit(df)).transform(df);
    const encoded = (await new OneHotEncoder({ inputCol: 'categoryIndex', outputCol: 'categoryVec', dropLast: false }).fit(indexed)).transform(indexed);
    const rows = await encoded.collect();
    expect(rows.map((r) => r.categoryVec)).toEqual([sv(3, [0]), sv(3, [2]), sv(3, [1]), sv(3, [0]), sv(3, [0]), sv(3, [1])]);
    expect(attributeGroupOf(encoded.schema.field('categoryVec'))!.attributes.map((a) => a.name)).toEqual(['a', 'c', 'b']);
  });
});

describe('OneHotEncoder: errors', () => {
  it('checks input types, output columns and params before touching data', () => {
    const df = spark().createDataFrame([{ i: 1.0, s: 'x', out: 1.0 }]);
    expect(() => new OneHotEncoder({ inputCol: 's', outputCol: 'v' }).transformSchema(df.schema)).toThrow('Column s must be of type numeric but was actually of type string.');
    expect(() => new OneHotEncoder({ inputCol: 'i', outputCol: 'out' }).transformSchema(df.schema)).toThrow('Column out already exists.');
    expect(() => new OneHotEncoder({ inputCol: 'nope', outputCol: 'v' }).transformSchema(df.schema)).toThrow(/Column 'nope' does not exist/);
    expect(() => new OneHotEncoder({ inputCols: ['i'], outputCols: ['a', 'b'] }).transformSchema(df.schema))
      .toThrow('The number of input columns 1 must be the same as the number of output columns 2.');
    expect(() => new OneHotEncoder({ inputCols: [], outputCols: [] }).transformSchema(df.schema)).toThrow(/inputCols is empty/);
    expect(() => new OneHotEncoder({ outputCol: 'v' }).transformSchema(df.schema)).toThrow(/but neither is set/);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => new OneHotEncoder({ handleInvalid: 'skip' })).toThrow(/handleInvalid/);
    expect(() => new OneHotEncoderModel([2, 3], { inputCol: 'i', outputCol: 'v' }).transform(df))
      .toThrow('The number of input columns 1 must be the same as the number of features 2 during fitting.');
  });

  it('fails to fit on values that are not indices, naming the column', async () => {
    const fit = (values: (number | null)[]) => new OneHotEncoder({ inputCol: 'x', outputCol: 'v' }).fit(doubles('inline', 'x', values));
    await expect(fit([0, 1.5])).rejects.toThrow('Values from column x must be indices, but got 1.5.');
    await expect(fit([0, -1])).rejects.toThrow('Values from column x must be indices, but got -1.0.');
    await expect(fit([0, NaN])).rejects.toThrow('Values from column x must be indices, but got NaN.');
    await expect(fit([0, null])).rejects.toThrow('Values from column x must be indices, but got null.');
    await expect(fit([3e9])).rejects.toThrow('OneHotEncoder only supports up to 2147483647 indices, but got 3.0E9.');
  });

  it('rejects metadata that is continuous, has one level under dropLast, or disagrees with the model', async () => {
    const numeric = doubles('inline', 'x', [0], 1, attributeMetadata({ type: 'numeric' }));
    expect(() => new OneHotEncoder({ inputCol: 'x', outputCol: 'v' }).transformSchema(numeric.schema)).toThrow('The input column x cannot be continuous-value.');
    const single = doubles('inline', 'x', [0], 1, attributeMetadata({ type: 'nominal', values: ['only'] }));
    expect(() => new OneHotEncoder({ inputCol: 'x', outputCol: 'v' }).transformSchema(single.schema)).toThrow('The input column x should have at least two distinct values.');
    const three = doubles('inline', 'x', [0], 1, attributeMetadata({ type: 'nominal', values: ['a', 'b', 'c'] }));
    expect(() => new OneHotEncoderModel([2], { inputCol: 'x', outputCol: 'v' }).transform(three))
      .toThrow('OneHotEncoderModel expected 1 categorical values for input column x, but the input column had metadata specifying 2 values.');
  });
});

describe('OneHotEncoder: properties', () => {
  it('each row has a single 1.0 at its index (none for the dropped or invalid category), on every master and partitioning', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: -1, max: 8 }), { maxLength: 20 }),
      fc.integer({ min: 1, max: 7 }), fc.constantFrom(...masters), fc.boolean(), fc.constantFrom('int', 'double'),
      async (train, test, parts, master, dropLast, kind) => {
        const type: DataType = { kind: kind as 'int' | 'double' };
        const model = await new OneHotEncoder({ inputCol: 'i', outputCol: 'v', dropLast, handleInvalid: 'keep' }).fit(doubles(master, 'i', train, parts, undefined, type));
        const k = Math.max(...train) + 1;
        expect(model.categorySizes).toEqual([k]);
        const size = dropLast ? k : k + 1; // 'keep' adds a category, dropLast removes one
        const out = model.transform(doubles(master, 'i', test, parts, undefined, type));
        expect(out.schema.field('v').type).toEqual(SparseVectorType);
        const expected = test.map((x) => { const idx = x >= 0 && x < k ? x : k; return sv(size, idx < size ? [idx] : []); });
        expect((await out.collect()).map((r: Row) => r.v)).toEqual(expected);
      }), { numRuns: 40 });
  });
});
