// The errors a streaming query raises, named as Spark names them so that messages read the same.

/** A query that cannot run as a stream (Spark's AnalysisException): thrown by start(), before any batch. */
export class AnalysisException extends Error {
  override readonly name = 'AnalysisException';
}

/** Why a query stopped: the error of the batch that failed, with the query's name and id (Spark's StreamingQueryException). */
export class StreamingQueryException extends Error {
  override readonly name = 'StreamingQueryException';
  constructor(message: string, readonly queryId: string, readonly runId: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
