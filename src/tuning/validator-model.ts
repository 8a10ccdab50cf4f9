// What CrossValidatorModel and TrainValidationSplitModel share: the best model, which does the
// transforming, the optional sub-models, and Spark's copy (the best model copied with the extra
// params, the sub-model arrays copied around the same models).
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { ParamMap } from '../pipeline/params-map.js';
import { Model } from '../pipeline/stage.js';

/** Sub-models: one per param map (TrainValidationSplit), or per fold and param map (CrossValidator). */
type SubModels = Model[] | Model[][];

function copyArrays<S extends SubModels>(subModels: S): S {
  return subModels.map((m) => (Array.isArray(m) ? [...m] : m)) as S;
}

export abstract class ValidatorModel<S extends SubModels> extends Model {
  readonly bestModel: Model;
  /** The estimator that fits this model ("CrossValidator"), for messages. */
  readonly #fittedBy: string;
  #subModels: S | null = null;

  constructor(bestModel: Model, fittedBy: string, uid?: string) {
    super(uid);
    if (!(bestModel instanceof Model)) throw new TypeError(`${fittedBy}Model: bestModel must be a Model, got ${String(bestModel)}`);
    this.bestModel = bestModel;
    this.#fittedBy = fittedBy;
  }

  /** The sub-models, when fitted with collectSubModels. */
  get subModels(): S {
    if (this.#subModels === null) {
      throw new Error(`${this.uid}: subModels are not available: fit the ${this.#fittedBy} with collectSubModels = true (or load a model saved with them)`);
    }
    return this.#subModels;
  }

  hasSubModels(): boolean {
    return this.#subModels !== null;
  }

  setSubModels(subModels: S | null): this {
    this.#subModels = subModels;
    return this;
  }

  transformSchema(schema: StructType): StructType {
    return this.bestModel.transformSchema(schema);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return this.bestModel.transform(df);
  }

  /** A model of this class with this uid and these metrics around `bestModel`. */
  protected abstract withBestModel(bestModel: Model): this;

  override copy(extra: ParamMap = ParamMap.empty()): this {
    const copied = this.withBestModel(this.bestModel.copy(extra))
      .setSubModels(this.#subModels === null ? null : copyArrays(this.#subModels));
    const out = this.copyValues(copied, extra);
    if (this.parent) out.setParent(this.parent);
    return out;
  }
}
