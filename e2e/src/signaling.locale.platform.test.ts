import type { Appointment, Locale, Role } from '@telemed/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { platformForSuite } from './testing/platformForSuite.js';
import { request } from './testing/signalingClient.js';

/**
 * A refusal reaches the person in the language their socket asked for (`auth.locale`), whether signaling wrote
 * it or records did (signaling asks records in that language and passes its words on).
 */
describe('refusals in the socket’s language, with the real records service', () => {
  const suite = platformForSuite('locale');
  let appointment: Appointment;

  beforeAll(async () => {
    const clinic = await suite.signIn('clinic_doctor', 0);
    const specialist = await suite.signIn('specialist', 0);
    [appointment] = (await suite.scheduledAppointments(clinic, specialist, 1)) as [Appointment];
  });

  /** A socket of the demo account of `role` at `index`, asking for its refusals in `locale`. */
  async function connect([role, index]: [Role, number], locale: Locale) {
    return request(await suite.connect(await suite.signIn(role, index), { locale }));
  }

  it('passes records’ refusal on in Arabic to an Arabic socket, and in English to an English one', async () => {
    const otherClinic: [Role, number] = ['clinic_doctor', 1];
    const arabic = await (await connect(otherClinic, 'ar')).emitWithAck('room:join', {
      appointmentId: appointment.id,
    });
    expect(arabic).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'لا يحق لك المشاركة في مكالمة هذا الموعد.' },
    });
    const english = await (await connect(otherClinic, 'en')).emitWithAck('room:join', {
      appointmentId: appointment.id,
    });
    expect(english).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You may not take part in this appointment’s call.' },
    });
  });

  it('answers signaling’s own refusal in Arabic', async () => {
    const admin = await connect(['administrator', 0], 'ar');
    expect(await admin.emitWithAck('room:join', { appointmentId: appointment.id })).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: 'يشارك في الاستشارات أطباء الوحدات الصحية والأطباء الاستشاريون فقط.',
      },
    });
  });
});
