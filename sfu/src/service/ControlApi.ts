import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, type SfuControlMethod, sfuControlMethods } from '@telemed/shared';
import type { Logger } from 'pino';
import type { RoomRegistry } from './RoomRegistry.js';

const MAX_BODY_BYTES = 256 * 1024;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares in constant time, also when the lengths differ (both sides are hashed first). */
export function secretMatches(presented: string | undefined, secret: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(secret));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: AppError): void {
  send(res, error.status, error.toBody('en'));
}

/**
 * Reads the body, at most MAX_BODY_BYTES. An oversized body is refused at once, but its remaining bytes are
 * still on the connection: the refusal closes the connection (`Connection: close`) and the rest is drained
 * until it closes, so they are never parsed as the next request of a keep-alive connection (which then hung).
 */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData).off('end', onEnd);
      res.setHeader('connection', 'close');
      req.resume();
      reject(new AppError('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${MAX_BODY_BYTES} bytes`));
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData).on('end', onEnd).on('error', reject);
  });
}

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const text = (await readBody(req, res)).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The request body is not valid JSON');
  }
}

/** `POST /v1/<method>` with a bearer secret; answers false for paths it does not own. */
export function createControlApiHandler(params: { registry: RoomRegistry; secret: string; logger: Logger }) {
  const { registry, secret, logger } = params;
  return async function handleControl(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const match = /^\/v1\/([A-Za-z]+)$/.exec(path);
    if (!match) return false;
    const method = match[1] as string;
    try {
      const header = req.headers.authorization;
      const presented = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
      if (!secretMatches(presented, secret))
        throw new AppError('UNAUTHENTICATED', 'A valid SFU control secret is required');
      if (!Object.hasOwn(sfuControlMethods, method))
        throw new AppError('NOT_FOUND', `No control method ${method}`);
      if (req.method !== 'POST') throw new AppError('VALIDATION_FAILED', `Use POST for /v1/${method}`);
      // A compressed body read as plain JSON would be misread, not refused.
      const encoding = req.headers['content-encoding']?.trim().toLowerCase();
      if (encoding && encoding !== 'identity')
        throw new AppError('VALIDATION_FAILED', 'Send the body as uncompressed JSON (no content-encoding).');
      const body = await readJson(req, res);
      const spec = sfuControlMethods[method as SfuControlMethod];
      const parsed = spec.request.safeParse(body);
      if (!parsed.success) throw AppError.fromZod(parsed.error, `${method} request`);
      const handler = registry[method as SfuControlMethod] as (request: unknown) => Promise<unknown>;
      const result = await handler.call(registry, parsed.data);
      send(res, 200, result);
    } catch (error) {
      if (error instanceof AppError) {
        if (error.status >= 500) logger.error({ err: error, method }, 'control call failed');
        sendError(res, error);
      } else {
        logger.error({ err: error, method }, 'control call failed unexpectedly');
        sendError(res, new AppError('INTERNAL', error instanceof Error ? error.message : 'Internal error'));
      }
    }
    return true;
  };
}
