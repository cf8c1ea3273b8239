import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PanelsPage {
  url: string;
  close(): Promise<void>;
}

/**
 * The panels' test page (`panelsPage/`: the real web-ui panels and call client) built with vite and served by
 * vite's preview server on http://localhost, which proxies `/api` to records as the apps' own server does:
 * records answers the page's origin only, and the session's refresh cookie stays same-origin.
 */
export async function servePanelsPage(recordsUrl: string): Promise<PanelsPage> {
  const { build, preview, defaultClientConditions } = await import('vite');
  const here = fileURLToPath(new URL('./panelsPage/', import.meta.url));
  // Compiled to dist/ (for `npm run screenshots`), the page is still read from its sources: tsc copies no HTML.
  const root = existsSync(join(here, 'index.html')) ? here : here.replace(/[\\/]dist[\\/]/, '/src/');
  const outDir = mkdtempSync(join(tmpdir(), 'telemed-panels-page-'));
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    // web-ui from its sources, as the apps build it: its compiled dist/ has no CSS files (tsc copies none), so
    // under `npm run screenshots` (plain node, no vitest conditions) the note's print stylesheet was not found.
    resolve: { conditions: ['@telemed/source', ...defaultClientConditions] },
    build: { outDir, emptyOutDir: true, minify: false },
  });
  const server = await preview({
    root,
    configFile: false,
    logLevel: 'warn',
    build: { outDir },
    preview: {
      host: '127.0.0.1',
      port: 0,
      proxy: { '/api': { target: recordsUrl, changeOrigin: false, xfwd: true } },
    },
  });
  const { port } = server.httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
