// Spark's ClusteringSummary: what every clustering fit reports; KMeans, BisectingKMeans and
// GaussianMixture summaries add their own measures.
import type { DataFrame } from '../dataframe/dataframe.js';

export class ClusteringSummary {
  constructor(
    /** The training DataFrame with the prediction column. */
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    readonly featuresCol: string,
    /** The `k` param (clusterSizes has this length even when fewer clusters were found). */
    readonly k: number,
    readonly numIter: number,
    /** Rows predicted in each cluster at the final model. */
    readonly clusterSizes: number[],
  ) {}

  /** The prediction column alone. */
  get cluster(): DataFrame { return this.predictions.select(this.predictionCol); }
}
