/**
 * A Spark Connect server that goes away under a running query: the query fails with a
 * SparkConnectError (no hang), later calls say the server cannot be reached, and the server's
 * processes are gone. Uses a server of its own (the shared one must survive the run).
 */
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { col, Session, SparkConnectError, type RemoteSession } from '../../src/index.js';
import { isRunning, startConnectServer, type ConnectServer } from './connect-server.js';

let server: ConnectServer;
let spark: RemoteSession;
beforeAll(async () => {
  server = await startConnectServer();
  spark = Session.builder().remote(server.url).create();
});
afterAll(async () => {
  await spark?.stop();
  await server?.stop();
});

describe('the server stops during a query', () => {
  it('the query fails with a SparkConnectError, the next call cannot reach the server, no process is left', async () => {
    expect(await spark.range(10).count()).toBe(10);
    const pid = Number(readFileSync(server.pidFile, 'utf8'));
    // ~5·10^10 rows: minutes of work on 2 cores, so it is still running when the server stops.
    const query = spark.range(0, 50_000_000_000).filter(col('id').mod(7).eq(3)).count();
    const outcome = query.then(() => 'finished', (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 2000));
    await server.stop();
    const err = await outcome;
    expect(err).toBeInstanceOf(SparkConnectError);
    expect(isRunning(server.pidFile, pid)).toBe(false);
    await expect(spark.range(3).collect()).rejects.toThrow(new RegExp(`cannot reach the Spark Connect server at 127\\.0\\.0\\.1:${server.port}`));
  });
});
