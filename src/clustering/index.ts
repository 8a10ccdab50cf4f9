// Clustering: K-Means and Gaussian mixtures.
export { KMeans } from './kmeans.js';
export { KMeansModel, KMeansSummary } from './kmeans-model.js';
export type { DistanceMeasure } from './distance.js';
export { GaussianMixture } from './gmm.js';
export { GaussianMixtureModel, GaussianMixtureSummary } from './gmm-model.js';
export { MultivariateGaussian } from './multivariate-gaussian.js';
