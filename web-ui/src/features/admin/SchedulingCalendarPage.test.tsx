import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { page, testAppointment, testUser } from '../../testing/demoRecords.js';
import { startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderApp } from '../../testing/renderApp.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { LoginPage } from '../session/LoginPage.js';
import { RequireSession } from '../session/RequireSession.js';
import { SchedulingCalendarPage } from './SchedulingCalendarPage.js';
import { addDays, dayInZone, startOfDayIn, weekStartOf } from './weekGrid.js';

const app: AppIdentity = {
  role: 'administrator',
  titleKey: 'admin.app.title',
  subtitleKey: 'admin.app.subtitle',
};
const cairo = 'Africa/Cairo';
const specialistId = 'a'.repeat(24);

describe('the scheduling calendar across specialists', () => {
  it("shows each specialist's week: appointments counted per Cairo day without their reason, hours and leave", async () => {
    const sunday = weekStartOf(dayInZone(new Date(), cairo));
    const monday = addDays(sunday, 1);
    const wednesday = addDays(sunday, 3);
    const at = (day: string, hours: number) =>
      new Date(startOfDayIn(day, cairo).getTime() + hours * 3600_000).toISOString();
    const records = await startFakeRecords({
      user: testUser('administrator', { username: 'admin.cairo' }),
      password: 'demo-password',
      routes: {
        'GET /api/specialists': () => ({
          items: [
            {
              id: specialistId,
              name: { ar: 'د. منى القلب', latin: 'Dr Mona' },
              specialty: 'cardiology',
              organizationId: 'b'.repeat(24),
            },
          ],
        }),
        'GET /api/appointments': () =>
          page([
            testAppointment(1, { start: at(monday, 10), end: at(monday, 10.5), specialistId }),
            testAppointment(2, { start: at(monday, 11), end: at(monday, 11.5), specialistId }),
            testAppointment(3, { start: at(monday, 12), status: 'cancelled', specialistId }),
          ]),
        [`GET /api/specialists/${specialistId}/availability`]: () => ({
          specialistId,
          timeZone: cairo,
          weekly: [{ weekday: 1, start: '09:00', end: '13:00' }],
          exceptions: [{ from: wednesday, to: wednesday, reason: 'مؤتمر' }],
        }),
      },
    });
    try {
      renderApp(
        <Routes>
          <Route path="/login" element={<LoginPage app={app} />} />
          <Route element={<RequireSession app={app} />}>
            <Route path="*" element={<SchedulingCalendarPage />} />
          </Route>
        </Routes>,
        { recordsUrl: records.baseUrl, path: '/calendar' },
      );
      const user = userEvent.setup();
      await user.type(await screen.findByLabelText('اسم المستخدم'), 'admin.cairo');
      await user.type(screen.getByLabelText('كلمة المرور'), 'demo-password');
      await user.click(screen.getByRole('button', { name: 'دخول' }));

      const calendar = await screen.findByRole('region', { name: 'جدول الاستشاريين الأسبوعي' });
      expect(await within(calendar).findByText('موعدان')).toBeTruthy();
      const mondayCell = calendar.querySelector(`td[data-day="${monday}"]`) as HTMLElement;
      expect(within(mondayCell).getByText('٠٩:٠٠ ص–٠١:٠٠ م')).toBeTruthy();
      expect(within(mondayCell).getAllByText(/محدد/)).toHaveLength(2);
      const wednesdayCell = calendar.querySelector(`td[data-day="${wednesday}"]`) as HTMLElement;
      expect(wednesdayCell.dataset.leave).toBe('true');
      expect(within(wednesdayCell).getByText('إجازة: مؤتمر')).toBeTruthy();
      expect(within(calendar).getAllByText('لا ساعات عمل').length).toBe(5);
      // Administrators read no clinical content: the reason for the visit is not on the screen.
      expect(calendar.textContent).not.toContain('ألم في الصدر');

      const from = encodeURIComponent(startOfDayIn(sunday, cairo).toISOString());
      const to = encodeURIComponent(startOfDayIn(addDays(sunday, 7), cairo).toISOString());
      expect(records.calls).toContain(
        `GET /api/appointments?specialistId=${specialistId}&from=${from}&to=${to}&limit=100`,
      );

      await user.click(within(calendar).getByRole('button', { name: 'الأسبوع التالي' }));
      const nextFrom = encodeURIComponent(startOfDayIn(addDays(sunday, 7), cairo).toISOString());
      await within(calendar).findAllByText('لا ساعات عمل');
      expect(records.calls.some((call) => call.includes(`from=${nextFrom}`))).toBe(true);
    } finally {
      await records.stop();
    }
  });
});
