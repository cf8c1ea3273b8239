import { AppError } from '@telemed/shared';
import { type Request, type Response, Router } from 'express';
import type { FhirReadService } from '../read/FhirReadService.js';
import { type CapabilityInputs, capabilityStatement } from './capabilityStatement.js';
import { fhirJson } from './operationOutcome.js';
import { searchsetBundle } from './searchsetBundle.js';

function callerOf(req: Request) {
  if (!req.fhirCaller) throw new AppError('UNAUTHENTICATED');
  return req.fhirCaller;
}

/** `handling=lenient` in `Prefer`: unknown search parameters are ignored with a warning instead of a 400. */
function isLenient(req: Request): boolean {
  return /(^|[,;\s])handling=lenient\b/.test(req.get('prefer') ?? '');
}

function send(res: Response, body: unknown, status = 200) {
  res.setHeader('cache-control', 'no-store');
  res.status(status).type(fhirJson).send(JSON.stringify(body));
}

/** The CapabilityStatement: unauthenticated, as on every FHIR server (mounted before `fhirAuthenticate`). */
export function fhirMetadataRoute(inputs: (req: Request) => CapabilityInputs): Router {
  const router = Router();
  router.get('/metadata', (req, res) => send(res, capabilityStatement(inputs(req))));
  return router;
}

/**
 * Read, search and `$everything`: thin over `FhirReadService` (load, convert, answer). Mounted after the bulk
 * routes, whose `/$export`, `/Patient/$export` and `/bulk/…` would otherwise look like a type and an id.
 */
export function fhirReadRoutes(service: FhirReadService, baseUrl: (req: Request) => string): Router {
  const router = Router();
  // What the audit event says was asked: the path and the parameters' names, never their values (an identifier
  // search carries a national ID, which the audit trail must not spread).
  const request = (req: Request) => {
    const names = Object.keys(req.query);
    return `${req.method} ${req.originalUrl.split('?')[0]}${names.length ? `?${names.join('&')}` : ''}`;
  };

  router.get('/:type', async (req, res) => {
    const type = req.params.type as string;
    const query = req.query as Record<string, unknown>;
    const page = await service.search(callerOf(req), type, query, isLenient(req), request(req));
    send(res, searchsetBundle(page, baseUrl(req), `/fhir/${type}`, query));
  });

  router.get('/:type/:id/$everything', async (req, res) => {
    const { type, id } = req.params as { type: string; id: string };
    const query = req.query as Record<string, unknown>;
    const page = await service.everything(callerOf(req), type, id, query, request(req));
    send(res, searchsetBundle(page, baseUrl(req), `/fhir/${type}/${id}/$everything`, query));
  });

  router.get('/:type/:id', async (req, res) => {
    const { type, id } = req.params as { type: string; id: string };
    const resource = await service.read(callerOf(req), type, id, request(req));
    const version = resource.meta?.versionId;
    if (version) res.setHeader('etag', `W/"${version}"`);
    send(res, resource);
  });

  return router;
}
