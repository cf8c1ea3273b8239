import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthReport, ServiceName } from '@telemed/shared';

/** A dependency check for `/readyz`: resolves with a detail when up, throws (or rejects) when down. */
export type ReadinessCheck = () => Promise<string | undefined>;

export interface HealthEndpointsOptions {
  service: ServiceName;
  version?: string;
  checks?: Record<string, ReadinessCheck>;
  /** A check that has not answered within this many milliseconds counts as down. */
  checkTimeoutMs?: number;
}

const startedAt = Date.now();

/**
 * Answers `GET /healthz` (200 while the process runs) and `GET /readyz` (200 only when every check passes,
 * else 503 with the failing checks). Returns false for any other request so the caller can route it.
 */
export function createHealthEndpoints(options: HealthEndpointsOptions) {
  const { service, version = '0.1.0', checks = {}, checkTimeoutMs = 2000 } = options;

  async function report(withChecks: boolean): Promise<HealthReport> {
    const base = { service, version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
    if (!withChecks) return { ...base, status: 'ok' };
    const results: NonNullable<HealthReport['checks']> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          const detail = await withTimeout(check(), checkTimeoutMs);
          results[name] = detail === undefined ? { ok: true } : { ok: true, detail };
        } catch (error) {
          results[name] = { ok: false, detail: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const ok = Object.values(results).every((r) => r.ok);
    return { ...base, status: ok ? 'ok' : 'unavailable', checks: results };
  }

  return async function handleHealth(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) return false;
    const body = await report(path === '/readyz');
    res.writeHead(body.status === 'ok' ? 200 : 503, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(JSON.stringify(body));
    return true;
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A readiness check that another service's `/healthz` answers 2xx within `timeoutMs`. */
export function healthOf(baseUrl: string, timeoutMs = 1500): ReadinessCheck {
  const url = new URL('/healthz', baseUrl);
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`${url.origin} answered ${res.status}`);
    return url.origin;
  };
}
