// Evaluators (Spark's org.apache.spark.ml.evaluation) and the driver-side metrics behind them.
export { Evaluator } from './evaluator.js';
export { BinaryClassificationEvaluator } from './binary-classification-evaluator.js';
export { MulticlassClassificationEvaluator } from './multiclass-classification-evaluator.js';
export { RegressionEvaluator } from './regression-evaluator.js';
export { ClusteringEvaluator } from './clustering-evaluator.js';
export { BinaryClassificationMetrics, type CurvePoint, type ScoreCounts } from '../stat/binary-metrics.js';
export { MulticlassMetrics } from './multiclass-metrics.js';
export { RegressionMetrics } from './regression-metrics.js';
