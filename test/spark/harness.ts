// The real Apache Spark beside Quiver: one long-lived PySpark driver (scripts/spark/driver.py) per
// test file, started from the installation that scripts/spark/setup.sh made (.spark/env.json), and
// always stopped after the file's tests, also when they fail. Requests are Python statements that
// set `result`; values cross as JSON with the driver's encoding (doubles exact, vectors tagged,
// 64-bit integers exact as bigints: json-exact.ts).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, inject } from 'vitest';

import { DenseMatrix, DenseVector, SparseVector, Vectors } from '../../src/index.js';
import { parseJSONExact, stringifyJSONExact } from '../../src/pipeline/json-exact.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What scripts/spark/setup.sh found and installed. */
export interface SparkInstallation {
  python: string;
  pythonVersion: string;
  javaHome: string;
  javaVersion: string;
  sparkHome: string;
  sparkVersion: string;
}

export function sparkInstallation(): SparkInstallation {
  const file = join(REPO, '.spark', 'env.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run spark:setup\` first (npm run test:spark does)`);
  return JSON.parse(readFileSync(file, 'utf8')) as SparkInstallation;
}

/** A failure reported by the Python side, with Spark's message and the Python traceback. */
export class SparkError extends Error {
  constructor(message: string, readonly traceback: string) {
    super(message);
    this.name = 'SparkError';
  }
}

/** A reply of driver.py, still in the wire encoding. */
export interface WireReply { id?: number; ok?: boolean; value?: unknown; error?: string; traceback?: string }

export interface SparkDriver {
  readonly version: string;
  /** Runs Python statements in the driver's namespace and returns the decoded value of `result`. */
  run<T = unknown>(code: string, args?: Record<string, unknown>): Promise<T>;
  /** Stops Spark and the process (idempotent); kills the process group if it does not exit in time. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 20_000;

/** Starts a driver; `scratch` is Spark's local dir. */
export async function startSparkDriver(scratch: string): Promise<SparkDriver> {
  const install = sparkInstallation();
  const child = spawn(install.python, [join(REPO, 'scripts', 'spark', 'driver.py')], {
    cwd: scratch,
    env: {
      ...process.env,
      JAVA_HOME: install.javaHome,
      SPARK_HOME: install.sparkHome,
      PYSPARK_PYTHON: install.python,
      QUIVER_SPARK_LOCAL_DIR: scratch,
      PYTHONUNBUFFERED: '1',
    },
    // Its own process group, so stop() can end the JVM that PySpark starts beneath it too.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  }) as ChildProcessWithoutNullStreams;
  let stderrTail = '';
  child.stderr.on('data', (chunk: Buffer) => { stderrTail = (stderrTail + chunk.toString()).slice(-8000); });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let alive = true;
  void exited.then(() => { alive = false; });

  const pending = new Map<number, { resolve: (v: WireReply) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let version = '';
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`Spark did not start within ${START_TIMEOUT_MS} ms:\n${stderrTail}`)), START_TIMEOUT_MS);
    void exited.then((code) => { clearTimeout(timer); fail(new Error(`the Spark driver exited (code ${code}) before it was ready:\n${stderrTail}`)); });
    lines.on('line', (line) => {
      const message = parseJSONExact(line) as { ready?: boolean; sparkVersion?: string; id?: number; ok?: boolean; value?: unknown; error?: string; traceback?: string };
      if (message.ready) {
        version = message.sparkVersion ?? '';
        clearTimeout(timer);
        ok();
        return;
      }
      const waiter = pending.get(message.id!);
      if (!waiter) return;
      pending.delete(message.id!);
      waiter.resolve(message);
    });
  });
  void exited.then((code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the Spark driver exited (code ${code}):\n${stderrTail}`));
    pending.clear();
  });

  const killGroup = (): void => {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  };
  // A test process that dies without afterAll must not leave Spark behind.
  process.once('exit', killGroup);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killGroup);
    if (alive) {
      child.stdin.end(`${JSON.stringify({ op: 'stop' })}\n`);
      const timer = setTimeout(killGroup, STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    killGroup(); // the JVM, should it outlive its Python parent
  };

  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  const raw = (code: string, args: unknown): Promise<WireReply> => {
    if (!alive) return Promise.reject(new Error(`the Spark driver is not running:\n${stderrTail}`));
    const id = nextId++;
    return new Promise<WireReply>((ok, fail) => {
      pending.set(id, { resolve: ok, reject: fail });
      child.stdin.write(`${stringifyJSONExact({ id, code, args })}\n`);
    });
  };
  return {
    get version() { return version; },
    run: async <T>(code: string, args: Record<string, unknown> = {}): Promise<T> => unwrap<T>(await raw(code, encode(args))),
    raw,
    stop,
  } as SparkDriver & { raw: typeof raw };
}

function unwrap<T>(reply: WireReply): T {
  if (reply.ok) return decode(reply.value) as T;
  throw new SparkError(reply.error ?? 'unknown Spark failure', reply.traceback ?? '');
}

/**
 * Serves `driver` to the test files on 127.0.0.1 (an ephemeral port), one JSON line per request
 * and reply. The suite's globalSetup (spark-global.ts) starts one driver and this server, so every
 * test file talks to the same Spark JVM; requests run one at a time in the driver's order.
 */
export async function serveSparkDriver(driver: SparkDriver): Promise<{ port: number; close: () => Promise<void> }> {
  const { raw } = driver as SparkDriver & { raw: (code: string, args: unknown) => Promise<WireReply> };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    createInterface({ input: socket }).on('line', (line) => {
      const request = parseJSONExact(line) as { id: number; code: string; args: unknown };
      raw(request.code, request.args).then(
        (reply) => socket.write(`${stringifyJSONExact({ ...reply, id: request.id })}\n`),
        (error: Error) => socket.write(`${JSON.stringify({ id: request.id, ok: false, error: error.message })}\n`),
      );
    });
  });
  await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', () => ok()); });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((done) => { for (const s of sockets) s.destroy(); server.close(() => done()); }),
  };
}

/** A client of serveSparkDriver's socket: the same run() as the driver itself; stop() only disconnects. */
export async function connectSparkDriver(port: number, version: string): Promise<SparkDriver> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((ok, fail) => { socket.once('connect', ok); socket.once('error', fail); });
  const pending = new Map<number, { resolve: (v: WireReply) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let open = true;
  createInterface({ input: socket }).on('line', (line) => {
    const reply = parseJSONExact(line) as WireReply;
    const waiter = pending.get(reply.id!);
    pending.delete(reply.id!);
    waiter?.resolve(reply);
  });
  socket.once('close', () => {
    open = false;
    for (const waiter of pending.values()) waiter.reject(new Error('the connection to the shared Spark driver closed'));
    pending.clear();
  });
  return {
    version,
    run: <T>(code: string, args: Record<string, unknown> = {}): Promise<T> => {
      if (!open) return Promise.reject(new Error('the connection to the shared Spark driver is closed'));
      const id = nextId++;
      return new Promise<WireReply>((ok, fail) => {
        pending.set(id, { resolve: ok, reject: fail });
        socket.write(`${stringifyJSONExact({ id, code, args: encode(args) })}\n`);
      }).then((reply) => unwrap<T>(reply));
    },
    stop: async () => { socket.end(); },
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The port of the shared driver's socket (spark-global.ts), and its Spark version. */
    sparkDriver: { port: number; version: string };
  }
}

/**
 * The suite's shared Spark driver (started once by spark-global.ts) and a scratch directory for a
 * test file, with the helpers of oracle.py (re)defined in the driver. The returned accessors are
 * valid inside tests; the connection is closed and the directory removed after the file's tests.
 * Files run one after another (vitest.spark.config.ts), so the driver's namespace is one file's.
 */
export function useSparkDriver(): { spark: () => SparkDriver; scratch: () => string; fresh: (name: string) => string } {
  let driver: SparkDriver | undefined;
  let scratch = '';
  let n = 0;
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'quiver-spark-'));
    const { port, version } = inject('sparkDriver');
    driver = await connectSparkDriver(port, version);
    await driver.run(readFileSync(join(REPO, 'test', 'spark', 'oracle.py'), 'utf8'));
  }, START_TIMEOUT_MS + 10_000);
  afterAll(async () => {
    await driver?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }, STOP_GRACE_MS + 10_000);
  return {
    spark: () => {
      if (!driver) throw new Error('the Spark driver is not connected (use it inside a test)');
      return driver;
    },
    scratch: () => scratch,
    /** A new path in the scratch directory, unique within the file. */
    fresh: (name: string) => join(scratch, `${n++}-${name}`),
  };
}

// --- the wire encoding (scripts/spark/driver.py's encode/decode) ------------------------------

type Wire = null | boolean | number | bigint | string | Wire[] | { [key: string]: Wire };

export function encode(value: unknown): Wire {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $double: 'NaN' };
    if (!Number.isFinite(value)) return { $double: value > 0 ? 'Inf' : '-Inf' };
    return value;
  }
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return value; // a 64-bit long, written as its digits (stringifyJSONExact)
  if (value instanceof DenseVector) return { $vector: 'dense', values: Array.from(value.toArray(), encode) };
  if (value instanceof SparseVector) {
    return { $vector: 'sparse', size: value.size, indices: Array.from(value.indices), values: Array.from(value.values, encode) };
  }
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, encode);
  if (Array.isArray(value)) return value.map(encode);
  if (typeof value === 'object') {
    const out: Record<string, Wire> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(v);
    return out;
  }
  throw new TypeError(`cannot send a ${typeof value} to Spark`);
}

export function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if ('$double' in o) return { NaN: NaN, Inf: Infinity, '-Inf': -Infinity }[o.$double as string];
  if (o.$vector === 'dense') return Vectors.dense((o.values as unknown[]).map(decode) as number[]);
  if (o.$vector === 'sparse') return Vectors.sparse(o.size as number, o.indices as number[], (o.values as unknown[]).map(decode) as number[]);
  if (o.$matrix === 'dense') {
    return new DenseMatrix(o.numRows as number, o.numCols as number, Float64Array.from((o.values as unknown[]).map(decode) as number[]));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = decode(v);
  return out;
}
