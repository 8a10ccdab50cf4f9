// Starting and stopping a Spark Connect server with scripts/spark/connect-server.sh on a free
// loopback port: used by connect-global.ts (the run's shared server) and by tests that need a
// server of their own (to stop it under a running query).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { RemoteSession } from '../../src/connect/session.js';

const REPO = join(import.meta.dirname, '..', '..');
const SCRIPT = join(REPO, 'scripts', 'spark', 'connect-server.sh');
const run = promisify(execFile);

/** A port the kernel has just handed out, free for the server to bind. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolvePort(port));
    });
  });
}

export interface ConnectServer { url: string; port: number; version: string; stop(): Promise<void>; pidFile: string }

/** Starts a server and returns once it answers a Spark Connect call (its Spark version). */
export async function startConnectServer(): Promise<ConnectServer> {
  const port = await freePort();
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
    return { url, port, version, stop, pidFile: join(REPO, '.spark', `connect-server-${port}.pid`) };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Whether the process of a pid file still runs. */
export function isRunning(pidFile: string, pid: number): boolean {
  if (existsSync(pidFile)) return true;
  try { process.kill(pid, 0); return true; } catch { return false; }
}
