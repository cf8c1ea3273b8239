import { screen } from '@testing-library/react';
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
import { useConsultation } from '../panels/liveConsultation.js';
import { testConsultation } from './noteTestRecords.js';
import { SignedNoteView } from './SignedNoteView.js';

const app: AppIdentity = {
  role: 'clinic_doctor',
  titleKey: 'app.clinic.title',
  subtitleKey: 'app.clinic.subtitle',
};

/** The clinic's call screen reading the consultation (as its panels do), then the signed note opened after it. */
function CallThenNote({ consultationId }: { consultationId: string }) {
  const [showNote, setShowNote] = useState(false);
  const consultation = useConsultation(consultationId);
  if (showNote) return <SignedNoteView consultationId={consultationId} />;
  return (
    <button type="button" onClick={() => setShowNote(true)} disabled={!consultation.data}>
      open the note
    </button>
  );
}

describe('SignedNoteView', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  it('reads the note again on opening, so a note signed during the call is shown signed, not "not signed yet"', async () => {
    let record = testConsultation({ status: 'draft' });
    records = await startFakeRecords({
      user: testUser('clinic_doctor'),
      password: 'demo-password',
      routes: { [`GET /api/consultations/${record.id}`]: () => record },
    });
    renderApp(
      <Routes>
        <Route path="/login" element={<LoginPage app={app} />} />
        <Route element={<RequireSession app={app} />}>
          <Route path="*" element={<CallThenNote consultationId={record.id} />} />
        </Route>
      </Routes>,
      { recordsUrl: records.baseUrl, path: '/', locale: 'ar' },
    );
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('اسم المستخدم'), 'clinic.abnoub');
    await user.type(screen.getByLabelText('كلمة المرور'), 'demo-password');
    await user.click(screen.getByRole('button', { name: 'دخول' }));
    const open = await screen.findByRole('button', { name: 'open the note' });
    await expect.poll(() => open.hasAttribute('disabled')).toBe(false);

    // The specialist signs while the clinic's cached copy is still fresh.
    record = { ...record, status: 'signed', version: 1, signedAt: new Date().toISOString() };
    await user.click(open);
    expect(await screen.findByRole('article', { name: 'ملاحظة الاستشارة الموقّعة' })).toBeTruthy();
    expect(screen.queryByText('لم يوقّع الاستشاري الملاحظة بعد.')).toBeNull();
  });
});
