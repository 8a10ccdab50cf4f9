// Spark's DecisionTreeClassifier and DecisionTreeClassificationModel, on the shared histogram
// learner (src/tree/).
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import type { Vector } from '../linalg/vectors.js';
import { withParams } from '../pipeline/params-mixin.js';
import type { ParamValues } from '../pipeline/params.js';
import { seed } from '../pipeline/shared-params.js';
import { Estimator } from '../pipeline/stage.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { loadTree, metadataInt, saveTree } from '../tree/persistence.js';
import { numClassesFromMetadata } from '../tree/dataset.js';
import { trainForest } from '../tree/forest.js';
import { dense, estimatorSchema, TreeModelCore, treeOptions } from '../tree/models.js';
import type { Node, TreeNodes } from '../tree/nodes.js';
import { classificationImpurity, classifierParams, treeParams, categoricalFeatures, QUIVER_ONLY_MODEL_PARAMS } from '../tree/params.js';
import type { EnsembleKind } from '../tree/predict.kernels.js';

export const DECISION_TREE_CLASSIFIER_PARAMS = {
  ...treeParams,
  ...classifierParams,
  impurity: classificationImpurity,
  seed: seed('org.apache.spark.ml.classification.DecisionTreeClassifier'),
};

export class DecisionTreeClassifier extends withParams(Estimator<DecisionTreeClassificationModel>, { ...DECISION_TREE_CLASSIFIER_PARAMS, categoricalFeatures }) {
  static readonly sparkClassName = 'org.apache.spark.ml.classification.DecisionTreeClassifier';
  static load(path: string, options?: LoadOptions): Promise<DecisionTreeClassifier> { return loadStage(DecisionTreeClassifier, path, options); }

  constructor(params?: ParamValues<DecisionTreeClassifier>) {
    super();
    if (params) this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    return estimatorSchema(this, schema, { classifier: true, numClasses: numClassesFromMetadata(schema, this.getLabelCol()) || 2, ensembleTrees: 0 });
  }

  protected async fitImpl(df: DataFrame): Promise<DecisionTreeClassificationModel> {
    const fitted = await trainForest(df, {
      ...treeOptions(this), classification: true, impurity: this.getImpurity().toLowerCase() as 'gini' | 'entropy',
      numTrees: 1, featureSubsetStrategy: 'all', bootstrap: false, subsamplingRate: 1,
    });
    return this.copyValues(new DecisionTreeClassificationModel(fitted.trees[0], fitted.numFeatures, fitted.numClasses));
  }
}

export class DecisionTreeClassificationModel extends withParams(TreeModelCore, DECISION_TREE_CLASSIFIER_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.classification.DecisionTreeClassificationModel';
  static load(path: string, options?: LoadOptions): Promise<DecisionTreeClassificationModel> { return loadStage(DecisionTreeClassificationModel, path, options); }

  /** With no arguments, an empty model for loaders to fill. */
  constructor(tree?: TreeNodes, numFeatures = 0, numClasses = 0, params?: ParamValues<DecisionTreeClassificationModel>) {
    super(tree ? [tree] : [], null, numFeatures, numClasses);
    if (params) this.setParamsFromObject(params);
  }

  protected get ensembleKind(): EnsembleKind { return 'dtc'; }
  protected rebuild(): DecisionTreeClassificationModel { return new DecisionTreeClassificationModel(this.tree, this.numFeatures, this.numClasses); }

  get numClasses(): number { return this.classCount; }
  /** The tree as flat pre-order arrays. */
  get tree(): TreeNodes { return this.treeList[0]; }
  get rootNode(): Node { return this.tree.node(0); }
  get numNodes(): number { return this.tree.numNodes; }
  get depth(): number { return this.tree.depth; }

  predict(features: Vector): number { return this.classify(features); }
  /** The class weights of the leaf the row reaches. */
  predictRaw(features: Vector): Vector { return dense(this.rawOf(features)); }
  predictProbability(features: Vector): Vector { return dense(this.probabilityOf(features)); }
  /** The leaf's index among the leaves in pre-order. */
  predictLeaf(features: Vector): number { return this.leafIndices(features)[0]; }

  override toString(): string {
    return `DecisionTreeClassificationModel: uid=${this.uid}, depth=${this.depth}, numNodes=${this.numNodes}, numClasses=${this.numClasses}, numFeatures=${this.numFeatures}`;
  }

  get toDebugString(): string { return `${this.toString()}\n${this.tree.subtreeToString(2)}`; }
}

registerStage(DecisionTreeClassifier);
registerStage(DecisionTreeClassificationModel, {
  extraMetadata: (m) => ({ numFeatures: m.numFeatures, numClasses: m.numClasses }),
  save: (m, out) => saveTree(m.tree, out),
  async load(ctx) {
    const tree = await loadTree(ctx, true);
    return ctx.construct(() => new DecisionTreeClassificationModel(tree, metadataInt(ctx, 'numFeatures'), metadataInt(ctx, 'numClasses')), QUIVER_ONLY_MODEL_PARAMS);
  },
});
