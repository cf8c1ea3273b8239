import type { Caller } from '../../access/Caller.js';
import type { RecordsServices } from '../../RecordsServices.js';
import { demoVitalSigns } from './demoConsultationGraph.js';

const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 32)]);

export interface FullConsultationInput {
  doctor: Caller;
  specialist: Caller;
  /** The booking (`AppointmentCreate`) the doctor makes, or the id of an appointment already booked. */
  booking: Record<string, unknown> | { appointmentId: string };
  /** Stop at the draft (no signature, no amendment). */
  draftOnly?: boolean;
}

/**
 * A consultation written through the services as the apps write it: every vital kind, chat, an attachment,
 * two diagnoses, then signed and amended with a referral (or left a draft). Answers its id.
 */
export async function writeFullConsultation(
  { appointments, consultations }: Pick<RecordsServices, 'appointments' | 'consultations'>,
  { doctor, specialist, booking, draftOnly = false }: FullConsultationInput,
): Promise<string> {
  const appointmentId =
    'appointmentId' in booking
      ? (booking.appointmentId as string)
      : (await appointments.book(doctor, booking as never)).id;
  const draft = await consultations.openForAppointment(specialist, appointmentId);
  for (const vital of demoVitalSigns) {
    const { id: _id, recordedAt: _at, recordedBy: _by, ...vitalInput } = vital;
    await consultations.appendVitalSign(doctor, draft.id, {
      ...vitalInput,
      takenAt: new Date().toISOString(),
    } as never);
  }
  await consultations.appendChat(doctor, draft.id, 'The patient is here.');
  await consultations.appendChat(specialist, draft.id, 'Thank you.');
  await consultations.attach(doctor, draft.id, {
    contentType: 'application/pdf',
    fileName: 'labs.pdf',
    body: pdf,
  });
  const current = await consultations.read(specialist, draft.id);
  const written = await consultations.update(specialist, draft.id, {
    version: current.version,
    changes: {
      findings: 'Raised BP',
      diagnoses: [
        { code: 'I10', text: 'Essential hypertension', kind: 'primary' },
        { code: 'E11.9', text: 'Type 2 diabetes', kind: 'secondary' },
      ],
      plan: 'Amlodipine 5 mg',
      recommendations: 'Less salt',
    },
  });
  if (draftOnly) return draft.id;
  const signed = await consultations.sign(specialist, draft.id, written.version);
  await consultations.amend(specialist, draft.id, {
    version: signed.version,
    reason: 'Refer to cardiology clinic',
    changes: { referral: { specialty: 'cardiology', reason: 'Echo', urgency: 'routine' } },
  });
  return draft.id;
}
