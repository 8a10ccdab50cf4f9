// Spark's DecisionTreeRegressor and DecisionTreeRegressionModel, on the shared histogram learner.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import type { Vector } from '../linalg/vectors.js';
import { withParams } from '../pipeline/params-mixin.js';
import type { ParamValues } from '../pipeline/params.js';
import { seed } from '../pipeline/shared-params.js';
import { Estimator } from '../pipeline/stage.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { loadTree, metadataInt, saveTree } from '../tree/persistence.js';
import { trainForest } from '../tree/forest.js';
import { estimatorSchema, TreeModelCore, treeOptions } from '../tree/models.js';
import type { Node, TreeNodes } from '../tree/nodes.js';
import { regressionImpurity, treeParams, categoricalFeatures, QUIVER_ONLY_MODEL_PARAMS, varianceCol } from '../tree/params.js';
import { leafOf, type EnsembleKind } from '../tree/predict.kernels.js';

export const DECISION_TREE_REGRESSOR_PARAMS = {
  ...treeParams,
  varianceCol,
  impurity: regressionImpurity,
  seed: seed('org.apache.spark.ml.regression.DecisionTreeRegressor'),
};

export class DecisionTreeRegressor extends withParams(Estimator<DecisionTreeRegressionModel>, { ...DECISION_TREE_REGRESSOR_PARAMS, categoricalFeatures }) {
  static readonly sparkClassName = 'org.apache.spark.ml.regression.DecisionTreeRegressor';
  static load(path: string, options?: LoadOptions): Promise<DecisionTreeRegressor> { return loadStage(DecisionTreeRegressor, path, options); }

  constructor(params?: ParamValues<DecisionTreeRegressor>) {
    super();
    if (params) this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    return estimatorSchema(this, schema, { classifier: false, numClasses: 0, ensembleTrees: 0 });
  }

  protected async fitImpl(df: DataFrame): Promise<DecisionTreeRegressionModel> {
    const fitted = await trainForest(df, {
      ...treeOptions(this), classification: false, impurity: 'variance',
      numTrees: 1, featureSubsetStrategy: 'all', bootstrap: false, subsamplingRate: 1,
    });
    return this.copyValues(new DecisionTreeRegressionModel(fitted.trees[0], fitted.numFeatures));
  }
}

export class DecisionTreeRegressionModel extends withParams(TreeModelCore, DECISION_TREE_REGRESSOR_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.regression.DecisionTreeRegressionModel';
  static load(path: string, options?: LoadOptions): Promise<DecisionTreeRegressionModel> { return loadStage(DecisionTreeRegressionModel, path, options); }

  /** With no arguments, an empty model for loaders to fill. */
  constructor(tree?: TreeNodes, numFeatures = 0, params?: ParamValues<DecisionTreeRegressionModel>) {
    super(tree ? [tree] : [], null, numFeatures, 0);
    if (params) this.setParamsFromObject(params);
  }

  protected get ensembleKind(): EnsembleKind { return 'dtr'; }
  protected rebuild(): DecisionTreeRegressionModel { return new DecisionTreeRegressionModel(this.tree, this.numFeatures); }

  /** The tree as flat pre-order arrays. */
  get tree(): TreeNodes { return this.treeList[0]; }
  get rootNode(): Node { return this.tree.node(0); }
  get numNodes(): number { return this.tree.numNodes; }
  get depth(): number { return this.tree.depth; }

  predict(features: Vector): number { return this.regress(features); }
  /** The variance of the training labels in the leaf the row reaches (Spark's varianceCol). */
  predictVariance(features: Vector): number {
    const f = this.packed;
    if (features.size !== this.numFeatures) throw new Error(`${this.uid}.predictVariance: expected a features vector of size ${this.numFeatures} but got ${features.size}`);
    return f.impurity[leafOf(f, 0, features.toArray(), 0)];
  }
  predictLeaf(features: Vector): number { return this.leafIndices(features)[0]; }

  override toString(): string {
    return `DecisionTreeRegressionModel: uid=${this.uid}, depth=${this.depth}, numNodes=${this.numNodes}, numFeatures=${this.numFeatures}`;
  }

  get toDebugString(): string { return `${this.toString()}\n${this.tree.subtreeToString(2)}`; }
}

registerStage(DecisionTreeRegressor);
registerStage(DecisionTreeRegressionModel, {
  extraMetadata: (m) => ({ numFeatures: m.numFeatures }),
  save: (m, out) => saveTree(m.tree, out),
  async load(ctx) {
    const tree = await loadTree(ctx, false);
    return ctx.construct(() => new DecisionTreeRegressionModel(tree, metadataInt(ctx, 'numFeatures')), QUIVER_ONLY_MODEL_PARAMS);
  },
});
