// Spark's BisectingKMeansParams, shared by BisectingKMeans and BisectingKMeansModel.
import { ParamSpec } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { distanceMeasure, featuresCol, maxIter, predictionCol, seed, weightCol } from '../pipeline/shared-params.js';

const { gt } = ParamValidators;

export const BISECTING_PARAMS = {
  featuresCol,
  predictionCol,
  k: ParamSpec.int('The desired number of leaf clusters. Must be > 1.', { default: 4, validator: gt(1) }),
  maxIter: maxIter.withDefault(20),
  seed: seed('org.apache.spark.ml.clustering.BisectingKMeans'),
  minDivisibleClusterSize: ParamSpec.double(
    'The minimum number of points (if >= 1.0) or the minimum proportion of points (if < 1.0) of a divisible cluster.',
    { default: 1.0, validator: gt(0) },
  ),
  distanceMeasure,
  weightCol,
};
