// Spark's GaussianMixtureParams, shared by GaussianMixture and GaussianMixtureModel, and the schema
// check both run first.
import type { StructType } from '../dataframe/types.js';
import { ParamSpec, type Params } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import {
  aggregationDepth, featuresCol, maxIter, optionalColumn, predictionCol, probabilityCol, seed, tol, weightCol,
} from '../pipeline/shared-params.js';
import type { Param } from '../pipeline/param.js';
import { requireAbsent, requireNumericColumn, requireVectorColumn } from '../pipeline/schema-checks.js';

const { gt } = ParamValidators;

export const GMM_PARAMS = {
  featuresCol,
  predictionCol,
  probabilityCol,
  weightCol,
  k: ParamSpec.int('Number of independent Gaussians in the mixture model. Must be > 1.', { default: 2, validator: gt(1) }),
  maxIter: maxIter.withDefault(100),
  tol: tol.withDefault(0.01),
  seed: seed('org.apache.spark.ml.clustering.GaussianMixture'),
  aggregationDepth,
};

type GmmStage = Params & {
  featuresCol: Param<string>; predictionCol: Param<string>; probabilityCol: Param<string>; weightCol: Param<string>;
};

/**
 * Checks the features (vector) and optional weight (numeric) columns and that the prediction (int)
 * and probability (vector of size k) columns are new; an empty output column name is not added.
 */
export function validateGmmSchema(stage: GmmStage, schema: StructType, withWeight: boolean, k: number): StructType {
  requireVectorColumn(schema, stage.getOrDefault(stage.featuresCol));
  const weight = withWeight ? optionalColumn(stage, stage.weightCol) : undefined;
  if (weight !== undefined) requireNumericColumn(schema, weight);
  let out = schema;
  const prediction = stage.getOrDefault(stage.predictionCol);
  if (prediction !== '') {
    requireAbsent(out, prediction);
    out = out.add({ name: prediction, type: { kind: 'int' }, nullable: false });
  }
  const probability = stage.getOrDefault(stage.probabilityCol);
  if (probability !== '') {
    requireAbsent(out, probability);
    out = out.add({ name: probability, type: { kind: 'vector', encoding: 'dense', size: k }, nullable: false });
  }
  return out;
}
