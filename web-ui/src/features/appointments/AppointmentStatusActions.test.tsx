import type { Appointment } from '@telemed/shared';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { testAppointment, testUser } from '../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderSignedIn } from '../../testing/renderSignedIn.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { AppointmentStatusActions } from './AppointmentStatusActions.js';

const app: AppIdentity = {
  role: 'clinic_doctor',
  titleKey: 'app.clinic.title',
  subtitleKey: 'app.clinic.subtitle',
};

describe('AppointmentStatusActions', () => {
  let records: FakeRecords | undefined;
  afterEach(() => records?.stop());

  async function open(appointment: Appointment, locale: 'ar' | 'en', answer: (body: unknown) => unknown) {
    records = await startFakeRecords({
      user: testUser('clinic_doctor'),
      password: 'demo-password',
      routes: {
        [`POST /api/appointments/${appointment.id}/status`]: ({ body }) => answer(body),
      },
    });
    return renderSignedIn(
      app,
      <>
        <p>signed in</p>
        <AppointmentStatusActions appointment={appointment} who="فاطمة 1" />
      </>,
      { recordsUrl: records.baseUrl, locale, username: testUser('clinic_doctor').username },
    );
  }

  it('cancels in Arabic after asking, with the reason given, and closes the dialog', async () => {
    const appointment = testAppointment(1);
    const sent: unknown[] = [];
    const user = await open(appointment, 'ar', (body) => {
      sent.push(body);
      return { ...appointment, status: 'cancelled' };
    });
    await user.click(await screen.findByRole('button', { name: 'إلغاء موعد فاطمة 1' }));
    const dialog = await screen.findByRole('dialog', { name: 'إلغاء الموعد' });
    expect(within(dialog).getByText('هل تريد إلغاء موعد فاطمة 1؟')).toBeTruthy();
    await user.type(within(dialog).getByLabelText('السبب (اختياري)'), 'سافرت المريضة');
    await user.click(within(dialog).getByRole('button', { name: 'نعم، ألغِ الموعد' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(sent).toEqual([{ status: 'cancelled', note: 'سافرت المريضة' }]);
  });

  it("marks a no-show in English, shows records' refusal in the dialog, and going back sends nothing more", async () => {
    const appointment = testAppointment(2, { status: 'waiting' });
    const sent: unknown[] = [];
    const user = await open(appointment, 'en', (body) => {
      sent.push(body);
      return {
        status: 409,
        body: { error: { code: 'CONFLICT', message: 'The consultation has already started.' } },
      };
    });
    await user.click(await screen.findByRole('button', { name: 'Mark فاطمة 1 as a no-show' }));
    const dialog = await screen.findByRole('dialog', { name: 'Mark as no-show' });
    expect(within(dialog).getByText('Record that فاطمة 1 did not come?')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Yes, did not come' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'The consultation has already started.',
    );
    // An empty reason is not sent as an empty note.
    expect(sent).toEqual([{ status: 'no-show' }]);
    await user.click(within(dialog).getByRole('button', { name: 'Go back' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(sent).toHaveLength(1);
  });

  it('offers nothing once the lifecycle allows neither ending', async () => {
    await open(testAppointment(3, { status: 'in-progress' }), 'en', () => ({}));
    await screen.findByText('signed in');
    expect(screen.queryByRole('button', { name: /Cancel the appointment|no-show/ })).toBeNull();
  });
});
