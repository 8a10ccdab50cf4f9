import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/dataframe/session.js';
import { Vectors, type DenseVector } from '../../src/linalg/vectors.js';
import { StringIndexer, VectorAssembler } from '../../src/feature/index.js';
import { Pipeline, PipelineModel } from '../../src/pipeline/pipeline.js';
import { DecisionTreeClassifier, type DecisionTreeClassificationModel } from '../../src/classification/decision-tree.js';
import { RandomForestRegressor } from '../../src/regression/random-forest.js';

const spark = Session.builder().master('local[2]').create();
afterAll(async () => { await spark.stop(); });

describe('tree learners in pipelines and on other inputs', () => {
  it('split a StringIndexer column as categorical, from the assembled vector\'s metadata', async () => {
    const colors = ['red', 'green', 'blue', 'black'];
    const rows = Array.from({ length: 400 }, (_, i) => {
      const color = colors[i % 4], x = ((i * 7) % 10) / 10;
      // Label 1 for red and black: no threshold on the indices separates them, a category set does.
      return { color, x, label: color === 'red' || color === 'black' ? 1 : 0 };
    });
    const df = spark.createDataFrame(rows, { numPartitions: 2 });
    const pipeline = new Pipeline({ stages: [
      new StringIndexer({ inputCol: 'color', outputCol: 'colorIndex', stringOrderType: 'alphabetAsc' }),
      new VectorAssembler({ inputCols: ['colorIndex', 'x'], outputCol: 'features' }),
      new DecisionTreeClassifier({ maxDepth: 1 }),
    ] });
    const model = await pipeline.fit(df);
    const tree = model.stages[2] as DecisionTreeClassificationModel;
    // alphabetAsc: black 0, blue 1, green 2, red 3.
    expect(tree.rootNode.split).toEqual({ featureIndex: 0, leftCategories: [1, 2], numCategories: 4 });
    const out = await model.transform(df).collect();
    expect(out.every((r) => r.prediction === r.label)).toBe(true);
    expect(model).toBeInstanceOf(PipelineModel);
  });

  it('read sparse feature vectors as their dense equivalents', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => {
      const x = [0, 0, 0, 0, 0, 0];
      x[i % 6] = ((i * 13) % 17) / 17;
      x[(i * 5) % 6] += ((i * 3) % 11) / 11;
      return { label: x[0] * 3 + x[2] - x[4], x };
    });
    const dense = spark.createDataFrame(rows.map((r) => ({ label: r.label, features: Vectors.dense(r.x) })));
    const sparse = spark.createDataFrame(rows.map((r) => ({ label: r.label, features: Vectors.dense(r.x).toSparse() })));
    const rf = new RandomForestRegressor({ numTrees: 3, maxDepth: 4, seed: 5 });
    const a = await rf.fit(dense), b = await rf.fit(sparse);
    expect(b.toDebugString.split('\n').slice(1)).toEqual(a.toDebugString.split('\n').slice(1));
    const pa = await a.transform(dense).collect(), pb = await b.transform(sparse).collect();
    expect(pb.map((r) => r.prediction)).toEqual(pa.map((r) => r.prediction));
    expect(b.predict(Vectors.dense(rows[0].x).toSparse())).toBe(a.predict(pa[0].features as DenseVector));
  });
});
