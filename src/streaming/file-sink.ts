// Spark's FileStreamSink: part files in the output directory, and a sink log in
// <path>/_spark_metadata/<batchId> ("v1", then one JSON line per file the batch added) naming the
// files each batch committed. A batch writes its parts into a hidden temporary directory (the
// DataFrame writer's atomic publish), moves them in, then writes its log entry in one step. A batch
// id already in the log is skipped, and parts no log entry names (left by a batch that died before
// its entry) are deleted when the sink starts: the directory then holds each batch exactly once.
// Not built: compaction of the log every 10 batches (Spark's .compact files).
import { randomUUID } from 'node:crypto';
import type { DataFrame } from '../dataframe/dataframe.js';
import type { OptionValue } from '../dataframe/io/options.js';
import { isHiddenName } from '../dataframe/io/files.js';
import type { FileSystem } from '../fs/index.js';
import type { Sink } from './sinks.js';

export const SINK_LOG = '_spark_metadata';

/** One line of a sink log entry (Spark's SinkFileStatus). */
export interface SinkFileStatus {
  path: string; size: number; isDir: boolean; modificationTime: number; blockReplication: number; blockSize: number; action: 'add' | 'delete';
}

/** The files a sink log holds, batch by batch (every entry, in batch order). */
export async function readSinkLog(fs: FileSystem, path: string): Promise<Map<number, SinkFileStatus[]>> {
  const dir = fs.join(path, SINK_LOG);
  const out = new Map<number, SinkFileStatus[]>();
  if (!(await fs.exists(dir))) return out;
  const ids = (await fs.list(dir)).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  for (const id of ids) {
    const lines = new TextDecoder().decode(await fs.readFile(fs.join(dir, String(id)))).split('\n').filter((l) => l !== '');
    if (lines[0] !== 'v1') throw new Error(`The file sink log entry ${fs.join(dir, String(id))} is not in Spark's v1 format`);
    out.set(id, lines.slice(1).map((l) => JSON.parse(l) as SinkFileStatus));
  }
  return out;
}

export class FileStreamSink implements Sink {
  private latestBatchId = -1;

  constructor(private readonly fs: FileSystem, readonly path: string, readonly format: 'parquet' | 'json' | 'csv',
    private readonly options: ReadonlyMap<string, OptionValue>) {}

  get description(): string { return `FileSink[${this.path}]`; }

  /** Reads the log and deletes part files it does not name and temporary directories (leftovers of a batch that died). */
  async recover(): Promise<void> {
    await this.fs.mkdirs(this.path);
    const log = await readSinkLog(this.fs, this.path);
    this.latestBatchId = log.size ? Math.max(...log.keys()) : -1;
    const logged = new Set([...log.values()].flat().map((f) => f.path));
    for (const name of await this.fs.list(this.path)) {
      if (name.startsWith('_temporary-')) { await this.fs.delete(this.fs.join(this.path, name), true); continue; } // a batch's unfinished parts
      if (isHiddenName(name)) continue;
      const file = this.fs.join(this.path, name);
      if (!logged.has(file) && !(await this.fs.isDirectory(file))) await this.fs.delete(file);
    }
  }

  async addBatch(batchId: number, df: DataFrame): Promise<number> {
    if (batchId <= this.latestBatchId) return 0; // committed before a restart: the log has it
    const temp = this.fs.join(this.path, `_temporary-${batchId}-${randomUUID()}`);
    df.persist(); // written and then counted: compute the batch once
    try {
      return await this.write(batchId, df, temp);
    } finally {
      df.unpersist();
    }
  }

  private async write(batchId: number, df: DataFrame, temp: string): Promise<number> {
    let writer = df.write.format(this.format).mode('overwrite');
    for (const [k, v] of this.options) writer = writer.option(k, v);
    await writer.save(temp);
    const entries: SinkFileStatus[] = [];
    const now = Date.now();
    for (const f of await this.fs.listFiles(temp)) {
      const name = f.path.slice(f.path.lastIndexOf('/') + 1);
      if (isHiddenName(name)) continue;
      const target = this.fs.join(this.path, name);
      await this.fs.rename(f.path, target);
      entries.push({ path: target, size: f.size, isDir: false, modificationTime: now, blockReplication: 1, blockSize: 33554432, action: 'add' });
    }
    await this.fs.delete(temp, true);
    const lines = ['v1', ...entries.map((e) => JSON.stringify(e))];
    await this.fs.writeFile(this.fs.join(this.path, SINK_LOG, String(batchId)), lines.join('\n'));
    this.latestBatchId = batchId;
    return df.count();
  }
}
