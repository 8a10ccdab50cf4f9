// Spark's GBTRegressor and GBTRegressionModel (squared or absolute loss).
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import type { Vector } from '../linalg/vectors.js';
import { withParams } from '../pipeline/params-mixin.js';
import { constructWithUid, type ParamValues } from '../pipeline/params.js';
import { optionalColumn, seed } from '../pipeline/shared-params.js';
import { Estimator } from '../pipeline/stage.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { loadEnsemble, metadataInt, saveEnsemble } from '../tree/persistence.js';
import { evaluateEachIteration, trainGBT } from '../tree/gbt.js';
import { dense, estimatorSchema, TreeModelCore, treeOptions } from '../tree/models.js';
import type { TreeNodes } from '../tree/nodes.js';
import { gbtParams, lossType, treeParams, categoricalFeatures, QUIVER_ONLY_MODEL_PARAMS } from '../tree/params.js';
import type { EnsembleKind } from '../tree/predict.kernels.js';
import { DecisionTreeRegressionModel } from './decision-tree.js';

export const GBT_REGRESSOR_PARAMS = {
  ...treeParams,
  ...gbtParams,
  lossType: lossType(['squared', 'absolute'], 'squared'),
  seed: seed('org.apache.spark.ml.regression.GBTRegressor'),
};

export class GBTRegressor extends withParams(Estimator<GBTRegressionModel>, { ...GBT_REGRESSOR_PARAMS, categoricalFeatures }) {
  static readonly sparkClassName = 'org.apache.spark.ml.regression.GBTRegressor';
  static load(path: string, options?: LoadOptions): Promise<GBTRegressor> { return loadStage(GBTRegressor, path, options); }

  constructor(params?: ParamValues<GBTRegressor>) {
    super();
    if (params) this.setParamsFromObject(params);
  }

  transformSchema(schema: StructType): StructType {
    return estimatorSchema(this, schema, { classifier: false, numClasses: 0, ensembleTrees: this.getMaxIter() }, true);
  }

  protected async fitImpl(df: DataFrame): Promise<GBTRegressionModel> {
    const fitted = await trainGBT(df, {
      ...treeOptions(this), classification: false, lossType: this.getLossType().toLowerCase() as 'squared' | 'absolute',
      maxIter: this.getMaxIter(), stepSize: this.getStepSize(), subsamplingRate: this.getSubsamplingRate(),
      featureSubsetStrategy: this.getFeatureSubsetStrategy(), validationIndicatorCol: optionalColumn(this, this.validationIndicatorCol),
      validationTol: this.getValidationTol(),
    });
    return this.copyValues(new GBTRegressionModel(fitted.trees, fitted.weights, fitted.numFeatures));
  }
}

export class GBTRegressionModel extends withParams(TreeModelCore, GBT_REGRESSOR_PARAMS) {
  static readonly sparkClassName = 'org.apache.spark.ml.regression.GBTRegressionModel';
  static load(path: string, options?: LoadOptions): Promise<GBTRegressionModel> { return loadStage(GBTRegressionModel, path, options); }
  #trees: DecisionTreeRegressionModel[] | null = null;

  /** With no arguments, an empty model for loaders to fill. */
  constructor(trees: TreeNodes[] = [], treeWeights: ArrayLike<number> | null = null, numFeatures = 0, params?: ParamValues<GBTRegressionModel>) {
    super(trees, treeWeights, numFeatures, 0);
    if (params) this.setParamsFromObject(params);
  }

  protected get ensembleKind(): EnsembleKind { return 'gbtr'; }
  protected rebuild(): GBTRegressionModel { return new GBTRegressionModel([...this.treeList], this.weightArray, this.numFeatures); }

  /** The trees, as models sharing this model's uid. */
  get trees(): DecisionTreeRegressionModel[] {
    return (this.#trees ??= this.treeList.map((t) => constructWithUid(this.uid, () => new DecisionTreeRegressionModel(t, this.numFeatures))));
  }
  get treeWeights(): number[] { return Array.from(this.weightArray); }
  getNumTrees(): number { return this.treeList.length; }
  get totalNumNodes(): number { return this.treeList.reduce((s, t) => s + t.numNodes, 0); }

  /** Σ weight × tree prediction. */
  predict(features: Vector): number { return this.regress(features); }
  predictLeaf(features: Vector): Vector { return dense(this.leafIndices(features)); }

  /** The loss (squared or absolute error) after each tree, on `df`. */
  evaluateEachIteration(df: DataFrame): Promise<number[]> {
    return evaluateEachIteration(df, this.packed, {
      featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), weightCol: optionalColumn(this, this.weightCol),
      loss: this.getLossType().toLowerCase() as 'squared' | 'absolute',
    });
  }

  override toString(): string {
    return `GBTRegressionModel: uid=${this.uid}, numTrees=${this.treeList.length}, numFeatures=${this.numFeatures}`;
  }

  get toDebugString(): string { return this.ensembleDebugString(this.toString()); }
}

registerStage(GBTRegressor);
registerStage(GBTRegressionModel, {
  extraMetadata: (m) => ({ numFeatures: m.numFeatures, numTrees: m.getNumTrees() }),
  save: (m, out) => saveEnsemble(m.trees.map((t) => t.tree), m.treeWeights, m.trees, DecisionTreeRegressionModel.sparkClassName, out),
  async load(ctx) {
    const { trees, weights } = await loadEnsemble(ctx, false);
    return ctx.construct(() => new GBTRegressionModel(trees, weights, metadataInt(ctx, 'numFeatures')), QUIVER_ONLY_MODEL_PARAMS);
  },
});
