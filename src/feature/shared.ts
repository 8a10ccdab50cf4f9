// Checks shared by the feature stages, with Spark's messages (SchemaUtils, ParamValidators).
import type { DataType, StructField, StructType } from '../dataframe/types.js';
import type { Param } from '../pipeline/param.js';
import type { AnyParam } from '../pipeline/params-map.js';
import type { Params } from '../pipeline/params.js';

// Spark's catalogString and the column checks live a layer down, shared with the other ML areas.
export { catalogString, requireAbsent, requireNumericColumn, requireVectorColumn } from '../pipeline/schema-checks.js';
import { catalogString } from '../pipeline/schema-checks.js';

/** The scalar kinds a column mapper reads (the physical encoding of each input column). */
export type ColumnKind = 'double' | 'int' | 'long' | 'boolean' | 'string' | 'dense' | 'sparse';

export function columnKind(t: DataType): ColumnKind {
  if (t.kind === 'array' || t.kind === 'struct') throw new Error(`a ${catalogString(t)} column cannot be read by a feature stage`);
  return t.kind === 'vector' ? t.encoding : t.kind;
}

/**
 * Spark's `ParamValidators.checkSingleVsMultiColumnParams`: exactly one of inputCol and inputCols
 * is set, and the params of the other mode are not.
 */
export function checkSingleVsMultiColumnParams(
  stage: Params & { inputCol: Param<string>; inputCols: Param<readonly string[]> },
  singleColumnParams: readonly AnyParam[],
  multiColumnParams: readonly AnyParam[],
): void {
  const name = `${stage.constructor.name} ${stage.uid}`;
  const check = (single: boolean, required: readonly AnyParam[], excluded: readonly AnyParam[]) => {
    let msg = '';
    const mustUnset = excluded.filter((p) => stage.isSet(p)).map((p) => p.name);
    if (mustUnset.length > 0) msg += `The following Params are not applicable and should not be set: ${mustUnset.join(', ')}.`;
    const mustSet = required.filter((p) => !stage.isDefined(p)).map((p) => p.name);
    if (mustSet.length > 0) msg += `The following Params must be defined but are not set: ${mustSet.join(', ')}.`;
    if (msg) {
      const prefix = single
        ? `${name} has the inputCol Param set for single-column transform.`
        : `${name} has the inputCols Param set for multi-column transform.`;
      throw new Error(`${prefix} ${msg}`);
    }
  };
  if (stage.isSet(stage.inputCol)) {
    if (stage.isSet(stage.inputCols)) {
      throw new Error(`${name} requires exactly one of inputCol, inputCols Params to be set, but both are set.`);
    }
    check(true, singleColumnParams, multiColumnParams);
  } else if (stage.isSet(stage.inputCols)) {
    check(false, multiColumnParams, singleColumnParams);
  } else {
    throw new Error(`${name} requires exactly one of inputCol, inputCols Params to be set, but neither is set.`);
  }
}
