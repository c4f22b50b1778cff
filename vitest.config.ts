import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    // Two cores: more workers only queue up on the database and Chromium.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits this long (Vitest's default is 1 s): the browser tests poll what a page shows, and on a
    // busy two-core machine a page's second request can take longer than a second.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default'],
  },
});
