import { defineConfig } from 'vitest/config';

/**
 * End-to-end: the real UI in Debian's Chromium against `podcap serve` (built CLI + built renderer;
 * `npm run test:e2e` builds both first). Kept apart from the unit config, which excludes test/e2e.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
