import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Suites start worker pools of their own; two forks keep a 2-core machine busy without thrashing.
    pool: 'forks',
    maxWorkers: 2,
  },
});
