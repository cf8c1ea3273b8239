import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { AppError } from '@telemed/shared';
import { defaultPageSize, maxPageSize, pagingParams, type ReadableType } from './fhirReadTypes.js';

/** A date criterion as an interval test: FHIR dates are ranges (`2024-03` is all of March). */
export interface DateCriterion {
  prefix: 'eq' | 'ge' | 'le' | 'gt' | 'lt';
  start: number;
  /** Exclusive. */
  end: number;
}

export interface TokenCriterion {
  system?: string | undefined;
  code: string;
}

export interface SearchCriteria {
  /** Each parameter's values (repeated parameters AND together, as FHIR says). */
  values: Map<string, string[]>;
  count: number;
  offset: number;
  /** Parameters ignored under `Prefer: handling=lenient`. */
  warnings: OperationOutcomeIssue[];
}

const jsonFormats = new Set(['json', 'application/json', 'application/fhir+json']);

function badValue(name: string, value: string, expected: { en: string; ar: string }): AppError {
  const shown = value.slice(0, 80);
  return new AppError('VALIDATION_FAILED', {
    en: `${name}=${shown}: ${expected.en}`,
    ar: `${name}=${shown}: ${expected.ar}`,
  });
}

function pageNumber(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw))
    throw badValue(name, raw, { en: 'expected a whole number.', ar: 'المتوقع عدد صحيح.' });
  return Math.min(Number(raw), max);
}

/**
 * The query of a search (or of `$everything`, whose parameters are only the paging ones), checked against what
 * the type declares: an unknown parameter is a 400, or a warning under `Prefer: handling=lenient`.
 */
export function parseSearchQuery(
  query: Record<string, unknown>,
  declared: ReadableType['search'],
  lenient: boolean,
): SearchCriteria {
  const values = new Map<string, string[]>();
  const warnings: OperationOutcomeIssue[] = [];
  const known = new Set([...declared, ...pagingParams].map((p) => p.name));
  for (const [name, raw] of Object.entries(query)) {
    const list = (Array.isArray(raw) ? raw : [raw]).map(String);
    // `_format` (FHIR's content negotiation by parameter): JSON is the one format served.
    if (name === '_format') {
      if (list.every((v) => jsonFormats.has(v))) continue;
      throw badValue('_format', list.join(','), {
        en: 'this server answers JSON only (json, application/json, application/fhir+json).',
        ar: 'يجيب هذا الخادم بصيغة JSON فقط (json أو application/json أو application/fhir+json).',
      });
    }
    if (!known.has(name)) {
      const message = {
        en: `Unknown search parameter "${name.slice(0, 40)}"; this server supports: ${[...known].join(', ')} (see /fhir/metadata).`,
        ar: `معامل البحث "${name.slice(0, 40)}" غير معروف؛ المعاملات المتاحة: ${[...known].join('، ')} (انظر /fhir/metadata).`,
      };
      if (!lenient) throw new AppError('VALIDATION_FAILED', message);
      warnings.push({
        severity: 'warning',
        code: 'not-supported',
        diagnostics: message.en,
        details: { text: message.ar },
      });
      continue;
    }
    if (list.some((v) => v === '')) throw badValue(name, '', { en: 'give a value.', ar: 'أدخل قيمة.' });
    values.set(name, list);
  }
  const count = pageNumber('_count', values.get('_count')?.[0], defaultPageSize, maxPageSize);
  const offset = pageNumber('_offset', values.get('_offset')?.[0], 0, 1_000_000);
  values.delete('_count');
  values.delete('_offset');
  return { values, count, offset, warnings };
}

const datePattern =
  /^(eq|ge|le|gt|lt)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** `[prefix]YYYY[-MM[-DD[Thh:mm[:ss[.fff]](Z|±hh:mm)]]]`, as the interval it stands for. */
export function parseDateCriterion(name: string, raw: string): DateCriterion {
  const bad = () =>
    badValue(name, raw, {
      en: 'expected a FHIR date such as 2024-03-01 or ge2024-03-01T08:00:00Z (prefixes eq, ge, le, gt, lt).',
      ar: 'المتوقع تاريخ بصيغة FHIR مثل 2024-03-01 أو ge2024-03-01T08:00:00Z (البادئات eq وge وle وgt وlt).',
    });
  const m = raw.match(datePattern);
  if (!m) throw bad();
  const [, prefix = 'eq', year, month, day, hour, minute, second, zone] = m;
  const y = Number(year);
  const mo = month ? Number(month) - 1 : 0;
  const d = day ? Number(day) : 1;
  if (mo > 11 || d < 1 || d > 31) throw bad();
  let start: number;
  let end: number;
  if (hour !== undefined) {
    const iso = `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${zone === 'Z' ? 'Z' : zone}`;
    start = Date.parse(iso);
    end = start + (second === undefined ? 60_000 : 1000);
  } else {
    start = Date.UTC(y, mo, d);
    end = day ? Date.UTC(y, mo, d + 1) : month ? Date.UTC(y, mo + 1, 1) : Date.UTC(y + 1, 0, 1);
  }
  if (Number.isNaN(start) || (day && new Date(Date.UTC(y, mo, d)).getUTCDate() !== d)) throw bad();
  return { prefix: prefix as DateCriterion['prefix'], start, end };
}

/** Whether an instant (ms) meets a criterion; a resource with no date meets none. */
export function dateMatches(criterion: DateCriterion, at: number | undefined): boolean {
  if (at === undefined || Number.isNaN(at)) return false;
  switch (criterion.prefix) {
    case 'eq':
      return at >= criterion.start && at < criterion.end;
    case 'ge':
      return at >= criterion.start;
    case 'gt':
      return at >= criterion.end;
    case 'le':
      return at < criterion.end;
    case 'lt':
      return at < criterion.start;
  }
}

/** `[system|]code`; `|code` (no system) is treated like `code`. */
export function parseToken(name: string, raw: string): TokenCriterion {
  const bar = raw.indexOf('|');
  if (bar < 0) return { code: raw };
  const system = raw.slice(0, bar);
  const code = raw.slice(bar + 1);
  if (!code)
    throw badValue(name, raw, {
      en: 'expected system|code or code; a code is missing.',
      ar: 'المتوقع system|code أو code؛ الرمز ناقص.',
    });
  return { system: system || undefined, code };
}

/** `Patient/<id>` or `<id>`: the patient's id. */
export function parsePatientReference(raw: string): string {
  const id = raw.startsWith('Patient/') ? raw.slice('Patient/'.length) : raw;
  if (!/^[0-9a-f]{24}$/.test(id))
    throw badValue('patient', raw, {
      en: 'expected Patient/<id> with the id of a Patient this server answered.',
      ar: 'المتوقع Patient/<id> بمعرّف مريض أعاده هذا الخادم.',
    });
  return id;
}
