import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/dataframe/session.js';
import { StructType } from '../../src/dataframe/types.js';
import { attributeMetadata } from '../../src/feature/attributes.js';
import { Vectors } from '../../src/linalg/vectors.js';
import { DecisionTreeClassifier } from '../../src/classification/decision-tree.js';
import { RandomForestClassifier } from '../../src/classification/random-forest.js';
import { GBTClassifier } from '../../src/classification/gbt.js';
import { DecisionTreeRegressor } from '../../src/regression/decision-tree.js';
import { GBTRegressor } from '../../src/regression/gbt.js';

const spark = Session.builder().master('local[2]').create();
afterAll(async () => { await spark.stop(); });

const rows = (labels: number[], x: (i: number) => number[] = (i) => [i, i % 3]) =>
  labels.map((label, i) => ({ label, features: Vectors.dense(x(i)), w: 1 }));

describe('tree learners reject bad input with errors naming the column or param', () => {
  it('labels that are negative, fractional or NaN', async () => {
    await expect(new DecisionTreeClassifier().fit(spark.createDataFrame(rows([0, 1, -1, 0])))).rejects.toThrow(/invalid label -1\.0 in column 'label'.*non-negative integers/);
    await expect(new RandomForestClassifier().fit(spark.createDataFrame(rows([0, 1.5, 1, 0])))).rejects.toThrow(/invalid label 1\.5 in column 'label'/);
    await expect(new DecisionTreeRegressor().fit(spark.createDataFrame(rows([0, NaN, 1, 0])))).rejects.toThrow(/Column 'label' \(labelCol\) holds a NaN label/);
  });

  it('a label at or above numClasses from the label metadata (StringIndexer)', async () => {
    const schema = new StructType([
      { name: 'label', type: { kind: 'double' }, nullable: false, metadata: attributeMetadata({ type: 'nominal', name: 'label', values: ['a', 'b'] }) },
      { name: 'features', type: { kind: 'vector', encoding: 'dense', size: 2 }, nullable: false },
    ]);
    const df = spark.createDataFrame(rows([0, 1, 2, 0]).map(({ label, features }) => ({ label, features })), { schema });
    await expect(new DecisionTreeClassifier().fit(df)).rejects.toThrow(/invalid label 2\.0 in column 'label'.*integers in range \[0, 2\)/);
  });

  it('NaN and null features, as Spark', async () => {
    await expect(new DecisionTreeClassifier().fit(spark.createDataFrame(rows([0, 1, 1], (i) => [i, i === 2 ? NaN : 1])))).rejects.toThrow(/Column 'features' holds NaN at feature 1/);
    const withNull = [...rows([0, 1]), { label: 1, features: null, w: 1 }];
    await expect(new GBTRegressor().fit(spark.createDataFrame(withNull, { numPartitions: 1 }))).rejects.toThrow(/Column 'features' holds a null features vector/);
  });

  it('negative or infinite weights', async () => {
    const df = spark.createDataFrame(rows([0, 1, 1, 0]).map((r, i) => ({ ...r, w: i === 3 ? -2 : 1 })));
    await expect(new DecisionTreeClassifier({ weightCol: 'w' }).fit(df)).rejects.toThrow(/Column 'w' \(weightCol\) holds the weight -2\.0.*non-negative and finite/);
  });

  it('maxBins smaller than a categorical feature\'s arity, and categorical values outside it', async () => {
    const df = spark.createDataFrame(rows([0, 1, 1, 0, 1, 0], (i) => [i % 5, i]));
    await expect(new DecisionTreeClassifier({ maxBins: 4, categoricalFeatures: { 0: 5 } }).fit(df))
      .rejects.toThrow(/requires maxBins \(= 4\) to be at least as large as the number of values in each categorical feature, but categorical feature 0 has 5 values/);
    await expect(new DecisionTreeClassifier({ categoricalFeatures: { 0: 3 } }).fit(df))
      .rejects.toThrow(/Feature 0 is categorical with values in \{0,...,2\}, but a data point gives it value 3\.0/);
    expect(() => new DecisionTreeClassifier({ maxBins: 1 })).toThrow(/maxBins given invalid value 1/);
    expect(() => new DecisionTreeClassifier({ categoricalFeatures: { a: 2 } as never })).toThrow(/categoricalFeatures/);
  });

  it('empty data, empty vectors, a non-boolean validation column, bad strategy names', async () => {
    const empty = spark.createDataFrame(rows([0, 1])).limit(0);
    await expect(new DecisionTreeClassifier().fit(empty)).rejects.toThrow(/non-empty training set/);
    await expect(new DecisionTreeClassifier().fit(spark.createDataFrame(rows([0, 1], () => []))))
      .rejects.toThrow(/number of features > 0/);
    const df = spark.createDataFrame(rows([0, 1]).map((r) => ({ ...r, v: 1 })));
    expect(() => new GBTClassifier({ validationIndicatorCol: 'v' }).transformSchema(df.schema)).toThrow(/Column v must be of type boolean/);
    expect(() => new RandomForestClassifier({ featureSubsetStrategy: '1.5' })).toThrow(/featureSubsetStrategy given invalid value 1\.5/);
    // @ts-expect-error -- a value the type rejects, checked at run time too
    expect(() => new GBTRegressor({ lossType: 'logistic' })).toThrow(/lossType/);
    expect(() => new RandomForestClassifier({ subsamplingRate: 0 })).toThrow(/subsamplingRate/);
  });
});
