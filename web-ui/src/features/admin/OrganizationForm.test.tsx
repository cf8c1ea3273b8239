import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderSignedIn } from '../../testing/renderSignedIn.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { OrganizationForm } from './OrganizationForm.js';

const app: AppIdentity = {
  role: 'administrator',
  titleKey: 'admin.app.title',
  subtitleKey: 'admin.app.subtitle',
};

describe('OrganizationForm', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  it('says in Arabic which required fields are empty, sends nothing until they are filled, then creates', async () => {
    const created: unknown[] = [];
    let done = 0;
    records = await startFakeRecords({
      user: testUser('administrator'),
      password: 'demo-password',
      routes: {
        'POST /api/organizations': ({ body }) => {
          created.push(body);
          const at = '2026-12-07T08:00:00.000Z';
          return {
            status: 201,
            body: { id: 'f'.repeat(24), ...(body as object), createdAt: at, updatedAt: at },
          };
        },
      },
    });
    const user = await renderSignedIn(app, <OrganizationForm onDone={() => done++} />, {
      recordsUrl: records.baseUrl,
      username: testUser('administrator').username,
    });

    await user.type(await screen.findByRole('textbox', { name: 'الاسم بالعربية' }), 'وحدة أبنوب');
    await user.click(screen.getByRole('button', { name: 'إضافة الجهة' }));
    // The English name, the governorate and the district are empty; the Arabic name is not.
    await waitFor(() => expect(screen.getAllByText('هذا الحقل مطلوب.')).toHaveLength(3));
    const arabicName = screen.getByRole('textbox', { name: 'الاسم بالعربية' });
    expect(arabicName.getAttribute('aria-invalid')).not.toBe('true');
    expect(screen.getByRole('textbox', { name: 'الاسم بالإنجليزية' }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(created).toEqual([]);

    await user.type(screen.getByRole('textbox', { name: 'الاسم بالإنجليزية' }), 'Abnoub unit');
    await user.type(screen.getByRole('textbox', { name: 'المحافظة' }), 'أسيوط');
    await user.type(screen.getByRole('textbox', { name: 'المركز' }), 'أبنوب');
    await user.click(screen.getByRole('button', { name: 'إضافة الجهة' }));
    await waitFor(() => expect(done).toBe(1));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      kind: 'clinic',
      name: { ar: 'وحدة أبنوب', en: 'Abnoub unit' },
      governorate: 'أسيوط',
      district: 'أبنوب',
      address: '',
      specialties: [],
    });
    expect(screen.queryByText('هذا الحقل مطلوب.')).toBeNull();
  });
});
