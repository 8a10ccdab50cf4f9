// Spark's RandomForestRegressor and RandomForestRegressionModel: trees grown together on Poisson
// bootstrap samples with per-node feature subsets ('auto' = onethird); the prediction is the mean
// of the trees' predictions.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import type { Vector } from '../linalg/vectors.js';
import { withParams } from '../pipeline/params-mixin.js';
import { constructWithUid, type ParamValues } from '../pipeline/params.js';
import { seed } from '../pipeline/shared-params.js';
import { Estimator } from '../pipeline/stage.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { loadEnsemble, metadataInt, saveEnsemble } from '../tree/persistence.js';
import { trainForest } from '../tree/forest.js';
import { dense, estimatorSchema, TreeModelCore, treeOptions } from '../tree/models.js';
import type { TreeNodes } from '../tree/nodes.js';
import { randomForestParams, regressionImpurity, treeParams, categoricalFeatures, QUIVER_ONLY_MODEL_PARAMS } from '../tree/params.js';
import type { EnsembleKind } from '../tree/predict.kernels.js';
import { DecisionTreeRegressionModel } from './decision-tree.js';

export const RANDOM_FOREST_REGRESSOR_PARAMS = {
  ...treeParams,
  ...randomForestParams,
  impurity: regressionImpurity,
  seed: seed('org.apache.spark.ml.regression.RandomForestRegressor'),
};

export class RandomForestRegressor extends withParams(Estimator<RandomForestRegressionModel>, { ...RANDOM_FOREST_REGRESSOR_PARAMS, categoricalFeatures }) {
  static readonly sparkClassName = 'org.apache.spark.ml.regression.RandomForestRegressor';
  static load(path: string, options?: LoadOptions): Promise<RandomForestRegressor> { return loadStage(RandomForestRegressor, path, options); }

  constructor(params?: ParamValues<RandomForestRegressor>) {
    super();
    if (params) this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    return estimatorSchema(this, schema, { classifier: false, numClasses: 0, ensembleTrees: this.getNumTrees() });
  }

  protected async fitImpl(df: DataFrame): Promise<RandomForestRegressionModel> {
    const fitted = await trainForest(df, {
      ...treeOptions(this), classification: false, impurity: 'variance',
      numTrees: this.getNumTrees(), featureSubsetStrategy: this.getFeatureSubsetStrategy(), bootstrap: this.getBootstrap(),
      subsamplingRate: this.getSubsamplingRate(),
    });
    return this.copyValues(new RandomForestRegressionModel(fitted.trees, fitted.numFeatures));
  }
}

export class RandomForestRegressionModel extends withParams(TreeModelCore, RANDOM_FOREST_REGRESSOR_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.regression.RandomForestRegressionModel';
  static load(path: string, options?: LoadOptions): Promise<RandomForestRegressionModel> { return loadStage(RandomForestRegressionModel, path, options); }
  #trees: DecisionTreeRegressionModel[] | null = null;

  /** With no arguments, an empty model for loaders to fill. */
  constructor(trees: TreeNodes[] = [], numFeatures = 0, params?: ParamValues<RandomForestRegressionModel>) {
    super(trees, null, numFeatures, 0);
    if (params) this.setParamsFromObject(params);
  }

  protected get ensembleKind(): EnsembleKind { return 'rfr'; }
  protected rebuild(): RandomForestRegressionModel { return new RandomForestRegressionModel([...this.treeList], this.numFeatures); }

  /** The trees, as models sharing this model's uid (Spark's trees; their parent is null). */
  get trees(): DecisionTreeRegressionModel[] {
    return (this.#trees ??= this.treeList.map((t) => constructWithUid(this.uid, () => new DecisionTreeRegressionModel(t, this.numFeatures))));
  }
  get treeWeights(): number[] { return Array.from(this.weightArray); }
  get totalNumNodes(): number { return this.treeList.reduce((s, t) => s + t.numNodes, 0); }

  /** The mean of the trees' predictions. */
  predict(features: Vector): number { return this.regress(features); }
  predictLeaf(features: Vector): Vector { return dense(this.leafIndices(features)); }

  override toString(): string {
    return `RandomForestRegressionModel: uid=${this.uid}, numTrees=${this.treeList.length}, numFeatures=${this.numFeatures}`;
  }

  get toDebugString(): string { return this.ensembleDebugString(this.toString()); }
}

registerStage(RandomForestRegressor);
registerStage(RandomForestRegressionModel, {
  extraMetadata: (m) => ({ numFeatures: m.numFeatures, numTrees: m.trees.length }),
  save: (m, out) => saveEnsemble(m.trees.map((t) => t.tree), m.treeWeights, m.trees, DecisionTreeRegressionModel.sparkClassName, out),
  async load(ctx) {
    const { trees } = await loadEnsemble(ctx, false);
    return ctx.construct(() => new RandomForestRegressionModel(trees, metadataInt(ctx, 'numFeatures')), QUIVER_ONLY_MODEL_PARAMS);
  },
});
