/**
 * A throwaway S3 server for tests: s3rver in a child process on 127.0.0.1, a free port, a temp
 * directory and one bucket.
 *
 *   const s3 = await startS3Server();
 *   const fs = new S3FileSystem(s3.config);   // paths: `s3://${s3.bucket}/...`
 *   ...
 *   await s3.stop();
 *
 * The child never outlives the test process: it is killed on exit, and it exits by itself when
 * its IPC channel to the parent closes (the parent was killed). Suites may share one server by
 * using distinct key prefixes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';

import type { S3Config } from '../../src/fs/index.js';

export interface S3TestServer {
  /** e.g. `http://127.0.0.1:41234` */
  endpoint: string;
  bucket: string;
  /** Endpoint, path-style addressing and s3rver's dummy credentials: pass to S3FileSystem / fileSystemFor. */
  config: S3Config;
  /** s3rver's data directory (removed by stop) and the child's pid, for diagnostics. */
  directory: string;
  pid: number;
  /** Kills the server and removes its directory; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartS3ServerOptions {
  bucket?: string;
  /** How long to wait for the server to answer (default 20 s). */
  timeoutMs?: number;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./s3-server-child.cjs', import.meta.url));
// s3rver accepts only its built-in account; these are not secrets.
const DUMMY_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Live children and their directories, for the exit hook. */
const running = new Map<ChildProcess, string>();
let exitHookInstalled = false;

export async function startS3Server(options: StartS3ServerOptions = {}): Promise<S3TestServer> {
  const bucket = options.bucket ?? 'quiver-test';
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  const directory = await mkdtemp(join(tmpdir(), 'quiver-s3rver-'));
  installExitHook();

  const child = fork(CHILD_SCRIPT, [directory, bucket], {
    execArgv: ['--openssl-legacy-provider'], // s3rver's DES continuation tokens; without it listings > 1000 keys fail
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  running.set(child, directory);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= stopChild(child, directory));

  try {
    const port = await waitForListening(child, deadline, timeoutMs, () => stderr);
    const endpoint = `http://127.0.0.1:${port}`;
    const config: S3Config = {
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: DUMMY_CREDENTIALS,
    };
    await waitForBucket(config, bucket, deadline, timeoutMs);
    // A test process that forgets stop() can still exit; the exit hook then kills the child.
    child.unref();
    child.channel?.unref();
    (child.stderr as Readable & { unref?: () => void }).unref?.();
    return { endpoint, bucket, config, directory, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [child, directory] of running) {
      child.kill('SIGKILL');
      rmSync(directory, { recursive: true, force: true });
    }
  });
}

function waitForListening(child: ChildProcess, deadline: number, timeoutMs: number, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`s3rver did not start within ${timeoutMs} ms${tail(stderr())}`));
    }, Math.max(0, deadline - Date.now()));
    const onMessage = (message: unknown): void => {
      const m = message as { type?: string; port?: number };
      if (m?.type === 'listening' && typeof m.port === 'number') {
        finish();
        resolve(m.port);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      finish();
      reject(new Error(`s3rver exited before listening (code ${code}, signal ${signal})${tail(stderr())}`));
    };
    const onError = (error: Error): void => {
      finish();
      reject(new Error(`could not start s3rver (${CHILD_SCRIPT}): ${error.message}`, { cause: error }));
    };
    const finish = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage).off('exit', onExit).off('error', onError);
    };
    child.on('message', onMessage).on('exit', onExit).on('error', onError);
  });
}

/** Polls HeadBucket until the server answers through the same client settings the tests use. */
async function waitForBucket(config: S3Config, bucket: string, deadline: number, timeoutMs: number): Promise<void> {
  const client = new S3Client({
    ...config,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    for (;;) {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
        return;
      } catch (error) {
        if (Date.now() >= deadline) {
          throw new Error(
            `s3rver at ${config.endpoint} did not serve bucket '${bucket}' within ${timeoutMs} ms: ${(error as Error).name}: ${(error as Error).message}`,
            { cause: error },
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    client.destroy();
  }
}

async function stopChild(child: ChildProcess, directory: string): Promise<void> {
  child.ref(); // keep the loop alive while waiting for the child to go
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const escalate = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(escalate);
  }
  running.delete(child);
  await rm(directory, { recursive: true, force: true });
}

function tail(stderr: string): string {
  return stderr.trim() === '' ? '' : `; its stderr ends with:\n${stderr.trim()}`;
}
