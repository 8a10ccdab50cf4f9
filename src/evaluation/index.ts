// Evaluators (Spark's org.apache.spark.ml.evaluation) and the driver-side metrics behind them.
export { Evaluator } from './evaluator.js';
export { BinaryClassificationEvaluator, type BinaryMetricName } from './binary-classification-evaluator.js';
export { MulticlassClassificationEvaluator, type MulticlassMetricName } from './multiclass-classification-evaluator.js';
export { RegressionEvaluator, type RegressionMetricName } from './regression-evaluator.js';
export { ClusteringEvaluator } from './clustering-evaluator.js';
export { BinaryClassificationMetrics, type CurvePoint, type ScoreCounts } from '../stat/binary-metrics.js';
export { MulticlassMetrics } from './multiclass-metrics.js';
export { RegressionMetrics } from './regression-metrics.js';
