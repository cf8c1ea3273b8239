import type { AuditEvent } from '@telemed/shared';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderSignedIn } from '../../testing/renderSignedIn.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { AuditTrailPage } from './AuditTrailPage.js';

const app: AppIdentity = { role: 'auditor', titleKey: 'admin.app.title', subtitleKey: 'admin.app.subtitle' };
const doctorId = '65f000000000000000000007';
const fatmaId = '65f000000000000000000009';
const fatma = { id: fatmaId, name: { ar: 'فاطمة أحمد علي', latin: 'Fatma Ahmed Ali' }, mrn: 'A-1001' };
const event: AuditEvent = {
  id: '65f000000000000000000042',
  at: '2026-03-02T08:15:00.000Z',
  actorId: doctorId,
  actorRole: 'clinic_doctor',
  actor: { username: 'doctor.a', name: { ar: 'د. منى حسن', latin: 'Dr Mona Hassan' } },
  action: 'read',
  resourceType: 'patient',
  resourceIds: [fatmaId],
  patientIds: [fatmaId],
  patients: [fatma],
  outcome: 'success',
};

describe('the audit trail’s patient picker', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  it('finds a patient by name on the server as the auditor types, and filters the trail by their id', async () => {
    const searches: string[] = [];
    records = await startFakeRecords({
      user: testUser('auditor'),
      password: 'demo-password',
      routes: {
        'GET /api/audit-events': () => ({ items: [event], page: 1, limit: 50 }),
        'GET /api/audit/patients': ({ url }) => {
          const q = url.searchParams.get('q') ?? '';
          searches.push(q);
          const items = 'fatma'.startsWith(q.toLowerCase())
            ? [{ ...fatma, clinic: { id: 'c'.repeat(24), name: { ar: 'وحدة أبنوب', en: 'Abnoub unit' } } }]
            : [];
          return { items, page: 1, limit: 20, hasMore: false };
        },
      },
    });
    const user = await renderSignedIn(app, <AuditTrailPage />, {
      recordsUrl: records.baseUrl,
      username: testUser('auditor').username,
      locale: 'en',
    });

    // The trail names the person and the patient, with their ids as secondary text.
    const table = await screen.findByRole('table', { name: 'Audit events' });
    const [, row] = within(table).getAllByRole('row');
    expect(row?.textContent).toContain('Dr Mona Hassan');
    expect(row?.textContent).toContain(doctorId);
    expect(row?.textContent).toContain('Fatma Ahmed Ali');
    expect(row?.textContent).toContain('A-1001');

    const picker = screen.getByLabelText('Patient', { selector: 'input' });
    await user.type(picker, 'f');
    // One letter asks nothing of the server.
    expect(
      (await screen.findAllByText('Type at least two letters of a name, a username or an MRN')).length,
    ).toBeGreaterThan(0);
    expect(searches).toEqual([]);
    await user.type(picker, 'atma');
    const option = await screen.findByRole('option', { name: /Fatma Ahmed Ali — A-1001, Abnoub unit/ });
    // Debounced: the words typed in one go were searched once, not per keystroke.
    expect(searches).toEqual(['fatma']);
    await user.click(option);
    await waitFor(() =>
      expect(records?.calls.some((call) => call.includes(`/api/audit-events?patientId=${fatmaId}`))).toBe(
        true,
      ),
    );
    expect(screen.getByLabelText('Patient', { selector: 'input' })).toHaveProperty(
      'value',
      'Fatma Ahmed Ali — A-1001, Abnoub unit',
    );
  });
});
