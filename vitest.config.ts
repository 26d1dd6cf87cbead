import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'documents/**/*.test.ts', 'connectors/**/*.test.ts', 'mappings/**/*.test.ts', 'transforms/**/*.test.ts', 'stores/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
