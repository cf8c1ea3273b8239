import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Workspace packages export their TypeScript sources under the `@telemed/source` condition,
 * so tests run against source without a build step; Node at run time uses `dist/`.
 */
export const sourceConditions = ['@telemed/source', ...defaultServerConditions];

export function packageProject(name: string, overrides: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
      environment: 'node',
      ...overrides,
    },
  });
}

/** Component tests of web-ui and the apps: a jsdom page, with what Mantine needs of the browser. */
export function domProject(name: string) {
  return packageProject(name, {
    environment: 'jsdom',
    setupFiles: [fileURLToPath(new URL('../web-ui/src/testing/domSetup.ts', import.meta.url))],
    testTimeout: 30_000,
  });
}
