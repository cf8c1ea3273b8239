import {
  page,
  renderApp,
  signIn,
  startFakeRecords,
  testAppointment,
  testUser,
} from '@telemed/web-ui/testing';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '../AppRoutes.js';

describe('specialist home (/)', () => {
  it('shows urgent requests with how long each has waited; taking one moves it to the appointments', async () => {
    const waitingSince = new Date(Date.now() - 25 * 60_000).toISOString();
    const request = testAppointment(7, {
      kind: 'on-demand',
      priority: 'urgent',
      status: 'waiting',
      waitingSince,
    });
    let urgent = [request];
    let mine = [testAppointment(1)];
    const records = await startFakeRecords({
      user: testUser('specialist'),
      password: 'demo-password',
      routes: {
        'GET /api/urgent-requests': () => ({ items: urgent }),
        'GET /api/appointments': () => page(mine),
        [`POST /api/urgent-requests/${request.id}/pick`]: () => {
          urgent = [];
          mine = [...mine, { ...request, status: 'in-progress' as const }];
          return mine.at(-1);
        },
      },
    });
    try {
      renderApp(<AppRoutes />, { recordsUrl: records.baseUrl, path: '/', locale: 'ar' });
      const user = await signIn('dr.samir');

      const queue = await screen.findByRole('region', { name: 'طلبات عاجلة في تخصصك' });
      expect(await within(queue).findByText(/ينتظر منذ ٢٥ دقيقة/)).toBeTruthy();
      expect(within(queue).getByText('طلب واحد')).toBeTruthy();
      const appointments = screen.getByRole('region', { name: 'المواعيد القادمة' });
      expect(await within(appointments).findByText('موعد واحد')).toBeTruthy();

      await user.click(within(queue).getByRole('button', { name: 'استلام الحالة: فاطمة 7' }));
      expect(await within(queue).findByText('لا توجد طلبات عاجلة الآن.')).toBeTruthy();
      await waitFor(() => expect(within(appointments).getByText('موعدان')).toBeTruthy());
      expect(within(appointments).getByText('جارية')).toBeTruthy();
    } finally {
      await records.stop();
    }
  });
});
