import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { answerOrganizations } from '../../testing/fakeOrganizations.js';
import { startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderSignedIn } from '../../testing/renderSignedIn.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { OrganizationsPage } from './OrganizationsPage.js';

const app: AppIdentity = {
  role: 'administrator',
  titleKey: 'admin.app.title',
  subtitleKey: 'admin.app.subtitle',
};

describe('the organizations screen', () => {
  it('pages through records, searches names on the server and filters by kind, state and governorate', async () => {
    const records = await startFakeRecords({
      user: testUser('administrator'),
      password: 'demo-password',
      routes: { 'GET /api/organizations': ({ url }) => answerOrganizations(url) },
    });
    try {
      const user = await renderSignedIn(app, <OrganizationsPage />, {
        recordsUrl: records.baseUrl,
        username: testUser('administrator').username,
        path: '/organizations',
        locale: 'en',
      });
      const section = await screen.findByRole('region', { name: /Organizations/ });
      expect(await within(section).findByText('45 organizations')).toBeTruthy();
      expect(records.calls).toContain('GET /api/organizations?page=1&limit=20');
      // The third page is asked of records, not cut from a list loaded whole.
      await user.click(within(section).getByRole('button', { name: 'Next page' }));
      expect(await within(section).findByText('Village Unit 20')).toBeTruthy();
      await user.click(within(section).getByRole('button', { name: 'Next page' }));
      expect(await within(section).findByText('Village Unit 44')).toBeTruthy();
      expect(records.calls).toContain('GET /api/organizations?page=3&limit=20');

      await user.type(within(section).getByLabelText('Search by name'), 'village unit');
      await waitFor(() =>
        expect(records.calls).toContain('GET /api/organizations?q=village+unit&page=1&limit=20'),
      );
      // Debounced: the words typed in one go were searched once, not per keystroke.
      expect(records.calls.filter((call) => call.includes('q=')).length).toBe(1);
      await user.clear(within(section).getByLabelText('Search by name'));

      await user.click(within(section).getByRole('radio', { name: 'Health unit' }));
      await user.click(within(section).getByRole('radio', { name: 'Inactive' }));
      await waitFor(() =>
        expect(records.calls).toContain('GET /api/organizations?kind=clinic&active=false&page=1&limit=20'),
      );
      expect(await within(section).findByText('4 organizations')).toBeTruthy();

      await user.click(
        within(section).getAllByRole('button', { name: 'Show only organizations in سوهاج' })[0]!,
      );
      expect(await within(section).findByText('3 organizations')).toBeTruthy();
      expect(records.calls.at(-1)).toContain('governorate=%D8%B3%D9%88%D9%87%D8%A7%D8%AC');
      await user.click(
        within(section).getByRole('button', { name: 'Show every governorate, not only سوهاج' }),
      );
      expect(await within(section).findByText('4 organizations')).toBeTruthy();
    } finally {
      await records.stop();
    }
  });
});
