// Where a micro-batch's rows go. Every sink is told the batch id, so a batch replayed after a
// restart is recognised: sinks that remember what they wrote (memory, files) skip a batch id they
// already hold, which makes them exactly-once together with the checkpoint's offsets log.
import type { DataFrame } from '../dataframe/dataframe.js';
import type { Session } from '../dataframe/session.js';
import type { Row } from '../dataframe/rows.js';
import type { StructType } from '../dataframe/types.js';
import type { OutputMode } from './analysis.js';

export interface Sink {
  readonly description: string;
  /** Writes one batch; returns the number of rows written (for progress reports). */
  addBatch(batchId: number, df: DataFrame, mode: OutputMode): Promise<number>;
}

/**
 * Spark's memory sink: the rows of every batch kept on the driver (for tests and demos). In complete
 * mode each batch replaces the rows; in append and update mode it adds to them.
 */
export class MemorySink implements Sink {
  private data: Row[] = [];
  private latestBatchId = -1;
  /** The rows each batch brought, by batch id (what a test compares with per batch). */
  readonly batches = new Map<number, Row[]>();

  /** @internal Made by `writeStream.format('memory')`; `queryId` is the query whose batches it holds. */
  constructor(private readonly session: Session, readonly name: string, readonly schema: StructType, readonly queryId: string) {}

  get description(): string { return `MemorySink[${this.name}]`; }
  get lastBatchId(): number { return this.latestBatchId; }

  async addBatch(batchId: number, df: DataFrame, mode: OutputMode): Promise<number> {
    if (batchId <= this.latestBatchId) return 0; // a replayed batch this sink already holds
    const rows = await df.collect();
    this.data = mode === 'complete' ? rows : [...this.data, ...rows];
    this.batches.set(batchId, rows);
    this.latestBatchId = batchId;
    return rows.length;
  }

  /** Every row the sink holds now. */
  rows(): Row[] { return [...this.data]; }

  /** The rows as a (batch) DataFrame. */
  toDF(): DataFrame { return this.session.createDataFrame(this.data, { schema: this.schema, numPartitions: 1 }); }
}

/** Spark's console sink: each batch printed with show() under a `Batch: n` banner. */
export class ConsoleSink implements Sink {
  readonly description = 'ConsoleSink';
  constructor(private readonly numRows: number, private readonly truncate: boolean,
    private readonly write: (text: string) => void = (t) => { process.stdout.write(t); }) {}

  async addBatch(batchId: number, df: DataFrame): Promise<number> {
    const line = '-------------------------------------------';
    this.write(`${line}\nBatch: ${batchId}\n${line}\n`);
    df.persist(); // shown, then counted: compute the batch once
    try {
      await df.show(this.numRows, this.truncate);
      return await df.count();
    } finally {
      df.unpersist();
    }
  }
}

export type ForeachBatchFunction = (df: DataFrame, batchId: number) => Promise<void> | void;

/** foreachBatch: the user's function gets each batch as a DataFrame (at-least-once: a replayed batch comes again with the same id). */
export class ForeachBatchSink implements Sink {
  readonly description = 'ForeachBatchSink';
  constructor(private readonly fn: ForeachBatchFunction) {}
  async addBatch(batchId: number, df: DataFrame): Promise<number> {
    await this.fn(df, batchId);
    return -1; // Spark reports -1 output rows for foreachBatch: the sink cannot know
  }
}
