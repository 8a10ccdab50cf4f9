// Spark's KMeansParams, shared by KMeans and KMeansModel, and the schema checks both run first.
import type { StructType } from '../dataframe/types.js';
import { ParamSpec, type Params } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import {
  distanceMeasure, featuresCol, maxBlockSizeInMB, maxIter, optionalColumn, predictionCol, seed, tol, weightCol,
} from '../pipeline/shared-params.js';
import type { Param } from '../pipeline/param.js';
import { requireAbsent, requireNumericColumn, requireVectorColumn } from '../feature/shared.js';

const { gt } = ParamValidators;

export const KMEANS_PARAMS = {
  featuresCol,
  predictionCol,
  k: ParamSpec.int('The number of clusters to create. Must be > 1.', { default: 2, validator: gt(1) }),
  maxIter: maxIter.withDefault(20),
  tol: tol.withDefault(1e-4),
  initMode: ParamSpec.choice("The initialization algorithm. Supported options: 'random' and 'k-means||'.", ['random', 'k-means||'], {
    default: 'k-means||',
  }),
  initSteps: ParamSpec.int('The number of steps for k-means|| initialization mode. Must be > 0.', {
    default: 2,
    validator: gt(0),
  }),
  distanceMeasure,
  seed: seed('org.apache.spark.ml.clustering.KMeans'),
  weightCol,
  // Spark (3.4+) chooses between a per-row and a blocked (matrix-multiply) implementation of the
  // same Lloyd step with these; Quiver has one implementation, so both are kept for Spark's
  // metadata (its KMeansModel writes them and Quiver must read and write them back) and change
  // nothing in Quiver's results.
  solver: ParamSpec.choice('The solver algorithm for optimization. Supported options: row, block, auto. (Default auto)', ['row', 'block', 'auto'], {
    default: 'auto',
  }),
  maxBlockSizeInMB,
};

/** Checks the features (vector), optional weight (numeric) and prediction (new) columns; returns the output schema. */
export function validateKMeansSchema(
  stage: Params & { featuresCol: Param<string>; predictionCol: Param<string>; weightCol: Param<string> },
  schema: StructType,
  withWeight: boolean,
): StructType {
  requireVectorColumn(schema, stage.getOrDefault(stage.featuresCol));
  const weight = withWeight ? optionalColumn(stage, stage.weightCol) : undefined;
  if (weight !== undefined) requireNumericColumn(schema, weight);
  const prediction = stage.getOrDefault(stage.predictionCol);
  requireAbsent(schema, prediction);
  return schema.add({ name: prediction, type: { kind: 'int' }, nullable: false });
}
