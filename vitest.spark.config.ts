// `npm run test:spark`: Quiver beside real Apache Spark (scripts/spark/setup.sh installs it).
// Each file starts one PySpark driver in local[2] and stops it after its tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/spark/**/*.test.ts'],
    // Spark's JVM start and its first jobs are slow; a test talks to it several times.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Two files at once: two Spark JVMs beside two Quiver pools on 2 cores; JVM start is mostly one thread.
    maxWorkers: 2,
  },
});
