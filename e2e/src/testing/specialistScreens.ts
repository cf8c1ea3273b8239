import type { RunningPlatform } from '@telemed/launcher';
import type { Appointment } from '@telemed/shared';
import type { Screen } from '../screenshots.js';
import { recordsClientAs, scheduledAppointments, signInDemo, writeNote } from './demoSessions.js';

/** A seeded appointment of dr.samir's not used by the note screens (they take the first two). */
async function thirdAppointment(platform: RunningPlatform): Promise<Appointment> {
  const specialist = await signInDemo(platform, 'dr.samir');
  const clinic = await signInDemo(platform, 'clinic.abnoub');
  const appointment = (await scheduledAppointments(platform, clinic, specialist))[2];
  if (!appointment) throw new Error('no third seeded appointment for the specialist screens');
  return appointment;
}

/** A signed note amended once, so its version history has something to show; gives the appointment. */
async function amendedNote(platform: RunningPlatform): Promise<Appointment> {
  const appointment = await thirdAppointment(platform);
  const records = recordsClientAs(platform, await signInDemo(platform, 'dr.samir'));
  const opened = await records.call('openConsultation', { params: { appointmentId: appointment.id } });
  const signed = await writeNote(
    records,
    opened,
    {
      findings: 'نفخة انقباضية خفيفة، الضغط ١٥٠/٩٥.',
      diagnoses: [{ code: 'I10', text: 'ارتفاع ضغط الدم الأساسي', kind: 'primary' }],
      plan: 'أملوديبين ٥ مجم مرة يوميًا.',
    },
    { sign: true },
  );
  await records.call('amendConsultation', {
    params: { id: opened.id },
    body: {
      version: signed.version,
      reason: 'تصحيح الجرعة بعد مراجعة وظائف الكلى',
      changes: { plan: 'أملوديبين ١٠ مجم مرة يوميًا، متابعة الضغط بعد أسبوعين.' },
    },
  });
  return appointment;
}

let amended: Promise<Appointment> | undefined;
const once = (platform: RunningPlatform) => (amended ??= amendedNote(platform));

const hospitalDay = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Cairo' }).format(new Date(iso));

/** Issue 20's specialist screens: the week, my notes, a note's amendments, a patient's history, hours. */
export const specialistScreens: Screen[] = [
  {
    name: 'specialist-schedule-week',
    app: 'specialistApp',
    username: 'dr.samir',
    ready: '#schedule-heading',
    prepare: async (platform) => `/schedule?view=week&date=${hospitalDay((await once(platform)).start)}`,
  },
  {
    name: 'specialist-notes',
    app: 'specialistApp',
    username: 'dr.samir',
    ready: '#notes-heading',
    prepare: async (platform) => {
      await once(platform);
      return '/notes';
    },
  },
  {
    name: 'specialist-note-versions',
    app: 'specialistApp',
    username: 'dr.samir',
    ready: '#versions-heading',
    prepare: async (platform) => `/consultations/${(await once(platform)).id}/note`,
  },
  {
    name: 'specialist-patient-history',
    app: 'specialistApp',
    username: 'dr.samir',
    ready: '#history-consultations',
    prepare: async (platform) => `/patients/${(await once(platform)).patientId}`,
  },
  {
    name: 'specialist-availability',
    app: 'specialistApp',
    username: 'dr.samir',
    ready: '#availability-heading',
    prepare: async () => '/availability',
  },
];
