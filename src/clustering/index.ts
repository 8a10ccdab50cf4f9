// Clustering: K-Means.
export { KMeans } from './kmeans.js';
export { KMeansModel, KMeansSummary } from './kmeans-model.js';
export type { DistanceMeasure } from './distance.js';
