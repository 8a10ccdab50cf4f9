// spark.readStream: Spark's DataStreamReader. Every builder call returns a new reader; load()
// returns a streaming DataFrame whose plan has the source as its leaf.
import { DataFrame } from '../dataframe/dataframe.js';
import type { Session } from '../dataframe/session.js';
import type { StructType } from '../dataframe/types.js';
import { namedMemoryStream } from './memory-stream.js';
import { RateSource, rateOptions } from './rate-source.js';
import { StreamingRelationNode, type StreamSource } from './source.js';

export type StreamOptionValue = string | number | boolean;
const FORMATS = ['rate', 'memory'] as const;

export class DataStreamReader {
  constructor(private readonly session: Session, private readonly fmt: string | null = null,
    private readonly opts: ReadonlyMap<string, StreamOptionValue> = new Map(), private readonly userSchema: StructType | null = null) {}

  /** The source: 'rate' (timestamp, value rows at rowsPerSecond) or 'memory' (a named MemoryStream). */
  format(source: string): DataStreamReader {
    const f = source.toLowerCase();
    if (!(FORMATS as readonly string[]).includes(f)) {
      throw new Error(`Data source ${source} does not support streamed reading; streaming sources: ${FORMATS.join(', ')} (files and kafka are not built yet)`);
    }
    return new DataStreamReader(this.session, f, this.opts, this.userSchema);
  }

  /** Option names are case-insensitive, as Spark's. */
  option(key: string, value: StreamOptionValue): DataStreamReader {
    return new DataStreamReader(this.session, this.fmt, new Map(this.opts).set(key.toLowerCase(), value), this.userSchema);
  }

  options(options: Record<string, StreamOptionValue>): DataStreamReader {
    let r: DataStreamReader = this;
    for (const [k, v] of Object.entries(options)) r = r.option(k, v);
    return r;
  }

  schema(schema: StructType): DataStreamReader { return new DataStreamReader(this.session, this.fmt, this.opts, schema); }

  load(): DataFrame {
    if (this.fmt === null) throw new Error('readStream.load(): choose a source with format(...) first (rate or memory)');
    let source: StreamSource;
    if (this.fmt === 'rate') {
      if (this.userSchema) throw new Error('The rate source does not support a user-specified schema.');
      source = new RateSource(this.session, rateOptions(this.opts, this.session.defaultParallelism));
    } else {
      const name = this.opts.get('name');
      if (name === undefined) throw new Error("readStream.format('memory') needs option('name', ...) naming a MemoryStream");
      return namedMemoryStream(this.session, String(name)).toDF();
    }
    return new DataFrame(this.session, new StreamingRelationNode(this.session.engine, source));
  }
}
