import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Session } from '../../src/dataframe/session.js';
import { PCA, PCAModel } from '../../src/feature/pca.js';
import { DenseVector, Vectors, type Vector } from '../../src/linalg/vectors.js';
import { randomStream, gaussian } from '../../src/linalg/random.js';
import { useSparkAndInline } from '../helpers/sessions.js';
import { useTempDir } from '../helpers/temp-dir.js';

const { spark, inline } = useSparkAndInline();
const { freshDir } = useTempDir('quiver-pca-');

// The 3-row example of the PySpark PCA documentation (pyspark.ml.feature.PCA).
const docRows = () => [
  { features: Vectors.sparse(5, [1, 3], [1.0, 7.0]) },
  { features: Vectors.dense([2.0, 0.0, 3.0, 4.0, 5.0]) },
  { features: Vectors.dense([4.0, 0.0, 0.0, 6.0, 7.0]) },
];

/** Sample covariance by the textbook two-pass formula: the slow reference. */
function naiveCovariance(rows: number[][]): number[][] {
  const n = rows.length, d = rows[0].length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
  return Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) =>
    rows.reduce((s, r) => s + (r[a] - mean[a]) * (r[b] - mean[b]), 0) / (n - 1)));
}

/** Doctest matching: `0.205...` means the value printed starts with those digits. */
function expectDocValue(actual: number, published: string): void {
  const decimals = published.split('.')[1].length;
  expect(Math.trunc(actual * 10 ** decimals) / 10 ** decimals).toBe(Number(published));
}

function column(model: PCAModel, c: number): number[] {
  return Array.from({ length: model.pc.numRows }, (_, i) => model.pc.get(i, c));
}

describe('PCA', () => {
  it('reproduces the PySpark documentation example (k = 2), up to the sign of each component', async () => {
    const df = spark().createDataFrame(docRows());
    const model = await new PCA({ k: 2, inputCol: 'features', outputCol: 'pca_features' }).fit(df);
    expect(model.getK()).toBe(2);
    expect(model.pc.numRows).toBe(5);
    expect(model.pc.numCols).toBe(2);
    // Published: explainedVariance DenseVector([0.794..., 0.205...]).
    expectDocValue(model.explainedVariance.get(0), '0.794');
    expectDocValue(model.explainedVariance.get(1), '0.205');
    model.setOutputCol('output');
    const rows = await model.transform(df).collect();
    const out = rows[0].output as DenseVector;
    // Published: DenseVector([1.648..., -4.013...]); first coordinates of all rows 1.64857282308838,
    // -4.6451043317815, -6.4288805356764 (the doc example's transform output).
    const s0 = Math.sign(out.get(0)) * Math.sign(1.648), s1 = Math.sign(out.get(1)) * Math.sign(-4.013);
    expect(s0 * out.get(0)).toBeCloseTo(1.64857282308838, 10);
    expectDocValue(s1 * out.get(1), '-4.013');
    expect(s0 * (rows[1].output as DenseVector).get(0)).toBeCloseTo(-4.6451043317815, 10);
    expect(s0 * (rows[2].output as DenseVector).get(0)).toBeCloseTo(-6.4288805356764, 10);
  });

  it('components are orthonormal eigenvectors of the sample covariance (A·v = λ·v), explained variance sums to 1 at k = d', async () => {
    const rng = randomStream(7, 'pca-test');
    const d = 6;
    const data = Array.from({ length: 200 }, () => {
      const z = Array.from({ length: d }, () => gaussian(rng));
      // Correlated, with a large offset to exercise centering.
      return z.map((v, j) => 1e4 + (j + 1) * v + (j > 0 ? 0.5 * z[j - 1] : 0));
    });
    const df = spark().createDataFrame(data.map((r) => ({ features: Vectors.dense(r) })), { numPartitions: 3 });
    const model = await new PCA({ k: d, inputCol: 'features', outputCol: 'p' }).fit(df);
    const cov = naiveCovariance(data);
    const total = cov.reduce((s, r, i) => s + r[i], 0);
    let sum = 0;
    for (let c = 0; c < d; c++) {
      const v = column(model, c);
      const lambda = model.explainedVariance.get(c) * total;
      for (let i = 0; i < d; i++) {
        const av = cov[i].reduce((s, x, j) => s + x * v[j], 0);
        expect(Math.abs(av - lambda * v[i])).toBeLessThan(1e-8 * total);
      }
      for (let c2 = 0; c2 < d; c2++) {
        const dotp = v.reduce((s, x, i) => s + x * column(model, c2)[i], 0);
        expect(dotp).toBeCloseTo(c === c2 ? 1 : 0, 12);
      }
      if (c > 0) expect(model.explainedVariance.get(c)).toBeLessThanOrEqual(model.explainedVariance.get(c - 1));
      sum += model.explainedVariance.get(c);
    }
    expect(sum).toBeCloseTo(1, 12);
  });

  it('gives the same model for 1, 2 or 7 partitions, local[2] or inline, dense or sparse input', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 1e6 }), async (seed) => {
      const rng = randomStream(seed, 'pca-prop');
      const rows = Array.from({ length: 30 }, () => Array.from({ length: 4 }, () => Math.round(gaussian(rng) * 4) / 2));
      const fit = async (session: Session, parts: number, sparse: boolean) => {
        const df = session.createDataFrame(rows.map((r) => ({ f: sparse ? Vectors.dense(r).toSparse() : Vectors.dense(r) })), { numPartitions: parts });
        return new PCA({ k: 2, inputCol: 'f', outputCol: 'o' }).fit(df);
      };
      const ref = await fit(spark(), 1, false);
      for (const [session, parts, sparse] of [[spark(), 2, false], [spark(), 7, true], [inline(), 3, false]] as const) {
        const m = await fit(session, parts, sparse);
        for (let c = 0; c < 2; c++) {
          // The same components up to rounding; degenerate (tied) eigenvalues are skipped.
          const gap = Math.abs(ref.explainedVariance.get(c) - (c + 1 < 2 ? ref.explainedVariance.get(c + 1) : 0));
          expect(m.explainedVariance.get(c)).toBeCloseTo(ref.explainedVariance.get(c), 10);
          if (gap < 1e-6) continue;
          const a = column(ref, c), b = column(m, c);
          const dotp = Math.abs(a.reduce((s, x, i) => s + x * b[i], 0));
          expect(dotp).toBeCloseTo(1, 8);
        }
      }
    }), { numRuns: 4 });
  });

  it('transform projects without centering and predict agrees with transform', async () => {
    const df = spark().createDataFrame(docRows());
    const model = await new PCA({ k: 3, inputCol: 'features', outputCol: 'o' }).fit(df);
    const rows = await model.transform(df).collect();
    for (const r of rows) {
      const x = (r.features as Vector).toArray();
      const o = r.o as DenseVector;
      for (let c = 0; c < 3; c++) {
        const expected = column(model, c).reduce((s, v, i) => s + v * x[i], 0);
        expect(o.get(c)).toBeCloseTo(expected, 12);
      }
      expect(Array.from(model.predict(r.features as Vector).values)).toEqual(Array.from(o.values));
    }
    expect(model.transform(df).schema.field('o').type).toEqual({ kind: 'vector', encoding: 'dense', size: 3 });
  });

  it('rejects k larger than the number of features, empty data, bad values and a wrong vector size', async () => {
    const df = spark().createDataFrame(docRows());
    await expect(new PCA({ k: 6, inputCol: 'features', outputCol: 'o' }).fit(df)).rejects.toThrow(/k = 6 is larger than the number of features 5/);
    const dense = spark().createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: Vectors.dense([3, 4]) }]);
    expect(() => new PCA({ k: 3, inputCol: 'f', outputCol: 'o' }).transformSchema(dense.schema)).toThrow(/k = 3 is larger than the number of features 2/);
    await expect(new PCA({ k: 1, inputCol: 'f', outputCol: 'o' }).fit(dense.limit(0))).rejects.toThrow(/no rows/);
    const bad = spark().createDataFrame([{ f: Vectors.dense([1, NaN]) }, { f: Vectors.dense([3, 4]) }]);
    await expect(new PCA({ k: 1, inputCol: 'f', outputCol: 'o' }).fit(bad)).rejects.toThrow(/column 'f' holds NaN at row 0/);
    expect(() => new PCA({ k: 0 })).toThrow(/k given invalid value 0/);
    await expect(new PCA({ k: 1, inputCol: 'nope', outputCol: 'o' }).fit(dense)).rejects.toThrow(/Column 'nope' does not exist/);
    const model = await new PCA({ k: 1, inputCol: 'f', outputCol: 'o' }).fit(dense);
    const wide = spark().createDataFrame([{ f: Vectors.dense([1, 2, 3]) }]);
    expect(() => model.transform(wide)).toThrow(/size 3 but the model was fitted on vectors of size 2/);
    const sparseWide = spark().createDataFrame([{ f: Vectors.sparse(3, [0], [1]) }]);
    await expect(model.transform(sparseWide).collect()).rejects.toThrow(/size 3 at row 0, but the model was fitted on vectors of size 2/);
  });
});

describe('PCA persistence', () => {
  it('save → load → transform is identical, with Spark\'s data columns (pc, explainedVariance)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { load, readDataDir, fileSystemFor } = await import('../../src/persistence/index.js');
    const root = freshDir();
    const df = spark().createDataFrame(docRows());
    const pca = new PCA({ k: 2, inputCol: 'features', outputCol: 'o' });
    await pca.save(join(root, 'pca'));
    expect((await PCA.load(join(root, 'pca'))).getK()).toBe(2);
    const model = await pca.fit(df);
    const path = join(root, 'model');
    await model.save(path);
    const meta = JSON.parse(await readFile(join(path, 'metadata', 'part-00000'), 'utf8'));
    expect(meta.class).toBe('org.apache.spark.ml.feature.PCAModel');
    expect((await readDataDir(fileSystemFor(path), path)).schema.fields.map((f) => f.name)).toEqual(['pc', 'explainedVariance']);
    const loaded = await PCAModel.load(path);
    expect(loaded.uid).toBe(model.uid);
    expect(Array.from(loaded.pc.toArray())).toEqual(Array.from(model.pc.toArray()));
    expect(Array.from(loaded.explainedVariance.values)).toEqual(Array.from(model.explainedVariance.values));
    expect(await loaded.transform(df).collect()).toEqual(await model.transform(df).collect());
    expect(await load(path)).toBeInstanceOf(PCAModel);
    await expect(model.save(path)).rejects.toThrow(/exists/);
    await expect(PCA.load(path)).rejects.toThrow(/PCAModel/);
  });
});
