import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../../testing/fakeRecordsServer.js';
import { renderApp } from '../../../testing/renderApp.js';
import type { AppIdentity } from '../../session/AppIdentity.js';
import { LoginPage } from '../../session/LoginPage.js';
import { RequireSession } from '../../session/RequireSession.js';
import { type Diagnosis, Icd10Picker } from './Icd10Picker.js';
import { searchIcd10Sample } from './noteTestRecords.js';

const app: AppIdentity = {
  role: 'specialist',
  titleKey: 'app.specialist.title',
  subtitleKey: 'app.specialist.subtitle',
};

function Harness() {
  const [value, setValue] = useState<Diagnosis[]>([]);
  return (
    <>
      <Icd10Picker value={value} onChange={setValue} />
      <output aria-label="chosen">{JSON.stringify(value)}</output>
    </>
  );
}

async function openPicker(locale: 'ar' | 'en', records: FakeRecords) {
  renderApp(
    <Routes>
      <Route path="/login" element={<LoginPage app={app} />} />
      <Route element={<RequireSession app={app} />}>
        <Route path="*" element={<Harness />} />
      </Route>
    </Routes>,
    { recordsUrl: records.baseUrl, path: '/', locale },
  );
  const user = userEvent.setup();
  const [username, password, submit] =
    locale === 'ar' ? ['اسم المستخدم', 'كلمة المرور', 'دخول'] : ['Username', 'Password', 'Sign in'];
  await user.type(await screen.findByLabelText(username), 'dr.samir');
  await user.type(screen.getByLabelText(password), 'demo-password');
  await user.click(screen.getByRole('button', { name: submit }));
  return user;
}

const chosen = () => JSON.parse(screen.getByLabelText('chosen').textContent ?? '[]') as Diagnosis[];

describe('Icd10Picker', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  it('searches records by an Arabic word as the person types and chooses with the keyboard; the first is primary', async () => {
    records = await startFakeRecords({
      user: testUser('specialist'),
      password: 'demo-password',
      routes: { 'GET /api/icd10': searchIcd10Sample },
    });
    const user = await openPicker('ar', records);
    const search = await screen.findByRole('textbox', { name: /بحث عن تشخيص/ });
    await user.type(search, 'السكري');
    const listbox = await screen.findByRole('listbox', { name: /^نتائج البحث في .ICD-10.$/ });
    await within(listbox).findByRole('option', { name: /E11\.9 داء السكري من النوع الثاني/ });
    expect(within(listbox).getAllByRole('option')).toHaveLength(2);
    // Debounced: one search for the whole word, not one per letter.
    expect(records.calls.filter((c) => c.startsWith('GET /api/icd10'))).toEqual([
      `GET /api/icd10?q=${encodeURIComponent('السكري')}&limit=15`,
    ]);

    await user.keyboard('{ArrowDown}{Enter}');
    await waitFor(() =>
      expect(chosen()).toEqual([
        { code: 'E11.9', text: 'داء السكري من النوع الثاني دون مضاعفات', kind: 'primary' },
      ]),
    );
    expect(screen.getByText('رئيسي')).toBeTruthy();
    expect((search as HTMLInputElement).value).toBe('');

    // A second diagnosis by code: secondary, until the person makes it primary.
    await user.type(search, 'I10');
    await screen.findByRole('option', { name: /I10 ارتفاع ضغط الدم الأساسي/ });
    await user.keyboard('{ArrowDown}{Enter}');
    await waitFor(() =>
      expect(chosen().map((d) => [d.code, d.kind])).toEqual([
        ['E11.9', 'primary'],
        ['I10', 'secondary'],
      ]),
    );
    await user.click(screen.getByRole('radio', { name: 'جعل I10 التشخيص الرئيسي' }));
    await waitFor(() =>
      expect(chosen().map((d) => [d.code, d.kind])).toEqual([
        ['E11.9', 'secondary'],
        ['I10', 'primary'],
      ]),
    );

    // Removing the primary promotes the one left.
    await user.click(screen.getByRole('button', { name: 'إزالة التشخيص I10' }));
    await waitFor(() =>
      expect(chosen()).toEqual([expect.objectContaining({ code: 'E11.9', kind: 'primary' })]),
    );
  });

  it('shows names in English for an English reader, and says when nothing matches', async () => {
    records = await startFakeRecords({
      user: testUser('specialist'),
      password: 'demo-password',
      routes: { 'GET /api/icd10': searchIcd10Sample },
    });
    const user = await openPicker('en', records);
    const search = await screen.findByRole('textbox', { name: /Search diagnoses/ });
    await user.type(search, 'asthma');
    await screen.findByRole('option', { name: 'J45.9 Asthma, unspecified' });
    await user.keyboard('{ArrowDown}{Enter}');
    await waitFor(() =>
      expect(chosen()).toEqual([{ code: 'J45.9', text: 'Asthma, unspecified', kind: 'primary' }]),
    );
    await user.type(search, 'zzz');
    expect(await screen.findByText('No matching diagnoses.')).toBeTruthy();
  });
});
