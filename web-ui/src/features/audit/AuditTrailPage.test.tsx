import type { AuditEvent } from '@telemed/shared';
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderSignedIn } from '../../testing/renderSignedIn.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { AuditTrailPage } from './AuditTrailPage.js';

const app: AppIdentity = { role: 'auditor', titleKey: 'admin.app.title', subtitleKey: 'admin.app.subtitle' };
const event = (n: number, resourceType: string): AuditEvent => ({
  id: `65f0000000000000000000${String(n).padStart(2, '0')}`,
  at: '2026-03-02T08:15:00.000Z',
  actorId: '65f000000000000000000007',
  actorRole: 'clinic_doctor',
  action: 'create',
  resourceType,
  resourceIds: [],
  patientIds: [],
  outcome: 'success',
});

describe('AuditTrailPage', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  it('names each record kind in the person’s words, and shows a kind it does not know as stored', async () => {
    records = await startFakeRecords({
      user: testUser('auditor'),
      password: 'demo-password',
      routes: {
        'GET /api/audit-events': () => ({
          items: [event(1, 'session'), event(2, 'urgent-requests'), event(3, 'new-kind')],
          page: 1,
          limit: 50,
        }),
      },
    });
    await renderSignedIn(app, <AuditTrailPage />, {
      recordsUrl: records.baseUrl,
      path: '/audit',
      locale: 'ar',
      username: testUser('auditor').username,
      password: 'demo-password',
    });
    const table = await screen.findByRole('table', { name: 'أحداث التدقيق' });
    const kinds = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell')[4]?.textContent);
    expect(kinds).toEqual(['جلسة الدخول', expect.not.stringContaining('urgent'), 'new-kind']);
  });
});
