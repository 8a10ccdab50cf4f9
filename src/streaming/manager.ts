// spark.streams: Spark's StreamingQueryManager, one per session: the active queries, and the
// memory sinks by query name (Quiver has no table catalog, so a memory sink is read through
// spark.streams.table(name) or query.sink rather than spark.table(name)).
import type { DataFrame } from '../dataframe/dataframe.js';
import type { MemorySink } from './sinks.js';
import type { StreamingQuery } from './query.js';

export class StreamingQueryManager {
  private readonly running = new Set<StreamingQuery>();
  /** The memory sink of each query name (kept after the query stops, as Spark keeps the table). */
  readonly memorySinks = new Map<string, MemorySink>();

  /** The queries running now. */
  get active(): StreamingQuery[] { return [...this.running]; }

  /** The active query with this id or name, else null. */
  get(idOrName: string): StreamingQuery | null {
    return this.active.find((q) => q.id === idOrName || q.name === idOrName) ?? null;
  }

  /** The rows a memory sink holds, as a DataFrame (Spark's spark.table(queryName)). */
  table(name: string): DataFrame {
    const sink = this.memorySinks.get(name);
    if (!sink) throw new Error(`Table or view not found: ${name} (no memory sink of that query name in this session)`);
    return sink.toDF();
  }

  /** Waits until any active query ends (true), or `timeoutMs` passes (false); a failed query's exception is thrown. */
  async awaitAnyTermination(timeoutMs?: number): Promise<boolean> {
    const qs = this.active;
    if (!qs.length) return true;
    return Promise.race(qs.map((q) => q.awaitTermination(timeoutMs)));
  }

  /** @internal */
  add(q: StreamingQuery): void { this.running.add(q); }
  /** @internal */
  remove(q: StreamingQuery): void { this.running.delete(q); }
}
