import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HealthReport, loadConfig, type ServiceName } from '@telemed/shared';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin, type UserConfig } from 'vite';

interface AppSpec {
  service: Extract<ServiceName, 'clinic-app' | 'specialist-app'>;
  portVariable: 'CLINIC_APP_PORT' | 'SPECIALIST_APP_PORT';
}

/**
 * Vite config shared by both web apps. `vite preview` serves the built app on HOST and the app's port, and
 * proxies `/api` to the records service and `/socket.io` to the signaling server, so the browser talks to
 * one origin (as it will behind the hospital's reverse proxy).
 */
export function webAppConfig({ service, portVariable }: AppSpec): UserConfig {
  const config = loadConfig(['HOST', 'RECORDS_URL', 'SIGNALING_URL', portVariable]);
  const port = config[portVariable];
  const proxy = {
    '/api': { target: config.RECORDS_URL, changeOrigin: false, xfwd: true },
    '/socket.io': { target: config.SIGNALING_URL, ws: true, xfwd: true },
  };
  return defineConfig({
    plugins: [react(), healthEndpoints(service, config.RECORDS_URL, config.SIGNALING_URL)],
    resolve: { conditions: ['@telemed/source', ...defaultClientConditions] },
    build: { target: 'es2022', sourcemap: true },
    server: { host: config.HOST, port, strictPort: true, proxy },
    preview: { host: config.HOST, port, strictPort: true, proxy },
  });
}

/** `/healthz` answers while the server runs; `/readyz` also checks the two services the app depends on. */
function healthEndpoints(service: AppSpec['service'], recordsUrl: string, signalingUrl: string): Plugin {
  const startedAt = Date.now();
  const handler = async (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const path = req.url?.split('?')[0];
    if (path !== '/healthz' && path !== '/readyz') return next();
    const report: HealthReport = {
      service,
      status: 'ok',
      version: '0.1.0',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
    if (path === '/readyz') {
      report.checks = {};
      for (const [name, url] of [
        ['records', recordsUrl],
        ['signaling', signalingUrl],
      ] as const) {
        try {
          const answer = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(1500) });
          report.checks[name] = { ok: answer.ok, detail: `HTTP ${answer.status}` };
        } catch (error) {
          report.checks[name] = { ok: false, detail: error instanceof Error ? error.message : String(error) };
        }
      }
      if (Object.values(report.checks).some((c) => !c.ok)) report.status = 'unavailable';
    }
    res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(report));
  };
  return {
    name: 'telemed-health-endpoints',
    configurePreviewServer(server) {
      server.middlewares.use(handler);
    },
    configureServer(server) {
      server.middlewares.use(handler);
    },
  };
}
