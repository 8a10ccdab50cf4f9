// The Spark Connect backend: remote sessions and DataFrames (see README, "Running on a Spark cluster").
import './attach.js';
export { RemoteSessionBuilder } from './attach.js';
export { RemoteSession, RemoteDataFrameReader, RemoteRuntimeConfig } from './session.js';
export { RemoteDataFrame, RemoteGroupedData, type RemoteSessionLike } from './dataframe.js';
export { SparkConnectClient, type Message as ConnectMessage } from './client.js';
export { SparkConnectError, type SparkConnectErrorDetails, type SparkQueryContext } from './errors.js';
export { parseConnectionString, DEFAULT_CONNECT_PORT, type ConnectionSpec } from './url.js';
