import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

export interface BundledPage {
  url: string;
  close(): Promise<void>;
}

/**
 * Bundles a test page (the `index.html` in `root` and what it imports from node_modules, e.g. mediasoup-client)
 * with vite and serves it from a tiny static server on http://localhost, a secure context where Chromium allows
 * getUserMedia. The apps' vite preview serves only the apps, so test pages have their own server.
 */
export async function serveBundledPage(root: string): Promise<BundledPage> {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'telemed-test-page-'));
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, minify: false },
  });
  const server: Server = createServer((req, res) => {
    const requested = (req.url ?? '/').split('?')[0] ?? '/';
    // normalize() keeps the path inside outDir: it resolves every '..' against the leading '/'.
    const path = normalize(requested === '/' ? '/index.html' : requested);
    try {
      const body = readFileSync(join(outDir, path));
      res.writeHead(200, { 'content-type': contentTypes[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
