// vitest globalSetup of the Spark suites, beside spark-global.ts: one Spark Connect server
// (scripts/spark/connect-server.sh, local[2], loopback, a free port) for every connect*.test.ts
// file; it answers a Spark Connect call before the tests start and is stopped when the run ends.
import type { TestProject } from 'vitest/node';

import { startConnectServer } from './connect-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const server = await startConnectServer();
  console.log(`spark: Spark Connect server ${server.version} (local[2]) on ${server.url}, ready in ${Date.now() - started} ms`);
  project.provide('sparkConnect', { url: server.url, version: server.version });
  return server.stop;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Spark Connect server's connection string and Spark version (connect-global.ts). */
    sparkConnect: { url: string; version: string };
  }
}
