import type { AuditQuery } from '@telemed/shared';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { auditEventFilter } from './auditEventFilter.js';

describe('auditEventFilter', () => {
  let server: RecordsTestServer;
  const actor = new Types.ObjectId();
  const patient = new Types.ObjectId();
  const start = Date.parse('2026-03-01T08:00:00Z');

  beforeAll(async () => {
    server = await startRecordsTestServer();
    // 3,000 successful reads by others, and a handful of rare events among them: the needles.
    const events = Array.from({ length: 3000 }, (_, i) => ({
      at: new Date(start + i * 60_000),
      actorId: new Types.ObjectId(),
      actorRole: 'clinic_doctor',
      action: 'read',
      resourceType: 'patient',
      patientIds: [new Types.ObjectId()],
      outcome: 'success',
    }));
    events[10] = { ...events[10]!, outcome: 'denied', actorId: actor };
    events[1500] = { ...events[1500]!, resourceType: 'audit-log', patientIds: [patient] };
    events[2990] = { ...events[2990]!, outcome: 'denied', patientIds: [patient] };
    await server.models.AuditEvent.insertMany(events);
  });
  afterAll(() => server?.stop());

  // How the audit route reads a page: newest first, fifty at most.
  const page = (query: AuditQuery) =>
    server.models.AuditEvent.find(auditEventFilter(query)).sort({ at: -1 }).limit(50);

  it.each<[string, AuditQuery, number]>([
    ['refusals', { outcome: 'denied' }, 2],
    ['a kind of record', { resourceType: 'audit-log' }, 1],
    ["one person's actions", { actorId: actor.toHexString() }, 1],
    ["reads of one patient's data", { patientId: patient.toHexString() }, 2],
    ['an hour', { from: new Date(start).toISOString(), to: new Date(start + 3_600_000).toISOString() }, 50],
  ])('finds %s through an index, reading no event it does not return', async (_, query, expected) => {
    const docs = await page(query).lean();
    expect(docs).toHaveLength(expected);
    const plan = (await page(query).explain('executionStats')) as unknown as {
      executionStats: { nReturned: number; totalDocsExamined: number };
    };
    expect(plan.executionStats.nReturned).toBe(expected);
    expect(plan.executionStats.totalDocsExamined).toBe(expected);
  });
});
