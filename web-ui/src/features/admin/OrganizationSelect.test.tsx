import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { answerOrganizations } from '../../testing/fakeOrganizations.js';
import { type FakeRecords, startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderSignedIn } from '../../testing/renderSignedIn.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { UserCreateForm } from './UserCreateForm.js';

const app: AppIdentity = {
  role: 'administrator',
  titleKey: 'admin.app.title',
  subtitleKey: 'admin.app.subtitle',
};

describe('the organization picker of the new-account form', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  it('lists the first active clinics, finds the rest by name on the server, and follows the role’s kind', async () => {
    const created: unknown[] = [];
    records = await startFakeRecords({
      user: testUser('administrator'),
      password: 'demo-password',
      routes: {
        'GET /api/organizations': ({ url }) => answerOrganizations(url),
        'POST /api/users': ({ body }) => {
          created.push(body);
          return { status: 201, body: { id: 'e'.repeat(24), ...(body as object), active: true } };
        },
      },
    });
    let done = 0;
    const user = await renderSignedIn(app, <UserCreateForm onDone={() => done++} />, {
      recordsUrl: records.baseUrl,
      username: testUser('administrator').username,
    });

    const picker = await screen.findByLabelText('الجهة', { selector: 'input' });
    // A clinic doctor's form asks for active clinics only, one page, and says how many more a search reaches.
    await waitFor(() =>
      expect(records?.calls).toContain('GET /api/organizations?kind=clinic&active=true&limit=20'),
    );
    expect(await screen.findByText('و٢٠ جهة أخرى: اكتب الاسم لتجدها')).toBeTruthy();
    await user.click(picker);
    expect(await screen.findByRole('option', { name: 'وحدة صحة قرية 1، سوهاج' })).toBeTruthy();
    expect(screen.queryByRole('option', { name: /قرية 33،/ })).toBeNull();

    await user.type(picker, '33');
    const option = await screen.findByRole('option', { name: 'وحدة صحة قرية 33، المنيا' });
    // Debounced: the digits typed in one go were searched once, not per keystroke.
    expect(records.calls.filter((call) => call.includes('q='))).toEqual([
      'GET /api/organizations?kind=clinic&active=true&q=33&limit=20',
    ]);
    await user.click(option);
    expect((picker as HTMLInputElement).value).toBe('وحدة صحة قرية 33، المنيا');

    await user.type(screen.getByLabelText('الاسم بالعربية'), 'د. منى حسن');
    await user.type(screen.getByLabelText('الاسم بالحروف اللاتينية'), 'Dr Mona Hassan');
    await user.type(screen.getByLabelText('اسم المستخدم'), 'clinic.tahta33');
    await user.type(screen.getByLabelText('كلمة مرور مؤقتة'), 'temporary-password-1');
    await user.click(screen.getByRole('button', { name: 'إنشاء الحساب' }));
    await waitFor(() => expect(done).toBe(1));
    expect(created[0]).toMatchObject({ organizationId: (33).toString(16).padStart(24, '0') });

    // A specialist belongs to a hospital: the picker starts again, among hospitals.
    await user.click(screen.getByLabelText('الدور', { selector: 'input' }));
    // The role list is not in a portal: jsdom, without layout, counts it detached and hidden.
    await user.click(await screen.findByRole('option', { name: 'طبيب استشاري', hidden: true }));
    await waitFor(() =>
      expect(records?.calls).toContain('GET /api/organizations?kind=hospital&active=true&limit=20'),
    );
    expect((screen.getByLabelText('الجهة', { selector: 'input' }) as HTMLInputElement).value).toBe('');
    await user.click(screen.getByLabelText('الجهة', { selector: 'input' }));
    expect(await screen.findByRole('option', { name: 'مستشفيات جامعة أسيوط، أسيوط' })).toBeTruthy();
  });
});
