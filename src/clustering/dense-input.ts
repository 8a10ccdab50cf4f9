// The training input of the clustering estimators (K-Means, Gaussian mixtures, bisecting K-Means):
// cached partitions with a dense vector column, so that each iteration's pass reads dense blocks.
import type { DataFrame } from '../dataframe/dataframe.js';
import { StorageLevel } from '../dataframe/storage.js';
import { SPARSE_SIZES, TO_DENSE_MAPPER } from './kmeans.kernels.js';

/**
 * The DataFrame itself when it is cached and dense, else the needed columns (sparse vectors made
 * dense) cached for the fit; `release` unpersists what this made. `stage` names the estimator in errors.
 */
export async function denseTrainingData(df: DataFrame, features: string, weightCol: string | null, stage: string): Promise<{ data: DataFrame; column: string; release: () => void }> {
  const type = df.schema.field(features).type;
  if (type.kind === 'vector' && type.encoding === 'dense' && df.storageLevel !== StorageLevel.NONE) {
    return { data: df, column: features, release: () => {} };
  }
  const keep = weightCol ? [weightCol] : [];
  let data: DataFrame;
  let column = features;
  if (type.kind === 'vector' && type.encoding === 'sparse') {
    const sizes = await df.mapPartitions<[number, number]>(SPARSE_SIZES, { column: features });
    const lo = Math.min(...sizes.map((s) => s[0])), hi = Math.max(...sizes.map((s) => s[1]));
    if (lo !== hi && Number.isFinite(lo)) throw new Error(`${stage}: features column '${features}' holds vectors of sizes ${lo} and ${hi}; they must all have one size`);
    const d = Number.isFinite(hi) ? hi : 0;
    column = `__${stage.toLowerCase()}_features`;
    data = df.withMappedColumns(TO_DENSE_MAPPER, { column: features, d }, [{ name: column, type: { kind: 'vector', encoding: 'dense', size: d }, nullable: true }])
      .select(column, ...keep);
  } else {
    data = df.select(features, ...keep);
  }
  data.cache();
  return { data, column, release: () => { data.unpersist(); } };
}
