import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cardiologyBooking, tomorrowAt } from '../testing/fixtures.js';
import { recordsServerForSuite } from '../testing/recordsServerForSuite.js';
import { ReportService } from './ReportService.js';

/** The organizations queries the service sends, as the driver sees them (mongoose's debug hook). */
function organizationQueries(connection: { set(key: string, value: unknown): unknown }) {
  const filters: Record<string, unknown>[] = [];
  connection.set('debug', (collection: string, method: string, filter: Record<string, unknown>) => {
    if (collection === 'organizations' && method === 'find') filters.push(filter);
  });
  return filters;
}

/** The ids a find's filter names with `_id: {$in}`, comma-joined; empty when it names none. */
function idsNamed(filter: Record<string, unknown> | undefined): string {
  return String((filter?._id as { $in?: unknown[] } | undefined)?.$in ?? '');
}

describe('ReportService: names report rows and governorate totals from the clinics the day names', () => {
  const suite = recordsServerForSuite(['doctor.a']);
  const day = tomorrowAt(12).slice(0, 10);

  beforeAll(async () => {
    const booked = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens['doctor.a'],
      body: cardiologyBooking(suite.f),
    });
    expect(booked.status).toBe(201);
  });
  afterEach(() => {
    suite.server.connection.set('debug', false);
  });

  it('names a clinic row in both languages, reading only the clinics the rows name', async () => {
    const reports = new ReportService(suite.server.models);
    const queries = organizationQueries(suite.server.connection);
    const arabic = await reports.consultations({ from: day, to: day, groupBy: 'clinic' }, 'ar');
    const english = await reports.consultations({ from: day, to: day, groupBy: 'clinic' }, 'en');
    const labels = { ar: 'وحدة صحة أبنوب', en: 'Abnoub Health Unit' };
    expect(arabic.rows).toEqual([
      expect.objectContaining({ group: suite.f.clinicA.id, label: labels.ar, labels, appointments: 1 }),
    ]);
    expect(english.rows).toEqual([expect.objectContaining({ label: labels.en, labels })]);
    // Clinic B has nothing that day: it is not read, nor is any other organization.
    expect(queries).toHaveLength(2);
    for (const filter of queries) expect(idsNamed(filter)).toBe(suite.f.clinicA.id);
  });

  it('reads no organization for a report grouped by specialty; a day with nothing booked shows governorates with zeros', async () => {
    const reports = new ReportService(suite.server.models);
    const queries = organizationQueries(suite.server.connection);
    const bySpecialty = await reports.consultations({ from: day, to: day, groupBy: 'specialty' }, 'ar');
    expect(bySpecialty.rows).toEqual([
      expect.objectContaining({ label: 'أمراض القلب', labels: { ar: 'أمراض القلب', en: 'Cardiology' } }),
    ]);
    expect(queries).toEqual([]);
    const empty = await reports.governorateTotals('2020-01-01');
    expect(empty.rows).toEqual([
      expect.objectContaining({ governorate: 'Assiut', clinics: 2, appointments: 0 }),
    ]);
    // No clinic read one by one: the count per governorate is one grouped aggregate.
    expect(queries).toEqual([]);
  });

  it('totals a day per governorate from the clinics its appointments name', async () => {
    const reports = new ReportService(suite.server.models);
    const queries = organizationQueries(suite.server.connection);
    const totals = await reports.governorateTotals(day);
    expect(totals).toEqual({
      date: day,
      timeZone: 'Africa/Cairo',
      rows: [expect.objectContaining({ governorate: 'Assiut', clinics: 2, appointments: 1, scheduled: 1 })],
    });
    expect(queries).toHaveLength(1);
    expect(idsNamed(queries[0])).toBe(suite.f.clinicA.id);
  });
});
