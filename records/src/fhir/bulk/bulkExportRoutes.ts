import { AppError } from '@telemed/shared';
import { type Request, Router } from 'express';
import { preferredLocale } from '../../http/preferredLocale.js';
import { fhirJson, informationOutcome } from '../http/operationOutcome.js';
import type { BulkExportService } from './BulkExportService.js';
import type { BulkSourceTable } from './BulkSourceTable.js';
import { parseExportRequest } from './parseExportRequest.js';

/** Seconds a client is asked to wait between status polls. */
const retryAfterSeconds = 2;

function callerOf(req: Request) {
  if (!req.fhirCaller) throw new AppError('UNAUTHENTICATED');
  return req.fhirCaller;
}

/**
 * Bulk Data Access IG v2: kick-off (`$export`), status, files and cancel; thin over `BulkExportService`.
 * `baseUrl` is how clients reach this service (FHIR_PUBLIC_URL), else the request's own origin.
 */
export function bulkExportRoutes(
  service: BulkExportService,
  sources: BulkSourceTable,
  baseUrl?: string,
): Router {
  const router = Router();
  const origin = (req: Request) => baseUrl ?? `${req.protocol}://${req.get('host')}`;

  const kickOff = (level: 'system' | 'patient') => async (req: Request, res: import('express').Response) => {
    const caller = callerOf(req);
    const request = parseExportRequest(
      level,
      req.query as Record<string, unknown>,
      req.get('prefer'),
      sources,
    );
    const jobId = await service.kickOff(caller, request, `${origin(req)}${req.originalUrl}`);
    res.status(202).setHeader('content-location', `${origin(req)}/fhir/bulk/${jobId}`);
    res.type(fhirJson).send(
      JSON.stringify(
        informationOutcome(
          {
            en: 'The export has started; poll the Content-Location URL.',
            ar: 'بدأ التصدير؛ تابع حالته من الرابط في Content-Location.',
          },
          preferredLocale(req.headers['accept-language']),
        ),
      ),
    );
  };
  router.get('/$export', kickOff('system'));
  router.get('/Patient/$export', kickOff('patient'));

  router.get('/bulk/:jobId', async (req, res) => {
    const jobId = req.params.jobId as string;
    const status = await service.status(callerOf(req), jobId);
    res.setHeader('cache-control', 'no-store');
    if (status.state === 'running') {
      const percent =
        status.estimatedTotal > 0
          ? Math.min(99, Math.floor((100 * status.written) / status.estimatedTotal))
          : 0;
      res.setHeader('x-progress', `${status.written}/${status.estimatedTotal} resources (${percent}%)`);
      res.setHeader('retry-after', String(retryAfterSeconds));
      res.status(202).end();
      return;
    }
    if (status.state === 'failed') {
      throw new AppError('INTERNAL', {
        en: `The export failed: ${status.message}`,
        ar: 'فشل التصدير؛ ابدأ تصديراً جديداً.',
      });
    }
    res.status(200).json({
      transactionTime: status.transactionTime.toISOString(),
      request: status.request,
      requiresAccessToken: true,
      output: status.output.map(({ type, count }) => ({
        type,
        url: `${origin(req)}/fhir/bulk/${jobId}/${type}.ndjson`,
        count,
      })),
      error: [],
    });
  });

  router.get('/bulk/:jobId/:file', async (req, res) => {
    const match = (req.params.file as string).match(/^([A-Za-z]+)\.ndjson$/);
    if (!match?.[1]) throw new AppError('NOT_FOUND', { en: 'No such file.', ar: 'لا يوجد ملف بهذا الاسم.' });
    const chunks = service.file(callerOf(req), req.params.jobId as string, match[1]);
    // The first chunk is read before the headers go: a refusal still answers as an OperationOutcome.
    const first = await chunks.next();
    res.status(200).type('application/fhir+ndjson').setHeader('cache-control', 'no-store');
    if (!first.done) res.write(first.value);
    for await (const chunk of chunks) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  });

  router.delete('/bulk/:jobId', async (req, res) => {
    await service.cancel(callerOf(req), req.params.jobId as string);
    res
      .status(202)
      .type(fhirJson)
      .send(
        JSON.stringify(
          informationOutcome(
            { en: 'The export was cancelled and its files deleted.', ar: 'أُلغي التصدير وحُذفت ملفاته.' },
            preferredLocale(req.headers['accept-language']),
          ),
        ),
      );
  });

  return router;
}
