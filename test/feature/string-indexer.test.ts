import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Session, StringIndexer, StringIndexerModel, StructType, attributeOf, type Row, type StringOrderType } from '../../src/index.js';
import { compareLabels, orderLabels } from '../../src/feature/string-indexer.js';

const masters = ['inline', 'local[2]'] as const;
const sessions = new Map<string, Session>();
beforeAll(() => { for (const m of masters) sessions.set(m, Session.builder().master(m).create()); });
afterAll(async () => { for (const s of sessions.values()) await s.stop(); });
const spark = (m: string = 'inline') => sessions.get(m)!;

const labelRows = (labels: (string | null)[]): Row[] => labels.map((label, id) => ({ id, label }));
const stringSchema = new StructType([{ name: 'id', type: { kind: 'int' }, nullable: false }, { name: 'label', type: { kind: 'string' }, nullable: true }]);
const frame = (m: string, labels: (string | null)[], parts = 2) => spark(m).createDataFrame(labelRows(labels), { numPartitions: parts, schema: stringSchema });

const indexOf = async (df: import('../../src/index.js').DataFrame, col = 'labelIndex') => (await df.collect()).map((r) => [r.id, r[col]]);

describe('StringIndexer: Spark examples', () => {
  it('indexes a b c a a c by frequency (ml-features.md "StringIndexer"; StringIndexerSuite "StringIndexer")', async () => {
    for (const m of masters) {
      const df = frame(m, ['a', 'b', 'c', 'a', 'a', 'c']);
      const model = await new StringIndexer({ inputCol: 'label', outputCol: 'labelIndex' }).fit(df);
      expect(model.labels).toEqual(['a', 'c', 'b']);
      expect(model.labelsArray).toEqual([['a', 'c', 'b']]);
      const out = model.transform(df);
      expect(await indexOf(out)).toEqual([[0, 0], [1, 2], [2, 1], [3, 0], [4, 0], [5, 1]]);
      const f = out.schema.field('labelIndex');
      expect(f.type).toEqual({ kind: 'double' });
      expect(attributeOf(f)).toEqual({ type: 'nominal', name: 'labelIndex', values: ['a', 'c', 'b'] });
    }
  });

  it('orders labels by each stringOrderType (StringIndexerSuite "StringIndexer order types")', async () => {
    const df = frame('inline', ['b', 'b', 'c', 'a', 'a', 'b']);
    const expected: Record<string, number[]> = {
      frequencyDesc: [0, 0, 2, 1, 1, 0], frequencyAsc: [2, 2, 0, 1, 1, 2], alphabetDesc: [1, 1, 0, 2, 2, 1], alphabetAsc: [1, 1, 2, 0, 0, 1],
    };
    for (const [order, idx] of Object.entries(expected)) {
      const model = await new StringIndexer({ inputCol: 'label', outputCol: 'labelIndex', stringOrderType: order as StringOrderType }).fit(df);
      expect((await model.transform(df).collect()).map((r) => r.labelIndex), order).toEqual(idx);
    }
  });

  it('breaks frequency ties alphabetically (StringIndexerSuite "secondary sort by alphabets when frequency equal")', async () => {
    const df = frame('local[2]', ['a', 'a', 'b', 'b', 'c', 'd'], 3);
    const desc = await new StringIndexer({ inputCol: 'label', outputCol: 'labelIndex' }).fit(df);
    expect((await desc.transform(df).collect()).map((r) => r.labelIndex)).toEqual([0, 0, 1, 1, 2, 3]);
    const asc = await new StringIndexer({ inputCol: 'label', outputCol: 'labelIndex', stringOrderType: 'frequencyAsc' }).fit(df);
    expect((await asc.transform(df).collect()).map((r) => r.labelIndex)).toEqual([2, 2, 3, 3, 0, 1]);
  });

  it('casts numeric input to strings (StringIndexerSuite "StringIndexer with a numeric input column")', async () => {
    const df = spark().createDataFrame([100, 200, 300, 100, 100, 300].map((label, id) => ({ id, label })));
    const model = await new StringIndexer({ inputCol: 'label', outputCol: 'labelIndex' }).fit(df);
    expect(model.labels).toEqual(['100', '300', '200']);
    expect((await model.transform(df).collect()).map((r) => r.labelIndex)).toEqual([0, 2, 1, 0, 0, 1]);
    // Doubles read as Spark casts them ("1.0"); NaN is not a label when fitting.
    const dbl = spark().createDataFrame([{ x: 1.5 }, { x: 1 }, { x: NaN }, { x: 1 }], { schema: { x: 'double' } });
    const m2 = await new StringIndexer({ inputCol: 'x', outputCol: 'i', handleInvalid: 'keep' }).fit(dbl);
    expect(m2.labels).toEqual(['1.0', '1.5']);
    expect((await m2.transform(dbl).collect()).map((r) => r.i)).toEqual([1, 0, 2, 0]);
    await expect(m2.copy().setHandleInvalid('error').transform(dbl).collect()).rejects.toThrow('Unseen label: NaN.');
    expect((await m2.copy().setHandleInvalid('skip').transform(dbl).collect()).map((r) => r.i)).toEqual([1, 0, 0]);
  });

  it('handles unseen labels by handleInvalid (StringIndexerSuite "StringIndexerUnseen")', async () => {
    for (const m of masters) {
      const model = await new StringIndexer({ inputCol: 'label', outputCol: 'labelIndex' }).fit(frame(m, ['a', 'b', 'b']));
      const df2 = frame(m, ['a', 'b', 'c', 'd']);
      await expect(model.transform(df2).collect()).rejects.toThrow('Unseen label: c. To handle unseen labels, set Param handleInvalid to keep.');
      model.setHandleInvalid('skip');
      const skipped = model.transform(df2);
      expect(await indexOf(skipped)).toEqual([[0, 1], [1, 0]]);
      expect(attributeOf(skipped.schema.field('labelIndex'))?.values).toEqual(['b', 'a']);
      model.setHandleInvalid('keep');
      const kept = model.transform(df2);
      expect(await indexOf(kept)).toEqual([[0, 1], [1, 0], [2, 2], [3, 2]]);
      expect(attributeOf(kept.schema.field('labelIndex'))?.values).toEqual(['b', 'a', '__unknown']);
    }
  });

  it('handles nulls by handleInvalid (StringIndexerSuite "StringIndexer with NULLs")', async () => {
    const df = frame('inline', ['a', 'b', 'b', null]);
    const df2 = spark().createDataFrame([{ id: 0, label: 'a' }, { id: 1, label: 'b' }, { id: 3, label: null }], { schema: stringSchema });
    const fit = (handleInvalid: 'error' | 'skip' | 'keep') => new StringIndexer({ inputCol: 'label', outputCol: 'labelIndex', handleInvalid }).fit(df);
    expect((await fit('error')).labels).toEqual(['b', 'a']);
    await expect((await fit('error')).transform(df2).collect()).rejects.toThrow(
      'StringIndexer encountered NULL value. To handle or skip NULLS, try setting StringIndexer.handleInvalid.');
    expect(await indexOf((await fit('skip')).transform(df2))).toEqual([[0, 1], [1, 0]]);
    expect(await indexOf((await fit('keep')).transform(df2))).toEqual([[0, 1], [1, 0], [3, 2]]);
  });

  it('indexes several columns at once (StringIndexerSuite "StringIndexer multiple input columns")', async () => {
    const rows = [['a', 0, 'e', 1], ['b', 2, 'f', 0], ['c', 1, 'e', 1], ['a', 0, 'f', 0], ['a', 0, 'f', 0], ['c', 1, 'f', 0]]
      .map(([label1, expected1, label2, expected2]) => ({ label1, expected1, label2, expected2 }));
    for (const m of masters) {
      const df = spark(m).createDataFrame(rows, { numPartitions: 3 });
      const model = await new StringIndexer({ inputCols: ['label1', 'label2'], outputCols: ['labelIndex1', 'labelIndex2'] }).fit(df);
      expect(model.labelsArray).toEqual([['a', 'c', 'b'], ['f', 'e']]);
      expect(() => model.labels).toThrow('This StringIndexerModel is fit on multiple columns. Call `labelsArray` instead.');
      for (const r of await model.transform(df).collect()) {
        expect(r.labelIndex1).toBe(r.expected1);
        expect(r.labelIndex2).toBe(r.expected2);
      }
    }
  });

  it('model skips input columns that do not exist (StringIndexerSuite "should keep silent if the input column does not exist")', async () => {
    const model = new StringIndexerModel(['a', 'b', 'c'], { inputCol: 'label', outputCol: 'labelIndex' });
    const df = spark().createDataFrame([{ id: 1 }, { id: 2 }]);
    expect(model.transform(df)).toBe(df);
    expect(model.transformSchema(df.schema)).toBe(df.schema);
  });
});

describe('StringIndexer: errors', () => {
  const df = () => spark().createDataFrame([{ input: 1, output: 2, flag: true }]);

  it('refuses an existing output column (StringIndexerSuite "can\'t overwrite output column")', async () => {
    await expect(new StringIndexer({ inputCol: 'input', outputCol: 'output' }).fit(df())).rejects.toThrow('Output column output already exists.');
    const model = await new StringIndexer({ inputCol: 'input', outputCol: 'indexedInput' }).fit(df());
    expect(() => model.setOutputCol('output').transform(df())).toThrow('Output column output already exists.');
  });

  it('checks input/output params as Spark (StringIndexerSuite "params: input/output columns")', () => {
    const s = df().schema;
    expect(() => new StringIndexer({ inputCol: 'input', outputCols: ['o1', 'o2'] }).transformSchema(s))
      .toThrow(/has the inputCol Param set for single-column transform. The following Params are not applicable and should not be set: outputCols./);
    expect(() => new StringIndexer({ inputCols: ['input', 'output'], outputCol: 'o1' }).transformSchema(s))
      .toThrow(/has the inputCols Param set for multi-column transform. The following Params are not applicable and should not be set: outputCol./);
    expect(() => new StringIndexer({ inputCols: ['input', 'output'], outputCols: ['o1', 'o2', 'o3'] }).transformSchema(s))
      .toThrow('The number of input columns does not match output columns');
    expect(() => new StringIndexer({ inputCols: ['input', 'output'], outputCols: ['o1', 'o1'] }).transformSchema(s)).toThrow('Output columns should not be duplicate.');
    expect(() => new StringIndexer({ inputCol: 'input', inputCols: ['input'] }).transformSchema(s)).toThrow(/exactly one of inputCol, inputCols Params to be set, but both are set/);
    expect(() => new StringIndexer({}).transformSchema(s)).toThrow(/exactly one of inputCol, inputCols Params to be set, but neither is set/);
    expect(() => new StringIndexer({ inputCols: [], outputCols: [] }).transformSchema(s)).toThrow(/inputCols is empty/);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => new StringIndexer({ stringOrderType: 'random' })).toThrow(/stringOrderType/);
  });

  it('names a missing input column and rejects a column that is neither string nor numeric', () => {
    expect(() => new StringIndexer({ inputCol: 'nope', outputCol: 'o' }).transformSchema(df().schema)).toThrow('Input column nope does not exist.');
    expect(() => new StringIndexer({ inputCol: 'flag', outputCol: 'o' }).transformSchema(df().schema))
      .toThrow('The input column flag must be either string type or numeric type, but got boolean.');
  });
});

describe('StringIndexer: properties', () => {
  const labelArb = fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'B', 'é', '𝔸', '', 'ab'), { nil: null, freq: 8 });

  it('indices follow the frequency order with ties alphabetical, whatever the master and partitioning', async () => {
    await fc.assert(fc.asyncProperty(fc.array(labelArb, { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), fc.constantFrom(...masters),
      async (labels, parts, master) => {
        const df = frame(master, labels, parts);
        const model = await new StringIndexer({ inputCol: 'label', outputCol: 'labelIndex', handleInvalid: 'keep' }).fit(df);
        // Reference: counts by value, sorted by count descending then label.
        const counts = new Map<string, number>();
        for (const l of labels) if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
        const expected = [...counts].sort((x, y) => y[1] - x[1] || compareLabels(x[0], y[0])).map(([l]) => l);
        expect(model.labels).toEqual(expected);
        for (let i = 1; i < expected.length; i++) {
          const [p, q] = [counts.get(expected[i - 1])!, counts.get(expected[i])!];
          expect(p > q || (p === q && compareLabels(expected[i - 1], expected[i]) < 0)).toBe(true);
        }
        const out = (await model.transform(df).collect()).map((r) => r.labelIndex);
        expect(out).toEqual(labels.map((l) => (l === null ? expected.length : expected.indexOf(l))));
      }), { numRuns: 40 });
  });

  it('orders strings by code point, as Spark\'s UTF-8 comparison', () => {
    // U+FF21 (one UTF-16 unit) sorts before U+1D538 (a surrogate pair) by code point, though not by UTF-16 unit.
    expect(orderLabels([['𝔸', 1], ['Ａ', 1], ['a', 1], ['B', 1]], 'alphabetAsc')).toEqual(['B', 'a', 'Ａ', '𝔸']);
    expect(orderLabels([['x', 1], ['y', 3], ['z', 3]], 'frequencyAsc')).toEqual(['x', 'y', 'z']);
    expect(orderLabels([['x', 1], ['y', 3], ['z', 3]], 'alphabetDesc')).toEqual(['z', 'y', 'x']);
  });
});
