import type { Logger } from '@telemed/service-kit';
import { AppError } from '@telemed/shared';
import type { ErrorRequestHandler, RequestHandler } from 'express';

/** Unknown routes answer 404 with the platform's error body, never Express's HTML page. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

/** Turns every error into `{error: {code, message}}` with its status; unexpected ones are logged, not shown. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    let appError: AppError;
    if (error instanceof AppError) {
      appError = error;
    } else if (isBodyParserError(error)) {
      appError =
        error.type === 'entity.too.large'
          ? new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${error.limit} bytes`)
          : new AppError('VALIDATION_FAILED', 'The request body is not valid JSON');
    } else {
      logger.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
      appError = new AppError('INTERNAL');
    }
    res.status(appError.status).json(appError.toBody(preferredLocale(req.headers['accept-language'])));
  };
}

function isBodyParserError(error: unknown): error is { type: string; limit?: number } {
  return typeof error === 'object' && error !== null && 'type' in error && typeof error.type === 'string';
}

function preferredLocale(acceptLanguage: string | undefined): 'ar' | 'en' {
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'ar';
}
