import { defineConfig } from 'vitest/config';

/**
 * The quality gate (`npm run gate`): evaluation floors and parity with the real model, which
 * `npm run model:import` puts in models/. Not part of `npm test`, which runs on a machine with
 * only Node; CI runs both.
 */
export default defineConfig({
  test: {
    include: ['test/gate/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Each test loads the model and embeds the corpus: one at a time on 2 cores.
    maxWorkers: 1,
    fileParallelism: false,
  },
});
