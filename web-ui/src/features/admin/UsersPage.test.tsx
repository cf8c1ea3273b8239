import type { User } from '@telemed/shared';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderApp } from '../../testing/renderApp.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { LoginPage } from '../session/LoginPage.js';
import { RequireSession } from '../session/RequireSession.js';
import { UsersPage } from './UsersPage.js';

const app: AppIdentity = {
  role: 'administrator',
  titleKey: 'admin.app.title',
  subtitleKey: 'admin.app.subtitle',
};
const account = (n: number): User => ({
  id: n.toString(16).padStart(24, '0'),
  username: `clinic.doctor${n}`,
  name: { ar: `د. طبيب ${n}`, latin: `Dr Doctor ${n}` },
  role: 'clinic_doctor',
  organizationId: 'c'.repeat(24),
  active: true,
});

describe('the accounts screen', () => {
  it('pages through the accounts, deactivates one and resets a password, in Arabic', async () => {
    const changes: unknown[] = [];
    const records = await startFakeRecords({
      user: testUser('administrator', { username: 'admin.cairo' }),
      password: 'demo-password',
      routes: {
        'GET /api/users': ({ url }) => {
          const page = Number(url.searchParams.get('page') ?? 1);
          const items = Array.from({ length: page === 1 ? 20 : 5 }, (_, i) =>
            account((page - 1) * 20 + i + 1),
          );
          return { items, page, limit: 20, total: 25, hasMore: page === 1 };
        },
        [`PATCH /api/users/${account(21).id}`]: ({ body }) => {
          changes.push(body);
          return { ...account(21), active: (body as { active?: boolean }).active ?? true };
        },
      },
    });
    try {
      renderApp(
        <Routes>
          <Route path="/login" element={<LoginPage app={app} />} />
          <Route element={<RequireSession app={app} />}>
            <Route path="*" element={<UsersPage />} />
          </Route>
        </Routes>,
        { recordsUrl: records.baseUrl, path: '/users' },
      );
      const user = userEvent.setup();
      await user.type(await screen.findByLabelText('اسم المستخدم'), 'admin.cairo');
      await user.type(screen.getByLabelText('كلمة المرور'), 'demo-password');
      await user.click(screen.getByRole('button', { name: 'دخول' }));

      const section = await screen.findByRole('region', { name: 'حسابات المستخدمين' });
      expect(await within(section).findByText('د. طبيب 1')).toBeTruthy();
      await user.click(within(section).getByRole('button', { name: 'الصفحة التالية' }));
      expect(await within(section).findByText('د. طبيب 21')).toBeTruthy();
      expect(records.calls).toContain('GET /api/users?page=2&limit=20');

      await user.click(within(section).getByRole('button', { name: 'إيقاف حساب د. طبيب 21' }));
      await waitFor(() => expect(changes).toEqual([{ active: false }]));

      await user.click(within(section).getByRole('button', { name: 'إعادة تعيين كلمة مرور د. طبيب 21' }));
      const dialog = await screen.findByRole('dialog');
      await user.type(within(dialog).getByLabelText('كلمة المرور المؤقتة'), 'short');
      await user.click(within(dialog).getByRole('button', { name: 'إعادة تعيين كلمة المرور' }));
      expect(await within(dialog).findByText('كلمة المرور الجديدة يجب ألا تقل عن ١٠ أحرف.')).toBeTruthy();
      expect(changes).toHaveLength(1);
      await user.clear(within(dialog).getByLabelText('كلمة المرور المؤقتة'));
      await user.type(within(dialog).getByLabelText('كلمة المرور المؤقتة'), 'temporary-password-2');
      await user.click(within(dialog).getByRole('button', { name: 'إعادة تعيين كلمة المرور' }));
      await waitFor(() => expect(changes).toEqual([{ active: false }, { password: 'temporary-password-2' }]));
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    } finally {
      await records.stop();
    }
  });
});
