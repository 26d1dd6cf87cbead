import { defineConfig } from 'vitest/config';

/**
 * Two groups, one after the other: every unit, contract and end-to-end test in parallel forks,
 * then the browser tests alone, one file at a time. Chromium driven through a console that runs
 * real jobs needs the machine's cores; run beside 200 other test files on two cores, its steps took
 * longer than any sensible timeout now and then, which said nothing about the console.
 */
const include = ['src/**/*.test.ts', 'documents/**/*.test.ts', 'connectors/**/*.test.ts', 'mappings/**/*.test.ts', 'transforms/**/*.test.ts', 'stores/**/*.test.ts', 'test/**/*.test.ts'];
const browser = ['test/browser/**/*.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'main', include, exclude: [...browser, '**/node_modules/**'], testTimeout: 30_000, hookTimeout: 60_000, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'browser', include: browser, fileParallelism: false, testTimeout: 90_000, hookTimeout: 120_000, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
