// Model selection (Spark's org.apache.spark.ml.tuning). Importing this registers their persistence.
export { ParamGridBuilder } from './param-grid-builder.js';
export { CrossValidator, CrossValidatorModel } from './cross-validator.js';
export { TrainValidationSplit, TrainValidationSplitModel } from './train-validation-split.js';
import './validator-io.js';
