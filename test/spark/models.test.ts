/**
 * Predictors beside real Apache Spark: LogisticRegression (binomial, multinomial), LinearRegression,
 * DecisionTree/RandomForest/GBT classifiers and regressors, KMeans. Spark saves → Quiver loads and
 * Quiver saves → Spark loads (the same output columns on the same rows), and the fits that are
 * deterministic in both (LinearRegression normal, LogisticRegression, DecisionTree).
 */
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  DecisionTreeClassificationModel, DecisionTreeClassifier, DecisionTreeRegressionModel, DecisionTreeRegressor,
  col, GBTClassificationModel, GBTClassifier, KMeans, KMeansModel, RegressionEvaluator, GBTRegressionModel, GBTRegressor, LinearRegression, LinearRegressionModel,
  LogisticRegression, LogisticRegressionModel, RandomForestClassificationModel, RandomForestClassifier,
  RandomForestRegressionModel, RandomForestRegressor, StringIndexer, VectorAssembler, type DataFrame, type DenseVector, type TreeNode,
} from '../../src/index.js';
import { useSession } from '../helpers/sessions.js';
import {
  expectClose, expectSameTree, FEATURES, readFeatureTable, maxAbsDiff, measured, quiverTreeNodes, writeTable, type FlatNode, type Tolerance,
} from './data.js';
import { exchanges } from './exchange.js';
import { useSparkDriver } from './harness.js';

const { spark, scratch, fresh } = useSparkDriver();
const quiver = useSession('local[2]');
let tablePath = '';

beforeAll(async () => {
  tablePath = join(scratch(), 'table.parquet');
  await writeTable(quiver(), tablePath, 300, 14);
  await spark().run(`T = table(args['path']).cache()
from pyspark.ml.feature import StringIndexer
from pyspark.ml.classification import *
from pyspark.ml.regression import *
from pyspark.ml.clustering import KMeans
T = StringIndexer(inputCol='city', outputCol='cityIndex').fit(T).transform(T).cache()`, { path: tablePath });
});

const table = (): Promise<DataFrame> => readFeatureTable(quiver(), tablePath);

const { sparkSavesQuiverLoads, quiverSavesSparkLoads } = exchanges(spark, fresh, table);

// A loaded model predicts with the same coefficients / trees / centers: predictions exact, and
// probabilities and raw predictions within 1e-12 relative (a dot product of 4 terms and a softmax,
// summed in another order than Spark's BLAS; the abs floor covers probabilities near 0).
const SCORES: Tolerance = { rel: 1e-12, abs: 1e-15 };
const CLASSIFIED = ['prediction', 'probability', 'rawPrediction'];

describe('LogisticRegression', () => {
  it('binomial, elastic net: Spark saves → Quiver loads, Quiver fits the same model, Quiver saves → Spark loads', async () => {
    const params = { maxIter: 200, tol: 1e-10, regParam: 0.01, elasticNetParam: 0.3, weightCol: 'w' };
    const fromSpark = await sparkSavesQuiverLoads(
      `stage = LogisticRegression(maxIter=200, tol=1e-10, regParam=0.01, elasticNetParam=0.3, weightCol='w').fit(T)`,
      LogisticRegressionModel, CLASSIFIED, SCORES);
    const ours = await new LogisticRegression(params).fit(await table());
    // Fit parity: both minimise the same strictly convex objective with OWL-QN to tol 1e-10 in the
    // loss; the optimum is unique but each stops at its own iterate, so coefficients agree to about
    // sqrt(tol) relative: 1e-5 relative (the bound), abs floor 1e-6 for near-zero ones.
    const fitTol: Tolerance = { rel: 1e-5, abs: 1e-6 };
    expectClose(ours.coefficients.toArray(), fromSpark.coefficients.toArray(), fitTol, 'coefficients');
    expectClose([ours.intercept], [fromSpark.intercept], fitTol, 'intercept');
    measured('LogisticRegression', 'fit parity binomial (coefficients, intercept)',
      Math.max(maxAbsDiff(ours.coefficients.toArray(), fromSpark.coefficients.toArray()), Math.abs(ours.intercept - fromSpark.intercept)));
    await quiverSavesSparkLoads(ours, CLASSIFIED, SCORES);
  });

  it('multinomial: Spark saves → Quiver loads, Quiver fits the same model, Quiver saves → Spark loads', async () => {
    const fromSpark = await sparkSavesQuiverLoads(
      `stage = LogisticRegression(family='multinomial', labelCol='label3', maxIter=300, tol=1e-10, regParam=0.02).fit(T)`,
      LogisticRegressionModel, CLASSIFIED, SCORES);
    const ours = await new LogisticRegression({ family: 'multinomial', labelCol: 'label3', maxIter: 300, tol: 1e-10, regParam: 0.02 }).fit(await table());
    const fitTol: Tolerance = { rel: 1e-5, abs: 1e-6 }; // as for binomial
    expectClose(ours.coefficientMatrix.values, fromSpark.coefficientMatrix.values, fitTol, 'coefficient matrix');
    expectClose(ours.interceptVector.toArray(), fromSpark.interceptVector.toArray(), fitTol, 'intercepts');
    measured('LogisticRegression', 'fit parity multinomial (coefficients, intercepts)',
      Math.max(maxAbsDiff(ours.coefficientMatrix.values, fromSpark.coefficientMatrix.values), maxAbsDiff(ours.interceptVector.toArray(), fromSpark.interceptVector.toArray())));
    await quiverSavesSparkLoads(ours, CLASSIFIED, SCORES);
  });
});

describe('LinearRegression', () => {
  it('normal solver, weights, ridge: Spark saves → Quiver loads, the same fit, Quiver saves → Spark loads', async () => {
    const fromSpark = await sparkSavesQuiverLoads(
      `stage = LinearRegression(labelCol='y', solver='normal', regParam=0.1, elasticNetParam=0.0, weightCol='w').fit(T)`,
      LinearRegressionModel, ['prediction'], SCORES);
    const ours = await new LinearRegression({ labelCol: 'y', solver: 'normal', regParam: 0.1, elasticNetParam: 0, weightCol: 'w' }).fit(await table());
    // Fit parity: the normal equations of the same weighted sums solved by Cholesky on both sides;
    // only the summation order of 300 rows differs, amplified by the condition number of the 4×4
    // Gram matrix (x4 is on a 100× scale): 1e-9 relative.
    expectClose(ours.coefficients.toArray(), fromSpark.coefficients.toArray(), { rel: 1e-9 }, 'coefficients');
    expectClose([ours.intercept], [fromSpark.intercept], { rel: 1e-9 }, 'intercept');
    measured('LinearRegression', 'fit parity normal (coefficients, intercept)',
      Math.max(maxAbsDiff(ours.coefficients.toArray(), fromSpark.coefficients.toArray()), Math.abs(ours.intercept - fromSpark.intercept)));
    await quiverSavesSparkLoads(ours, ['prediction'], SCORES);
  });
});

// Tree statistics are sums of the same weights in another order: 1e-12 relative.
const TREE: Tolerance = { rel: 1e-12, abs: 1e-12 };
// A tree Spark loads from Quiver's save holds the doubles Quiver wrote: exact.
const EXACT: Tolerance = { rel: 0 };

/** The tree (tree_nodes) of the model Spark loaded last (`loaded`, oracle.py). */
const sparkLoadedTree = (): Promise<FlatNode[]> => spark().run<FlatNode[]>(`result = tree_nodes(loaded)`);

// Seeds: PySpark's default seed is hash(class name), a 64-bit value (random per Python process);
// every Spark-saved tree model below carries it in defaultParamMap, the ensembles also as their
// seed, and Quiver loads it exactly (expectSameParamValues compares it digit for digit).
describe('DecisionTree', () => {
  it('classifier (maxBins 32, 300 rows: exact quantile splits): the same tree, loaded either way', async () => {
    const fromSpark = await sparkSavesQuiverLoads(
      `stage = DecisionTreeClassifier(maxDepth=4, maxBins=32, minInstancesPerNode=2, seed=7).fit(T)`,
      DecisionTreeClassificationModel, CLASSIFIED, SCORES);
    const nodes = await spark().run<FlatNode[]>(`result = tree_nodes(DecisionTreeClassifier(maxDepth=4, maxBins=32, minInstancesPerNode=2, seed=7).fit(T))`);
    const ours = await new DecisionTreeClassifier({ maxDepth: 4, maxBins: 32, minInstancesPerNode: 2, seed: 7 }).fit(await table());
    expectSameTree(quiverTreeNodes(ours.rootNode), nodes, TREE, 'classification tree');
    expectSameTree(quiverTreeNodes(fromSpark.rootNode), nodes, TREE, 'loaded classification tree');
    await quiverSavesSparkLoads(ours, CLASSIFIED, SCORES);
    expectSameTree(await sparkLoadedTree(), quiverTreeNodes(ours.rootNode), EXACT, 'classification tree Spark loaded');
    measured('DecisionTreeClassifier', `fit parity: same structure, ${nodes.length} nodes`, maxAbsDiff(quiverTreeNodes(ours.rootNode).flatMap((x) => x.stats), nodes.flatMap((x) => x.stats)));
  });

  it('regressor (weights): the same tree, loaded either way', async () => {
    const fromSpark = await sparkSavesQuiverLoads(
      `stage = DecisionTreeRegressor(labelCol='y', weightCol='w', maxDepth=4, maxBins=32, seed=7).fit(T)`,
      DecisionTreeRegressionModel, ['prediction'], SCORES);
    const nodes = await spark().run<FlatNode[]>(`result = tree_nodes(DecisionTreeRegressor(labelCol='y', weightCol='w', maxDepth=4, maxBins=32, seed=7).fit(T))`);
    const ours = await new DecisionTreeRegressor({ labelCol: 'y', weightCol: 'w', maxDepth: 4, maxBins: 32, seed: 7 }).fit(await table());
    expectSameTree(quiverTreeNodes(ours.rootNode), nodes, TREE, 'regression tree');
    expectSameTree(quiverTreeNodes(fromSpark.rootNode), nodes, TREE, 'loaded regression tree');
    await quiverSavesSparkLoads(ours, ['prediction'], SCORES);
    expectSameTree(await sparkLoadedTree(), quiverTreeNodes(ours.rootNode), EXACT, 'regression tree Spark loaded');
    measured('DecisionTreeRegressor', `fit parity: same structure, ${nodes.length} nodes`, maxAbsDiff(quiverTreeNodes(ours.rootNode).flatMap((x) => x.stats), nodes.flatMap((x) => x.stats)));
  });
});

describe('ensembles: Spark saves → Quiver loads', () => {
  const cases = [
    ['RandomForestClassifier', `RandomForestClassifier(numTrees=5, maxDepth=4).fit(T)`, RandomForestClassificationModel, CLASSIFIED],
    ['RandomForestRegressor', `RandomForestRegressor(labelCol='y', numTrees=5, maxDepth=4).fit(T)`, RandomForestRegressionModel, ['prediction']],
    ['GBTClassifier', `GBTClassifier(maxIter=5, maxDepth=3).fit(T)`, GBTClassificationModel, CLASSIFIED],
    // PySpark's default seed is random per process (it may happen to be a safe integer): one
    // 64-bit seed set explicitly, so that one case always has it in paramMap.
    ['GBTRegressor', `GBTRegressor(labelCol='y', maxIter=5, maxDepth=3, seed=-6494758227775224237).fit(T)`, GBTRegressionModel, ['prediction']],
  ] as const;
  for (const [name, python, cls, columns] of cases) {
    it(name, async () => {
      const ours = await sparkSavesQuiverLoads(`stage = ${python}`, cls as never, [...columns], SCORES) as unknown as { getSeed(): unknown };
      if (name === 'GBTRegressor') expect(ours.getSeed()).toBe(-6494758227775224237n); // exact, not rounded to a double
    });
  }
});

describe('ensembles: Quiver saves → Spark loads (same predictions, same trees node by node)', () => {
  type Ensemble = Parameters<ReturnType<typeof exchanges>['quiverSavesSparkLoads']>[0] & {
    trees: { rootNode: TreeNode }[]; treeWeights: number[];
  };
  const cases: [string, () => Promise<Ensemble>, string[]][] = [
    ['RandomForestClassifier', async () => new RandomForestClassifier({ numTrees: 5, maxDepth: 4, seed: 7 }).fit(await table()), CLASSIFIED],
    ['RandomForestRegressor', async () => new RandomForestRegressor({ labelCol: 'y', numTrees: 5, maxDepth: 4, seed: 7 }).fit(await table()), ['prediction']],
    ['GBTClassifier', async () => new GBTClassifier({ maxIter: 5, maxDepth: 3, seed: 7 }).fit(await table()), CLASSIFIED],
    // A 64-bit seed (as PySpark's defaults are) goes to Spark digit for digit.
    ['GBTRegressor', async () => new GBTRegressor({ labelCol: 'y', maxIter: 5, maxDepth: 3, seed: -6494758227775224237n }).fit(await table()), ['prediction']],
  ];
  for (const [name, fit, columns] of cases) {
    it(name, async () => {
      const ours = await fit();
      await quiverSavesSparkLoads(ours, columns, SCORES);
      const theirs = await spark().run<{ trees: FlatNode[][]; weights: number[] }>(`result = forest_nodes(loaded)`);
      expect(theirs.weights).toEqual(ours.treeWeights);
      expect(theirs.trees.length).toBe(ours.trees.length);
      ours.trees.forEach((tree, i) => expectSameTree(theirs.trees[i]!, quiverTreeNodes(tree.rootNode), EXACT, `${name} tree ${i} Spark loaded`));
    });
  }
});

describe('KMeans', () => {
  const centersOf = (m: KMeansModel): number[][] => m.clusterCenters().map((c) => Array.from(c.toArray()));

  it('Spark saves → Quiver loads (solver, maxBlockSizeInMB and all): the same centers and predictions', async () => {
    const fromSpark = await sparkSavesQuiverLoads(`stage = KMeans(k=3, seed=1, maxIter=30).fit(T)`, KMeansModel, ['prediction'], { rel: 0 });
    const centers = await spark().run<number[][]>(`result = [c.tolist() for c in stage.clusterCenters()]`);
    expect(centersOf(fromSpark)).toEqual(centers); // the doubles Spark wrote
  });

  it('Quiver saves → Spark loads: the same centers and predictions', async () => {
    const ours = await new KMeans({ k: 3, seed: 5, maxIter: 30 }).fit(await table());
    await quiverSavesSparkLoads(ours, ['prediction'], { rel: 0 });
    expect(await spark().run<number[][]>(`result = [c.tolist() for c in loaded.clusterCenters()]`)).toEqual(centersOf(ours));
  });

  // pyspark.ml's KMeans has no initial model; Spark's Lloyd iterations (which ml.KMeans runs, solver
  // 'row') are reachable with one through pyspark.mllib's KMeans.train(initialModel=...). Both start
  // from the features of rows 0, 1, 2 and stop when no center moves more than tol (or at maxIter).
  it('fit parity from the same initial centers (Spark\'s mllib KMeans.train with initialModel)', async () => {
    const df = await table();
    const first = (await df.orderBy('id').limit(3).select('features').collect()).map((r) => r.features as DenseVector);
    const ours = await new KMeans({ k: 3, maxIter: 50, tol: 1e-4 }).setInitialModel(new KMeansModel(first)).fit(df);
    // (Names in the driver are shared by the files: none of oracle.py's or driver.py's is reused.)
    const theirs = await spark().run<{ centers: number[][] }>(`
from pyspark.mllib.clustering import KMeans as MLlibKMeans, KMeansModel as MLlibKMeansModel
from pyspark.mllib.linalg import Vectors as MLlibVectors
km_points = T.orderBy('id').select('features').rdd.map(lambda r: MLlibVectors.fromML(r.features)).cache()
km_init = MLlibKMeansModel([MLlibVectors.fromML(r.features) for r in T.orderBy('id').limit(3).collect()])
km = MLlibKMeans.train(km_points, 3, maxIterations=50, epsilon=1e-4, initialModel=km_init)
result = {'centers': [c.tolist() for c in km.clusterCenters]}`);
    // The same assignments every iteration; only the order of the sums of 300 rows differs: 1e-12 relative.
    expectClose(centersOf(ours).flat(), theirs.centers.flat(), { rel: 1e-12 }, 'centers');
    expect(ours.summary.numIter, 'Lloyd iterations run (the parity is about them, not the start)').toBeGreaterThan(2);
    measured('KMeans', `fit parity from the same initial model (centers, ${ours.summary.numIter} iterations)`, maxAbsDiff(centersOf(ours).flat(), theirs.centers.flat()));
  });
});

describe('ensembles: fit parity', () => {
  // Without bootstrap, with every feature at every node and no subsampling, a forest has no
  // randomness left: each tree is the decision tree of the whole data, in both (exact splits, stats
  // within TREE).
  it('RandomForest with the randomness off (bootstrap false, all features): Spark\'s trees', async () => {
    for (const [name, python, fit] of [
      ['classifier', `RandomForestClassifier(numTrees=3, maxDepth=4, bootstrap=False, featureSubsetStrategy='all')`,
        async () => new RandomForestClassifier({ numTrees: 3, maxDepth: 4, bootstrap: false, featureSubsetStrategy: 'all' }).fit(await table())],
      ['regressor', `RandomForestRegressor(labelCol='y', weightCol='w', numTrees=3, maxDepth=4, bootstrap=False, featureSubsetStrategy='all')`,
        async () => new RandomForestRegressor({ labelCol: 'y', weightCol: 'w', numTrees: 3, maxDepth: 4, bootstrap: false, featureSubsetStrategy: 'all' }).fit(await table())],
    ] as const) {
      const theirs = await spark().run<{ trees: FlatNode[][]; weights: number[] }>(`result = forest_nodes(${python}.fit(T))`);
      const ours = await fit();
      expect(ours.treeWeights).toEqual(theirs.weights);
      ours.trees.forEach((tree, i) => expectSameTree(quiverTreeNodes(tree.rootNode), theirs.trees[i]!, TREE, `forest ${name} tree ${i}`));
      measured(`RandomForest${name === 'classifier' ? 'Classifier' : 'Regressor'}`, `fit parity without randomness: ${theirs.trees.length} trees of ${theirs.trees[0]!.length} nodes (stats)`,
        maxAbsDiff(ours.trees.flatMap((t) => quiverTreeNodes(t.rootNode).flatMap((x) => x.stats)), theirs.trees.flat().flatMap((x) => x.stats)));
    }
  });

  // Quiver's GBT departs from Spark on purpose in its first round (src/tree/gbt.ts): a single leaf at
  // the best constant with weight 1, where Spark grows a full tree on the labels. The test checks
  // that difference (Quiver's tree 0, closed form), the weights (the same in both), and compares the
  // held-out error of the two fits (train on id < 200, score id >= 200), which it reports.
  it('GBTRegressor: the documented first round, Spark\'s tree weights, held-out RMSE of both', async () => {
    const python = `GBTRegressor(labelCol='y', maxIter=20, maxDepth=3, stepSize=0.1)`;
    const theirs = await spark().run<{ weights: number[]; rmse: number }>(`gm = ${python}.fit(T.filter('id < 200'))
from pyspark.ml.evaluation import RegressionEvaluator
result = {'weights': list(gm.treeWeights), 'rmse': RegressionEvaluator(labelCol='y').evaluate(gm.transform(T.filter('id >= 200')))}`);
    const df = await table();
    const ours = await new GBTRegressor({ labelCol: 'y', maxIter: 20, maxDepth: 3, stepSize: 0.1 }).fit(df.filter(col('id').lt(200)));
    expect(ours.treeWeights).toEqual(theirs.weights);
    const first = quiverTreeNodes(ours.trees[0]!.rootNode);
    const train = await df.filter(col('id').lt(200)).select('y').collect();
    const meanY = train.reduce((a, r) => a + (r.y as number), 0) / train.length;
    expect(first.length, 'Quiver\'s first GBT tree is one leaf').toBe(1);
    expectClose([first[0]!.prediction], [meanY], { rel: 1e-12 }, 'first leaf = mean label');
    const ourRmse = await new RegressionEvaluator({ labelCol: 'y' }).evaluate(ours.transform(df.filter(col('id').ge(200))));
    // 20 rounds of step 0.1 leave both short of the noise floor (sd 0.3); Spark's full first tree
    // puts it ahead of Quiver's constant start (measured: 0.867 vs 0.911). Asserted: within 25 %.
    expect(Math.abs(ourRmse - theirs.rmse) / theirs.rmse, `held-out RMSE quiver ${ourRmse} spark ${theirs.rmse}`).toBeLessThan(0.25);
    measured('GBTRegressor', `held-out RMSE (100 rows) quiver ${ourRmse.toFixed(4)} spark ${theirs.rmse.toFixed(4)}`, Math.abs(ourRmse - theirs.rmse));
  });
});
