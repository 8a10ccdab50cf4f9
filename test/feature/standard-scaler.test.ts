import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  StandardScaler, StandardScalerModel, StructType, Vectors, DenseVector, attributeGroupOf,
  denseVectorType, SparseVectorType, type Row, type Vector,
} from '../../src/index.js';
import { ParamMap } from '../../src/pipeline/stage.js';
import { useSessions } from '../helpers/sessions.js';
import { expectClose } from '../helpers/close.js';

const masters = ['inline', 'local[2]'] as const;
const session = useSessions(masters);
const spark = (m: string = 'inline') => session(m);
const arrayOf = (v: unknown) => Array.from((v as Vector).toArray());

// StandardScalerSuite's data and expected outputs (absTol 1e-5 there, and here).
const data = [[-2.0, 2.3, 0.0], [0.0, -5.1, 1.0], [1.7, -0.6, 3.3]];
const resWithMean = [[-1.9, 3.433333333333, -1.433333333333], [0.1, -3.966666666667, -0.433333333333], [1.8, 0.533333333333, 1.866666666667]];
const resWithStd = [[-1.079898494312, 0.616834091415, 0.0], [0.0, -1.367762550529, 0.590968109266], [0.917913720165, -0.160913241239, 1.950194760579]];
const resWithBoth = [[-1.0259035695965, 0.920781324866, -0.8470542899497], [0.0539949247156, -1.063815317078, -0.256086180682], [0.9719086448809, 0.143033992212, 1.103140470631]];

/** Closed forms: column means and unbiased standard deviations, the slow way. */
function meanStd(rows: number[][]): { mean: number[]; std: number[] } {
  const n = rows.length, d = rows[0].length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
  const std = mean.map((m, j) => (n > 1 ? Math.sqrt(rows.reduce((s, r) => s + (r[j] - m) ** 2, 0) / (n - 1)) : 0));
  return { mean, std };
}

describe('StandardScaler: Spark examples', () => {
  const frame = (m: string, rows: number[][], parts = 2) => spark(m).createDataFrame(rows.map((r) => ({ features: Vectors.dense(r) })), { numPartitions: parts });

  it('fits the mean and unbiased std of StandardScalerSuite\'s data (closed form)', async () => {
    for (const m of masters) {
      const model = await new StandardScaler({ inputCol: 'features', outputCol: 'scaled' }).fit(frame(m, data));
      const { mean, std } = meanStd(data);
      expectClose(arrayOf(model.mean), mean, { atol: 1e-15 });
      expectClose(arrayOf(model.std), std, { atol: 1e-15 });
      expect(model.mean).toBeInstanceOf(DenseVector);
      expect(model.uid).toMatch(/^StandardScaler_/);
    }
  });

  it.each([
    ['default (withStd)', false, true, resWithStd],
    ['withMean and withStd', true, true, resWithBoth],
    ['withMean only', true, false, resWithMean],
    ['neither', false, false, data],
  ])('transforms as StandardScalerSuite expects: %s', async (_name, withMean, withStd, expected) => {
    for (const m of masters) {
      const df = frame(m, data);
      const model = await new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean, withStd }).fit(df);
      const out = model.transform(df);
      expect(out.schema.field('scaled').type).toEqual(denseVectorType(3));
      expect(attributeGroupOf(out.schema.field('scaled'))?.numAttributes).toBe(3);
      const rows = await out.collect();
      rows.forEach((r, i) => expectClose(arrayOf(r.scaled), expected[i], { atol: 1e-5 }));
    }
  });

  it('centers sparse input into dense output (StandardScalerSuite "sparse data and withMean")', async () => {
    const someSparse = [Vectors.sparse(3, [0, 1], [-2.0, 2.3]), Vectors.sparse(3, [1, 2], [-5.1, 1.0]), Vectors.sparse(3, [0, 1, 2], [1.7, -0.6, 3.3])];
    for (const m of masters) {
      const df = spark(m).createDataFrame(someSparse.map((features) => ({ features })), { numPartitions: 2 });
      expect(df.schema.field('features').type).toEqual(SparseVectorType);
      const model = await new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true, withStd: false }).fit(df);
      const out = model.transform(df);
      expect(out.schema.field('scaled').type).toEqual(denseVectorType(3));
      (await out.collect()).forEach((r, i) => expectClose(arrayOf(r.scaled), resWithMean[i], { atol: 1e-5 }));
    }
  });

  it('keeps sparse input sparse without withMean: the stored entries are scaled', async () => {
    const df = spark().createDataFrame([
      { features: Vectors.sparse(3, [0, 2], [2.0, 4.0]) }, { features: Vectors.sparse(3, [1], [-3.0]) }, { features: Vectors.sparse(3, [], []) },
    ]);
    const model = await new StandardScaler({ inputCol: 'features', outputCol: 'scaled' }).fit(df);
    const dense = [[2, 0, 4], [0, -3, 0], [0, 0, 0]];
    const { mean, std } = meanStd(dense);
    expectClose(arrayOf(model.mean), mean, { atol: 1e-15 });
    expectClose(arrayOf(model.std), std, { atol: 1e-15 });
    const rows = await model.transform(df).collect();
    expect(model.transform(df).schema.field('scaled').type).toEqual(SparseVectorType);
    // Spark multiplies by 1/std (StandardScalerModel.transformSparseWithScale).
    const inv = arrayOf(model.std).map((s) => 1 / s);
    expect(rows[0].scaled).toEqual(Vectors.sparse(3, [0, 2], [2 * inv[0], 4 * inv[2]]));
    expect(rows[1].scaled).toEqual(Vectors.sparse(3, [1], [-3 * inv[1]]));
    expect(rows[2].scaled).toEqual(Vectors.sparse(3, [], []));
  });

  it('scales a constant feature to 0, as Spark (std 0)', async () => {
    const df = spark().createDataFrame([{ f: Vectors.dense([5, 1]) }, { f: Vectors.dense([5, 3]) }]);
    const model = await new StandardScaler({ inputCol: 'f', outputCol: 'o', withMean: true }).fit(df);
    expect(arrayOf(model.std)).toEqual([0, Math.SQRT2]);
    expect((await model.transform(df).collect()).map((r) => arrayOf(r.o))).toEqual([[0, -1 / Math.SQRT2], [0, 1 / Math.SQRT2]]);
    // One row: the std is 0 (Spark's Summarizer), so everything scales to 0.
    const one = await new StandardScaler({ inputCol: 'f', outputCol: 'o' }).fit(df.limit(1));
    expect(arrayOf(one.std)).toEqual([0, 0]);
  });

  it('skips null vectors when fitting and keeps them null when transforming', async () => {
    const schema = new StructType([{ name: 'f', type: denseVectorType(2), nullable: true }]);
    const df = spark().createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: null }, { f: Vectors.dense([3, 6]) }], { schema });
    const model = await new StandardScaler({ inputCol: 'f', outputCol: 'o' }).fit(df);
    expect(arrayOf(model.mean)).toEqual([2, 4]);
    const rows = await model.transform(df).collect();
    expect(rows[1].o).toBeNull();
    expectClose(arrayOf(rows[2].o), [3 / Math.SQRT2, 6 / Math.sqrt(8)], { atol: 1e-15 });
  });
});

describe('StandardScaler: errors', () => {
  it('checks the input type, the output column and the vector size before touching data', async () => {
    const df = spark().createDataFrame([{ f: Vectors.dense([1, 2]), s: 'x', o: 1.0 }]);
    expect(() => new StandardScaler({ inputCol: 's', outputCol: 'z' }).transformSchema(df.schema)).toThrow('Column s must be of type vector but was actually string.');
    await expect(new StandardScaler({ inputCol: 'f', outputCol: 'o' }).fit(df)).rejects.toThrow('Output column o already exists.');
    await expect(new StandardScaler({ inputCol: 'nope', outputCol: 'z' }).fit(df)).rejects.toThrow(/Column 'nope' does not exist/);
    const model = new StandardScalerModel(Vectors.dense([1, 1, 1]) as DenseVector, Vectors.dense([0, 0, 0]) as DenseVector, { inputCol: 'f', outputCol: 'z' });
    expect(() => model.transform(df)).toThrow(/holds vectors of size 2 but the model was fitted on vectors of size 3/);
  });

  it('fails on a DataFrame without rows, and on sparse vectors of different sizes', async () => {
    const df = spark().createDataFrame([{ f: Vectors.dense([1, 2]) }]).limit(0);
    await expect(new StandardScaler({ inputCol: 'f', outputCol: 'o' }).fit(df)).rejects.toThrow(/Nothing has been added to this summarizer/);
    const mixed = spark().createDataFrame([{ f: Vectors.sparse(2, [0], [1]) }, { f: Vectors.sparse(3, [0], [1]) }], { numPartitions: 1 });
    await expect(new StandardScaler({ inputCol: 'f', outputCol: 'o' }).fit(mixed)).rejects.toThrow('Dimensions mismatch when adding new sample. Expecting 2 but got 3.');
  });
});

describe('StandardScaler: properties', () => {
  const value = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 });
  const matrixArb = fc.integer({ min: 1, max: 4 }).chain((d) => fc.array(fc.array(value, { minLength: d, maxLength: d }), { minLength: 2, maxLength: 30 }));

  it('with withMean and withStd, every non-constant feature has mean 0 and std 1; fits match the closed form', async () => {
    await fc.assert(fc.asyncProperty(matrixArb, fc.integer({ min: 1, max: 7 }), fc.constantFrom(...masters), fc.boolean(), async (rows, parts, master, sparse) => {
      const df = spark(master).createDataFrame(rows.map((r) => ({ f: sparse ? Vectors.dense(r).toSparse() : Vectors.dense(r) })), {
        numPartitions: parts, schema: new StructType([{ name: 'f', type: sparse ? SparseVectorType : denseVectorType(rows[0].length), nullable: false }]),
      });
      const model = await new StandardScaler({ inputCol: 'f', outputCol: 'o', withMean: true }).fit(df);
      const { mean, std } = meanStd(rows);
      const scale = Math.max(1, ...rows.flat().map(Math.abs));
      expectClose(arrayOf(model.mean), mean, { atol: 1e-12 * scale });
      expectClose(arrayOf(model.std), std, { atol: 1e-9 * scale });
      const out = (await model.transform(df).collect()).map((r) => arrayOf(r.o));
      const stats = meanStd(out);
      std.forEach((s, j) => {
        if (s > 1e-6 * scale) {
          expect(Math.abs(stats.mean[j])).toBeLessThan(1e-9);
          expect(Math.abs(stats.std[j] - 1)).toBeLessThan(1e-9);
        } else if (s === 0) {
          expect(out.every((r) => r[j] === 0)).toBe(true);
        }
      });
    }), { numRuns: 30 });
  });

  it('is identical on inline and local[2], and the same up to rounding for any partition count', async () => {
    const rows: Row[] = Array.from({ length: 200 }, (_, i) => ({ f: Vectors.dense([Math.sin(i), i % 7, Math.cos(i * i) * 1e3]) }));
    const fit = async (m: string, parts: number) => new StandardScaler({ inputCol: 'f', outputCol: 'o', withMean: true }).fit(spark(m).createDataFrame(rows, { numPartitions: parts }));
    for (const parts of [1, 2, 7]) {
      const [a, b] = [await fit('inline', parts), await fit('local[2]', parts)];
      expect(arrayOf(b.mean)).toEqual(arrayOf(a.mean));
      expect(arrayOf(b.std)).toEqual(arrayOf(a.std));
      const one = await fit('inline', 1);
      expectClose(arrayOf(a.mean), arrayOf(one.mean), { atol: 1e-12 });
      expectClose(arrayOf(a.std), arrayOf(one.std), { atol: 1e-12 });
    }
  });

  it('copy keeps the uid, the fitted vectors and the params; extra params apply to the copy', async () => {
    const df = spark().createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: Vectors.dense([3, 5]) }]);
    const est = new StandardScaler({ inputCol: 'f', outputCol: 'o' });
    const model = await est.fit(df);
    expect(model.uid).toBe(est.uid);
    expect(model.parent).toBe(est);
    const c = model.copy(ParamMap.of(model.withMean.w(true)));
    expect(c).toBeInstanceOf(StandardScalerModel);
    expect(c.uid).toBe(model.uid);
    expect(c.getWithMean()).toBe(true);
    expect(model.getWithMean()).toBe(false);
    expect(c.std).toBe(model.std);
  });
});
