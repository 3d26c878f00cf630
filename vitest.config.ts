import { defineConfig } from 'vitest/config';

/**
 * Tests by seam, each a project: `unit` (the core and the stages as functions, seconds, no
 * process, moto_server or Chromium), `cli` (the command on the file system), `cloud`
 * (moto_server, the synthesized stack and state machine), `browser` (the pages in Chromium).
 * `npm test` runs all four; `npm run test:unit` the first alone.
 */
const seams = ['unit', 'cli', 'cloud', 'browser'] as const;

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // Synthesizing the CDK stack in a beforeAll takes seconds, more on a machine shared with other work.
    hookTimeout: 60_000,
    projects: seams.map((seam) => ({ extends: true, test: { name: seam, include: [`test/${seam}/**/*.test.ts`] } })),
  },
});
