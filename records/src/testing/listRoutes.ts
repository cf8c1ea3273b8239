import type { Express } from 'express';

/** A route the app answers: an HTTP method and an Express path such as `/api/patients/:id`. */
export interface AppRoute {
  method: string;
  path: string;
}

/** What Express 5's router keeps of each `use` and `route`: the path it was given, the handler, the route. */
interface RouterLayer {
  rawPath?: unknown;
  handle?: { stack?: RouterLayer[] };
  route?: { path: unknown; methods: Record<string, boolean>; stack?: RouterLayer[] };
}

/**
 * Every route of `app`, read from its router stack, with the paths of the routers it is mounted under:
 * a test that covers these covers a route added tomorrow without being told of it.
 */
export function listRoutes(app: Express): AppRoute[] {
  const routes: AppRoute[] = [];
  const seen = new Set<string>();
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of pathsOf(layer.route.path)) {
          for (const [method, handled] of Object.entries(layer.route.methods)) {
            // `/api/patients` + `/` is the route `/api/patients`.
            const full = prefix && path === '/' ? prefix : `${prefix}${path}`;
            const key = `${method.toUpperCase()} ${full}`;
            if (!handled || method === '_all' || seen.has(key)) continue;
            seen.add(key);
            routes.push({ method: method.toUpperCase(), path: full });
          }
        }
      } else if (layer.handle?.stack) {
        for (const path of pathsOf(layer.rawPath))
          walk(layer.handle.stack, `${prefix}${path === '/' ? '' : path}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return routes;
}

function pathsOf(path: unknown): string[] {
  const paths = Array.isArray(path) ? path : [path];
  for (const p of paths) {
    if (typeof p !== 'string') throw new Error(`listRoutes: a route path that is not a string: ${String(p)}`);
  }
  return paths as string[];
}
