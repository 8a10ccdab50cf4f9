// Spark's Pipeline and PipelineModel. `fit` checks the schema through every stage first, then fits
// the estimators in order, transforming the data only up to the last estimator.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { readStage, type LoadOptions } from './ml-writable.js';
import type { ParamKind } from './param.js';
import { Param } from './param.js';
import { ParamMap } from './params-map.js';
import { ParamSpec, type ParamValues } from './params.js';
import { Estimator, Model, PipelineStage, Transformer } from './stage.js';
import { compileRowScorer, type RowScorer } from './row-scorer.js';

const isStageArray = (v: unknown): v is readonly PipelineStage[] =>
  Array.isArray(v) && v.every((s) => s instanceof PipelineStage);

/** The kind of `stages`: an array of stages. Spark saves them in `stages/`, never as param JSON. */
const stageArray: ParamKind<readonly PipelineStage[]> = {
  name: 'PipelineStage[]',
  description: 'an array of pipeline stages (Estimators and Transformers)',
  accepts: isStageArray,
  toJSON() {
    throw new TypeError('pipeline stages have no JSON encoding; a pipeline saves them in stages/');
  },
  fromJSON() {
    throw new TypeError('pipeline stages have no JSON encoding; a pipeline loads them from stages/');
  },
  format: (v) => `[${v.map((s) => s.uid).join(', ')}]`,
};

/** A stage appearing twice would be fitted twice and its outputs clash (Spark refuses it too). */
function checkDistinct(stages: readonly PipelineStage[]): void {
  const seen = new Map<PipelineStage, number>();
  stages.forEach((stage, index) => {
    const first = seen.get(stage);
    if (first !== undefined) {
      throw new Error(
        `Cannot have duplicate components in a pipeline: stage ${stage.uid} appears at indices ${first} and ${index}`,
      );
    }
    seen.set(stage, index);
  });
}

export class Pipeline extends Estimator<PipelineModel> {
  static readonly sparkClassName = 'org.apache.spark.ml.Pipeline';

  readonly stages: Param<readonly PipelineStage[]> = this.declareParam(
    'stages',
    new ParamSpec(stageArray, 'stages of the pipeline'),
  );

  constructor(params: ParamValues<Pipeline> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  static load(path: string, options?: LoadOptions): Promise<Pipeline> {
    return readStage(Pipeline, path, options);
  }

  setStages(stages: readonly PipelineStage[]): this {
    return this.set(this.stages, [...stages]);
  }

  /** A copy of the stage array (the stages themselves are shared). */
  getStages(): PipelineStage[] {
    return [...this.$(this.stages)];
  }

  transformSchema(schema: StructType): StructType {
    const stages = this.$(this.stages);
    checkDistinct(stages);
    return stages.reduce((current, stage) => stage.transformSchema(current), schema);
  }

  protected async fitImpl(df: DataFrame): Promise<PipelineModel> {
    const stages = this.$(this.stages);
    let lastEstimator = -1;
    stages.forEach((stage, index) => {
      if (stage instanceof Estimator) lastEstimator = index;
      else if (!(stage instanceof Transformer)) {
        throw new Error(`Does not support stage ${stage.uid} of type ${stage.constructor.name}: a stage must be an Estimator or a Transformer`);
      }
    });
    let current = df;
    const transformers: Transformer[] = [];
    for (const [index, stage] of stages.entries()) {
      if (index > lastEstimator) {
        transformers.push(stage as Transformer);
        continue;
      }
      const transformer = stage instanceof Estimator ? await stage.fit(current) : (stage as Transformer);
      if (index < lastEstimator) current = transformer.transform(current);
      transformers.push(transformer);
    }
    return new PipelineModel(transformers, this.uid);
  }

  /** A copy with the same uid whose stages are copies too, each with `extra`. */
  override copy(extra: ParamMap = ParamMap.empty()): this {
    const stages = this.extractParamMap(extra).get(this.stages) ?? [];
    const copy = this.defaultCopy(extra);
    return copy.setStages(stages.map((stage) => stage.copy(extra)));
  }
}

export class PipelineModel extends Model<PipelineModel> {
  static readonly sparkClassName = 'org.apache.spark.ml.PipelineModel';

  readonly stages: readonly Transformer[];

  constructor(stages: readonly Transformer[] = [], uid?: string) {
    super(uid);
    const bad = stages.findIndex((s) => !(s instanceof Transformer));
    if (bad >= 0) {
      throw new Error(`PipelineModel: stage ${bad} (${String(stages[bad])}) is not a Transformer`);
    }
    checkDistinct(stages);
    this.stages = Object.freeze([...stages]);
  }

  static load(path: string, options?: LoadOptions): Promise<PipelineModel> {
    return readStage(PipelineModel, path, options);
  }

  transformSchema(schema: StructType): StructType {
    return this.stages.reduce((current, stage) => stage.transformSchema(current), schema);
  }

  /**
   * A scorer of single rows (plain objects with the columns of `schema`) that builds no
   * DataFrame: compiled once, it gives what `transform` gives, bit for bit, without allocating
   * per row (see row-scorer.ts).
   */
  rowScorer(schema: StructType): RowScorer {
    return compileRowScorer(this.stages, schema);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return this.stages.reduce((current, stage) => stage.transform(current), df);
  }

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copy = new PipelineModel(this.stages.map((stage) => stage.copy(extra)), this.uid) as this;
    if (this.parent) copy.setParent(this.parent);
    return copy;
  }
}
