// Spark's RandomForestClassifier and RandomForestClassificationModel: trees grown together on
// Poisson bootstrap samples with per-node feature subsets; soft voting over per-tree class
// distributions.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import type { Vector } from '../linalg/vectors.js';
import { withParams } from '../pipeline/params-mixin.js';
import { constructWithUid, type ParamValues } from '../pipeline/params.js';
import { seed } from '../pipeline/shared-params.js';
import { Estimator } from '../pipeline/stage.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { loadEnsemble, metadataInt, saveEnsemble } from '../tree/persistence.js';
import { numClassesFromMetadata } from '../tree/dataset.js';
import { trainForest } from '../tree/forest.js';
import { dense, estimatorSchema, TreeModelCore, treeOptions } from '../tree/models.js';
import type { TreeNodes } from '../tree/nodes.js';
import { classificationImpurity, classifierParams, randomForestParams, treeParams, categoricalFeatures, QUIVER_ONLY_MODEL_PARAMS } from '../tree/params.js';
import type { EnsembleKind } from '../tree/predict.kernels.js';
import { DecisionTreeClassificationModel } from './decision-tree.js';

export const RANDOM_FOREST_CLASSIFIER_PARAMS = {
  ...treeParams,
  ...classifierParams,
  ...randomForestParams,
  impurity: classificationImpurity,
  seed: seed('org.apache.spark.ml.classification.RandomForestClassifier'),
};

export class RandomForestClassifier extends withParams(Estimator<RandomForestClassificationModel>, { ...RANDOM_FOREST_CLASSIFIER_PARAMS, categoricalFeatures }) {
  static readonly sparkClassName = 'org.apache.spark.ml.classification.RandomForestClassifier';
  static load(path: string, options?: LoadOptions): Promise<RandomForestClassifier> { return loadStage(RandomForestClassifier, path, options); }

  constructor(params?: ParamValues<RandomForestClassifier>) {
    super();
    if (params) this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    return estimatorSchema(this, schema, { classifier: true, numClasses: numClassesFromMetadata(schema, this.getLabelCol()) || 2, ensembleTrees: this.getNumTrees() });
  }

  protected async fitImpl(df: DataFrame): Promise<RandomForestClassificationModel> {
    const fitted = await trainForest(df, {
      ...treeOptions(this), classification: true, impurity: this.getImpurity().toLowerCase() as 'gini' | 'entropy',
      numTrees: this.getNumTrees(), featureSubsetStrategy: this.getFeatureSubsetStrategy(), bootstrap: this.getBootstrap(),
      subsamplingRate: this.getSubsamplingRate(),
    });
    return this.copyValues(new RandomForestClassificationModel(fitted.trees, fitted.numFeatures, fitted.numClasses));
  }
}

export class RandomForestClassificationModel extends withParams(TreeModelCore, RANDOM_FOREST_CLASSIFIER_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.classification.RandomForestClassificationModel';
  static load(path: string, options?: LoadOptions): Promise<RandomForestClassificationModel> { return loadStage(RandomForestClassificationModel, path, options); }
  #trees: DecisionTreeClassificationModel[] | null = null;

  /** With no arguments, an empty model for loaders to fill. */
  constructor(trees: TreeNodes[] = [], numFeatures = 0, numClasses = 0, params?: ParamValues<RandomForestClassificationModel>) {
    super(trees, null, numFeatures, numClasses);
    if (params) this.setParamsFromObject(params);
  }

  protected get ensembleKind(): EnsembleKind { return 'rfc'; }
  protected rebuild(): RandomForestClassificationModel { return new RandomForestClassificationModel([...this.treeList], this.numFeatures, this.numClasses); }

  get numClasses(): number { return this.classCount; }
  /** The trees, as models sharing this model's uid (Spark's trees; their parent is null). */
  get trees(): DecisionTreeClassificationModel[] {
    return (this.#trees ??= this.treeList.map((t) => constructWithUid(this.uid, () => new DecisionTreeClassificationModel(t, this.numFeatures, this.numClasses))));
  }
  get treeWeights(): number[] { return Array.from(this.weightArray); }
  get totalNumNodes(): number { return this.treeList.reduce((s, t) => s + t.numNodes, 0); }

  predict(features: Vector): number { return this.classify(features); }
  /** Σ over trees of each tree's normalised class distribution at the row's leaf (soft voting). */
  predictRaw(features: Vector): Vector { return dense(this.rawOf(features)); }
  predictProbability(features: Vector): Vector { return dense(this.probabilityOf(features)); }
  predictLeaf(features: Vector): Vector { return dense(this.leafIndices(features)); }

  override toString(): string {
    return `RandomForestClassificationModel: uid=${this.uid}, numTrees=${this.treeList.length}, numClasses=${this.numClasses}, numFeatures=${this.numFeatures}`;
  }

  get toDebugString(): string { return this.ensembleDebugString(this.toString()); }
}

registerStage(RandomForestClassifier);
registerStage(RandomForestClassificationModel, {
  extraMetadata: (m) => ({ numFeatures: m.numFeatures, numClasses: m.numClasses, numTrees: m.trees.length }),
  save: (m, out) => saveEnsemble(m.trees.map((t) => t.tree), m.treeWeights, m.trees, DecisionTreeClassificationModel.sparkClassName, out),
  async load(ctx) {
    const { trees } = await loadEnsemble(ctx, true);
    return ctx.construct(() => new RandomForestClassificationModel(trees, metadataInt(ctx, 'numFeatures'), metadataInt(ctx, 'numClasses')), QUIVER_ONLY_MODEL_PARAMS);
  },
});
