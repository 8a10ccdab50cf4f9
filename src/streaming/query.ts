// A running streaming query: Spark's MicroBatchExecution. One loop per query, on the driver:
//   1. decide the batch's end offsets (the sources' latest), unless a batch is pending from the
//      checkpoint (its offsets were logged but it never committed: it is replayed with them);
//   2. write offsets/<batchId> BEFORE running anything;
//   3. run the batch as an ordinary DataFrame: the plan with each source leaf replaced by the rows
//      between the previous and the new offsets (and a streaming aggregation by its merged state);
//   4. hand it to the sink with its batch id, then write commits/<batchId>.
// A failure stops the query with the error as its exception; nothing after the failed step is
// written, so a restart from the checkpoint replays the batch.
import { randomUUID } from 'node:crypto';
import { DataFrame } from '../dataframe/dataframe.js';
import type { Session } from '../dataframe/session.js';
import type { LogicalNode } from '../dataframe/logical.js';
import { AggregationState } from './aggregation-state.js';
import { replaceInPlan, type OutputMode, type StreamingPlan } from './analysis.js';
import type { Checkpoint } from './checkpoint.js';
import { StreamingQueryException } from './errors.js';
import { rate, type SourceProgress, type StreamingQueryProgress } from './progress.js';
import type { Sink } from './sinks.js';
import type { Offset } from './source.js';
import type { Trigger } from './trigger.js';

/** How long an idle query with a zero interval waits before asking its sources again (Spark's pollingDelay). */
const POLLING_DELAY_MS = 10;
const PROGRESS_KEPT = 100; // spark.sql.streaming.numRecentProgressUpdates
const BATCHES_RETAINED = 100; // spark.sql.streaming.minBatchesToRetain: older offsets and commits are deleted

export interface QuerySpec {
  session: Session;
  root: LogicalNode;
  plan: StreamingPlan;
  sink: Sink;
  mode: OutputMode;
  trigger: Trigger;
  checkpoint: Checkpoint;
  name: string | null;
  id: string;
  /** Called once when the query ends (to leave the active list, delete a temporary checkpoint). */
  onTerminate: (q: StreamingQuery) => Promise<void>;
}

interface Waiter { after: number; resolve: () => void; reject: (e: unknown) => void }

export class StreamingQuery {
  readonly id: string;
  readonly runId = randomUUID();
  readonly name: string | null;
  /** The sink (a MemorySink for format 'memory', holding the rows). */
  readonly sink: Sink;
  private readonly progress: StreamingQueryProgress[] = [];
  private failure: StreamingQueryException | null = null;
  private stopping = false;
  private done = false;
  private checks = 0;
  private waiters: Waiter[] = [];
  private wake: (() => void) | null = null;
  private phase: 'initializing' | 'waiting' | 'processing' | 'stopped' = 'initializing';
  private dataAvailable = false;
  private readonly finished: Promise<void>;
  private readonly state: AggregationState | null;

  /** @internal Use `df.writeStream...start()`. */
  constructor(private readonly spec: QuerySpec) {
    this.id = spec.id;
    this.name = spec.name;
    this.sink = spec.sink;
    this.state = spec.plan.aggregation ? new AggregationState(spec.session, spec.plan.aggregation, spec.checkpoint, spec.mode) : null;
    this.finished = this.run();
  }

  get isActive(): boolean { return !this.done; }
  /** Why the query stopped, if it failed. */
  get exception(): StreamingQueryException | null { return this.failure; }
  get lastProgress(): StreamingQueryProgress | null { return this.progress[this.progress.length - 1] ?? null; }
  get recentProgress(): StreamingQueryProgress[] { return [...this.progress]; }
  /** Spark's status: what the loop is doing now. */
  get status(): { message: string; isDataAvailable: boolean; isTriggerActive: boolean } {
    const message = { initializing: 'Initializing sources', waiting: this.dataAvailable ? 'Waiting for next trigger' : 'Waiting for data to arrive',
      processing: 'Processing new data', stopped: 'Stopped' }[this.phase];
    return { message, isDataAvailable: this.dataAvailable, isTriggerActive: this.phase === 'processing' };
  }

  /**
   * Resolves when the query has ended: true, or false when `timeoutMs` passed first. A query that
   * failed makes this throw its exception.
   */
  async awaitTermination(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs === undefined) { await this.finished; this.throwFailure(); return true; }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    const ended = await Promise.race([this.finished.then(() => true as const), timeout]);
    clearTimeout(timer);
    if (ended) this.throwFailure();
    return ended;
  }

  /** Waits until every row the sources had when this was called is processed and committed (for tests). */
  processAllAvailable(): Promise<void> {
    if (this.done) { this.throwFailure(); return Promise.resolve(); }
    return new Promise((resolve, reject) => {
      this.waiters.push({ after: this.checks, resolve, reject });
      this.wake?.();
    });
  }

  /** Stops after the batch that is running, if any (its commit is written first). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.finished;
  }

  private throwFailure(): void { if (this.failure) throw this.failure; }

  private async run(): Promise<void> {
    try {
      await this.loop();
    } catch (e) {
      const label = this.name === null ? `[id = ${this.id}, runId = ${this.runId}]` : `${this.name} [id = ${this.id}, runId = ${this.runId}]`;
      this.failure = new StreamingQueryException(`Query ${label} terminated with exception: ${(e as Error).message}`, this.id, this.runId, { cause: e });
    }
    this.done = true;
    this.phase = 'stopped';
    for (const w of this.waiters.splice(0)) (this.failure ? w.reject(this.failure) : w.resolve());
    await this.spec.onTerminate(this).catch(() => undefined);
  }

  private async loop(): Promise<void> {
    const { checkpoint, plan } = this.spec;
    const sources = plan.sources.map((n) => n.source);
    for (const [i, s] of sources.entries()) await s.initialize?.(checkpoint.fs, checkpoint.path('sources', String(i)));
    const committed = await checkpoint.latest('commits');
    const logged = await checkpoint.latest('offsets');
    let batchId = committed === null ? 0 : committed + 1;
    let done: (Offset | null)[] = committed === null ? sources.map(() => null) : await checkpoint.readOffsets(committed);
    let pending = logged !== null && logged >= batchId ? await checkpoint.readOffsets(logged) : null;
    if (pending && logged! > batchId) throw new Error(`The checkpoint ${checkpoint.dir} has offsets for batch ${logged} but no commit for batch ${batchId}; it is damaged`);
    let previousStart: number | null = null;
    this.phase = 'waiting';

    while (!this.stopping) {
      const started = Date.now();
      const check = ++this.checks;
      const t = { latestOffset: 0, walCommit: 0, getBatch: 0, queryPlanning: 0, addBatch: 0, commitOffsets: 0, triggerExecution: 0 };
      let end: (Offset | null)[];
      let latest: (Offset | null)[];
      let lap = Date.now();
      const lapTo = (name: keyof typeof t): void => { const now = Date.now(); t[name] += now - lap; lap = now; };
      if (pending) {
        end = pending; latest = pending; pending = null;
      } else {
        latest = await Promise.all(sources.map((s) => s.latestOffset()));
        lapTo('latestOffset');
        // A source behind the committed offset (a MemoryStream re-created with less data) has nothing new.
        const ahead = latest.map((o, i) => (o === null || (done[i] !== null && o <= done[i]!) ? done[i] : o));
        this.dataAvailable = !ahead.every((o, i) => o === done[i]);
        if (!this.dataAvailable) {
          for (const w of this.waiters.filter((x) => x.after < check)) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(); }
          if (this.spec.trigger.kind !== 'processingTime') return;
          await this.sleep(Math.max(POLLING_DELAY_MS, this.untilNextTrigger(started)));
          continue;
        }
        end = ahead;
        await checkpoint.writeOffsets(batchId, end, started, {});
        lapTo('walCommit');
      }

      this.phase = 'processing';
      const batches = await Promise.all(sources.map((s, i) => (end[i] === null
        ? Promise.resolve({ df: this.spec.session.createDataFrame([], { schema: s.schema, numPartitions: 1 }), rows: 0 })
        : s.getBatch(done[i], end[i]!))));
      lapTo('getBatch');
      const replace = new Map<LogicalNode, LogicalNode>(plan.sources.map((n, i) => [n, batches[i].df.node]));
      lapTo('queryPlanning');
      // The batch runs inside the sink's write (addBatch), as in Spark; a streaming aggregation first merges its state.
      let stateProgress = null;
      if (this.state && plan.aggregation) {
        const input = new DataFrame(this.spec.session, replaceInPlan(plan.aggregation.exchange.child, replace));
        const st = await this.state.runBatch(batchId, batchId === 0 ? null : batchId - 1, input);
        replace.set(plan.aggregation, st.output.node);
        stateProgress = { operatorName: 'stateStoreSave', numRowsTotal: st.numRowsTotal, numRowsUpdated: st.numRowsUpdated };
      }
      const df = new DataFrame(this.spec.session, replaceInPlan(this.spec.root, replace));
      const numOutputRows = await this.spec.sink.addBatch(batchId, df, this.spec.mode);
      lapTo('addBatch');
      await checkpoint.writeCommit(batchId);
      lapTo('commitOffsets');
      this.phase = 'waiting';
      this.dataAvailable = false;
      if (batchId >= BATCHES_RETAINED) await checkpoint.purge(batchId - BATCHES_RETAINED);
      t.triggerExecution = Date.now() - started;

      const numInputRows = batches.reduce((s, b) => s + b.rows, 0);
      const sinceLast = previousStart === null ? 0 : started - previousStart;
      const sourceProgress = sources.map((s, i): SourceProgress => ({
        description: s.description, startOffset: done[i], endOffset: end[i], latestOffset: latest[i], numInputRows: batches[i].rows,
        inputRowsPerSecond: rate(batches[i].rows, sinceLast), processedRowsPerSecond: rate(batches[i].rows, t.triggerExecution),
      }));
      this.record({
        id: this.id, runId: this.runId, name: this.name, timestamp: new Date(started).toISOString(), batchId, numInputRows,
        inputRowsPerSecond: rate(numInputRows, sinceLast), processedRowsPerSecond: rate(numInputRows, t.triggerExecution),
        durationMs: t, stateOperators: stateProgress ? [stateProgress] : [], sources: sourceProgress,
        sink: { description: this.spec.sink.description, numOutputRows },
      });
      previousStart = started;
      done = end;
      batchId++;
      if (this.spec.trigger.kind === 'processingTime' && !this.stopping) {
        const wait = this.untilNextTrigger(started);
        if (wait > 0 && !this.waiters.length) await this.sleep(wait);
      }
    }
  }

  private untilNextTrigger(started: number): number {
    const t = this.spec.trigger;
    return t.kind === 'processingTime' ? started + t.intervalMs - Date.now() : 0;
  }

  private record(p: StreamingQueryProgress): void {
    this.progress.push(p);
    if (this.progress.length > PROGRESS_KEPT) this.progress.shift();
  }

  /** Waits `ms`, or less when stop() or processAllAvailable() wakes the loop. */
  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.wake = null; resolve(); }, ms);
      this.wake = () => { clearTimeout(timer); this.wake = null; resolve(); };
    });
  }
}
