// Spark's errors as Quiver errors: Spark's error class, SQL state, message parameters and query
// context, taken from FetchErrorDetails (the full error, by the error id Spark attaches) or else
// from the google.rpc.ErrorInfo in the gRPC status details — never a bare gRPC status.

/** Where in the query Spark found the problem (Spark's QueryContext). */
export interface SparkQueryContext {
  objectType?: string;
  objectName?: string;
  fragment?: string;
  startIndex?: number;
  stopIndex?: number;
  summary?: string;
}

export interface SparkConnectErrorDetails {
  /** Spark's error class, e.g. `UNRESOLVED_COLUMN.WITH_SUGGESTION`; undefined when Spark gave none. */
  errorClass?: string;
  sqlState?: string;
  messageParameters: Record<string, string>;
  /** The JVM exception class and its superclasses, e.g. `org.apache.spark.sql.AnalysisException`. */
  exceptionClasses: string[];
  queryContexts: SparkQueryContext[];
  /** The gRPC status code name the server answered with (INTERNAL, UNAVAILABLE, ...). */
  grpcStatus: string;
}

/** An error reported by a Spark Connect server (or the failure to reach one). */
export class SparkConnectError extends Error implements SparkConnectErrorDetails {
  readonly errorClass?: string;
  readonly sqlState?: string;
  readonly messageParameters: Record<string, string>;
  readonly exceptionClasses: string[];
  readonly queryContexts: SparkQueryContext[];
  readonly grpcStatus: string;

  constructor(message: string, details: SparkConnectErrorDetails) {
    super(message);
    this.name = 'SparkConnectError';
    this.errorClass = details.errorClass;
    this.sqlState = details.sqlState;
    this.messageParameters = details.messageParameters;
    this.exceptionClasses = details.exceptionClasses;
    this.queryContexts = details.queryContexts;
    this.grpcStatus = details.grpcStatus;
  }
}

/** The parts of a grpc-js ServiceError we read. */
export interface GrpcFailure { code?: number; details?: string; message?: string; metadata?: { get(key: string): unknown[] } }

/** A FetchErrorDetailsResponse.Error as proto-loader decodes it (keepCase). */
export interface FetchedError {
  error_type_hierarchy?: string[];
  message?: string;
  spark_throwable?: {
    error_class?: string;
    sql_state?: string;
    message_parameters?: Record<string, string>;
    query_contexts?: { object_type?: string; object_name?: string; fragment?: string; start_index?: number; stop_index?: number; summary?: string }[];
  };
}

/** Message text as Spark's clients print it: the exception's message, prefixed by its class when it has none. */
export function fromFetched(root: FetchedError, grpcStatus: string): SparkConnectError {
  const t = root.spark_throwable ?? {};
  const classes = root.error_type_hierarchy ?? [];
  const contexts = (t.query_contexts ?? []).map((q): SparkQueryContext => ({
    objectType: q.object_type || undefined, objectName: q.object_name || undefined, fragment: q.fragment || undefined,
    startIndex: q.start_index, stopIndex: q.stop_index, summary: q.summary || undefined,
  }));
  const message = root.message || classes[0] || 'Spark Connect server error';
  return new SparkConnectError(message, {
    errorClass: t.error_class || undefined, sqlState: t.sql_state || undefined, messageParameters: t.message_parameters ?? {},
    exceptionClasses: classes, queryContexts: contexts, grpcStatus,
  });
}

/** From ErrorInfo's metadata alone (when the server kept no details to fetch). */
export function fromErrorInfo(info: { reason: string; metadata: Record<string, string> } | null, statusMessage: string, grpcStatus: string): SparkConnectError {
  const md = info?.metadata ?? {};
  let classes: string[] = [];
  try { classes = md.classes ? (JSON.parse(md.classes) as string[]) : info?.reason ? [info.reason] : []; } catch { classes = info?.reason ? [info.reason] : []; }
  let params: Record<string, string> = {};
  try { params = md.messageParameters ? (JSON.parse(md.messageParameters) as Record<string, string>) : {}; } catch { params = {}; }
  return new SparkConnectError(statusMessage || classes[0] || `Spark Connect call failed (${grpcStatus})`, {
    errorClass: md.errorClass || undefined, sqlState: md.sqlState || undefined, messageParameters: params,
    exceptionClasses: classes, queryContexts: [], grpcStatus,
  });
}
