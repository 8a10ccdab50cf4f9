// The public API's types: results typed by the caller, enum-like params as string-literal unions (a
// typo fails to compile), the sync/async rule. The `@ts-expect-error` lines and expectTypeOf
// assertions are checked by `npm run typecheck` (tsc over test/); the values are checked here too.
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  ALS, BinaryClassificationEvaluator, ClusteringEvaluator, DecisionTreeClassifier, GBTClassifier, GBTRegressor, KMeans,
  LinearRegression, LinearRegressionSummary, LogisticRegression, LogisticRegressionSummary, BinaryLogisticRegressionSummary,
  MulticlassClassificationEvaluator, OneHotEncoder, RandomForestRegressor, RegressionEvaluator, Session, StringIndexer,
  VectorAssembler, VectorSizeHint, Vectors, type DataFrame, type Row,
} from '../../src/index.js';

const spark = Session.builder().master('inline').create();
afterAll(() => spark.stop());

describe('typed results', () => {
  interface Rec { user: number; recommendations: { item: number; rating: number }[] }

  it('collect, take, head and first are generic over the row type (Row by default)', async () => {
    const df = spark.createDataFrame([{ user: 1, recommendations: [{ item: 2, rating: 0.5 }] }]);
    expectTypeOf(df.collect()).toEqualTypeOf<Promise<Row[]>>();
    expectTypeOf(df.collect<Rec>()).toEqualTypeOf<Promise<Rec[]>>();
    expectTypeOf(df.take<Rec>(1)).toEqualTypeOf<Promise<Rec[]>>();
    expectTypeOf(df.head<Rec>()).toEqualTypeOf<Promise<Rec[]>>();
    expectTypeOf(df.first<Rec>()).toEqualTypeOf<Promise<Rec | undefined>>();
    const [row] = await df.collect<Rec>();
    expect(row.recommendations[0].item + row.user).toBe(3);
    expect((await df.first<Rec>())?.recommendations[0].rating).toBe(0.5);
  });

  it('numPartitions() is a number, known without running anything', () => {
    const df = spark.createDataFrame([{ a: 1 }, { a: 2 }], { numPartitions: 2 });
    expectTypeOf(df.numPartitions()).toEqualTypeOf<number>();
    expect(df.numPartitions()).toBe(2);
    expect(df.repartition(5).numPartitions()).toBe(5);
  });
});

describe('enum-like params are string-literal unions', () => {
  it('accepts every listed value and rejects a typo at compile time and at run time', () => {
    expectTypeOf(new VectorAssembler().getHandleInvalid()).toEqualTypeOf<'skip' | 'error' | 'keep'>();
    expectTypeOf(new VectorSizeHint().getHandleInvalid()).toEqualTypeOf<'error' | 'skip' | 'optimistic'>();
    expectTypeOf(new OneHotEncoder().getHandleInvalid()).toEqualTypeOf<'keep' | 'error'>();
    expectTypeOf(new LinearRegression().getSolver()).toEqualTypeOf<'auto' | 'normal' | 'l-bfgs'>();
    expectTypeOf(new LinearRegression().getLoss()).toEqualTypeOf<'squaredError' | 'huber'>();
    expectTypeOf(new KMeans().getInitMode()).toEqualTypeOf<'random' | 'k-means||'>();
    expectTypeOf(new StringIndexer().getStringOrderType()).toEqualTypeOf<'frequencyDesc' | 'frequencyAsc' | 'alphabetDesc' | 'alphabetAsc'>();
    expectTypeOf(new RegressionEvaluator().getMetricName()).toEqualTypeOf<'mse' | 'rmse' | 'r2' | 'mae' | 'var'>();
    expectTypeOf(new BinaryClassificationEvaluator().getMetricName()).toEqualTypeOf<'areaUnderROC' | 'areaUnderPR'>();
    expectTypeOf(new ClusteringEvaluator().getDistanceMeasure()).toEqualTypeOf<'squaredEuclidean' | 'cosine'>();

    const typos: (() => unknown)[] = [
      // @ts-expect-error -- 'skp' is not a handleInvalid option
      () => new VectorAssembler({ handleInvalid: 'skp' }),
      // @ts-expect-error -- VectorSizeHint has 'optimistic', not 'keep'
      () => new VectorSizeHint({ handleInvalid: 'keep' }),
      // @ts-expect-error -- 'lbfgs' is spelt 'l-bfgs'
      () => new LinearRegression({ solver: 'lbfgs' }),
      // @ts-expect-error -- no such family
      () => new LogisticRegression({ family: 'binomal' }),
      // @ts-expect-error -- a regression impurity on a classifier
      () => new DecisionTreeClassifier({ impurity: 'variance' }),
      // @ts-expect-error -- GBTRegressor's losses are squared and absolute
      () => new GBTRegressor({ lossType: 'logistic' }),
      // @ts-expect-error -- not a strategy name nor a number
      () => new RandomForestRegressor({ featureSubsetStrategy: 'half' }),
      // @ts-expect-error -- 'kmeans||' is spelt 'k-means||'
      () => new KMeans({ initMode: 'kmeans||' }),
      // @ts-expect-error -- no such cold start strategy
      () => new ALS({ coldStartStrategy: 'zero' }),
      // @ts-expect-error -- not a storage level
      () => new ALS({ finalStorageLevel: 'MEMORY' }),
      // @ts-expect-error -- 'frequency' is not an order
      () => new StringIndexer({ stringOrderType: 'frequency' }),
      // @ts-expect-error -- 'auc' is not a regression metric
      () => new RegressionEvaluator({ metricName: 'auc' }),
      // @ts-expect-error -- 'f1score' is spelt 'f1'
      () => new MulticlassClassificationEvaluator().setMetricName('f1score'),
      // @ts-expect-error -- KMeans measures are euclidean and cosine
      () => new KMeans().setDistanceMeasure('manhattan'),
    ];
    for (const typo of typos) expect(typo).toThrow(/given invalid value/);
  });

  it('case-insensitive params take the usual spellings; numbers pass as feature subset strategies', () => {
    expect(new DecisionTreeClassifier({ impurity: 'GINI' }).getImpurity()).toBe('GINI');
    expect(new GBTClassifier({ lossType: 'Logistic' }).getLossType()).toBe('Logistic');
    expect(new LogisticRegression({ family: 'MULTINOMIAL' }).getFamily()).toBe('MULTINOMIAL');
    expect(new ALS({ coldStartStrategy: 'DROP' }).getColdStartStrategy()).toBe('DROP');
    expect(new RandomForestRegressor({ featureSubsetStrategy: '0.5' }).getFeatureSubsetStrategy()).toBe('0.5');
    expect(new RandomForestRegressor({ featureSubsetStrategy: 'sqrt' }).getFeatureSubsetStrategy()).toBe('sqrt');
  });
});

describe('the sync/async rule', () => {
  it('a value needing a pass over the data is an async method; a DataFrame-valued one a lazy property; fit results plain values', async () => {
    expectTypeOf<LinearRegressionSummary['r2']>().toEqualTypeOf<() => Promise<number>>();
    expectTypeOf<LinearRegressionSummary['coefficientStandardErrors']>().toEqualTypeOf<() => Promise<number[]>>();
    expectTypeOf<LogisticRegressionSummary['accuracy']>().toEqualTypeOf<() => Promise<number>>();
    expectTypeOf<BinaryLogisticRegressionSummary['areaUnderROC']>().toEqualTypeOf<() => Promise<number>>();
    expectTypeOf<BinaryLogisticRegressionSummary['roc']>().toEqualTypeOf<DataFrame>();
    expectTypeOf<LinearRegressionSummary['residuals']>().toEqualTypeOf<DataFrame>();
    const df = spark.createDataFrame([0, 1, 2, 3, 4, 5].map((x) => ({ features: Vectors.dense([x]), label: 2 * x + 1 })));
    const model = await new LinearRegression().fit(df);
    expectTypeOf(model.summary.objectiveHistory).toEqualTypeOf<number[]>();
    expectTypeOf(model.summary.totalIterations).toEqualTypeOf<number>();
    expect(typeof model.summary.totalIterations).toBe('number');
    expect(await model.summary.r2()).toBeCloseTo(1, 12);
  });

  it('show() takes Spark forms only', async () => {
    const df = spark.createDataFrame([{ a: 1 }]);
    // @ts-expect-error -- a string is not a row count
    await expect(df.show('5')).rejects.toThrow(/show: the number of rows must be an integer, got "5"/);
    // @ts-expect-error -- options are n, truncate and vertical
    await expect(df.show({ rows: 5 })).rejects.toThrow(/show: unknown option 'rows'/);
  });
});
