import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/** The e2e tier's vitest file, run by scripts/e2e/run.ts (never by `pnpm test`). */
export default defineConfig({
  test: {
    root: resolve(import.meta.dirname, '../../..'),
    include: ['scripts/e2e/maintainer-path/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    update: 'none',
  },
});
