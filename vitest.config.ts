import { defineConfig } from 'vitest/config';

/** One vitest run covers every package; each package's own vitest.config.ts is a project. */
export default defineConfig({
  test: {
    projects: [
      'shared',
      'browser-testing',
      'service-kit',
      'embedded-mongo',
      'records',
      'sfu',
      'signaling',
      'web-ui',
      'clinic-app',
      'specialist-app',
      'admin-app',
      'launcher',
      'e2e',
    ],
  },
});
