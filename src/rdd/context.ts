// Spark's SparkContext, as far as RDDs need it: the session's engine, and the ways to make RDDs
// (from a driver array, from text files, empty). `spark.sparkContext` returns one per session.
import type { Broadcast } from '../engine/broadcast.js';
import type { EngineContext } from '../engine/context.js';
import type { Session } from '../dataframe/session.js';
import { resolveDataFiles, s3SettingsOf } from '../dataframe/io/files.js';
import { splitFile } from '../dataframe/io/planning.js';
import type { TextPlan, ValuesPlan } from './plan.js';
import { RDD } from './rdd.js';
import { serialize } from 'node:v8';
import { checkpointDirOf } from '../dataframe/checkpoint.js';

/** Hadoop's block size for local files, the largest split textFile makes. */
const MAX_SPLIT_BYTES = 32 * 2 ** 20;

export class SparkContext {
  /** @internal Use `spark.sparkContext`. */
  constructor(readonly session: Session) {}

  /** @internal */
  get engine(): EngineContext { return this.session.engine; }

  get master(): string { return this.session.master; }

  /** Where `df.checkpoint()` writes its files (a local directory or s3:// prefix); Spark's setCheckpointDir. */
  setCheckpointDir(dir: string): void {
    if (typeof dir !== 'string' || dir === '') throw new Error('setCheckpointDir: expected a directory path');
    this.session.checkpointDir = dir;
  }

  /** The checkpoint directory, if one is set (Spark's getCheckpointDir). */
  getCheckpointDir(): string | undefined { return checkpointDirOf(this.session); }
  get appName(): string { return this.session.appName; }
  get defaultParallelism(): number { return this.session.defaultParallelism; }
  /** Spark's defaultMinPartitions: the fewest partitions textFile makes unless told. */
  get defaultMinPartitions(): number { return Math.min(this.defaultParallelism, 2); }

  /**
   * An RDD of the array's elements in `numSlices` contiguous slices (default: the default
   * parallelism). The elements are copied now (structured clone), so later changes to the array do
   * not show; they must be structured-clonable values.
   */
  parallelize<T>(data: Iterable<T>, numSlices: number = this.defaultParallelism): RDD<T> {
    if (data === null || data === undefined || typeof (data as Iterable<T>)[Symbol.iterator] !== 'function') {
      throw new Error('parallelize: expected an array (or another iterable) of elements');
    }
    if (!Number.isInteger(numSlices) || numSlices < 1) throw new Error(`parallelize: numSlices must be a positive integer but got ${numSlices}`);
    const values = [...data];
    const slices = Array.from({ length: numSlices }, (_, p) => serializeSlice(values.slice(Math.floor((p * values.length) / numSlices),
      Math.floor(((p + 1) * values.length) / numSlices))));
    return new RDD<T>(this, {
      name: 'ParallelCollectionRDD', origin: 'parallelize', parents: [], partitions: numSlices,
      compute: async () => slices.map((bytes): ValuesPlan => ({ kind: 'rdd.values', bytes })),
    });
  }

  /** The numbers start, start + step, ... before end (Spark's range; with one argument, 0 until it). */
  range(start: number, end?: number, step = 1, numSlices: number = this.defaultParallelism): RDD<number> {
    if (end === undefined) { end = start; start = 0; }
    if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(step) || step === 0) {
      throw new Error(`range: start, end and step must be finite numbers and step non-zero, but got ${start}, ${end}, ${step}`);
    }
    const n = Math.max(0, Math.ceil((end - start) / step));
    return this.parallelize(Array.from({ length: n }, (_, i) => start + i * step), numSlices);
  }

  /** An RDD with no partitions. */
  emptyRDD<T = never>(): RDD<T> {
    return new RDD<T>(this, { name: 'EmptyRDD', origin: 'emptyRDD', parents: [], partitions: 0, compute: async () => [] });
  }

  /**
   * The lines of text files (local paths, file:// or s3:// URLs, directories, globs, several paths
   * separated by commas), without line terminators. Files are split by byte ranges into at least
   * `minPartitions` partitions (Hadoop's rule: a line belongs to the range it starts in), so the
   * lines are read by the workers, in parallel.
   */
  async textFile(path: string | readonly string[], minPartitions: number = this.defaultMinPartitions): Promise<RDD<string>> {
    if (!Number.isInteger(minPartitions) || minPartitions < 1) throw new Error(`textFile: minPartitions must be a positive integer but got ${minPartitions}`);
    const paths = typeof path === 'string' ? path.split(',').map((p) => p.trim()).filter((p) => p !== '') : [...path];
    const s3 = s3SettingsOf(this.session.conf);
    const files = await resolveDataFiles(paths, { recursive: false, s3 });
    const total = files.reduce((s, f) => s + f.size, 0);
    // Hadoop's FileInputFormat: splitSize = max(1, min(totalSize / minPartitions, blockSize)).
    const splitBytes = Math.max(1, Math.min(Math.ceil(total / minPartitions), MAX_SPLIT_BYTES));
    const splits = files.flatMap((f) => splitFile(f, splitBytes));
    const plans = splits.map((s): TextPlan => ({ kind: 'rdd.text', path: s.file.path, start: s.start, end: s.end, size: s.file.size, ...(s3 ? { s3 } : {}) }));
    return new RDD<string>(this, { name: 'HadoopRDD', origin: 'textFile', parents: [], partitions: plans.length, compute: async () => plans });
  }

  /** The union of several RDDs. */
  union<T>(rdds: readonly RDD<T>[]): RDD<T> {
    if (!rdds.length) return this.emptyRDD<T>();
    return rdds[0].union(...rdds.slice(1));
  }

  /** A broadcast variable: pass it after an RDD function, which then receives `bc.value` as its last argument. */
  broadcast<T>(value: T): Broadcast<T> { return this.session.broadcast(value); }
}

/** The structured-clone bytes of a slice; a value that cannot travel is refused naming its index. */
function serializeSlice(values: unknown[]): Uint8Array {
  try {
    return new Uint8Array(serialize(values));
  } catch (e) {
    const bad = values.findIndex((v) => { try { serialize(v); return false; } catch { return true; } });
    throw new Error(`parallelize: element ${bad} cannot be sent to the worker threads (${(e as Error).message}); ` +
      'RDD elements must be structured-clonable: numbers, strings, booleans, null, arrays, plain objects, Maps, Sets, dates, typed arrays');
  }
}
