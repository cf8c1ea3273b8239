import type { z } from 'zod';
import { AppError, type ErrorDetail } from '../errors/AppError.js';
import { type ErrorCode, errorBodySchema, errorCatalog } from '../errors/errorCodes.js';
import type { Locale } from '../identifiers.js';
import {
  type RecordsAnswer,
  type RecordsDownload,
  type RecordsRequest,
  type RecordsRoute,
  type RecordsRouteName,
  type RecordsUpload,
  recordsPath,
  recordsRoutes,
} from './recordsApi.js';

/**
 * A failed records call: the server's code, message and details, and the HTTP status it answered (0 when no
 * answer came: `network` is then true).
 */
export class RecordsApiError extends AppError {
  readonly #status: number;
  readonly network: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    status: number,
    details?: ErrorDetail[],
    options: { network?: boolean } = {},
  ) {
    // Records answered in the language the client asked for: that text is the message whatever the locale.
    super(code, { en: message, ar: message }, details);
    this.name = 'RecordsApiError';
    this.#status = status;
    this.network = options.network === true;
  }

  /** The HTTP status records answered (0: no answer). */
  override get status(): number {
    return this.#status;
  }
}

export interface RecordsClientOptions {
  /** Where records answers, e.g. `http://127.0.0.1:4100`; '' (the default) is the page's own origin. */
  baseUrl?: string;
  /** The current access token, for authenticated routes; undefined answers UNAUTHENTICATED without a call. */
  accessToken?: () => string | undefined;
  /**
   * Called once when records answers TOKEN_EXPIRED: resolve true after getting a new token (the call is then
   * retried once with `accessToken()`), false to let the error through.
   */
  onTokenExpired?: () => Promise<boolean>;
  /** The person's language: sent as accept-language, and used for messages the client writes itself. */
  locale?: () => Locale;
  /** The message shown when records cannot be reached at all. */
  networkErrorMessage?: () => string;
  /** Extra headers on every call (a Node caller passes the refresh cookie here). */
  headers?: () => Record<string, string>;
  /** Browser: 'same-origin' (the default) sends the refresh cookie to the auth routes. */
  credentials?: 'omit' | 'same-origin' | 'include';
  timeoutMs?: number;
}

/** The arguments after the route's name: the request, optional when the route needs nothing. */
export type RecordsCallArgs<N extends RecordsRouteName> =
  Record<string, never> extends RecordsRequest<N>
    ? [request?: RecordsRequest<N>]
    : [request: RecordsRequest<N>];

/** A typed caller of the records API; every answer is checked against the route table's schema. */
export interface RecordsClient {
  call<N extends RecordsRouteName>(name: N, ...request: RecordsCallArgs<N>): Promise<RecordsAnswer<N>>;
}

interface AnyRequest {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  upload?: RecordsUpload;
}

/**
 * The table seen as plain routes: indexing the literal table by a route name makes a union of every route's
 * type, which grew too large for the checker to compare with RecordsRoute.
 */
const routeTable: Record<RecordsRouteName, RecordsRoute> = recordsRoutes;

export function createRecordsClient(options: RecordsClientOptions = {}): RecordsClient {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const locale = () => options.locale?.() ?? 'en';

  async function send(name: RecordsRouteName, route: RecordsRoute, request: AnyRequest): Promise<unknown> {
    const headers: Record<string, string> = { 'accept-language': locale(), ...options.headers?.() };
    if (route.authenticated) {
      const token = options.accessToken?.();
      if (!token) throw new RecordsApiError('UNAUTHENTICATED', errorCatalog.UNAUTHENTICATED[locale()], 401);
      headers.authorization = `Bearer ${token}`;
    }
    let body: string | Uint8Array | ArrayBuffer | Blob | undefined;
    if (request.upload) {
      headers['content-type'] = request.upload.contentType;
      if (request.upload.fileName) headers['x-file-name'] = encodeURIComponent(request.upload.fileName);
      body = request.upload.bytes;
    } else if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    const url = `${base}${recordsPath(route, request.params)}${queryString(request.query)}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: route.method,
        headers,
        body,
        credentials: options.credentials ?? 'same-origin',
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch {
      const message = options.networkErrorMessage?.() ?? errorCatalog.SERVICE_UNAVAILABLE[locale()];
      throw new RecordsApiError('SERVICE_UNAVAILABLE', message, 0, undefined, { network: true });
    }
    if (!res.ok) throw await errorOf(res, locale());
    return readAnswer(name, route, res, locale());
  }

  return {
    // Loosely typed inside (the interface types every call): the union of every route's request and answer is
    // more than the checker can represent, and send checks the answer against the route's schema anyway.
    async call(name: RecordsRouteName, ...[request]: unknown[]): Promise<never> {
      const route = routeTable[name];
      const input = (request ?? {}) as AnyRequest;
      try {
        return (await send(name, route, input)) as never;
      } catch (error) {
        const expired = error instanceof RecordsApiError && error.code === 'TOKEN_EXPIRED';
        if (!expired || !route.authenticated || !options.onTokenExpired) throw error;
        if (!(await options.onTokenExpired())) throw error;
        return (await send(name, route, input)) as never;
      }
    },
  };
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function errorOf(res: Response, locale: Locale): Promise<RecordsApiError> {
  const payload: unknown = await res.json().catch(() => undefined);
  const parsed = errorBodySchema.safeParse(payload);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new RecordsApiError(code, message, res.status, details);
  }
  const code = res.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL';
  return new RecordsApiError(code, errorCatalog[code][locale], res.status);
}

async function readAnswer(
  name: RecordsRouteName,
  route: RecordsRoute,
  res: Response,
  locale: Locale,
): Promise<unknown> {
  const { response } = route;
  const contentType = res.headers.get('content-type') ?? '';
  if (res.status !== response.status) {
    throw mismatch(name, route, locale, `status ${res.status}, expected ${response.status}`);
  }
  switch (response.kind) {
    case 'empty':
      return undefined;
    case 'binary':
      return {
        contentType,
        fileName: fileNameOf(res.headers.get('content-disposition')),
        bytes: new Uint8Array(await res.arrayBuffer()),
      } satisfies RecordsDownload;
    case 'json-or-text':
      if (contentType.startsWith(response.textType)) return res.text();
      return checked(name, route, response.schema, await jsonOf(name, route, res, locale), locale);
    case 'json':
      return checked(name, route, response.schema, await jsonOf(name, route, res, locale), locale);
  }
}

async function jsonOf(name: RecordsRouteName, route: RecordsRoute, res: Response, locale: Locale) {
  try {
    return (await res.json()) as unknown;
  } catch {
    throw mismatch(name, route, locale, 'the answer is not JSON');
  }
}

function checked(
  name: RecordsRouteName,
  route: RecordsRoute,
  schema: z.ZodType,
  payload: unknown,
  locale: Locale,
): unknown {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  throw mismatch(name, route, locale, summary, details);
}

function mismatch(
  name: RecordsRouteName,
  route: RecordsRoute,
  locale: Locale,
  what: string,
  details?: ErrorDetail[],
): RecordsApiError {
  const message = `${errorCatalog.CONTRACT_MISMATCH[locale]} (${name}: ${route.method} ${route.path}: ${what})`;
  return new RecordsApiError('CONTRACT_MISMATCH', message, 502, details);
}

function fileNameOf(disposition: string | null): string | undefined {
  const encoded = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (!encoded) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}
