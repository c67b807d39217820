import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the machine's cores: on CI's 2 cores, one test file at a time, with the
    // second core idle while a file waits on PostgreSQL, a timer or its own server. Two files at once on 2 cores.
    // (The browser project keeps one: fileParallelism below.)
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['apps/*/src/**/*.integration.test.ts', 'apps/*/test/**/*.integration.test.ts'],
          // Tests that start other processes on the same database (a worker killed and restarted) need PostgreSQL:
          // they run with TEST_DATABASE_URL (CI's second pass), and are left out of the embedded-database pass.
          exclude: ['**/node_modules/**', ...(process.env.TEST_DATABASE_URL ? [] : ['**/*.postgres.integration.test.ts'])],
          globalSetup: ['apps/server/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          // The embedded database migrated once for every journey's server (each starts on a copy).
          globalSetup: ['e2e/global-setup.ts'],
          // On a failure, prints what each open page showed and the server's log (a timeout alone says too little).
          setupFiles: ['e2e/failure-report.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
