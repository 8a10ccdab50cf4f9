import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The suites against real Apache Spark need Java and Python: `npm run test:spark` (vitest.spark.config.ts).
    exclude: [...configDefaults.exclude, 'test/spark/**'],
    setupFiles: ['test/setup/fast-check.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Suites start worker pools of their own; two forks keep a 2-core machine busy without thrashing.
    pool: 'forks',
    maxWorkers: 2,
  },
});
