// vitest globalSetup of the Spark suites: one PySpark driver (one Spark JVM, local[2]) for every
// test file, served on a loopback socket (harness.ts); stopped when the run ends, also on failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { TestProject } from 'vitest/node';

import { serveSparkDriver, startSparkDriver } from './harness.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scratch = mkdtempSync(join(tmpdir(), 'quiver-spark-jvm-'));
  const started = Date.now();
  const driver = await startSparkDriver(scratch);
  const server = await serveSparkDriver(driver);
  console.log(`spark: Spark ${driver.version} (local[2]) ready in ${Date.now() - started} ms, serving 127.0.0.1:${server.port}`);
  project.provide('sparkDriver', { port: server.port, version: driver.version });
  return async () => {
    await server.close();
    await driver.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
}
