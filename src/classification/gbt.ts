// Spark's GBTClassifier and GBTClassificationModel: logistic loss for two classes (Spark's LogLoss
// units), and, beyond Spark, the softmax loss with one tree per class per round for more classes.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import type { Vector } from '../linalg/vectors.js';
import { withParams } from '../pipeline/params-mixin.js';
import { constructWithUid, type ParamValues } from '../pipeline/params.js';
import { optionalColumn, seed } from '../pipeline/shared-params.js';
import { Estimator } from '../pipeline/stage.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { loadEnsemble, metadataInt, saveEnsemble } from '../tree/persistence.js';
import { numClassesFromMetadata } from '../tree/dataset.js';
import { evaluateEachIteration, trainGBT } from '../tree/gbt.js';
import { dense, estimatorSchema, TreeModelCore, treeOptions } from '../tree/models.js';
import type { TreeNodes } from '../tree/nodes.js';
import { classifierParams, gbtParams, lossType, treeParams, categoricalFeatures, QUIVER_ONLY_MODEL_PARAMS } from '../tree/params.js';
import type { EnsembleKind } from '../tree/predict.kernels.js';
import { DecisionTreeRegressionModel } from '../regression/decision-tree.js';

export const GBT_CLASSIFIER_PARAMS = {
  ...treeParams,
  ...classifierParams,
  ...gbtParams,
  lossType: lossType(['logistic'], 'logistic'),
  seed: seed('org.apache.spark.ml.classification.GBTClassifier'),
};

export class GBTClassifier extends withParams(Estimator<GBTClassificationModel>, { ...GBT_CLASSIFIER_PARAMS, categoricalFeatures }) {
  static readonly sparkClassName = 'org.apache.spark.ml.classification.GBTClassifier';
  static load(path: string, options?: LoadOptions): Promise<GBTClassifier> { return loadStage(GBTClassifier, path, options); }

  constructor(params?: ParamValues<GBTClassifier>) {
    super();
    if (params) this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    const k = Math.max(2, numClassesFromMetadata(schema, this.getLabelCol()));
    return estimatorSchema(this, schema, { classifier: true, numClasses: k, ensembleTrees: this.getMaxIter() * (k > 2 ? k : 1) }, true);
  }

  protected async fitImpl(df: DataFrame): Promise<GBTClassificationModel> {
    const fitted = await trainGBT(df, {
      ...treeOptions(this), classification: true, lossType: 'logistic', maxIter: this.getMaxIter(), stepSize: this.getStepSize(),
      subsamplingRate: this.getSubsamplingRate(), featureSubsetStrategy: this.getFeatureSubsetStrategy(),
      validationIndicatorCol: optionalColumn(this, this.validationIndicatorCol), validationTol: this.getValidationTol(),
    });
    return this.copyValues(new GBTClassificationModel(fitted.trees, fitted.weights, fitted.numFeatures, fitted.numClasses));
  }
}

export class GBTClassificationModel extends withParams(TreeModelCore, GBT_CLASSIFIER_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.classification.GBTClassificationModel';
  static load(path: string, options?: LoadOptions): Promise<GBTClassificationModel> { return loadStage(GBTClassificationModel, path, options); }
  #trees: DecisionTreeRegressionModel[] | null = null;

  /** With no arguments, an empty model for loaders to fill. */
  constructor(trees: TreeNodes[] = [], treeWeights: ArrayLike<number> | null = null, numFeatures = 0, numClasses = 2, params?: ParamValues<GBTClassificationModel>) {
    super(trees, treeWeights, numFeatures, numClasses);
    if (params) this.setParamsFromObject(params);
  }

  protected get ensembleKind(): EnsembleKind { return 'gbtc'; }
  protected rebuild(): GBTClassificationModel { return new GBTClassificationModel([...this.treeList], this.weightArray, this.numFeatures, this.numClasses); }

  get numClasses(): number { return this.classCount; }
  /** The trees (regression trees on gradients), as models sharing this model's uid. */
  get trees(): DecisionTreeRegressionModel[] {
    return (this.#trees ??= this.treeList.map((t) => constructWithUid(this.uid, () => new DecisionTreeRegressionModel(t, this.numFeatures))));
  }
  get treeWeights(): number[] { return Array.from(this.weightArray); }
  getNumTrees(): number { return this.treeList.length; }
  get totalNumNodes(): number { return this.treeList.reduce((s, t) => s + t.numNodes, 0); }

  predict(features: Vector): number { return this.classify(features); }
  /** [-F, F] for two classes (F = Σ weight × tree), one margin per class otherwise. */
  predictRaw(features: Vector): Vector { return dense(this.rawOf(features)); }
  predictProbability(features: Vector): Vector { return dense(this.probabilityOf(features)); }
  predictLeaf(features: Vector): Vector { return dense(this.leafIndices(features)); }

  /** The loss (Spark's LogLoss, or softmax cross-entropy) after each tree, on `df`. */
  evaluateEachIteration(df: DataFrame): Promise<number[]> {
    return evaluateEachIteration(df, this.packed, {
      featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), weightCol: optionalColumn(this, this.weightCol),
      loss: this.numClasses > 2 ? 'softmax' : 'logistic',
    });
  }

  override toString(): string {
    return `GBTClassificationModel: uid = ${this.uid}, numTrees=${this.treeList.length}, numClasses=${this.numClasses}, numFeatures=${this.numFeatures}`;
  }

  get toDebugString(): string { return this.ensembleDebugString(this.toString()); }
}

registerStage(GBTClassifier);
// Spark's layout; numClasses is an addition (Spark's GBTs are binary), read as 2 when absent.
registerStage(GBTClassificationModel, {
  extraMetadata: (m) => ({ numFeatures: m.numFeatures, numTrees: m.getNumTrees(), numClasses: m.numClasses }),
  save: (m, out) => saveEnsemble(m.trees.map((t) => t.tree), m.treeWeights, m.trees, DecisionTreeRegressionModel.sparkClassName, out),
  async load(ctx) {
    const { trees, weights } = await loadEnsemble(ctx, false);
    return ctx.construct(() => new GBTClassificationModel(trees, weights, metadataInt(ctx, 'numFeatures'), metadataInt(ctx, 'numClasses', 2)), QUIVER_ONLY_MODEL_PARAMS);
  },
});
