import type { Logger } from '@telemed/service-kit';
import { AppError } from '@telemed/shared';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { AuditLog } from '../audit/AuditLog.js';
import { wasAudited } from '../audit/auditRefusals.js';
import { malformedRequestError } from './malformedRequestError.js';
import { preferredLocale } from './preferredLocale.js';
import { actorOf } from './requestContext.js';

/** Unknown routes answer 404 with the platform's error body, never Express's HTML page. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(
    new AppError('NOT_FOUND', {
      en: `No route for ${req.method} ${req.path}`,
      ar: `لا يوجد مسار ${req.method} ${req.path}.`,
    }),
  );
};

/**
 * Turns every error into `{error: {code, message}}` with its status; unexpected ones are logged, not shown.
 * Every refusal (403) is written to the audit trail here, so no route can forget to.
 */
export function errorHandler(logger: Logger, audit?: AuditLog): ErrorRequestHandler {
  return async (error, req, res, _next) => {
    const appError = toAppError(error, req, logger);
    if (res.headersSent) {
      // A streamed answer (an attachment) failed half-way: the client must not take it for complete.
      res.destroy();
      return;
    }
    // A service audits the refusals of its rules itself (with what it was asked for); the rest are audited here.
    if (audit && appError.code === 'FORBIDDEN' && req.user && !wasAudited(error)) {
      try {
        const resourceType = resourceTypeOf(req.path);
        const resourceId = resourceIdOf(req.path);
        await audit.record(actorOf(req), {
          action: actionOf(req.method),
          resourceType,
          resourceId,
          patientId: resourceType === 'patients' ? resourceId : undefined,
          outcome: 'denied',
          reason: appError.message,
        });
      } catch (auditError) {
        logger.error({ err: auditError }, 'could not audit a refusal');
      }
    }
    res.status(appError.status).json(appError.toBody(preferredLocale(req.headers['accept-language'])));
  };
}

/** Any error as the platform's `AppError`: unexpected ones are logged and become INTERNAL. */
export function toAppError(error: unknown, req: Request, logger: Logger): AppError {
  if (error instanceof AppError) return error;
  const malformed = malformedRequestError(error);
  if (malformed) {
    // The client's fault, which anyone can send without a token: a warn line, no stack, nothing to page on.
    logger.warn(
      { requestId: req.id, method: req.method, path: req.path, code: malformed.code },
      malformed.message,
    );
    return malformed;
  }
  if (isDuplicateKey(error)) {
    const fields = Object.keys(error.keyValue ?? error.keyPattern ?? {}).filter((f) => f !== 'clinicId');
    return new AppError(
      'CONFLICT',
      {
        en: `A record with the same ${fields.join(', ') || 'key'} already exists.`,
        ar: `يوجد سجل آخر بالقيمة نفسها في: ${fields.join('، ') || 'المفتاح'}؛ غيّرها ثم أعد المحاولة.`,
      },
      [...fields.map((path) => ({ path, message: 'already in use' }))],
    );
  }
  if (error instanceof Error && error.name === 'ValidationError') {
    // Mongoose's own wording stays in the English log; a person reads what to do.
    return new AppError('VALIDATION_FAILED', {
      en: error.message,
      ar: 'البيانات المرسلة لا تطابق قواعد السجل؛ راجعها ثم أعد المحاولة.',
    });
  }
  logger.error({ err: error, requestId: req.id, method: req.method, path: req.path }, 'unhandled error');
  return new AppError('INTERNAL');
}

function isDuplicateKey(
  error: unknown,
): error is { code: 11000; keyValue?: Record<string, unknown>; keyPattern?: Record<string, unknown> } {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

function actionOf(method: string): 'read' | 'create' | 'update' | 'delete' {
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (method === 'POST') return 'create';
  if (method === 'DELETE') return 'delete';
  return 'update';
}

/** `/api/patients/65a…/consultations` → `patients`. */
function resourceTypeOf(path: string): string {
  return path.split('/').filter(Boolean)[1] ?? 'api';
}

function resourceIdOf(path: string): string | undefined {
  return path.split('/').find((segment) => /^[0-9a-f]{24}$/i.test(segment));
}
