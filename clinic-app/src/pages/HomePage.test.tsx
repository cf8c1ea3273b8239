import {
  page,
  renderApp,
  signIn,
  startFakeRecords,
  testAppointment,
  testPatient,
  testUser,
} from '@telemed/web-ui/testing';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '../AppRoutes.js';

describe('clinic home (/)', () => {
  it('lists the appointments with an Arabic count and finds a patient, the search kept in the URL', async () => {
    const records = await startFakeRecords({
      user: testUser('clinic_doctor'),
      password: 'demo-password',
      routes: {
        'GET /api/appointments': () => page([1, 2, 3].map((n) => testAppointment(n))),
        'GET /api/patients': ({ url }) => page(url.searchParams.get('q') === 'فاطمه' ? [testPatient(1)] : []),
      },
    });
    try {
      renderApp(<AppRoutes />, { recordsUrl: records.baseUrl, path: '/' });
      const user = await signIn('clinic.abnoub');

      const appointments = await screen.findByRole('region', { name: 'المواعيد القادمة' });
      expect(await within(appointments).findByText('٣ مواعيد')).toBeTruthy();
      expect(within(appointments).getAllByRole('row')).toHaveLength(4);
      expect(within(appointments).getByText('فاطمة 2')).toBeTruthy();

      const search = screen.getByRole('region', { name: 'بحث عن مريض' });
      await user.click(within(search).getByRole('button', { name: 'بحث' }));
      expect(within(search).getByText('اكتب حرفين على الأقل للبحث.')).toBeTruthy();
      await user.type(within(search).getByRole('searchbox'), 'فاطمه');
      await user.click(within(search).getByRole('button', { name: 'بحث' }));
      expect(await within(search).findByText('مريض واحد')).toBeTruthy();
      expect(within(search).getByText('فاطمة 1')).toBeTruthy();
      expect(records.calls).toContain(`GET /api/patients?q=${encodeURIComponent('فاطمه')}&limit=20`);
    } finally {
      await records.stop();
    }
  });

  it('turns away a specialist: this app is for clinic doctors', async () => {
    const records = await startFakeRecords({
      user: testUser('specialist'),
      password: 'demo-password',
      routes: {},
    });
    try {
      renderApp(<AppRoutes />, { recordsUrl: records.baseUrl, path: '/', locale: 'en' });
      const user = await signIn('dr.samir', { locale: 'en' });
      expect((await screen.findByRole('alert')).textContent).toContain('not for your role');
      expect(records.calls.some((call) => call.startsWith('GET /api/appointments'))).toBe(false);
      await user.click(screen.getByRole('button', { name: 'Sign out' }));
      expect(await screen.findByRole('heading', { level: 2, name: 'Sign in' })).toBeTruthy();
    } finally {
      await records.stop();
    }
  });
});
