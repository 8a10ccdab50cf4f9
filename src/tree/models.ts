// What every tree model and estimator shares: schema checks, the output columns (Spark's order:
// rawPrediction, probability, prediction, variance, leaf), transform through the scoring mapper,
// single-row predict on the same packed arrays, feature importances, toDebugString.
import type { DataFrame } from '../dataframe/dataframe.js';
import { denseVectorType, type StructField, type StructType } from '../dataframe/types.js';
import type { Broadcast } from '../engine/broadcast.js';
import { requireAbsent, requireNumericColumn, requireVectorColumn } from '../feature/shared.js';
import { DenseVector, SparseVector, type Vector } from '../linalg/vectors.js';
import { formatDouble } from '../linalg/format.js';
import type { Long, Param } from '../pipeline/param.js';
import type { Params } from '../pipeline/params.js';
import { ParamMap } from '../pipeline/params-map.js';
import { constructWithUid } from '../pipeline/params.js';
import { Model } from '../pipeline/stage.js';
import { optionalColumn, seedNumber } from '../pipeline/shared-params.js';
import type { RowStep } from '../pipeline/row-scorer.js';
import { featureImportances, type TreeNodes } from './nodes.js';
import {
  classifyInto, classOf, leafOf, packForest, probabilityInPlace, rawInto, regressionOf, TREE_PREDICT,
  type EnsembleKind, type PackedForest, type PredictParams,
} from './predict.kernels.js';

function str(stage: Params, name: string): string {
  return stage.hasParam(name) ? stage.getOrDefault(stage.getParam(name) as Param<string>) : '';
}

/** Spark's Predictor.validateAndTransformSchema for the training columns. */
export function validateTrainingSchema(stage: Params, schema: StructType, extra: { validation?: boolean } = {}): void {
  requireVectorColumn(schema, str(stage, 'featuresCol'));
  requireNumericColumn(schema, str(stage, 'labelCol'));
  const weight = optionalColumn(stage, stage.getParam('weightCol') as Param<string>);
  if (weight !== undefined) requireNumericColumn(schema, weight);
  if (extra.validation) {
    const v = optionalColumn(stage, stage.getParam('validationIndicatorCol') as Param<string>);
    if (v !== undefined) {
      const t = schema.field(v).type;
      if (t.kind !== 'boolean') throw new Error(`Column ${v} must be of type boolean but was actually of type ${t.kind}.`);
    }
  }
}

export interface OutputShape {
  classifier: boolean;
  numClasses: number;
  /** Number of trees for an ensemble's leaf vector; 0 for a single tree (leaf index as a double). */
  ensembleTrees: number;
}

/** Output fields for the stage's non-empty output column params, after checking they are free. */
export function outputFields(stage: Params, schema: StructType, shape: OutputShape): StructField[] {
  const fields: StructField[] = [];
  const add = (name: string, type: StructField['type']) => {
    if (!name) return;
    requireAbsent(schema, name);
    fields.push({ name, type, nullable: false });
  };
  const K = Math.max(shape.numClasses, 1);
  if (shape.classifier) {
    add(str(stage, 'rawPredictionCol'), denseVectorType(K));
    add(str(stage, 'probabilityCol'), denseVectorType(K));
  }
  add(str(stage, 'predictionCol'), { kind: 'double' });
  if (!shape.classifier && stage.hasParam('varianceCol')) add(optionalColumn(stage, stage.getParam('varianceCol') as Param<string>) ?? '', { kind: 'double' });
  add(str(stage, 'leafCol'), shape.ensembleTrees > 0 ? denseVectorType(shape.ensembleTrees) : { kind: 'double' });
  return fields;
}

/** Row values of a vector as a dense array (the model's own size checked). */
function valuesOf(features: Vector, d: number, what: string): Float64Array {
  if (features.size !== d) throw new Error(`${what}: expected a features vector of size ${d} but got ${features.size}`);
  return features instanceof DenseVector ? features.values : features.toArray();
}

/**
 * A fitted tree model: trees as flat arrays, their weights, and the number of features and
 * classes. Subclasses add their params (withParams) and name the way trees combine.
 */
export abstract class TreeModelCore extends Model {
  #trees: TreeNodes[];
  #weights: Float64Array;
  #numFeatures: number;
  #numClasses: number;
  #packed: PackedForest | null = null;
  #broadcasts = new WeakMap<object, Broadcast<PackedForest>>();

  constructor(trees: TreeNodes[] = [], weights: ArrayLike<number> | null = null, numFeatures = 0, numClasses = 0) {
    super();
    this.#trees = trees;
    this.#weights = weights ? Float64Array.from(weights) : new Float64Array(trees.length).fill(1);
    this.#numFeatures = numFeatures;
    this.#numClasses = numClasses;
  }

  /** How the trees' outputs combine. */
  protected abstract get ensembleKind(): EnsembleKind;
  /** A model of the same class over the same trees (for copy). */
  protected abstract rebuild(): TreeModelCore;

  get numFeatures(): number { return this.#numFeatures; }
  protected get treeList(): readonly TreeNodes[] { return this.#trees; }
  protected get weightArray(): Float64Array { return this.#weights; }
  protected get classCount(): number { return this.#numClasses; }

  protected get isClassifier(): boolean { return this.ensembleKind === 'dtc' || this.ensembleKind === 'rfc' || this.ensembleKind === 'gbtc'; }
  protected get isEnsemble(): boolean { return this.ensembleKind !== 'dtc' && this.ensembleKind !== 'dtr'; }

  /** The trees packed for scoring (built once). */
  protected get packed(): PackedForest {
    return (this.#packed ??= packForest(this.ensembleKind, this.#trees, this.#weights, this.#numClasses, this.#numFeatures));
  }

  transformSchema(schema: StructType): StructType {
    requireVectorColumn(schema, str(this, 'featuresCol'));
    const fields = outputFields(this, schema, { classifier: this.isClassifier, numClasses: this.#numClasses, ensembleTrees: this.isEnsemble ? this.#trees.length : 0 });
    let out = schema;
    for (const f of fields) out = out.add(f);
    return out;
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const fields = outputFields(this, df.schema, { classifier: this.isClassifier, numClasses: this.#numClasses, ensembleTrees: this.isEnsemble ? this.#trees.length : 0 });
    if (fields.length === 0) return df;
    const engine = df.engine;
    let b = this.#broadcasts.get(engine);
    if (!b) { b = engine.broadcast(this.packed); this.#broadcasts.set(engine, b); }
    return df.withMappedColumns(TREE_PREDICT, { forest: b.ref, ...this.predictOutputs(df.schema) }, fields);
  }

  /** What transform computes for an input schema: which columns, the thresholds. */
  private predictOutputs(schema: StructType): Omit<PredictParams, 'forest'> {
    const type = schema.field(str(this, 'featuresCol')).type;
    const thresholds = this.hasParam('thresholds') && this.isDefined(this.getParam('thresholds')) ? [...this.getOrDefault(this.getParam('thresholds') as Param<readonly number[]>)] : null;
    const varianceCol = this.hasParam('varianceCol') ? optionalColumn(this, this.getParam('varianceCol') as Param<string>) : undefined;
    if (thresholds && thresholds.length !== this.#numClasses) {
      throw new Error(`${this.uid}: thresholds has length ${thresholds.length} but the model has ${this.#numClasses} classes`);
    }
    return {
      features: str(this, 'featuresCol'), featureKind: type.kind === 'vector' ? type.encoding : 'dense',
      raw: this.isClassifier && !!str(this, 'rawPredictionCol'), probability: this.isClassifier && !!str(this, 'probabilityCol'),
      prediction: !!str(this, 'predictionCol'), leaf: !!str(this, 'leafCol'), variance: !this.isClassifier && !!varianceCol,
      thresholds,
    };
  }

  /**
   * One row at a time (PipelineModel.rowScorer): the columns transform adds, from the same
   * functions, into buffers compiled once (a row's vectors are reused by the next row).
   */
  compileRow(schema: StructType): RowStep {
    this.transformSchema(schema);
    const p = this.predictOutputs(schema);
    const f = this.packed, K = f.numClasses, T = f.numTrees, d = f.numFeatures;
    const classifier = this.isClassifier;
    const raw = p.raw ? new Float64Array(K) : null, prob = p.probability ? new Float64Array(K) : null;
    const rawVector = raw && new DenseVector(raw), probVector = prob && new DenseVector(prob);
    const leaves = p.leaf && this.isEnsemble ? new Float64Array(T) : null, leafVector = leaves && new DenseVector(leaves);
    const tmp = new Float64Array(K), dense = new Float64Array(d);
    const cols = {
      raw: str(this, 'rawPredictionCol'), probability: str(this, 'probabilityCol'), prediction: str(this, 'predictionCol'), leaf: str(this, 'leafCol'),
      variance: this.hasParam('varianceCol') ? optionalColumn(this, this.getParam('varianceCol') as Param<string>) ?? '' : '',
    };
    return (row) => {
      const v = row[p.features] as { size: number; values: Float64Array; indices?: Int32Array } | null | undefined;
      if (v === null || v === undefined) throw new Error(`${this.uid}: column '${p.features}' holds a null features vector`);
      if (v.size !== d) throw new Error(`${this.uid}: column '${p.features}' holds a vector of size ${v.size} but the model expects ${d} features`);
      let values = v.values;
      if (v.indices !== undefined) { dense.fill(0); for (let e = 0; e < v.indices.length; e++) dense[v.indices[e]] = v.values[e]; values = dense; }
      if (classifier) {
        if (raw || prob || p.prediction) {
          const c = classifyInto(f, values, 0, p.thresholds, tmp, raw, prob, 0, p.prediction);
          if (raw) row[cols.raw] = rawVector;
          if (prob) row[cols.probability] = probVector;
          if (p.prediction) row[cols.prediction] = c;
        }
      } else {
        if (p.prediction) row[cols.prediction] = regressionOf(f, values, 0);
        if (p.variance) row[cols.variance] = f.impurity[leafOf(f, 0, values, 0)];
      }
      if (p.leaf) {
        if (leaves) { for (let t = 0; t < T; t++) leaves[t] = f.leafIndex[leafOf(f, t, values, 0)]; row[cols.leaf] = leafVector; }
        else row[cols.leaf] = f.leafIndex[leafOf(f, 0, values, 0)];
      }
      return true;
    };
  }

  /** Spark's predictLeaf: the pre-order leaf index per tree. */
  protected leafIndices(features: Vector): Float64Array {
    const f = this.packed;
    const x = valuesOf(features, this.#numFeatures, `${this.uid}.predictLeaf`);
    return Float64Array.from({ length: f.numTrees }, (_, t) => f.leafIndex[leafOf(f, t, x, 0)]);
  }

  protected rawOf(features: Vector): Float64Array {
    const out = new Float64Array(this.#numClasses);
    rawInto(this.packed, valuesOf(features, this.#numFeatures, `${this.uid}.predictRaw`), 0, out);
    return out;
  }

  protected classify(features: Vector): number {
    const raw = this.rawOf(features);
    const thresholds = this.hasParam('thresholds') && this.isDefined(this.getParam('thresholds')) ? this.getOrDefault(this.getParam('thresholds') as Param<readonly number[]>) : null;
    return thresholds ? classOf(probabilityInPlace(this.packed, raw), thresholds) : classOf(raw, null);
  }

  protected probabilityOf(features: Vector): Float64Array {
    return probabilityInPlace(this.packed, this.rawOf(features));
  }

  protected regress(features: Vector): number {
    return regressionOf(this.packed, valuesOf(features, this.#numFeatures, `${this.uid}.predict`), 0);
  }

  /** Spark's featureImportances (per-tree normalisation except for GBTs), as a sparse vector. */
  get featureImportances(): SparseVector {
    const { indices, values } = featureImportances(this.#trees, this.#numFeatures, this.ensembleKind !== 'gbtc' && this.ensembleKind !== 'gbtr');
    return new SparseVector(this.#numFeatures, indices, values);
  }

  /** Trees, formatted as Spark's toDebugString: a header line, then each tree. */
  protected ensembleDebugString(header: string): string {
    return `${header}\n` + this.#trees.map((t, i) => `  Tree ${i} (weight ${formatDouble(this.#weights[i])}):\n${t.subtreeToString(4)}`).join('');
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = this.copyValues(constructWithUid(this.uid, () => this.rebuild()), extra);
    if (this.parent) copied.setParent(this.parent);
    return copied as this;
  }
}

/** Dense vector of a Float64Array. */
export const dense = (v: Float64Array): DenseVector => new DenseVector(v);

/** The learner options every tree estimator shares, read from its params. */
export function treeOptions(stage: Params): import('./forest.js').TreeOptions {
  const get = <T>(name: string): T => stage.getOrDefault(stage.getParam(name) as Param<T>);
  return {
    featuresCol: get<string>('featuresCol'),
    labelCol: get<string>('labelCol'),
    weightCol: optionalColumn(stage, stage.getParam('weightCol') as Param<string>),
    maxDepth: get<number>('maxDepth'),
    maxBins: get<number>('maxBins'),
    minInstancesPerNode: get<number>('minInstancesPerNode'),
    minWeightFractionPerNode: get<number>('minWeightFractionPerNode'),
    minInfoGain: get<number>('minInfoGain'),
    maxMemoryInMB: get<number>('maxMemoryInMB'),
    seed: seedNumber(get<Long>('seed')),
    categorical: stage.hasParam('categoricalFeatures') && stage.isSet(stage.getParam('categoricalFeatures'))
      ? get<Readonly<Record<string, number>>>('categoricalFeatures') : {},
  };
}

/** The estimator's output schema: inputs checked, output columns appended. */
export function estimatorSchema(stage: Params, schema: StructType, shape: OutputShape, validation = false): StructType {
  validateTrainingSchema(stage, schema, { validation });
  let out = schema;
  for (const f of outputFields(stage, schema, shape)) out = out.add(f);
  return out;
}
