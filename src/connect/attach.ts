// Spark's SessionBuilder.remote(url): the builder lives a layer below (dataframe/), which cannot
// name the remote session, so remote() is added onto its prototype here, with its declaration,
// when the package (src/index.ts imports this module) is loaded — as rdd/attach.ts does.
import { SessionBuilder } from '../dataframe/session.js';
import { RemoteSession } from './session.js';
import { parseConnectionString } from './url.js';

/** Builds a RemoteSession; config() and appName() as on the local builder. */
export class RemoteSessionBuilder {
  private static active: RemoteSession | null = null;
  private readonly conf: Record<string, string> = {};
  constructor(private readonly url: string, private name = 'quiver') {}

  appName(name: string): this { this.name = name; return this; }

  /** A Spark setting for the server-side session (e.g. `spark.sql.ansi.enabled`), set when it is first reached. */
  config(key: string, value: string | number | boolean): this {
    if (typeof key !== 'string' || !key) throw new Error('config: expected a setting name');
    this.conf[key] = String(value);
    return this;
  }

  /** The active remote session for the same URL if there is one (its settings kept, as Spark's getOrCreate), else a new one. */
  getOrCreate(): RemoteSession {
    const a = RemoteSessionBuilder.active;
    if (a && !a.isStopped && a.url === this.url) return a;
    RemoteSessionBuilder.active = this.create();
    return RemoteSessionBuilder.active;
  }

  /** Always a new session (its own server-side session id). */
  create(): RemoteSession { return new RemoteSession(this.url, this.name, { ...this.conf }); }
}

declare module '../dataframe/session.js' {
  interface SessionBuilder {
    /**
     * A session on a Spark Connect server (Spark's connection string, e.g. `sc://127.0.0.1:15002`);
     * without an argument, the `SPARK_REMOTE` environment variable, as PySpark reads it.
     */
    remote(url?: string): RemoteSessionBuilder;
  }
}

Object.defineProperty(SessionBuilder.prototype, 'remote', {
  configurable: true,
  writable: true,
  value: function (this: SessionBuilder, url?: string): RemoteSessionBuilder {
    const target = url ?? process.env.SPARK_REMOTE;
    if (!target) throw new Error('remote(): give a connection string such as sc://localhost:15002, or set SPARK_REMOTE');
    // Parsed now, so a bad string fails at remote() rather than at the first query.
    parseConnectionString(target);
    // The app name given to the builder so far (a private field of the layer below, read, not changed).
    return new RemoteSessionBuilder(target, (this as unknown as { name: string }).name);
  },
});
