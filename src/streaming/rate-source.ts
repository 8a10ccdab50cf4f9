// Spark's rate source: `value` counts up from 0 at `rowsPerSecond` rows a second (after a linear
// ramp over `rampUpTime`), `timestamp` spreads each second's rows evenly over that second. Offsets
// are whole seconds since the source was first started; the start time is kept in the checkpoint
// (sources/<i>/0, as Spark's metadata log), so a restarted query continues the same sequence.
// Quiver has no timestamp type: `timestamp` is a long of milliseconds since the epoch.
import type { Session } from '../dataframe/session.js';
import { LongType, StructType } from '../dataframe/types.js';
import type { FileSystem } from '../fs/index.js';
import type { Row } from '../dataframe/rows.js';
import { parseDuration } from './duration.js';
import type { Offset, SourceBatch, StreamSource } from './source.js';

export interface RateOptions { rowsPerSecond: number; rampUpTimeSeconds: number; numPartitions: number }

/** Rows generated in the first `seconds` seconds (Spark's RateStreamProvider.valueAtSecond, in its integer arithmetic). */
export function valueAtSecond(seconds: number, rowsPerSecond: number, rampUpTimeSeconds: number): number {
  const speedDeltaPerSecond = Math.floor(rowsPerSecond / (rampUpTimeSeconds + 1));
  if (seconds <= rampUpTimeSeconds) {
    return seconds % 2 === 1 ? ((seconds + 1) / 2) * speedDeltaPerSecond * seconds : (seconds / 2) * speedDeltaPerSecond * (seconds + 1);
  }
  return valueAtSecond(rampUpTimeSeconds, rowsPerSecond, rampUpTimeSeconds) + (seconds - rampUpTimeSeconds) * rowsPerSecond;
}

export function rateOptions(options: ReadonlyMap<string, string | number | boolean>, defaultPartitions: number): RateOptions {
  const int = (key: string, fallback: number): number => {
    const raw = options.get(key.toLowerCase());
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v <= 0) throw new Error(`Invalid value '${String(raw)}'. The option '${key}' must be positive`);
    return v;
  };
  const ramp = options.get('rampuptime');
  const rampUpTimeSeconds = ramp === undefined ? 0 : Math.floor(parseDuration(ramp as string | number, 'rate source option rampUpTime', 's') / 1000);
  return { rowsPerSecond: int('rowsPerSecond', 1), rampUpTimeSeconds, numPartitions: int('numPartitions', defaultPartitions) };
}

export class RateSource implements StreamSource {
  readonly format = 'rate';
  readonly schema = new StructType([
    { name: 'timestamp', type: LongType, nullable: true },
    { name: 'value', type: LongType, nullable: true },
  ]);
  private creationTimeMs: number | null = null;

  constructor(private readonly session: Session, readonly options: RateOptions, private readonly clock: () => number = Date.now) {}

  get description(): string {
    const o = this.options;
    return `RateStreamV2[rowsPerSecond=${o.rowsPerSecond}, rampUpTimeSeconds=${o.rampUpTimeSeconds}, numPartitions=${o.numPartitions}]`;
  }

  async initialize(fs: FileSystem, dir: string): Promise<void> {
    const file = fs.join(dir, '0');
    if (await fs.exists(file)) {
      const text = new TextDecoder().decode(await fs.readFile(file));
      const ms = Number(text.split('\n')[1]);
      if (!Number.isFinite(ms)) throw new Error(`The rate source's start time in ${file} is unreadable: ${JSON.stringify(text)}`);
      this.creationTimeMs = ms;
    } else {
      this.creationTimeMs = this.clock();
      await fs.writeFile(file, `v1\n${this.creationTimeMs}`);
    }
  }

  private started(): number {
    this.creationTimeMs ??= this.clock(); // a source used without a checkpoint (direct calls)
    return this.creationTimeMs;
  }

  async latestOffset(): Promise<Offset | null> {
    const seconds = Math.floor((this.clock() - this.started()) / 1000);
    return seconds > 0 ? seconds : null;
  }

  async getBatch(start: Offset | null, end: Offset): Promise<SourceBatch> {
    const { rowsPerSecond, rampUpTimeSeconds, numPartitions } = this.options;
    const startSeconds = start ?? 0;
    const rangeStart = valueAtSecond(startSeconds, rowsPerSecond, rampUpTimeSeconds);
    const rangeEnd = valueAtSecond(end, rowsPerSecond, rampUpTimeSeconds);
    const localStartTimeMs = this.started() + startSeconds * 1000;
    const msPerValue = rangeEnd > rangeStart ? ((end - startSeconds) * 1000) / (rangeEnd - rangeStart) : 0;
    const rows: Row[] = [];
    for (let v = rangeStart; v < rangeEnd; v++) rows.push({ timestamp: localStartTimeMs + Math.round((v - rangeStart) * msPerValue), value: v });
    return { df: this.session.createDataFrame(rows, { schema: this.schema, numPartitions }), rows: rows.length };
  }
}
