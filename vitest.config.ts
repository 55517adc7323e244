import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The quality gate needs the real model: `npm run gate`, run by CI after `npm run model:import`.
    exclude: [...configDefaults.exclude, 'test/gate/**'],
    // Model loading and the fake-Discord tests start real processes and sockets.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2 cores: more workers only thrash.
    maxWorkers: 2,
  },
});
