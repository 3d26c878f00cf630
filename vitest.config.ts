import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Synthesizing the CDK stack in a beforeAll takes seconds, more on a machine shared with other work.
    hookTimeout: 60_000,
  },
});
