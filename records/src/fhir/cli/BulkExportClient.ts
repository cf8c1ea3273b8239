import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExportCliError } from './ExportCliError.js';
import type { SmartBackendToken } from './SmartBackendToken.js';

export interface ExportManifest {
  transactionTime: string;
  request: string;
  output: { type: string; url: string; count?: number }[];
  error: { type: string; url: string }[];
}

export interface KickOffRequest {
  patientLevel: boolean;
  types: string[] | undefined;
  since: string | undefined;
}

/** Waits are at least this long (a server answering Retry-After: 0 is not polled in a tight loop) and at most. */
const minWaitMs = 200;
const maxWaitMs = 60_000;

/**
 * A Bulk Data Access IG v2 client: kick-off, status polls that honour `Retry-After` and report `X-Progress`,
 * output files streamed to disk, cancel. A refusal becomes an `ExportCliError` with the OperationOutcome's
 * text as the server wrote it.
 */
export class BulkExportClient {
  readonly #fhirBase: string;
  readonly #token: SmartBackendToken;

  constructor(fhirBase: string, token: SmartBackendToken) {
    this.#fhirBase = fhirBase;
    this.#token = token;
  }

  /** Starts an export; answers its status URL. */
  async kickOff({ patientLevel, types, since }: KickOffRequest): Promise<string> {
    const url = new URL(`${this.#fhirBase}/${patientLevel ? 'Patient/' : ''}$export`);
    if (types) url.searchParams.set('_type', types.join(','));
    if (since) url.searchParams.set('_since', since);
    const res = await this.#fetch(url.toString(), { headers: { prefer: 'respond-async' } });
    if (res.status !== 202) throw await refusal(res, 'The export was refused');
    await res.body?.cancel();
    const location = res.headers.get('content-location');
    if (!location) throw new ExportCliError('The server accepted the export but sent no Content-Location.');
    return location;
  }

  /** Polls until the manifest, telling `onProgress` each `X-Progress`; `signal` stops the waiting. */
  async waitForManifest(
    statusUrl: string,
    onProgress: (progress: string) => void,
    signal: AbortSignal,
  ): Promise<ExportManifest> {
    for (;;) {
      const res = await this.#fetch(statusUrl, { signal });
      if (res.status === 200) return (await res.json()) as ExportManifest;
      if (res.status !== 202 && res.status !== 429) throw await refusal(res, 'The export failed');
      await res.body?.cancel();
      const progress = res.headers.get('x-progress');
      if (progress) onProgress(progress);
      await sleep(retryAfterMs(res.headers.get('retry-after')), undefined, { signal });
    }
  }

  /** Streams one output file to `path` (never whole in memory); answers the bytes written. */
  async download(fileUrl: string, path: string, signal: AbortSignal): Promise<number> {
    const res = await this.#fetch(fileUrl, { signal, headers: { accept: 'application/fhir+ndjson' } });
    if (res.status !== 200 || !res.body) throw await refusal(res, `Could not fetch ${fileUrl}`);
    let bytes = 0;
    const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    await pipeline(body, createWriteStream(path), { signal });
    return bytes;
  }

  /** Cancels the export (or deletes a finished one's files); answers the server's words about it. */
  async cancel(statusUrl: string): Promise<string> {
    const res = await this.#fetch(statusUrl, { method: 'DELETE' });
    if (res.status !== 202 && res.status !== 200) throw await refusal(res, 'The cancel was refused');
    return outcomeText(await res.json().catch(() => undefined)) ?? 'cancelled';
  }

  /** A call with the token; an expired token is renewed once and the call made again. */
  async #fetch(
    url: string,
    init: { method?: string; headers?: Record<string, string>; signal?: AbortSignal },
  ) {
    const send = async (renew: boolean) =>
      fetch(url, {
        method: init.method ?? 'GET',
        signal: init.signal ?? null,
        headers: {
          accept: 'application/fhir+json',
          'accept-language': 'en',
          ...init.headers,
          authorization: `Bearer ${await this.#token.get(renew)}`,
        },
      });
    const res = await send(false);
    if (res.status !== 401) return res;
    const body = await res.text();
    if (!body.includes('TOKEN_EXPIRED')) return new Response(body, res);
    return send(true);
  }
}

/** An `ExportCliError` with every issue of the OperationOutcome, as the server wrote them. */
async function refusal(res: Response, what: string): Promise<ExportCliError> {
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const detail = outcomeText(body) ?? (text.trim().slice(0, 500) || res.statusText);
  return new ExportCliError(`${what} (HTTP ${res.status}):\n${detail}`);
}

function outcomeText(body: unknown): string | undefined {
  const outcome = body as {
    resourceType?: string;
    issue?: { details?: { text?: string }; diagnostics?: string }[];
  };
  if (outcome?.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) return undefined;
  return outcome.issue
    .flatMap((issue) => [issue.details?.text, issue.diagnostics])
    .filter((line): line is string => typeof line === 'string' && line.length > 0)
    .join('\n');
}

/** `Retry-After` in seconds or as an HTTP date, within sane bounds; one second when absent. */
function retryAfterMs(header: string | null): number {
  let ms = 1000;
  if (header && /^\d+$/.test(header.trim())) ms = Number(header) * 1000;
  else if (header && !Number.isNaN(Date.parse(header))) ms = Date.parse(header) - Date.now();
  return Math.min(maxWaitMs, Math.max(minWaitMs, ms));
}
