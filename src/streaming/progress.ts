// Spark's StreamingQueryProgress, with its JSON field names.

export interface SourceProgress {
  description: string;
  startOffset: number | null;
  endOffset: number | null;
  latestOffset: number | null;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
}

export interface StateOperatorProgress { operatorName: string; numRowsTotal: number; numRowsUpdated: number }

export interface StreamingQueryProgress {
  id: string;
  runId: string;
  name: string | null;
  /** When the trigger began (ISO 8601). */
  timestamp: string;
  batchId: number;
  numInputRows: number;
  /** Input rows over the time since the previous trigger began (NaN for the first). */
  inputRowsPerSecond: number;
  /** Input rows over this trigger's execution time. */
  processedRowsPerSecond: number;
  /** Milliseconds by phase: latestOffset, walCommit (offsets log), getBatch, queryPlanning, addBatch (the sink), commitOffsets, triggerExecution (all). */
  durationMs: Record<'latestOffset' | 'walCommit' | 'getBatch' | 'queryPlanning' | 'addBatch' | 'commitOffsets' | 'triggerExecution', number>;
  stateOperators: StateOperatorProgress[];
  sources: SourceProgress[];
  sink: { description: string; numOutputRows: number };
}

export const rate = (rows: number, ms: number): number => (ms > 0 ? (rows * 1000) / ms : Number.NaN);
