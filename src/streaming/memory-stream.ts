// Spark's MemoryStream: a source a program (a test, a demo) appends rows to. Each addData call is
// one offset, as in Spark: offset k covers the rows of the (k+1)-th call, and the first is 0.
import { DataFrame } from '../dataframe/dataframe.js';
import type { Session } from '../dataframe/session.js';
import type { Row } from '../dataframe/rows.js';
import { typeName, type StructType } from '../dataframe/types.js';
import { StreamingRelationNode, type Offset, type SourceBatch, type StreamSource } from './source.js';

let nextId = 0;
/** Named streams per session, for spark.readStream.format('memory').option('name', ...). */
const named = new WeakMap<Session, Map<string, MemoryStream>>();

/** The MemoryStream created with this name in this session. */
export function namedMemoryStream(session: Session, name: string): MemoryStream {
  const s = named.get(session)?.get(name);
  if (!s) throw new Error(`readStream.format('memory'): no MemoryStream named '${name}'; create one with new MemoryStream(spark, schema, { name: '${name}' })`);
  return s;
}

export class MemoryStream implements StreamSource {
  readonly format = 'memory';
  readonly id = nextId++;
  private readonly batches: Row[][] = [];

  /** `name` makes the stream readable as `spark.readStream.format('memory').option('name', name).load()`. */
  constructor(private readonly session: Session, readonly schema: StructType, options: { name?: string } = {}) {
    if (options.name !== undefined) {
      let m = named.get(session);
      if (!m) { m = new Map(); named.set(session, m); }
      m.set(options.name, this);
    }
  }

  get description(): string { return `MemoryStream[${this.schema.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(',')}]`; }

  /** Appends rows (checked against the schema at once); returns the offset they end at. */
  addData(rows: readonly Row[]): Offset {
    // Building a DataFrame checks every value against the schema now, not in a later batch.
    try {
      this.session.createDataFrame(rows, { schema: this.schema, numPartitions: 1 });
    } catch (e) {
      throw new Error(`MemoryStream.addData: ${(e as Error).message.replace(/^createDataFrame: /, '')}`, { cause: e });
    }
    this.batches.push([...rows]);
    return this.batches.length - 1;
  }

  /** A streaming DataFrame over this stream (Spark's toDF). */
  toDF(): DataFrame { return new DataFrame(this.session, new StreamingRelationNode(this.session.engine, this)); }

  async latestOffset(): Promise<Offset | null> { return this.batches.length ? this.batches.length - 1 : null; }

  async getBatch(start: Offset | null, end: Offset): Promise<SourceBatch> {
    if (end >= this.batches.length) {
      throw new Error(`MemoryStream: offset ${end} was never added (the stream has ${this.batches.length} batches); ` +
        'a query restarted from a checkpoint needs a MemoryStream holding the same data');
    }
    const rows = this.batches.slice((start ?? -1) + 1, end + 1).flat();
    const numPartitions = Math.max(1, Math.min(this.session.defaultParallelism, rows.length));
    return { df: this.session.createDataFrame(rows, { schema: this.schema, numPartitions }), rows: rows.length };
  }
}
