import type { RunningPlatform } from '@telemed/launcher';
import type { ConsultationContent } from '@telemed/shared';
import type { Screen } from '../screenshots.js';
import { recordsClientAs, scheduledAppointments, signInDemo, writeNote } from './demoSessions.js';

/** A note as a specialist writes it, in Arabic whatever the screen's language. */
const noteContent: Partial<ConsultationContent> = {
  findings: 'نفخة انقباضية خفيفة في البؤرة الأورطية، الضغط ١٥٠/٩٥، لا وذمة بالساقين.',
  diagnoses: [
    { code: 'I10', text: 'ارتفاع ضغط الدم الأساسي', kind: 'primary' },
    { code: 'E11.9', text: 'داء السكري من النوع الثاني دون مضاعفات', kind: 'secondary' },
  ],
  plan: 'أملوديبين ٥ مجم مرة يوميًا، متابعة الضغط في الوحدة مرتين أسبوعيًا.',
  recommendations: 'تقليل الملح، مشي ٣٠ دقيقة يوميًا، تحليل سكر تراكمي.',
  referral: {
    specialty: 'cardiology',
    facility: 'مستشفيات جامعة أسيوط',
    reason: 'إيكو على القلب',
    urgency: 'routine',
  },
  followUpDate: '2027-01-10',
};

/** The note of one seeded appointment between the demo clinic and dr.samir, written (and signed) via the API. */
async function noteOfAppointment(platform: RunningPlatform, index: number, sign: boolean): Promise<string> {
  const specialist = await signInDemo(platform, 'dr.samir');
  const clinic = await signInDemo(platform, 'clinic.abnoub');
  // From the end of the list: the consultation screens take the first scheduled appointments for live calls, and a
  // call on an appointment whose note is signed refuses new vital signs.
  const appointment = (await scheduledAppointments(platform, clinic, specialist)).at(-1 - index);
  if (!appointment) throw new Error(`no seeded appointment #${index} for the note screens`);
  const records = recordsClientAs(platform, specialist);
  const opened = await records.call('openConsultation', { params: { appointmentId: appointment.id } });
  await writeNote(records, opened, noteContent, { sign });
  return `/consultations/${appointment.id}/note`;
}

let draftPath: Promise<string> | undefined;
let signedPath: Promise<string> | undefined;
const draft = (platform: RunningPlatform) => (draftPath ??= noteOfAppointment(platform, 0, false));
const signed = (platform: RunningPlatform) => (signedPath ??= noteOfAppointment(platform, 1, true));

let conflicts = 0;

/** Another tab saves the findings while this page still holds the older version; this page then edits them. */
async function makeConflict(page: Parameters<NonNullable<Screen['arrange']>>[0], platform: RunningPlatform) {
  const specialist = await signInDemo(platform, 'dr.samir');
  const records = recordsClientAs(platform, specialist);
  const appointmentId = (await draft(platform)).split('/')[2] ?? '';
  const current = await records.call('openConsultation', { params: { appointmentId } });
  await records.call('editConsultation', {
    params: { id: current.id },
    // A text new each time: the same text twice would be no change, hence no conflict, on the second language.
    body: {
      version: current.version,
      changes: { findings: `${noteContent.findings} لا نفخة بعد الراحة (${++conflicts}).` },
    },
  });
  await page.locator('textarea').first().fill('نفخة انقباضية واضحة، تحتاج إيكو.');
  await page.waitForSelector('#note-conflict-heading', { timeout: 30_000 });
}

/** The note screens of issue 19 (step 6): the editor, a conflict, the signed note and its printed form. */
export const noteScreens: Screen[] = [
  {
    name: 'specialist-note',
    app: 'specialistApp',
    username: 'dr.samir',
    ready: '#note-heading',
    prepare: draft,
  },
  {
    name: 'specialist-note-conflict',
    app: 'specialistApp',
    username: 'dr.samir',
    ready: '#note-heading',
    prepare: draft,
    arrange: makeConflict,
  },
  {
    name: 'clinic-signed-note',
    app: 'clinicApp',
    username: 'clinic.abnoub',
    ready: '.signed-note .note-signature',
    prepare: signed,
  },
  {
    name: 'clinic-signed-note-print',
    app: 'clinicApp',
    username: 'clinic.abnoub',
    ready: '.signed-note .note-signature',
    prepare: signed,
    media: 'print',
  },
];
