import type { Consultation, Icd10Entry } from '@telemed/shared';
import type { FakeRoute } from '../../../testing/fakeRecordsServer.js';

const id = (n: number) => n.toString(16).padStart(24, '0');

/** A few catalog entries, searched by code or by a word of either title, as records' catalog answers. */
export const icd10Sample: Icd10Entry[] = [
  {
    code: 'E11.9',
    en: 'Type 2 diabetes mellitus without complications',
    ar: 'داء السكري من النوع الثاني دون مضاعفات',
  },
  {
    code: 'E10.9',
    en: 'Type 1 diabetes mellitus without complications',
    ar: 'داء السكري من النوع الأول دون مضاعفات',
  },
  { code: 'I10', en: 'Essential (primary) hypertension', ar: 'ارتفاع ضغط الدم الأساسي' },
  { code: 'J45.9', en: 'Asthma, unspecified', ar: 'الربو، غير محدد' },
];

export const searchIcd10Sample: FakeRoute = ({ url }) => {
  const q = (url.searchParams.get('q') ?? '').trim().toLowerCase();
  const items = icd10Sample.filter(
    (e) =>
      e.code.toLowerCase().startsWith(q) ||
      e.en.toLowerCase().includes(q) ||
      e.ar.replaceAll('ال', '').includes(q.replace(/^ال/, '')),
  );
  return { items };
};

export function testConsultation(overrides: Partial<Consultation> = {}): Consultation {
  const at = new Date(Date.UTC(2026, 11, 7, 9)).toISOString();
  return {
    id: id(500),
    appointmentId: id(101),
    patientId: id(201),
    clinicId: id(2),
    specialistId: id(1),
    status: 'draft',
    version: 0,
    content: { reasonForVisit: 'ألم في الصدر' },
    vitalSigns: [],
    chat: [],
    attachments: [],
    amendments: [],
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/**
 * The consultation routes with records' optimistic concurrency: a PATCH at an older version answers 409
 * STALE_WRITE; `otherTab` changes the record as a second editor would.
 */
export function consultationRoutes(initial: Consultation) {
  let record = initial;
  const patches: { version: number; changes: Record<string, unknown> }[] = [];
  const path = `/api/consultations/${initial.id}`;
  const routes: Record<string, FakeRoute> = {
    [`GET ${path}`]: () => record,
    [`PATCH ${path}`]: ({ body }) => {
      const { version, changes } = body as { version: number; changes: Record<string, unknown> };
      patches.push({ version, changes });
      if (version !== record.version) {
        return { status: 409, body: { error: { code: 'STALE_WRITE', message: 'عدّل شخص آخر هذا السجل' } } };
      }
      record = { ...record, version: record.version + 1, content: { ...record.content, ...changes } };
      return record;
    },
    [`POST ${path}/sign`]: ({ body }) => {
      if ((body as { version: number }).version !== record.version) {
        return { status: 409, body: { error: { code: 'STALE_WRITE', message: 'stale' } } };
      }
      record = {
        ...record,
        status: 'signed',
        version: record.version + 1,
        signedAt: new Date().toISOString(),
        signedBy: id(1),
      };
      return record;
    },
    [`POST ${path}/amendments`]: ({ body }) => {
      const { version, reason, changes } = body as {
        version: number;
        reason: string;
        changes: Record<string, unknown>;
      };
      if (version !== record.version) {
        return { status: 409, body: { error: { code: 'STALE_WRITE', message: 'stale' } } };
      }
      const amendment = {
        version,
        at: new Date().toISOString(),
        by: id(1),
        reason,
        previous: record.content,
      };
      record = {
        ...record,
        version: record.version + 1,
        content: { ...record.content, ...changes },
        amendments: [...record.amendments, amendment],
      };
      return record;
    },
    'GET /api/icd10': searchIcd10Sample,
  };
  return {
    routes,
    patches,
    current: () => record,
    otherTab(changes: Consultation['content']) {
      record = { ...record, version: record.version + 1, content: { ...record.content, ...changes } };
    },
  };
}
