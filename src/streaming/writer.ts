// df.writeStream: Spark's DataStreamWriter. start() checks everything that can be refused (the
// plan's operations for the output mode, the sink's options, the checkpoint) before the first
// batch, then starts the query's loop.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DataFrame } from '../dataframe/dataframe.js';
import { Session } from '../dataframe/session.js';
import type { OptionValue } from '../dataframe/io/options.js';
import { fsFor, s3SettingsOf } from '../dataframe/io/files.js';
import { normalizePath } from '../fs/index.js';
import { typeName } from '../dataframe/types.js';
import { analyzeStreamingPlan, type OutputMode } from './analysis.js';
import { Checkpoint } from './checkpoint.js';
import { AnalysisException } from './errors.js';
import { FileStreamSink } from './file-sink.js';
import { ConsoleSink, ForeachBatchSink, MemorySink, type ForeachBatchFunction, type Sink } from './sinks.js';
import { StreamingQuery } from './query.js';
import { parseTrigger, type Trigger, type TriggerSpec } from './trigger.js';
import { streamsOf } from './streams.js';

const FORMATS = ['memory', 'console', 'parquet', 'json', 'csv', 'foreachBatch'] as const;
type SinkFormat = (typeof FORMATS)[number];
const MODES: readonly OutputMode[] = ['append', 'complete', 'update'];

interface WriterState {
  format: SinkFormat | null;
  mode: OutputMode;
  trigger: Trigger;
  options: ReadonlyMap<string, OptionValue>;
  name: string | null;
  foreachBatch: ForeachBatchFunction | null;
}

export class DataStreamWriter {
  private readonly s: WriterState;
  /** @internal Use `df.writeStream`. */
  constructor(readonly df: DataFrame, state?: WriterState) {
    this.s = state ?? { format: null, mode: 'append', trigger: { kind: 'processingTime', intervalMs: 0 }, options: new Map(), name: null, foreachBatch: null };
  }

  /** An option by its name in any case (Spark's options are case-insensitive). */
  private opt(key: string): OptionValue | undefined {
    for (const [k, v] of this.s.options) if (k.toLowerCase() === key.toLowerCase()) return v;
    return undefined;
  }

  private with(change: Partial<WriterState>): DataStreamWriter { return new DataStreamWriter(this.df, { ...this.s, ...change }); }

  /** The sink: 'memory', 'console', 'parquet', 'json' or 'csv' (foreachBatch(fn) for your own). */
  format(sink: string): DataStreamWriter {
    const f = FORMATS.find((x) => x.toLowerCase() === sink.toLowerCase());
    if (!f || f === 'foreachBatch') throw new Error(`Data source ${sink} does not support streamed writing; sinks: memory, console, parquet, json, csv, or foreachBatch(fn)`);
    return this.with({ format: f });
  }

  /** 'append' (default: new rows only), 'complete' (the whole aggregation every batch) or 'update' (changed aggregation rows). */
  outputMode(mode: string): DataStreamWriter {
    const m = MODES.find((x) => x === mode.toLowerCase());
    if (!m) throw new Error(`Unknown output mode ${mode}. Accepted output modes are 'append', 'complete', 'update'`);
    return this.with({ mode: m });
  }

  /** `{ processingTime: '500 milliseconds' }` (default 0: as fast as possible), `{ once: true }` or `{ availableNow: true }`. */
  trigger(trigger: TriggerSpec): DataStreamWriter { return this.with({ trigger: parseTrigger(trigger) }); }

  option(key: string, value: OptionValue): DataStreamWriter { return this.with({ options: new Map(this.s.options).set(key, value) }); }

  options(options: Record<string, OptionValue>): DataStreamWriter {
    let w: DataStreamWriter = this;
    for (const [k, v] of Object.entries(options)) w = w.option(k, v);
    return w;
  }

  /** The query's name: shown in progress, and the name of a memory sink's table. */
  queryName(name: string): DataStreamWriter { return this.with({ name }); }

  /** Calls `fn(batchDf, batchId)` for every micro-batch (a replayed batch comes again with the same id). */
  foreachBatch(fn: ForeachBatchFunction): DataStreamWriter {
    if (typeof fn !== 'function') throw new Error('foreachBatch: expected a function (df, batchId) => Promise<void>');
    return this.with({ format: 'foreachBatch', foreachBatch: fn });
  }

  /** Starts the query (file sinks: the output directory as `path` or the 'path' option). */
  async start(outputPath?: string): Promise<StreamingQuery> {
    const { df, s } = this;
    if (!df.isStreaming) throw new AnalysisException("'writeStream' can be called only on streaming Dataset/DataFrame");
    const session = df.session;
    if (!(session instanceof Session)) throw new Error('writeStream: this DataFrame was not made by a Session');
    const format = s.format ?? 'parquet'; // Spark's default source
    const plan = analyzeStreamingPlan(df.node, s.mode);
    const streams = streamsOf(session);
    if (s.name !== null && streams.get(s.name)) {
      throw new Error(`Cannot start query with name ${s.name} as a query with that name is already active in this SparkSession`);
    }
    const conf = session.conf;
    const s3 = s3SettingsOf(conf);
    const isFile = format === 'parquet' || format === 'json' || format === 'csv';
    if (isFile && s.mode !== 'append') throw new AnalysisException(`Data source ${format} does not support ${s.mode[0].toUpperCase()}${s.mode.slice(1)} output mode.`);
    if (format === 'memory' && s.name === null) throw new AnalysisException('queryName must be specified for memory sink');
    if (isFile && outputPath === undefined && this.opt('path') === undefined) {
      throw new Error(`'path' is not specified: pass the output directory to start(path) or set option('path', ...)`);
    }

    // The checkpoint: the option, else <spark.sql.streaming.checkpointLocation>/<name or id>, else a temporary one for memory and console.
    let location = this.opt('checkpointLocation') as string | undefined;
    let temporary: string | null = null;
    const root = conf.get('spark.sql.streaming.checkpointLocation');
    if (location === undefined && root !== undefined) location = `${String(root)}/${s.name ?? randomUUID()}`;
    if (location === undefined) {
      if (format !== 'memory' && format !== 'console') {
        throw new AnalysisException('checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...)');
      }
      temporary = await mkdtemp(path.join(os.tmpdir(), 'quiver-checkpoint-'));
      location = temporary;
    }
    const checkpoint = new Checkpoint(fsFor(String(location), s3), normalizePath(String(location)));
    const fields = df.schema.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(',');
    const id = await checkpoint.open({
      sources: plan.sources.map((n) => `${n.source.format}[${n.source.schema.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(',')}]`),
      output: `${format}/${s.mode}[${fields}]`,
    }, randomUUID());
    if (streams.active.some((q) => q.id === id)) {
      throw new Error(`Cannot start query with id ${id} as another query with same id is already active. Perhaps you are attempting to restart a query from checkpoint that is already active.`);
    }

    const sink = await this.makeSink(format, session, outputPath, id);
    const query = new StreamingQuery({
      session, root: df.node, plan, sink, mode: s.mode, trigger: s.trigger, checkpoint, name: s.name, id,
      onTerminate: async (q) => {
        streams.remove(q);
        if (temporary && !q.exception) await rm(temporary, { recursive: true, force: true });
      },
    });
    streams.add(query);
    return query;
  }

  private async makeSink(format: SinkFormat, session: Session, outputPath: string | undefined, queryId: string): Promise<Sink> {
    const s = this.s;
    switch (format) {
      case 'memory': {
        const streams = streamsOf(session);
        // A restart of the same query (same checkpoint, so same id) continues its table; the sink skips
        // batch ids it holds. Any other query of that name starts a new table.
        const old = streams.memorySinks.get(s.name!);
        const sink = old && old.queryId === queryId ? old : new MemorySink(session, s.name!, this.df.schema, queryId);
        streams.memorySinks.set(s.name!, sink);
        return sink;
      }
      case 'console': {
        const n = Number(this.opt('numRows') ?? 20);
        if (!Number.isInteger(n) || n <= 0) throw new Error(`console sink: numRows must be a positive integer but got ${String(this.opt('numRows'))}`);
        return new ConsoleSink(n, String(this.opt('truncate') ?? 'true').toLowerCase() !== 'false');
      }
      case 'foreachBatch': return new ForeachBatchSink(s.foreachBatch!);
      default: {
        const target = outputPath ?? (this.opt('path') as string | undefined);
        if (target === undefined) throw new Error(`'path' is not specified: pass the output directory to start(path) or set option('path', ...)`);
        const writeOptions = new Map([...s.options].filter(([k]) => !['path', 'checkpointlocation'].includes(k.toLowerCase())));
        const sink = new FileStreamSink(fsFor(target, s3SettingsOf(session.conf)), normalizePath(target), format, writeOptions);
        await sink.recover();
        return sink;
      }
    }
  }
}
