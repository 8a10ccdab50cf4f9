// A streaming source and the plan leaf that stands for it. The leaf cannot be computed: a query's
// micro-batch replaces it by the rows of the batch's offset range (see plan-batch.ts).
import type { DataFrame } from '../dataframe/dataframe.js';
import type { EngineContext } from '../engine/context.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { LogicalNode } from '../dataframe/logical.js';
import type { StructType } from '../dataframe/types.js';
import type { FileSystem } from '../fs/index.js';
import { AnalysisException } from './errors.js';

/** An offset as it is written to the checkpoint's offsets log: any JSON value the source understands. */
export type Offset = number;

/** The rows between two offsets of a source, as a batch DataFrame. */
export interface SourceBatch { df: DataFrame; rows: number }

/** Spark's Source (micro-batch stream): offsets that only grow, and the rows between two of them. */
export interface StreamSource {
  readonly schema: StructType;
  /** The format name ('memory', 'rate'); with the schema it identifies the source in a checkpoint. */
  readonly format: string;
  /** What progress reports and the checkpoint's fingerprint call it, e.g. `MemoryStream[id=0]`, `RateStreamV2[rowsPerSecond=1, ...]`. */
  readonly description: string;
  /** Called once per query start with the source's own folder in the checkpoint (sources/<i>), before any offset is asked for. */
  initialize?(fs: FileSystem, dir: string): Promise<void>;
  /** The newest offset now, or null when the source has no data yet. */
  latestOffset(): Promise<Offset | null>;
  /** The rows after `start` (exclusive; null: from the beginning) up to `end` (inclusive). */
  getBatch(start: Offset | null, end: Offset): Promise<SourceBatch>;
}

/** The leaf of a streaming DataFrame's plan. */
export class StreamingRelationNode extends LogicalNode {
  constructor(engine: EngineContext, readonly source: StreamSource) { super(engine); }
  get schema(): StructType { return this.source.schema; }
  override get isStreamingSource(): boolean { return true; }
  numPartitions(): number { return 1; }
  protected compute(): Promise<PartitionPlan[]> {
    throw new AnalysisException('Queries with streaming sources must be executed with writeStream.start();');
  }
}
