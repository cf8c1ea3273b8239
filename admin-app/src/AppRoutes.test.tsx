import { renderApp, signIn, startFakeRecords, testUser } from '@telemed/web-ui/testing';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from './AppRoutes.js';

describe('the admin app', () => {
  it("opens an auditor's sections only: the administrator's pages send them to the audit trail", async () => {
    const records = await startFakeRecords({
      user: testUser('auditor', { username: 'auditor' }),
      password: 'demo-password',
      routes: {},
    });
    try {
      renderApp(<AppRoutes />, { recordsUrl: records.baseUrl, path: '/users', locale: 'en' });
      await signIn('auditor', { locale: 'en' });
      const nav = await screen.findByRole('navigation', { name: 'Administration sections' });
      expect(
        within(nav)
          .getAllByRole('link')
          .map((link) => link.textContent),
      ).toEqual(['Audit trail']);
      expect(await screen.findByRole('heading', { name: 'Audit trail' })).toBeTruthy();
      expect(records.calls.some((call) => call.startsWith('GET /api/users'))).toBe(false);
    } finally {
      await records.stop();
    }
  });

  it('gives an administrator their sections and opens the scheduling calendar first', async () => {
    const records = await startFakeRecords({
      user: testUser('administrator', { username: 'admin' }),
      password: 'demo-password',
      routes: { 'GET /api/specialists': () => ({ items: [] }) },
    });
    try {
      renderApp(<AppRoutes />, { recordsUrl: records.baseUrl, path: '/', locale: 'en' });
      await signIn('admin', { locale: 'en' });
      const nav = await screen.findByRole('navigation', { name: 'Administration sections' });
      expect(
        within(nav)
          .getAllByRole('link')
          .map((link) => link.textContent),
      ).toEqual([
        'Scheduling calendar',
        'Accounts',
        'Organizations',
        'Hours and leave',
        'Reports',
        'Governance dashboard',
        'FHIR',
      ]);
      expect(await screen.findByText('No specialists.')).toBeTruthy();
    } finally {
      await records.stop();
    }
  });

  it('tells a clinic doctor this app is not theirs instead of showing it', async () => {
    const records = await startFakeRecords({
      user: testUser('clinic_doctor'),
      password: 'demo-password',
      routes: {},
    });
    try {
      renderApp(<AppRoutes />, { recordsUrl: records.baseUrl, path: '/', locale: 'en' });
      await signIn('clinic.abnoub', { locale: 'en' });
      expect(await screen.findByText('This app is not for your role')).toBeTruthy();
      expect(screen.queryByRole('navigation', { name: 'Administration sections' })).toBeNull();
    } finally {
      await records.stop();
    }
  });
});
