import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Two projects: the server (node; database suites) and the web console's component tests (jsdom). */
export default defineConfig({
  test: {
    // One test file per core. Vitest's default in a run is one fewer, which on a 2-core machine
    // ran the suites one file at a time; most of them wait on databases, brokers and child
    // processes, so two at a time took the server suite from ~600 s to ~360 s there.
    maxWorkers: availableParallelism(),
    projects: [
      {
        test: {
          name: 'server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**', 'web/**'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      'web/vitest.config.ts',
    ],
  },
});
