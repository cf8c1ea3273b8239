import { AppError } from '@telemed/shared';
import type { BulkSourceTable } from './BulkSourceTable.js';

export interface ExportRequest {
  level: 'system' | 'patient';
  types: string[];
  since: Date | undefined;
}

/** A FHIR `instant`: a date and time to the second at least, with a time zone. */
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ndjsonFormats = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);

/** The kick-off's parameters, checked: each refusal names what to send instead, in both languages. */
export function parseExportRequest(
  level: 'system' | 'patient',
  query: Record<string, unknown>,
  prefer: string | undefined,
  sources: BulkSourceTable,
): ExportRequest {
  if (!prefer || !/(^|[\s,;])respond-async($|[\s,;])/.test(prefer)) {
    throw new AppError('VALIDATION_FAILED', {
      en: 'A Bulk Data kick-off needs the header "Prefer: respond-async".',
      ar: 'يحتاج بدء التصدير المجمّع إلى الترويسة "Prefer: respond-async".',
    });
  }
  const format = query._outputFormat;
  if (format !== undefined && !(typeof format === 'string' && ndjsonFormats.has(format))) {
    throw new AppError('VALIDATION_FAILED', {
      en: `_outputFormat ${JSON.stringify(format)} is not supported; only application/fhir+ndjson is.`,
      ar: `صيغة الإخراج ${JSON.stringify(format)} غير مدعومة؛ المدعومة هي application/fhir+ndjson فقط.`,
    });
  }
  let since: Date | undefined;
  if (query._since !== undefined) {
    const value = query._since;
    const parsed = typeof value === 'string' && instantPattern.test(value) ? new Date(value) : undefined;
    if (!parsed || Number.isNaN(parsed.getTime())) {
      throw new AppError('VALIDATION_FAILED', {
        en: `_since ${JSON.stringify(value)} is not a FHIR instant; send e.g. 2024-01-31T00:00:00Z.`,
        ar: `قيمة _since ${JSON.stringify(value)} ليست لحظة زمنية بصيغة FHIR؛ أرسل مثلاً 2024-01-31T00:00:00Z.`,
      });
    }
    since = parsed;
  }
  const available = sources.types(level);
  let types = available;
  if (query._type !== undefined) {
    if (typeof query._type !== 'string' || query._type.trim() === '') {
      throw new AppError('VALIDATION_FAILED', {
        en: '_type is a comma-separated list of resource types, e.g. Patient,Observation.',
        ar: 'قيمة _type قائمة أنواع موارد مفصولة بفواصل، مثل Patient,Observation.',
      });
    }
    types = [...new Set(query._type.split(',').map((t) => t.trim()))];
    const unknown = types.filter((t) => !available.includes(t));
    if (unknown.length > 0) {
      throw new AppError('VALIDATION_FAILED', {
        en: `This server does not export ${unknown.join(', ')} at this level; it exports ${available.join(', ')}.`,
        ar: `لا يصدّر هذا الخادم ${unknown.join('، ')} على هذا المستوى؛ الأنواع المتاحة: ${available.join('، ')}.`,
      });
    }
  }
  return { level, types, since };
}
