// The package root: everything a user imports from 'quiver'.
export { Session, SessionBuilder, RuntimeConfig, type CreateDataFrameOptions } from './dataframe/session.js';
export { DataFrame, broadcast } from './dataframe/dataframe.js';
export { DataFrameReader } from './dataframe/io/reader.js';
export { DataFrameWriter, type SaveMode } from './dataframe/io/writer.js';
export { Column, col, lit, when } from './dataframe/column.js';
export { functions, AggColumn, GroupedData } from './dataframe/grouped.js';
export { StorageLevel } from './dataframe/storage.js';
export {
  StructType, DoubleType, IntegerType, LongType, BooleanType, StringType, denseVectorType, SparseVectorType,
  type DataType, type StructField,
} from './dataframe/types.js';
export type { Row } from './dataframe/rows.js';
export { registerKernel, registerAggregator, type Kernel, type TaskContext } from './engine/kernels.js';
export { Broadcast } from './engine/broadcast.js';
export { TaskFailure } from './engine/executor.js';
export { addInto } from './engine/aggregate.js';
export * from './linalg/index.js';
export { summarize, columnSums, gramMatrix, type VectorSummary } from './stat/summarizer.js';
