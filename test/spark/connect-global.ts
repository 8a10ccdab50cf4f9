// vitest globalSetup of the Spark suites, beside spark-global.ts: one Spark Connect server
// (scripts/spark/connect-server.sh, local[2], loopback, a free port) for every connect*.test.ts
// file; it answers a Spark Connect call before the tests start and is stopped when the run ends.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

import type { TestProject } from 'vitest/node';

import { RemoteSession } from '../../src/connect/session.js';

const REPO = join(import.meta.dirname, '..', '..');
const SCRIPT = join(REPO, 'scripts', 'spark', 'connect-server.sh');
const run = promisify(execFile);

/** A port the kernel has just handed out, free for the server to bind. */
async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolvePort(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = await freePort();
  const started = Date.now();
  const stop = async () => { await run('bash', [SCRIPT, 'stop', String(port)]).catch(() => undefined); };
  try {
    await run('bash', [SCRIPT, 'start', String(port)], { timeout: 180_000 });
    const url = `sc://127.0.0.1:${port}`;
    // The port accepts connections before the service is registered: ask until Spark answers.
    const probe = new RemoteSession(url);
    let version = '';
    for (let attempt = 0; ; attempt++) {
      try { version = await probe.version(); break; } catch (e) {
        if (attempt >= 60) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    await probe.stop();
    console.log(`spark: Spark Connect server ${version} (local[2]) on ${url}, ready in ${Date.now() - started} ms`);
    project.provide('sparkConnect', { url, version });
  } catch (e) {
    await stop();
    throw e;
  }
  return stop;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Spark Connect server's connection string and Spark version (connect-global.ts). */
    sparkConnect: { url: string; version: string };
  }
}
