/**
 * Pipeline and PipelineModel beside real Apache Spark: a fitted PipelineModel (feature stages and a
 * tree or a logistic regression) saved by Spark is loaded by Quiver, and the one Quiver fits and
 * saves is loaded by Spark's PipelineModel.load; both give the other's output columns on the same
 * raw rows. An unfitted Pipeline saved by either side is loaded by the other and fits the same
 * model (a decision tree, deterministic in both).
 */
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  DecisionTreeClassificationModel, DecisionTreeClassifier, load, LogisticRegression, Pipeline, PipelineModel,
  StandardScaler, StringIndexer, VectorAssembler, type DataFrame, type Row,
} from '../../src/index.js';
import { useSession } from '../helpers/sessions.js';
import { expectSameRows, expectSameTree, maxAbsDiff, measured, quiverTreeNodes, writeTable, type FlatNode, type Tolerance } from './data.js';
import { useSparkDriver } from './harness.js';

const { spark, scratch, fresh } = useSparkDriver();
const quiver = useSession('local[2]');
let tablePath = '';

beforeAll(async () => {
  tablePath = join(scratch(), 'table.parquet');
  await writeTable(quiver(), tablePath, 300, 14);
  // R: the raw table (no assembled features): the pipelines start from the columns.
  await spark().run(`R = spark.read.parquet(args['path']).cache()
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.feature import StringIndexer, VectorAssembler, StandardScaler
from pyspark.ml.classification import LogisticRegression, DecisionTreeClassifier`, { path: tablePath });
});

const raw = (): Promise<DataFrame> => quiver().read.parquet(tablePath);

// Spark's stages, Python (the same as quiverStages below).
const SPARK_STAGES = {
  lr: `[StringIndexer(inputCol='city', outputCol='cityIndex'), VectorAssembler(inputCols=['x1', 'x2', 'x3', 'x4', 'cityIndex'], outputCol='raw'),
        StandardScaler(inputCol='raw', outputCol='scaled', withMean=True), LogisticRegression(featuresCol='scaled', maxIter=100, regParam=0.01)]`,
  tree: `[StringIndexer(inputCol='city', outputCol='cityIndex'), VectorAssembler(inputCols=['x1', 'x2', 'x3', 'x4', 'cityIndex'], outputCol='raw'),
          DecisionTreeClassifier(featuresCol='raw', labelCol='label3', maxDepth=4, seed=3)]`,
};

// Scores of a loaded model: the same coefficients and trees, so as in models.test.ts: 1e-12 relative.
const SCORES: Tolerance = { rel: 1e-12, abs: 1e-15 };
const COLUMNS = ['cityIndex', 'raw', 'prediction', 'probability', 'rawPrediction'];

async function sparkRows(python: string): Promise<Row[]> {
  return spark().run<Row[]>(`${python}\nresult = rows(model.transform(R).select('id', *args['columns']).orderBy('id'))`, { columns: COLUMNS });
}

describe('PipelineModel', () => {
  for (const kind of ['lr', 'tree'] as const) {
    it(`${kind === 'lr' ? 'StringIndexer, VectorAssembler, StandardScaler, LogisticRegression' : 'StringIndexer, VectorAssembler, DecisionTreeClassifier'}: Spark saves → Quiver loads`, async () => {
      const path = fresh('spark-pipeline-model');
      const theirs = await sparkRows(`model = Pipeline(stages=${SPARK_STAGES[kind]}).fit(R)\nmodel.write().overwrite().save('${path}')`);
      for (const ours of [await PipelineModel.load(path), await load<PipelineModel>(path)]) {
        expect(ours).toBeInstanceOf(PipelineModel);
        expect(ours.stages.map((s) => s.constructor.name)).toEqual(
          kind === 'lr' ? ['StringIndexerModel', 'VectorAssembler', 'StandardScalerModel', 'LogisticRegressionModel']
            : ['StringIndexerModel', 'VectorAssembler', 'DecisionTreeClassificationModel']);
        const worst = expectSameRows(await ours.transform(await raw()).select('id', ...COLUMNS).collect(), theirs, 'id', COLUMNS, SCORES);
        measured('PipelineModel', `Spark saves, Quiver loads (${kind})`, worst);
      }
    });
  }

  it('Quiver fits and saves (tree and logistic regression inside) → Spark\'s PipelineModel.load gives the same predictions', async () => {
    for (const final of ['lr', 'tree'] as const) {
      const pipeline = new Pipeline({
        stages: [
          new StringIndexer({ inputCol: 'city', outputCol: 'cityIndex' }),
          new VectorAssembler({ inputCols: ['x1', 'x2', 'x3', 'x4', 'cityIndex'], outputCol: 'raw' }),
          ...(final === 'lr'
            ? [new StandardScaler({ inputCol: 'raw', outputCol: 'scaled', withMean: true }),
              new LogisticRegression({ featuresCol: 'scaled', maxIter: 100, regParam: 0.01 })]
            : [new DecisionTreeClassifier({ featuresCol: 'raw', labelCol: 'label3', maxDepth: 4, seed: 3 })]),
        ],
      });
      const ours = await pipeline.fit(await raw());
      const path = fresh('quiver-pipeline-model');
      await ours.save(path);
      const theirs = await sparkRows(`model = PipelineModel.load('${path}')`);
      const worst = expectSameRows(await ours.transform(await raw()).select('id', ...COLUMNS).collect(), theirs, 'id', COLUMNS, SCORES);
      measured('PipelineModel', `Quiver saves, Spark loads (${final})`, worst);
    }
  });
});

describe('Pipeline (unfitted)', () => {
  it('Spark saves → Quiver loads and fits the same tree; Quiver saves → Spark loads and fits the same tree', async () => {
    const sparkPath = fresh('spark-pipeline');
    const sparkTree = await spark().run<FlatNode[]>(`p = Pipeline(stages=${SPARK_STAGES.tree})
p.write().overwrite().save('${sparkPath}')
result = tree_nodes(p.fit(R).stages[-1])`);
    const loaded = await Pipeline.load(sparkPath);
    expect(loaded.getStages().map((s) => s.constructor.name)).toEqual(['StringIndexer', 'VectorAssembler', 'DecisionTreeClassifier']);
    const fitted = await loaded.fit(await raw());
    const ourTree = (fitted.stages[2] as DecisionTreeClassificationModel).rootNode;
    // maxBins 32 over 300 rows with a 4-valued cityIndex: the same candidate splits, the same tree.
    expectSameTree(quiverTreeNodes(ourTree), sparkTree, { rel: 1e-12, abs: 1e-12 }, 'tree of the pipeline Spark saved');

    const quiverPath = fresh('quiver-pipeline');
    await loaded.save(quiverPath);
    const again = await spark().run<FlatNode[]>(`result = tree_nodes(Pipeline.load('${quiverPath}').fit(R).stages[-1])`);
    expectSameTree(again, sparkTree, { rel: 0 }, 'tree of the pipeline Quiver saved, fitted by Spark');
    measured('Pipeline', `Spark saves → Quiver fits the same tree (${sparkTree.length} nodes; stats)`,
      maxAbsDiff(quiverTreeNodes(ourTree).flatMap((x) => x.stats), sparkTree.flatMap((x) => x.stats)));
  });
});
