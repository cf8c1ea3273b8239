import type { AuditEvent } from '@telemed/shared';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderApp } from '../../testing/renderApp.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { LoginPage } from '../session/LoginPage.js';
import { RequireSession } from '../session/RequireSession.js';
import { AuditEventPage } from './AuditEventPage.js';

const app: AppIdentity = { role: 'auditor', titleKey: 'admin.app.title', subtitleKey: 'admin.app.subtitle' };
const eventId = '65f000000000000000000042';
const event: AuditEvent = {
  id: eventId,
  at: '2026-03-02T08:15:00.000Z',
  actorId: '65f000000000000000000007',
  actorRole: 'clinic_doctor',
  action: 'read',
  resourceType: 'patient',
  resourceIds: ['65f000000000000000000009'],
  patientIds: ['65f000000000000000000009'],
  outcome: 'success',
};

const signInWords = {
  en: { username: 'Username', password: 'Password', submit: 'Sign in' },
  ar: { username: 'اسم المستخدم', password: 'كلمة المرور', submit: 'دخول' },
};

async function openByUrl(records: FakeRecords, locale: 'ar' | 'en' = 'en') {
  renderApp(
    <Routes>
      <Route path="/login" element={<LoginPage app={app} />} />
      <Route element={<RequireSession app={app} />}>
        <Route path="/audit/:id" element={<AuditEventPage />} />
      </Route>
    </Routes>,
    { recordsUrl: records.baseUrl, path: `/audit/${eventId}`, locale },
  );
  const words = signInWords[locale];
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText(words.username), testUser('auditor').username);
  await user.type(screen.getByLabelText(words.password), 'demo-password');
  await user.click(screen.getByRole('button', { name: words.submit }));
}

describe('AuditEventPage opened by its URL', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  it('reads the event by id when the trail did not hand it over (a bookmark, a link sent on)', async () => {
    records = await startFakeRecords({
      user: testUser('auditor'),
      password: 'demo-password',
      routes: { [`GET /api/audit-events/${eventId}`]: () => event },
    });
    await openByUrl(records);
    const detail = await screen.findByRole('table');
    expect(detail.textContent).toContain('65f000000000000000000009');
    expect(detail.textContent).toContain('65f000000000000000000007');
    expect(records.calls).toContain(`GET /api/audit-events/${eventId}`);
  }, 30_000);

  it.each([
    ['en', ['Read', 'Refused', 'Patient record', 'The call signaling server'], 'Stored as'],
    ['ar', ['اطلاع', 'مرفوض', 'سجل مريض', 'خادم إشارات المكالمات'], 'القيمة المخزّنة:'],
  ] as const)(
    'in %s, names the action, outcome, resource kind and door in words, with each code as stored below it',
    async (locale, inWords, storedAs) => {
      records = await startFakeRecords({
        user: testUser('auditor'),
        password: 'demo-password',
        routes: {
          [`GET /api/audit-events/${eventId}`]: () => ({ ...event, outcome: 'denied', via: 'signaling' }),
        },
      });
      await openByUrl(records, locale);
      const detail = await screen.findByRole('table');
      const cells = within(detail)
        .getAllByRole('cell')
        .map((cell) => cell.textContent);
      for (const [words, raw] of inWords.map(
        (w, i) => [w, ['read', 'denied', 'patient', 'signaling'][i]] as const,
      )) {
        expect(cells).toContain(`${words}${storedAs} \u2066${raw}\u2069`);
      }
    },
    30_000,
  );

  it('shows records’ message when there is no such event', async () => {
    records = await startFakeRecords({
      user: testUser('auditor'),
      password: 'demo-password',
      routes: {
        [`GET /api/audit-events/${eventId}`]: () => ({
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: 'No such audit event.' } },
        }),
      },
    });
    await openByUrl(records);
    expect((await screen.findByRole('alert')).textContent).toContain('No such audit event.');
  }, 30_000);
});
