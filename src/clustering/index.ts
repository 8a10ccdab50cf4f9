// Clustering: K-Means, Gaussian mixtures and bisecting K-Means.
export { KMeans } from './kmeans.js';
export { ClusteringSummary } from './clustering-summary.js';
export { KMeansModel, KMeansSummary } from './kmeans-model.js';
export type { DistanceMeasure } from './distance.js';
export { GaussianMixture } from './gmm.js';
export { GaussianMixtureModel, GaussianMixtureSummary } from './gmm-model.js';
export { MultivariateGaussian } from './multivariate-gaussian.js';
export { BisectingKMeans } from './bisecting.js';
export { BisectingKMeansModel, BisectingKMeansSummary, type ClusteringTreeNode } from './bisecting-model.js';
