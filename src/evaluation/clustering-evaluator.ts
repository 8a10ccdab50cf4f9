// Spark's ClusteringEvaluator: the mean silhouette of a clustering, with squared Euclidean or
// cosine distance, in two passes and O(N·k) work (see clustering.kernels.ts).
import type { DataFrame } from '../dataframe/dataframe.js';
import type { StructType } from '../dataframe/types.js';
import { withParams } from '../pipeline/params-mixin.js';
import { ParamSpec, type ParamValues } from '../pipeline/params.js';
import { ParamValidators } from '../pipeline/params-validators.js';
import { featuresCol, optionalColumn, predictionCol, weightCol } from '../pipeline/shared-params.js';
import { mergeProblems, type Problems } from './columns.js';
import { loadStage, registerStage, type LoadOptions } from '../persistence/index.js';
import { Evaluator } from './evaluator.js';
import {
  CLUSTER_STATS, SILHOUETTE, type ClusterStats, type ClusterStatsPartial, type ClusteringParams, type SilhouetteParams,
} from './clustering.kernels.js';
import { addInto } from '../engine/aggregate.js';

const distanceMeasures = ['squaredEuclidean', 'cosine'] as const;

export class ClusteringEvaluator extends withParams(Evaluator, {
  metricName: ParamSpec.choice('metric name in evaluation (silhouette)', ['silhouette'], { default: 'silhouette' }),
  distanceMeasure: ParamSpec.choice(
    `distance measure in evaluation. Supported options: ${distanceMeasures.map((m) => `'${m}'`).join(', ')}`,
    distanceMeasures, { default: 'squaredEuclidean' },
  ),
  predictionCol,
  featuresCol,
  weightCol,
}) {
  static override readonly sparkClassName = 'org.apache.spark.ml.evaluation.ClusteringEvaluator';

  static load(path: string, options?: LoadOptions): Promise<ClusteringEvaluator> {
    return loadStage(ClusteringEvaluator, path, options);
  }

  constructor(params: ParamValues<ClusteringEvaluator> = {}) {
    super();
    this.setParamsFromObject(params);
  }

  override validateSchema(schema: StructType): void {
    this.requireVector(schema, this.getFeaturesCol(), 'features');
    this.requireNumeric(schema, this.getPredictionCol(), 'prediction');
    const w = optionalColumn(this, this.weightCol);
    if (w !== undefined) this.requireNumeric(schema, w, 'weight');
  }

  protected override async evaluateImpl(df: DataFrame): Promise<number> {
    const params: ClusteringParams = {
      featuresCol: this.getFeaturesCol(),
      predictionCol: this.getPredictionCol(),
      weightCol: optionalColumn(this, this.weightCol) ?? null,
      cosine: this.getDistanceMeasure() === 'cosine',
    };
    const stats = await this.clusterStats(df, params);
    const broadcast = df.engine.broadcast(stats);
    try {
      const silhouetteParams: SilhouetteParams = { ...params, stats: broadcast.ref };
      const [weightedSum, weightSum] = await df.treeAggregate(new Float64Array(2), SILHOUETTE, addInto, 2, silhouetteParams);
      return weightedSum / weightSum;
    } finally {
      broadcast.destroy();
    }
  }

  /** Pass 1: per-cluster weight, feature sums and squared norms, clusters in ascending id order. */
  private async clusterStats(df: DataFrame, params: ClusteringParams): Promise<ClusterStats> {
    const partials = await df.mapPartitions<ClusterStatsPartial>(CLUSTER_STATS, params);
    const problems: Problems = {};
    let rows = 0, d = -1;
    const byId = new Map<number, { w: number; sq: number; sum: Float64Array }>();
    for (const part of partials) {
      mergeProblems(problems, part.problems);
      rows += part.rows;
      if (part.ids.length === 0) continue;
      if (d >= 0 && part.d !== d) {
        throw this.fail(`features column '${params.featuresCol}' holds vectors of different sizes (${d} and ${part.d})`);
      }
      d = part.d;
      part.ids.forEach((id, c) => {
        const s = byId.get(id);
        const sum = part.sums.subarray(c * d, (c + 1) * d);
        if (!s) byId.set(id, { w: part.weights[c], sq: part.sqNorms[c], sum: sum.slice() });
        else { s.w += part.weights[c]; s.sq += part.sqNorms[c]; addInto(s.sum, sum); }
      });
    }
    this.throwIfProblems(problems);
    this.throwIfEmpty(rows);
    if (byId.size < 2) {
      throw this.fail(`Number of clusters must be greater than one, but the prediction column '${params.predictionCol}' ` +
        `has ${byId.size} cluster${byId.size === 1 ? '' : 's'} among the rows of positive weight`);
    }
    const ids = Float64Array.from(byId.keys()).sort();
    const k = ids.length;
    const weights = new Float64Array(k), sqNorms = new Float64Array(k), sums = new Float64Array(k * d);
    ids.forEach((id, c) => {
      const s = byId.get(id)!;
      weights[c] = s.w; sqNorms[c] = s.sq; sums.set(s.sum, c * d);
    });
    return { d, ids, weights, sqNorms, sums };
  }

  override toString(): string {
    return `ClusteringEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, distanceMeasure=${this.getDistanceMeasure()}`;
  }
}

registerStage(ClusteringEvaluator);
