// `npm run test:spark`: Quiver beside real Apache Spark (scripts/spark/setup.sh installs it).
// One PySpark driver (one Spark JVM in local[2]) serves every file: test/spark/spark-global.ts;
// one Spark Connect server (a second JVM, local[2]) serves the connect*.test.ts files: connect-global.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/spark/**/*.test.ts'],
    globalSetup: ['test/spark/spark-global.ts', 'test/spark/connect-global.ts'],
    // Spark's JVM start and its first jobs are slow; a test talks to it several times.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Files one after another: they share the driver's Python namespace, and one Spark JVM beside
    // one Quiver pool is what 2 cores hold.
    fileParallelism: false,
  },
});
