// Structured Streaming: importing this module adds readStream, streams and writeStream (attach.ts).
import './attach.js';

export { DataStreamReader, type StreamOptionValue } from './reader.js';
export { DataStreamWriter } from './writer.js';
export { StreamingQuery } from './query.js';
export { StreamingQueryManager } from './manager.js';
export { MemoryStream } from './memory-stream.js';
export { RateSource, valueAtSecond, type RateOptions } from './rate-source.js';
export { MemorySink, ConsoleSink, ForeachBatchSink, type Sink, type ForeachBatchFunction } from './sinks.js';
export { FileStreamSink, readSinkLog, SINK_LOG, type SinkFileStatus } from './file-sink.js';
export { AnalysisException, StreamingQueryException } from './errors.js';
export type { StreamSource, SourceBatch, Offset } from './source.js';
export type { OutputMode } from './analysis.js';
export type { TriggerSpec, Trigger } from './trigger.js';
export type { StreamingQueryProgress, SourceProgress, StateOperatorProgress } from './progress.js';
