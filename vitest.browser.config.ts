// The browser suite: real headless Chromium against the built dist/ files (run after the build).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // one browser at a time on a 2-core machine
    fileParallelism: false,
  },
});
