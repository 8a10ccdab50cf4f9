import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, TaskFailure, type DataFrame } from '../../src/index.js';
import { parseBytes, parseMaster } from '../../src/engine/conf.js';
import '../fixtures/test.kernels.js';

const fixtures = new URL('../fixtures/test.kernels.ts', import.meta.url).href;
const masters = ['inline', 'local', 'local[2]'] as const;
const sessions = new Map<string, Session>();

beforeAll(async () => {
  for (const m of masters) {
    const s = Session.builder().appName(`engine-${m}`).master(m).config('quiver.worker.heapMb', 96).create();
    await s.addKernelModule(fixtures);
    sessions.set(m, s);
  }
});
afterAll(async () => { for (const s of sessions.values()) await s.stop(); });

function numbers(spark: Session, n: number, parts: number): DataFrame {
  return spark.createDataFrame(Array.from({ length: n }, (_, i) => ({ x: i + 0.25, k: i % 7 })), { numPartitions: parts, schema: { x: 'double', k: 'int' } });
}

describe('configuration', () => {
  it('parses masters and byte sizes as Spark does', () => {
    expect(parseMaster('local')).toEqual({ mode: 'local', threads: 1 });
    expect(parseMaster('local[3]')).toEqual({ mode: 'local', threads: 3 });
    expect(parseMaster('local[2,5]')).toEqual({ mode: 'local', threads: 2, maxFailures: 5 });
    expect(parseMaster('inline')).toEqual({ mode: 'inline' });
    expect(() => parseMaster('yarn')).toThrow(/Unsupported master 'yarn'/);
    expect(parseBytes('k', '4g')).toBe(4 * 2 ** 30);
    expect(parseBytes('k', '512m')).toBe(512 * 2 ** 20);
    expect(() => parseBytes('quiver.memory.limit', 'lots')).toThrow(/quiver.memory.limit.*lots/);
    expect(() => Session.builder().config('quiver.task.maxFailures', 0)).toThrow(/maxFailures/);
  });

  it('getOrCreate returns the active session until it is stopped', async () => {
    const a = Session.builder().master('inline').getOrCreate();
    expect(Session.builder().master('inline').getOrCreate()).toBe(a);
    await a.stop();
    const b = Session.builder().master('inline').getOrCreate();
    expect(b).not.toBe(a);
    await b.stop();
    await expect(a.createDataFrame([{ x: 1 }]).count()).rejects.toThrow(/stopped/);
  });
});

describe.each(masters)('engine on %s', (master) => {
  const spark = () => sessions.get(master)!;

  it('treeAggregate folds each partition once and merges in partition order', async () => {
    for (const [n, parts, depth] of [[100, 7, 2], [5, 9, 3], [0, 3, 2], [1000, 16, 4]] as const) {
      const df = numbers(spark(), n, parts);
      const zero = { sum: 0, count: 0, order: [] as number[] };
      const r = await df.treeAggregate(zero, 'test.sumFirst', (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count, order: [...a.order, ...b.order] }), depth);
      expect(r.count).toBe(n);
      // Reference: the closed form of Σ (i + 0.25).
      expect(r.sum).toBeCloseTo((n * (n - 1)) / 2 + 0.25 * n, 6);
      expect([...r.order].sort((a, b) => a - b)).toEqual(Array.from({ length: parts }, (_, i) => i));
    }
  });

  it('gives bit-identical floating-point aggregates (same as the inline master)', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ x: Math.sin(i) * 1e8 + 1e-8 * i }));
    const run = async (s: Session) => s.createDataFrame(rows, { numPartitions: 13 })
      .treeAggregate({ sum: 0, count: 0, order: [] as number[] }, 'test.sumFirst', (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count, order: [] }), 3);
    const mine = await run(spark());
    const ref = await run(sessions.get('inline')!);
    expect(Object.is(mine.sum, ref.sum)).toBe(true);
  });

  it('ships a broadcast once as shared memory', async () => {
    const b = spark().broadcast(Float64Array.from({ length: 1000 }, (_, i) => i + 1));
    const out = await numbers(spark(), 20, 4).mapPartitions<number[]>('test.readBroadcast', { ref: b.ref });
    expect(out).toEqual(Array.from({ length: 4 }, () => [1000, 1, 1]));
    b.destroy();
    await expect(numbers(spark(), 20, 2).mapPartitions('test.readBroadcast', { ref: b.ref })).rejects.toThrow(/destroyed/);
  });

  it('reports a kernel exception with the kernel, partition and cause', async () => {
    const err = await numbers(spark(), 10, 3).mapPartitions('test.throw').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskFailure);
    expect((err as Error).message).toMatch(/kernel 'test.throw' on partition \d failed: boom in partition \d/);
  });

  it('names an unknown kernel', async () => {
    await expect(numbers(spark(), 10, 2).mapPartitions('no.such.kernel')).rejects.toThrow(/Unknown kernel 'no.such.kernel'/);
  });
});

describe.each(['local', 'local[2]'] as const)('worker failures on %s', (master) => {
  const spark = () => sessions.get(master)!;

  it('replaces a worker that exits mid-task and retries the task', async () => {
    const counts = await numbers(spark(), 300, 6).mapPartitions<number>('test.dieThenCount', { partitions: [1, 4], failAttempts: 2 });
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
    expect(spark().engine.lastStageMetrics!.retries).toBe(4);
  });

  it('fails after maxTaskFailures deaths, naming kernel, partition and cause', async () => {
    const err = await numbers(spark(), 30, 3).mapPartitions('test.dieThenCount', { partitions: [2], failAttempts: 99 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/kernel 'test.dieThenCount' on partition 2 failed 4 times: executor died: worker thread exited with code 7/);
    // The pool is healthy afterwards.
    expect(await numbers(spark(), 30, 3).count()).toBe(30);
  });

  it('survives an uncaught asynchronous error and a worker running out of memory', async () => {
    const a = await numbers(spark(), 40, 4).mapPartitions<number>('test.uncaught', { partitions: [0, 3] });
    expect(a.reduce((x, y) => x + y, 0)).toBe(40);
    const b = await numbers(spark(), 40, 2).mapPartitions<number>('test.oomOnce');
    expect(b).toEqual([20, 20]);
  });
});

describe('executor spin-wait (quiver.executor.spinMicros)', () => {
  it('gives the same results whether executors poll for work or sleep at once', async () => {
    for (const spin of [0, 20000]) {
      const spark = Session.builder().master('local[2]').config('quiver.executor.spinMicros', spin).create();
      try {
        // Many short jobs one after another (the polled case) and jobs with more tasks than threads.
        for (let i = 0; i < 30; i++) expect(await numbers(spark, 50 + i, 1 + (i % 5)).count()).toBe(50 + i);
        const sums = await numbers(spark, 1000, 7).groupBy('k').count().orderBy('k').collect();
        expect(sums.map((r) => r.count)).toEqual(Array.from({ length: 7 }, (_, k) => Math.floor((1000 - k + 6) / 7)));
      } finally {
        await spark.stop();
      }
    }
  });

  it('rejects a negative or non-numeric setting, naming it', () => {
    expect(() => Session.builder().master('inline').config('quiver.executor.spinMicros', -1).create()).toThrow(/quiver.executor.spinMicros.*-1/);
    expect(() => Session.builder().master('inline').config('quiver.executor.spinMicros', 'fast').create()).toThrow(/quiver.executor.spinMicros.*fast/);
  });
});

describe('parallel execution', () => {
  it('runs tasks at the same time on local[2] (two tasks meet in shared memory)', async () => {
    const spark = sessions.get('local[2]')!;
    const counter = spark.broadcast(new Int32Array(1));
    const met = await numbers(spark, 8, 2).mapPartitions<boolean>('test.rendezvous', { counter: counter.ref, expected: 2 });
    expect(met).toEqual([true, true]);
  });
});
