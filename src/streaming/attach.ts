// Streaming sits one layer above the DataFrame, so the DataFrame layer cannot name it. What Spark
// puts on its classes — `spark.readStream`, `spark.streams`, `df.writeStream` — is added here, onto
// the prototypes, with the matching declarations, when the package (src/index.ts) is loaded.
import { DataFrame } from '../dataframe/dataframe.js';
import { Session } from '../dataframe/session.js';
import type { StreamingQueryManager } from './manager.js';
import { DataStreamReader } from './reader.js';
import { streamsOf } from './streams.js';
import { DataStreamWriter } from './writer.js';

declare module '../dataframe/session.js' {
  interface Session {
    /** Spark's readStream: a streaming DataFrame over the 'rate' source or a named MemoryStream. */
    readonly readStream: DataStreamReader;
    /** The session's streaming queries (Spark's StreamingQueryManager). */
    readonly streams: StreamingQueryManager;
  }
}

declare module '../dataframe/dataframe.js' {
  interface DataFrame {
    /** Spark's writeStream: runs a streaming DataFrame as a query of micro-batches into a sink. */
    readonly writeStream: DataStreamWriter;
  }
}

Object.defineProperty(Session.prototype, 'readStream', {
  configurable: true,
  get(this: Session) { return new DataStreamReader(this); },
});

Object.defineProperty(Session.prototype, 'streams', {
  configurable: true,
  get(this: Session) { return streamsOf(this); },
});

// Stopping a session stops its streaming queries first (as Spark's SparkSession.stop), so no batch
// runs on a stopped engine.
const stop = Session.prototype.stop as (this: Session) => Promise<void>;
Object.defineProperty(Session.prototype, 'stop', {
  configurable: true,
  writable: true,
  value: async function (this: Session): Promise<void> {
    await Promise.all(streamsOf(this).active.map((q) => q.stop()));
    await stop.call(this);
  },
});

Object.defineProperty(DataFrame.prototype, 'writeStream', {
  configurable: true,
  get(this: DataFrame) { return new DataStreamWriter(this); },
});
