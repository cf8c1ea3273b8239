import { AppError } from '../errors/AppError.js';
import { errorBodySchema } from '../errors/errorCodes.js';
import {
  type SfuControlMethod,
  type SfuControlRequest,
  type SfuControlResponse,
  sfuControlMethods,
  sfuControlPath,
} from './sfuControlApi.js';

export interface SfuControlClientOptions {
  /** Base URL of the SFU control API, e.g. http://127.0.0.1:4200 */
  url: string;
  secret: string;
  timeoutMs?: number;
}

export type SfuControlClient = <M extends SfuControlMethod>(
  method: M,
  request: SfuControlRequest<M>,
) => Promise<SfuControlResponse<M>>;

/** A typed caller of the SFU control API; SFU errors come back as AppError with the SFU's code and message. */
export function createSfuControlClient(options: SfuControlClientOptions): SfuControlClient {
  const base = options.url.replace(/\/+$/, '');
  return async (method, request) => {
    const res = await fetch(`${base}${sfuControlPath(method)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.secret}` },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(options.timeoutMs ?? 35_000),
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const parsed = errorBodySchema.safeParse(body);
      if (parsed.success) throw new AppError(parsed.data.error.code, parsed.data.error.message);
      throw new AppError('SERVICE_UNAVAILABLE', `SFU answered ${res.status} to ${method}`);
    }
    return sfuControlMethods[method].response.parse(body) as SfuControlResponse<typeof method>;
  };
}
