// A query's checkpoint directory in Spark's layout:
//   metadata          {"id":"<query id>"} (plus what this query reads and writes, to refuse another query's checkpoint)
//   offsets/<batch>   v1, {"batchWatermarkMs":0,"batchTimestampMs":…,"conf":{}}, then one offset line per source ('-' for none)
//   commits/<batch>   v1, {"nextBatchWatermarkMs":0}
//   sources/<i>/      each source's own metadata (the rate source's start time)
//   state/<batch>/    aggregation state after the batch (Arrow IPC parts; Quiver's own, see aggregation-state.ts)
// A batch's offsets are written before it runs and its commit after its sink; a restart replays an
// offsets entry without a commit with the same offsets.
import type { FileSystem } from '../fs/index.js';
import type { Offset } from './source.js';

/** What identifies a query in its checkpoint: its sources and its output. */
export interface QueryFingerprint { sources: string[]; output: string }

export class Checkpoint {
  constructor(readonly fs: FileSystem, readonly dir: string) {}

  path(...parts: string[]): string { return this.fs.join(this.dir, ...parts); }

  /**
   * The query id kept in `metadata`, written with `fingerprint` when the directory is new. A
   * directory written by a query with other sources or another output is refused, naming both.
   */
  async open(fingerprint: QueryFingerprint, newId: string): Promise<string> {
    const file = this.path('metadata');
    if (!(await this.fs.exists(file))) {
      await this.fs.mkdirs(this.dir);
      await this.fs.writeFile(file, `${JSON.stringify({ id: newId, quiverQuery: fingerprint })}\n`);
      return newId;
    }
    const text = new TextDecoder().decode(await this.fs.readFile(file));
    let meta: { id?: unknown; quiverQuery?: QueryFingerprint };
    try { meta = JSON.parse(text.split('\n')[0]) as typeof meta; } catch {
      throw new Error(`The checkpoint metadata ${file} is not JSON; is ${this.dir} a streaming checkpoint?`);
    }
    if (typeof meta.id !== 'string') throw new Error(`The checkpoint metadata ${file} has no query id; is ${this.dir} a streaming checkpoint?`);
    const old = meta.quiverQuery;
    if (old && (old.output !== fingerprint.output || JSON.stringify(old.sources) !== JSON.stringify(fingerprint.sources))) {
      throw new Error(`The checkpoint ${this.dir} belongs to another query (id ${meta.id}), which read [${old.sources.join(', ')}] ` +
        `and wrote ${old.output}; this query reads [${fingerprint.sources.join(', ')}] and writes ${fingerprint.output}. ` +
        'Use a new checkpointLocation for a different query.');
    }
    return meta.id;
  }

  /** The highest batch id in a log, or null when it is empty. */
  async latest(log: 'offsets' | 'commits'): Promise<number | null> {
    const dir = this.path(log);
    if (!(await this.fs.exists(dir))) return null;
    const ids = (await this.fs.list(dir)).filter((n) => /^\d+$/.test(n)).map(Number);
    return ids.length ? Math.max(...ids) : null;
  }

  async readOffsets(batchId: number): Promise<(Offset | null)[]> {
    const file = this.path('offsets', String(batchId));
    const lines = new TextDecoder().decode(await this.fs.readFile(file)).split('\n').filter((l) => l !== '');
    if (lines[0] !== 'v1' || lines.length < 2) throw new Error(`The offsets log entry ${file} is not in Spark's v1 format`);
    return lines.slice(2).map((l) => (l === '-' ? null : (JSON.parse(l) as Offset)));
  }

  async writeOffsets(batchId: number, offsets: readonly (Offset | null)[], batchTimestampMs: number, conf: Record<string, string>): Promise<void> {
    const meta = JSON.stringify({ batchWatermarkMs: 0, batchTimestampMs, conf });
    const lines = ['v1', meta, ...offsets.map((o) => (o === null ? '-' : JSON.stringify(o)))];
    await this.fs.writeFile(this.path('offsets', String(batchId)), lines.join('\n'));
  }

  async writeCommit(batchId: number): Promise<void> {
    await this.fs.writeFile(this.path('commits', String(batchId)), `v1\n${JSON.stringify({ nextBatchWatermarkMs: 0 })}`);
  }

  /** Deletes the offsets and commit of a batch long committed (Spark keeps the last minBatchesToRetain). */
  async purge(batchId: number): Promise<void> {
    for (const log of ['offsets', 'commits']) {
      const file = this.path(log, String(batchId));
      if (await this.fs.exists(file)) await this.fs.delete(file);
    }
  }
}
