import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { type HttpLogger, pinoHttp } from 'pino-http';

/** The header a request's id travels in, from the first service that saw it to every service it calls. */
export const requestIdHeader = 'x-request-id';

/** An id another service may hand us: short, and only characters that cannot forge a log line or a header. */
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,64}$/;

/** Probes ask every few seconds; a line each would bury the requests people make. */
const probePaths = new Set(['/healthz', '/readyz']);

/**
 * The request id to use for `header`: the caller's when it is one we accept (so that a request signaling made
 * on someone's behalf carries signaling's id into records' log), a new one otherwise.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && acceptableRequestId.test(value) ? value : randomUUID();
}

/**
 * One log line per HTTP request, written when the answer is sent: method, path, status, time taken and the
 * request id (also sent back in `x-request-id`). Never patient data: no bodies, no headers (tokens and cookies
 * stay out), and the path without its query string, which can hold a patient's name or national ID
 * (`/api/patients?q=…`); path segments are record ids, not names.
 */
export function createRequestLogger(logger: Logger): HttpLogger<IncomingMessage, ServerResponse> {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdFrom(req.headers[requestIdHeader]);
      res.setHeader(requestIdHeader, id);
      return id;
    },
    autoLogging: { ignore: (req) => probePaths.has(pathOf(req.url)) },
    // Refusals and bad input are the callers' business and are audited; only the service's own faults warn.
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(urlOf(req))} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(urlOf(req))} ${res.statusCode} failed`,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    // The request logger of each request (`req.log`) would otherwise repeat the whole request on every line.
    quietReqLogger: true,
    serializers: {
      req: (req: IncomingMessage) => ({ method: req.method, path: pathOf(urlOf(req)) }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    wrapSerializers: false,
  });
}

/** The URL as it came in: Express trims `req.url` to the part below the router that handles it. */
function urlOf(req: IncomingMessage & { originalUrl?: string }): string | undefined {
  return req.originalUrl ?? req.url;
}

/** The URL's path alone: the query string is dropped, never logged. */
function pathOf(url: string | undefined): string {
  const path = url ?? '';
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}
