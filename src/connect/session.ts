// A session whose DataFrames run on a Spark Connect server: Spark's SparkSession.builder.remote().
// The channel opens on first use (connecting is asynchronous; getOrCreate() is not), and stop()
// releases the server-side session.
import { tableToIPC, Table } from 'apache-arrow';
import { makeBatch } from '../dataframe/batch.js';
import { columnFromRows, inferSchema, type Row } from '../dataframe/rows.js';
import type { OptionValue } from '../dataframe/io/options.js';
import { toArrowSchema, type StructType } from '../dataframe/types.js';
import { SparkConnectClient, type Message } from './client.js';
import { RemoteDataFrame } from './dataframe.js';
import { parseConnectionString, type ConnectionSpec } from './url.js';

/** A remote session's Spark settings (Spark's spark.conf), read and written on the server. */
export class RemoteRuntimeConfig {
  constructor(private readonly session: RemoteSession) {}
  /** The setting's value on the server, else `fallback`. */
  async get(key: string, fallback?: string): Promise<string | undefined> {
    const [v] = await (await this.session.client()).getConf([key]);
    return v ?? fallback;
  }
  async set(key: string, value: string | number | boolean): Promise<void> {
    await (await this.session.client()).setConf({ [key]: String(value) });
  }
}

export class RemoteSession {
  readonly read: RemoteDataFrameReader;
  readonly conf: RemoteRuntimeConfig;
  readonly connection: ConnectionSpec;
  private connecting: Promise<SparkConnectClient> | null = null;
  private stopped = false;

  /** @param url Spark's connection string, `sc://host[:port][/;token=...;use_ssl=true;user_id=...;session_id=...]`. */
  /** @param initialConf Spark settings applied to the server-side session when it is first reached. */
  constructor(readonly url: string, readonly appName = 'quiver', private readonly initialConf: Readonly<Record<string, string>> = {}) {
    this.connection = parseConnectionString(url);
    this.read = new RemoteDataFrameReader(this);
    this.conf = new RemoteRuntimeConfig(this);
  }

  get isStopped(): boolean { return this.stopped; }

  /** The connected client (connecting on first call; a failed connection is retried by the next call). */
  client(): Promise<SparkConnectClient> {
    if (this.stopped) return Promise.reject(new Error(`remote session ${this.url} was stopped`));
    this.connecting ??= SparkConnectClient.connect(this.connection)
      .then(async (c) => { await c.setConf(this.initialConf); return c; })
      .catch((e: unknown) => { this.connecting = null; throw e; });
    return this.connecting;
  }

  /** The server's Spark version. */
  async version(): Promise<string> { return (await this.client()).sparkVersion(); }

  /** Spark's range: one long column `id` from start (inclusive) to end (exclusive). */
  range(start: number, end?: number, step = 1, numPartitions?: number): RemoteDataFrame {
    const [s, e] = end === undefined ? [0, start] : [start, end];
    for (const [name, v] of [['start', s], ['end', e], ['step', step]] as const) {
      if (!Number.isSafeInteger(v)) throw new Error(`range: ${name} must be an integer but got ${v}`);
    }
    if (step === 0) throw new Error('range: step must not be 0');
    return this.frame({ range: { start: s, end: e, step, ...(numPartitions !== undefined ? { num_partitions: numPartitions } : {}) } });
  }

  /** A query in Spark SQL, analysed and run by the server. */
  sql(query: string): RemoteDataFrame {
    if (typeof query !== 'string' || !query.trim()) throw new Error('sql: expected a non-empty query string');
    return this.frame({ sql: { query } });
  }

  /** Rows (typed as the local createDataFrame types them) or an Arrow table, sent as one Arrow IPC LocalRelation. */
  createDataFrame(data: readonly Row[] | Table, options: { schema?: StructType } = {}): RemoteDataFrame {
    let table: Table;
    if (data instanceof Table) table = data;
    else {
      if (!Array.isArray(data)) throw new Error('createDataFrame: expected an array of row objects or an apache-arrow Table');
      const schema = options.schema ?? inferSchema(data);
      const batch = makeBatch(toArrowSchema(schema), schema.fields.map((f) => columnFromRows(f, data, 0, data.length)), data.length);
      table = new Table(batch);
    }
    return this.frame({ local_relation: { data: Buffer.from(tableToIPC(table, 'stream')) } });
  }

  /** The named table or view of the server's catalog. */
  table(name: string): RemoteDataFrame { return this.read.table(name); }

  /** Releases the session on the server and closes the channel; DataFrames of it stop working. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pending = this.connecting;
    this.connecting = null;
    if (pending) await pending.then((c) => c.close(), () => undefined);
  }

  /** @internal */
  frame(relation: Message): RemoteDataFrame { return new RemoteDataFrame(this, relation); }
}

/** `spark.read` of a remote session: Spark's data sources, read by the server from paths it sees. */
export class RemoteDataFrameReader {
  constructor(private readonly session: RemoteSession, private readonly fmt?: string,
    private readonly opts: Readonly<Record<string, string>> = {}, private readonly ddl?: string) {}

  format(source: string): RemoteDataFrameReader { return new RemoteDataFrameReader(this.session, source, this.opts, this.ddl); }
  option(key: string, value: OptionValue): RemoteDataFrameReader {
    return new RemoteDataFrameReader(this.session, this.fmt, { ...this.opts, [key]: String(value) }, this.ddl);
  }
  options(options: Record<string, OptionValue>): RemoteDataFrameReader {
    return Object.entries(options).reduce<RemoteDataFrameReader>((r, [k, v]) => r.option(k, v), this);
  }
  /** The schema as a DDL string ('a DOUBLE, b STRING'), parsed by Spark. */
  schema(ddl: string): RemoteDataFrameReader {
    if (typeof ddl !== 'string') throw new Error('schema: a remote reader takes a DDL string such as "a DOUBLE, b STRING"');
    return new RemoteDataFrameReader(this.session, this.fmt, this.opts, ddl);
  }

  /**
   * The files at `paths` in the reader's format, as the server sees them. Async like the local
   * reader's: Spark resolves the schema now (one AnalyzePlan call), so a missing path or a bad
   * schema fails here, with Spark's error, rather than at the first action.
   */
  async load(...paths: string[]): Promise<RemoteDataFrame> {
    if (paths.length === 0) throw new Error('load: give at least one path');
    const df = this.session.frame({
      read: { data_source: { format: this.fmt ?? 'parquet', options: this.opts, paths, ...(this.ddl !== undefined ? { schema: this.ddl } : {}) } },
    });
    await df.schema();
    return df;
  }
  parquet(...paths: string[]): Promise<RemoteDataFrame> { return this.format('parquet').load(...paths); }
  csv(path: string | string[], options: Record<string, OptionValue> = {}): Promise<RemoteDataFrame> { return this.format('csv').options(options).load(...[path].flat()); }
  json(path: string | string[], options: Record<string, OptionValue> = {}): Promise<RemoteDataFrame> { return this.format('json').options(options).load(...[path].flat()); }
  /** A table or view of the server's catalog (lazy: Spark resolves it at the first action). */
  table(name: string): RemoteDataFrame { return this.session.frame({ read: { named_table: { unparsed_identifier: name, options: this.opts } } }); }
}
