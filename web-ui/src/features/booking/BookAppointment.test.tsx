import { defaultTimeZone } from '@telemed/shared';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderApp } from '../../testing/renderApp.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { LoginPage } from '../session/LoginPage.js';
import { RequireSession } from '../session/RequireSession.js';
import { BookAppointment } from './BookAppointment.js';
import { nextDays } from './freeSlots.js';

const app: AppIdentity = {
  role: 'clinic_doctor',
  titleKey: 'app.clinic.title',
  subtitleKey: 'app.clinic.subtitle',
};
const hex = (n: number) => n.toString(16).padStart(24, '0');
const cardiologistId = hex(31);
const patientId = hex(201);
const everyDay = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '09:00', end: '11:00' }));

describe('BookAppointment', () => {
  let records: FakeRecords | undefined;
  afterEach(() => records?.stop());

  it("leaves out a time another clinic booked, read from the specialist's busy times (not the clinic's own list)", async () => {
    const [, tomorrow = ''] = nextDays(new Date(), defaultTimeZone, 2);
    const local = (clock: string) =>
      DateTime.fromISO(`${tomorrow}T${clock}`, { zone: defaultTimeZone }).toUTC().toISO() ?? '';
    records = await startFakeRecords({
      user: testUser('clinic_doctor'),
      password: 'demo-password',
      routes: {
        'GET /api/specialists': () => ({
          items: [
            {
              id: cardiologistId,
              name: { ar: 'د. منى', latin: 'Dr Mona' },
              specialty: 'cardiology',
              organizationId: hex(3),
            },
          ],
        }),
        [`GET /api/specialists/${cardiologistId}/availability`]: () => ({
          specialistId: cardiologistId,
          timeZone: defaultTimeZone,
          weekly: everyDay,
          exceptions: [],
        }),
        // Another clinic's booking, 09:30–10:00 tomorrow: the clinic's own appointment list never shows it.
        [`GET /api/specialists/${cardiologistId}/busy`]: ({ url }) => ({
          specialistId: cardiologistId,
          from: url.searchParams.get('from'),
          to: url.searchParams.get('to'),
          items: [{ start: local('09:30'), end: local('10:00') }],
        }),
      },
    });
    renderApp(
      <Routes>
        <Route path="/login" element={<LoginPage app={app} />} />
        <Route element={<RequireSession app={app} />}>
          <Route path="*" element={<BookAppointment patientId={patientId} onBooked={() => {}} />} />
        </Route>
      </Routes>,
      { recordsUrl: records.baseUrl, locale: 'en' },
    );
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Username'), testUser('clinic_doctor').username);
    await user.type(screen.getByLabelText('Password'), 'demo-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await user.type(await screen.findByPlaceholderText('Choose a specialty'), 'Cardio');
    await user.click(await screen.findByRole('option', { name: 'Cardiology', hidden: true }));
    const days = within(await screen.findByRole('group', { name: 'Day' })).getAllByRole('button');
    await user.click(days[1] as HTMLElement);
    const slots = within(screen.getByRole('group', { name: 'Free time' })).getAllByRole('button');
    expect(slots.map((s) => s.textContent)).toEqual(['09:00', '10:00', '10:30']);

    const busyCall = records.calls.find((c) => c.startsWith(`GET /api/specialists/${cardiologistId}/busy?`));
    expect(busyCall).toBeDefined();
    const window = new URL(`http://x${busyCall?.slice(4)}`).searchParams;
    const days14 = Date.parse(window.get('to') ?? '') - Date.parse(window.get('from') ?? '');
    expect(days14).toBe(14 * 86_400_000);
    expect(records.calls.some((c) => c.startsWith('GET /api/appointments'))).toBe(false);
  });
});
