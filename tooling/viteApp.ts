import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHealthEndpoints, healthOf } from '@telemed/service-kit';
import { appLinksFor, appLinksPath, loadConfig, type ServiceName } from '@telemed/shared';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin, type UserConfig } from 'vite';

interface AppSpec {
  service: Extract<ServiceName, 'clinic-app' | 'specialist-app' | 'admin-app'>;
  portVariable: 'CLINIC_APP_PORT' | 'SPECIALIST_APP_PORT' | 'ADMIN_APP_PORT';
}

/**
 * Vite config shared by the web apps. `vite preview` serves the built app on HOST and the app's port, and
 * proxies `/api` to the records service and `/socket.io` to the signaling server, so the browser talks to
 * one origin (as it will behind the hospital's reverse proxy).
 */
export function webAppConfig({ service, portVariable }: AppSpec): UserConfig {
  const config = loadConfig([
    'HOST',
    'RECORDS_URL',
    'SIGNALING_URL',
    'CLINIC_APP_PORT',
    'SPECIALIST_APP_PORT',
    'ADMIN_APP_PORT',
  ]);
  const port = config[portVariable];
  const appPorts = {
    'clinic-app': config.CLINIC_APP_PORT,
    'specialist-app': config.SPECIALIST_APP_PORT,
    'admin-app': config.ADMIN_APP_PORT,
  };
  const proxy = {
    '/api': { target: config.RECORDS_URL, changeOrigin: false, xfwd: true },
    '/socket.io': { target: config.SIGNALING_URL, ws: true, xfwd: true },
  };
  return defineConfig({
    plugins: [
      react(),
      healthEndpoints(service, config.RECORDS_URL, config.SIGNALING_URL),
      appLinks(appPorts),
    ],
    resolve: { conditions: ['@telemed/source', ...defaultClientConditions] },
    build: { target: 'es2022', sourcemap: true },
    server: { host: config.HOST, port, strictPort: true, proxy },
    preview: { host: config.HOST, port, strictPort: true, proxy },
  });
}

/** `/healthz` answers while the server runs; `/readyz` also checks the two services the app depends on. */
function healthEndpoints(service: AppSpec['service'], recordsUrl: string, signalingUrl: string): Plugin {
  const health = createHealthEndpoints({
    service,
    checks: { records: healthOf(recordsUrl), signaling: healthOf(signalingUrl) },
  });
  const handler = async (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (!(await health(req, res))) next();
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

/**
 * `/app-links.json`: where each role's app is, on the host name the browser used to reach this one (the apps
 * share a host and differ by port), so a link works from the machine itself and from the hospital's network.
 */
function appLinks(ports: Parameters<typeof appLinksFor>[1]): Plugin {
  const handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== appLinksPath) return next();
    const hostname = new URL(`http://${req.headers.host ?? 'localhost'}`).hostname;
    const forwarded = String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      ?.trim();
    const protocol = forwarded === 'https' ? 'https:' : 'http:';
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    res.end(JSON.stringify(appLinksFor({ protocol, hostname }, ports)));
  };
  return {
    name: 'telemed-app-links',
    configurePreviewServer(server) {
      server.middlewares.use(handler);
    },
    configureServer(server) {
      server.middlewares.use(handler);
    },
  };
}
