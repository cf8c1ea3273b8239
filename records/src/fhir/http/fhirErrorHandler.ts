import type { Logger } from '@telemed/service-kit';
import type { ErrorRequestHandler } from 'express';
import type { AuditLog } from '../../audit/AuditLog.js';
import { toAppError } from '../../http/errorHandling.js';
import { preferredLocale } from '../../http/preferredLocale.js';
import { fhirJson, operationOutcomeOf } from './operationOutcome.js';

/** Every error under /fhir answers as an OperationOutcome; every refusal (403) of a known caller is audited. */
export function fhirErrorHandler(logger: Logger, audit: AuditLog): ErrorRequestHandler {
  return async (error, req, res, _next) => {
    const appError = toAppError(error, req, logger);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (appError.code === 'FORBIDDEN' && req.fhirCaller) {
      try {
        await audit.record(req.fhirCaller.actor, {
          action: req.method === 'DELETE' ? 'delete' : req.path.includes('$export') ? 'export' : 'read',
          resourceType: 'fhir',
          outcome: 'denied',
          reason: `${req.method} ${req.path.slice(0, 120)}: ${appError.message}`,
        });
      } catch (auditError) {
        logger.error({ err: auditError }, 'could not audit a FHIR refusal');
      }
    }
    const { status, outcome } = operationOutcomeOf(appError, preferredLocale(req.headers['accept-language']));
    res.status(status).type(fhirJson).send(JSON.stringify(outcome));
  };
}
