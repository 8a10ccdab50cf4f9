// Spark's pipeline stages: Transformer, Estimator and Model, on top of Params. `fit` and
// `transform` validate the schema (transformSchema) before any data is touched.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { inStage } from '../dataframe/mappers.js';
import { ParamMap } from './params-map.js';
import { Params } from './params.js';
import { writerFor, type MLWriter } from './ml-writable.js';

export abstract class PipelineStage extends Params {
  /**
   * The output schema for an input schema, or an error naming the missing or mistyped column.
   * Runs before any data is read.
   */
  abstract transformSchema(schema: StructType): StructType;

  /** Spark's MLWritable: `stage.write().overwrite().save(path)`. */
  write(): MLWriter { return writerFor(this); }

  /** Saves to a path that must not exist yet (local path or s3://bucket/prefix). */
  save(path: string): Promise<void> { return this.write().save(path); }
}

export abstract class Transformer extends PipelineStage {
  /** Returns the transformed DataFrame at once (lazily); `extra` params override this stage's for this call. */
  transform(df: DataFrame, extra?: ParamMap): DataFrame {
    const stage = extra && extra.size > 0 ? this.copy(extra) : this;
    stage.transformSchema(df.schema);
    return inStage(stage.uid, () => stage.transformImpl(df));
  }

  protected abstract transformImpl(df: DataFrame): DataFrame;
}

export abstract class Model<M extends Model<M> = any> extends Transformer { // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The estimator that produced this model, when it was fitted (not loaded). */
  parent: Estimator<M> | null = null;

  setParent(parent: Estimator<M>): this { this.parent = parent; return this; }
  hasParent(): boolean { return this.parent !== null; }
}

export abstract class Estimator<M extends Model = Model> extends PipelineStage {
  /** Fits a model; with `extra`, fits a copy of this estimator with those params. */
  async fit(df: DataFrame, extra?: ParamMap): Promise<M> {
    const stage = extra && extra.size > 0 ? this.copy(extra) : this;
    stage.transformSchema(df.schema);
    const model = await stage.fitImpl(df);
    model.setParent(this as unknown as Estimator<M>);
    return model;
  }

  /** Fits one model per param map (Spark's fit(dataset, paramMaps)), sequentially. */
  async fitMany(df: DataFrame, paramMaps: ParamMap[]): Promise<M[]> {
    const models: M[] = [];
    for (const pm of paramMaps) models.push(await this.fit(df, pm));
    return models;
  }

  protected abstract fitImpl(df: DataFrame): Promise<M>;
}

export { ParamMap };
