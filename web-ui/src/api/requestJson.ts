import { type ErrorBody, errorBodySchema, errorMessage, type Locale } from '@telemed/shared';

/** A failed API call, with the platform's error code and a message in the person's language. */
export class ApiRequestError extends Error {
  readonly code: ErrorBody['error']['code'] | 'NETWORK';
  readonly status: number;

  constructor(code: ApiRequestError['code'], message: string, status: number) {
    super(message);
    this.name = 'ApiRequestError';
    this.code = code;
    this.status = status;
  }
}

/** Calls the platform's HTTP API (same origin) and turns every failure into an ApiRequestError. */
export async function requestJson<T>(
  path: string,
  init: { method?: string; body?: unknown; locale: Locale; networkErrorMessage: string; token?: string },
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        'accept-language': init.locale,
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiRequestError('NETWORK', init.networkErrorMessage, 0);
  }
  if (res.status === 204) return undefined as T;
  const payload: unknown = await res.json().catch(() => undefined);
  if (res.ok) return payload as T;
  const parsed = errorBodySchema.safeParse(payload);
  if (parsed.success) {
    throw new ApiRequestError(parsed.data.error.code, parsed.data.error.message, res.status);
  }
  const code = res.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL';
  throw new ApiRequestError(code, errorMessage(code, init.locale), res.status);
}
