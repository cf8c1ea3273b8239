import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderApp } from '../../testing/renderApp.js';
import type { AppIdentity } from './AppIdentity.js';
import { ChangePasswordPage } from './ChangePasswordPage.js';
import { LoginPage } from './LoginPage.js';
import { changePasswordPath, RequireSession } from './RequireSession.js';

const app: AppIdentity = {
  role: 'clinic_doctor',
  titleKey: 'app.clinic.title',
  subtitleKey: 'app.clinic.subtitle',
};

function WhereAmI() {
  const location = useLocation();
  return <p>{`page ${location.pathname}${location.search}`}</p>;
}

const routes = (
  <Routes>
    <Route path="/login" element={<LoginPage app={app} />} />
    <Route element={<RequireSession app={app} />}>
      <Route path={changePasswordPath} element={<ChangePasswordPage />} />
      <Route path="*" element={<WhereAmI />} />
    </Route>
  </Routes>
);

describe('LoginPage and RequireSession', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  it('sends a signed-out person to sign in, in Arabic and right-to-left, and back to where they were going', async () => {
    records = await startFakeRecords({
      user: testUser('clinic_doctor'),
      password: 'correct horse',
      routes: {},
    });
    renderApp(routes, { recordsUrl: records.baseUrl, path: '/patients?q=fatma' });
    expect(await screen.findByRole('heading', { level: 2, name: 'تسجيل الدخول' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('الوحدة الصحية');
    expect(document.documentElement.dir).toBe('rtl');
    expect(document.documentElement.lang).toBe('ar');
    // Mantine names its show/hide toggle in English unless told otherwise.
    expect(screen.getByRole('button', { name: 'إظهار كلمة المرور أو إخفاؤها' })).toBeTruthy();

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('اسم المستخدم'), 'clinic.abnoub');
    await user.type(screen.getByLabelText('كلمة المرور'), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'دخول' }));
    expect((await screen.findByRole('alert')).textContent).toBe('اسم المستخدم أو كلمة المرور غير صحيحة.');

    await user.clear(screen.getByLabelText('كلمة المرور'));
    await user.type(screen.getByLabelText('كلمة المرور'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'دخول' }));
    expect(await screen.findByText('page /patients?q=fatma')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'تسجيل الخروج' })).toBeTruthy();
  });

  it("checks the form with the shared schema and says what is wrong in the person's language", async () => {
    records = await startFakeRecords({ user: testUser('clinic_doctor'), password: 'x', routes: {} });
    renderApp(routes, { recordsUrl: records.baseUrl, path: '/', locale: 'en' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Enter your password.')).toBeTruthy();
    expect(
      screen.getByText('Enter your username: 3 to 64 Latin letters, digits, ".", "_" or "-".'),
    ).toBeTruthy();
    expect(records.calls.filter((call) => call.includes('/login'))).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Switch the language to Arabic' }));
    expect(await screen.findByText('أدخل كلمة المرور.')).toBeTruthy();
    expect(screen.getByText(/من ٣ إلى ٦٤ حرفًا/)).toBeTruthy();
    expect(document.documentElement.dir).toBe('rtl');
  });

  it('makes a person whose password was set by an administrator choose one first, with Arabic plurals', async () => {
    records = await startFakeRecords({
      user: testUser('clinic_doctor', { mustChangePassword: true }),
      password: 'temporary-1',
      routes: {},
    });
    renderApp(routes, { recordsUrl: records.baseUrl, path: '/appointments' });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('اسم المستخدم'), 'clinic.abnoub');
    await user.type(screen.getByLabelText('كلمة المرور'), 'temporary-1');
    await user.click(screen.getByRole('button', { name: 'دخول' }));
    expect(await screen.findByRole('heading', { name: 'تغيير كلمة المرور' })).toBeTruthy();
    expect(screen.getByText(/١٠ أحرف على الأقل/)).toBeTruthy();

    await user.type(screen.getByLabelText('كلمة المرور الحالية'), 'temporary-1');
    await user.type(screen.getByLabelText('كلمة المرور الجديدة'), 'short');
    await user.type(screen.getByLabelText('تأكيد كلمة المرور الجديدة'), 'different');
    await user.click(screen.getByRole('button', { name: 'حفظ كلمة المرور' }));
    expect(await screen.findByText('كلمة المرور الجديدة يجب ألا تقل عن ١٠ أحرف.')).toBeTruthy();
    expect(screen.getByText('كلمتا المرور الجديدتان غير متطابقتين.')).toBeTruthy();

    await user.clear(screen.getByLabelText('كلمة المرور الجديدة'));
    await user.type(screen.getByLabelText('كلمة المرور الجديدة'), 'a-long-new-password');
    await user.clear(screen.getByLabelText('تأكيد كلمة المرور الجديدة'));
    await user.type(screen.getByLabelText('تأكيد كلمة المرور الجديدة'), 'a-long-new-password');
    await user.click(screen.getByRole('button', { name: 'حفظ كلمة المرور' }));
    await waitFor(() => expect(screen.getByText('page /appointments')).toBeTruthy());
    expect(records.calls).toContain('POST /api/auth/password');
  });
});
