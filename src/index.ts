// The package root: everything a user imports from 'quiver'.
export { Session, SessionBuilder, RuntimeConfig, type CreateDataFrameOptions } from './dataframe/session.js';
export { DataFrame, broadcast } from './dataframe/dataframe.js';
export { DataFrameReader } from './dataframe/io/reader.js';
export type {
  ReadOptions, CsvReadOptions, JsonReadOptions, LoadOptions as ReaderLoadOptions, PathArg, ReadMode, ReadOptionValue,
} from './dataframe/io/read-options.js';
export type { ShowOptions } from './dataframe/show.js';
export { DataFrameWriter, type SaveMode } from './dataframe/io/writer.js';
export { Column, SortOrder, col, lit, when, coalesce, isnan } from './dataframe/column.js';
export { DataFrameNaFunctions, type DropNaOptions, type FillValue, type ReplaceSpec } from './dataframe/na.js';
export { udf } from './dataframe/udf.js';
export { functions, AggColumn, GroupedData } from './dataframe/grouped.js';
export { Window, WindowSpec, WindowFunction } from './dataframe/window.js';
export { expr } from './dataframe/sql/sql.js';
export { Catalog, type CatalogTable } from './dataframe/sql/catalog.js';
export { StorageLevel } from './dataframe/storage.js';
export { RDD, SparkContext, type SchemaSpec } from './rdd/index.js';
export {
  DataStreamReader, DataStreamWriter, StreamingQuery, StreamingQueryManager, MemoryStream, RateSource, valueAtSecond,
  MemorySink, ConsoleSink, ForeachBatchSink, FileStreamSink, readSinkLog, SINK_LOG, AnalysisException, StreamingQueryException,
  type StreamOptionValue, type RateOptions, type Sink, type ForeachBatchFunction, type SinkFileStatus, type StreamSource,
  type SourceBatch, type Offset, type OutputMode, type TriggerSpec, type Trigger, type StreamingQueryProgress, type SourceProgress,
  type StateOperatorProgress,
} from './streaming/index.js';
export {
  RemoteSession, RemoteSessionBuilder, RemoteRuntimeConfig, RemoteDataFrame, RemoteGroupedData, RemoteDataFrameReader, SparkConnectClient, SparkConnectError,
  parseConnectionString, DEFAULT_CONNECT_PORT, type ConnectionSpec, type ConnectMessage, type RemoteSessionLike,
  type SparkConnectErrorDetails, type SparkQueryContext,
} from './connect/index.js';
export {
  StructType, DoubleType, IntegerType, LongType, BooleanType, StringType, denseVectorType, SparseVectorType, arrayType, structType,
  type DataType, type StructField, type ArrayDataType, type StructDataType,
} from './dataframe/types.js';
export type { Row } from './dataframe/rows.js';
export { registerKernel, registerAggregator, type Kernel, type TaskContext } from './engine/kernels.js';
export { Broadcast } from './engine/broadcast.js';
export { TaskFailure } from './engine/executor.js';
export type { ErrorOrigin } from './engine/protocol.js';
export { addInto } from './engine/aggregate.js';
export * from './linalg/index.js';
export { summarize, columnSums, gramMatrix, type VectorSummary } from './stat/summarizer.js';
export * from './feature/index.js';
export * from './clustering/index.js';
export * from './evaluation/index.js';
export { Pipeline, PipelineModel } from './pipeline/pipeline.js';
export { RowScorer, type RowStep, type ScoredRow, type RowCompilable } from './pipeline/row-scorer.js';
export type { MLWriter, LoadOptions as StageLoadOptions } from './pipeline/ml-writable.js';
// Persistence: importing it registers the default writer and the Pipeline/PipelineModel loaders.
export {
  load, loadStage, registerStage, ModelPersistenceError, PathExistsError, ModelData, StageWriter,
  dataTable, doubleColumn, intColumn, longColumn, booleanColumn, stringColumn, doubleArrayColumn, intArrayColumn,
  stringArrayColumn, stringArrayArrayColumn, vectorColumn, matrixColumn, vectorArrayColumn, matrixArrayColumn,
  fileSystemFor, FileSystemError,
  type LoadOptions, type StagePersistence, type SaveContext, type LoadContext, type Metadata, type DataColumn, type UdtOptions,
  type FileSystem, type FileEntry, type FileSystemErrorCode, type S3Config, type S3Credentials,
} from './persistence/index.js';
export { PCA, PCAModel } from './feature/pca.js';
export { LinearRegression, LinearRegressionModel } from './regression/linear.js';
export { LinearRegressionSummary, LinearRegressionTrainingSummary } from './regression/linear-summary.js';
export { LogisticRegression, LogisticRegressionModel } from './classification/logistic.js';
export {
  LogisticRegressionSummary, BinaryLogisticRegressionSummary, LogisticRegressionTrainingSummary, BinaryLogisticRegressionTrainingSummary,
} from './classification/logistic-summary.js';
export * from './recommendation/index.js';
export { DecisionTreeClassifier, DecisionTreeClassificationModel } from './classification/decision-tree.js';
export { RandomForestClassifier, RandomForestClassificationModel } from './classification/random-forest.js';
export { GBTClassifier, GBTClassificationModel } from './classification/gbt.js';
export { DecisionTreeRegressor, DecisionTreeRegressionModel } from './regression/decision-tree.js';
export { RandomForestRegressor, RandomForestRegressionModel } from './regression/random-forest.js';
export { GBTRegressor, GBTRegressionModel } from './regression/gbt.js';
export { TreeNodes, type Node as TreeNode, type Split as TreeSplit } from './tree/nodes.js';
export type { FeatureSubsetStrategy } from './tree/params.js';
export { ParamGridBuilder, CrossValidator, CrossValidatorModel, TrainValidationSplit, TrainValidationSplitModel } from './tuning/index.js';
export { ParamMap } from './pipeline/params-map.js';
// Types that the signatures above name, so that a user can name them too (custom stages, option
// objects) and the API reference links them.
export { PipelineStage, Transformer, Estimator, Model } from './pipeline/stage.js';
export { Param, ParamPair, type ParamKind, type JsonValue, type Long } from './pipeline/param.js';
export type { Validator } from './pipeline/params-validators.js';
export { Params, ParamSpec, type ParamOptions, type ParamValues, type AnyCase } from './pipeline/params.js';
export type { Identifiable } from './pipeline/uid.js';
export type { FileSystemErrorDetails } from './fs/errors.js';
export type { StageClass } from './persistence/ml/class-registry.js';
export type { TrainingSummary } from './classification/logistic-summary.js';
export type { AggFunction } from './dataframe/aggregates.js';
export type { Literal } from './dataframe/column.js';
export type { SortOptions } from './dataframe/sort.js';
export type { UdfFunction } from './dataframe/udf.js';
export type { ConfValue } from './dataframe/session.js';
export type { OptionValue } from './dataframe/io/options.js';
export type { LibsvmReadOptions } from './dataframe/io/libsvm-plan.js';
export type { LibsvmVectorType } from './dataframe/io/libsvm.js';
export type { AtomicTypeName } from './dataframe/types.js';
