import { AppError, type Consultation, type RoomState, vitalSignInputSchema } from '@telemed/shared';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CallClient } from '../../../call/CallClient.js';
import { CallProvider } from '../../../call/CallProvider.js';
import { testUser } from '../../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../../testing/fakeRecordsServer.js';
import { renderSignedIn } from '../../../testing/renderSignedIn.js';
import { ScriptedSignal } from '../../../testing/ScriptedSignal.js';
import { ConsultationSidePanels } from './ConsultationSidePanels.js';

/*
 * The panels as a person uses them: signed in through the real SessionClient against a records server over
 * HTTP (the consultation's history, uploads), with the real CallClient. HERE ONLY the signaling link is a scripted
 * double (as in CallClient.test.ts), so that a refusal and the other side's notices come on demand; the real
 * signaling path runs in Chromium in `e2e/src/consultationPanels.browser.test.ts`.
 */

const hex = (n: number) => n.toString(16).padStart(24, '0');
const selfId = hex(1);
const otherId = hex(9);
const appointmentId = hex(101);
const consultationId = hex(301);
const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 8, minute)).toISOString();

function consultation(): Consultation {
  return {
    id: consultationId,
    appointmentId,
    patientId: hex(201),
    clinicId: hex(2),
    specialistId: otherId,
    status: 'draft',
    version: 1,
    content: {},
    vitalSigns: [
      {
        id: 'v1',
        kind: 'heart-rate',
        value: 88,
        unit: '/min',
        takenAt: at(1),
        recordedBy: selfId,
        recordedAt: at(1),
      },
    ],
    chat: [{ id: 'c1', authorId: otherId, authorRole: 'specialist', text: 'Good morning', at: at(2) }],
    attachments: [],
    amendments: [],
    createdAt: at(0),
    updatedAt: at(2),
  };
}

/** The room as signaling answers `room:join`: ourselves still waiting, so no media is set up in jsdom. */
function waitingRoom(role: 'clinic_doctor' | 'specialist'): RoomState {
  return {
    appointmentId,
    appointmentStatus: 'waiting',
    participants: [
      {
        participantId: selfId,
        role,
        callRole: role === 'clinic_doctor' ? 'clinic' : 'booked-specialist',
        name: { ar: 'أنا', latin: 'Self' },
        status: 'waiting',
        since: at(0),
      },
    ],
  };
}

const appIdentity = (role: 'clinic_doctor' | 'specialist') => ({
  role,
  titleKey: role === 'clinic_doctor' ? ('app.clinic.title' as const) : ('app.specialist.title' as const),
  subtitleKey:
    role === 'clinic_doctor' ? ('app.clinic.subtitle' as const) : ('app.specialist.subtitle' as const),
});

describe('ConsultationSidePanels', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  async function open(role: 'clinic_doctor' | 'specialist', locale: 'ar' | 'en') {
    const uploads: unknown[] = [];
    records = await startFakeRecords({
      user: testUser(role, { id: selfId }),
      password: 'demo-password',
      routes: {
        [`GET /api/consultations/${consultationId}`]: () => consultation(),
        [`POST /api/consultations/${consultationId}/attachments`]: ({ body }) => {
          uploads.push(body);
          return {
            status: 201,
            body: {
              id: hex(401),
              fileName: 'report.pdf',
              contentType: 'application/pdf',
              size: 2048,
              uploadedBy: selfId,
              uploadedAt: at(5),
            },
          };
        },
      },
    });
    const signal = new ScriptedSignal();
    signal.handlers.set('room:join', () => waitingRoom(role));
    const call = new CallClient({ signal, selfId });
    await call.join(appointmentId);
    const user = await renderSignedIn(
      appIdentity(role),
      <CallProvider client={call}>
        <ConsultationSidePanels appointmentId={appointmentId} consultationId={consultationId} role={role} />
      </CallProvider>,
      {
        recordsUrl: records.baseUrl,
        path: '/consultation',
        locale,
        username: testUser(role).username,
        userEvent: { applyAccept: false },
      },
    );
    await screen.findByRole('tablist');
    return { signal, user, uploads };
  }

  it('the clinic records vital signs: the shared schema checks them in Arabic, Arabic digits are read, a refusal is shown', async () => {
    const { signal, user } = await open('clinic_doctor', 'ar');
    signal.handlers.set('vitals:record', (payload) => {
      const { appointmentId: room, ...input } = payload;
      expect(room).toBe(appointmentId);
      const vital = vitalSignInputSchema.parse(input);
      if (vital.kind === 'temperature') {
        throw new AppError('FORBIDDEN', 'لا يسجل العلامات الحيوية إلا طبيب العيادة.');
      }
      return { ...vital, id: 'v2', recordedBy: selfId, recordedAt: at(3) };
    });

    // The earlier reading, from records.
    const table = await screen.findByRole('table', { name: 'العلامات الحيوية' });
    expect(within(table).getByText('النبض')).toBeTruthy();
    expect(within(table).getByText('٨٨')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'تسجيل' }));
    expect(await screen.findAllByText('أدخل رقمًا.')).toHaveLength(2);

    await user.type(screen.getByLabelText('الانقباضي (مم زئبق)'), '400');
    await user.type(screen.getByLabelText('الانبساطي (مم زئبق)'), '80');
    await user.click(screen.getByRole('button', { name: 'تسجيل' }));
    expect(await screen.findByText('أدخل قيمة من ٤٠ إلى ٣٠٠ مم زئبق.')).toBeTruthy();
    expect(signal.named('vitals:record')).toEqual([]);

    await user.clear(screen.getByLabelText('الانقباضي (مم زئبق)'));
    await user.type(screen.getByLabelText('الانقباضي (مم زئبق)'), '١٢٠');
    await user.click(screen.getByRole('button', { name: 'تسجيل' }));
    expect(await screen.findByRole('status')).toBeTruthy();
    expect(signal.named('vitals:record')).toMatchObject([
      { appointmentId, kind: 'blood-pressure', systolic: 120, diastolic: 80, unit: 'mmHg' },
    ]);
    expect(within(table).getByText('١٢٠/٨٠')).toBeTruthy();

    await user.selectOptions(screen.getByLabelText('القياس'), 'temperature');
    await user.type(screen.getByLabelText('القيمة (°م)'), '٣٧٫٥');
    await user.click(screen.getByRole('button', { name: 'تسجيل' }));
    expect((await screen.findByRole('alert')).textContent).toBe('لا يسجل العلامات الحيوية إلا طبيب العيادة.');
    expect(signal.named('vitals:record')).toMatchObject([
      {},
      { kind: 'temperature', value: 37.5, unit: 'Cel' },
    ]);
  });

  it("the other side's chat arrives live with an unread badge; both scripts shown as written", async () => {
    const { signal, user } = await open('clinic_doctor', 'ar');
    await screen.findByRole('table', { name: 'العلامات الحيوية' });
    await user.click(screen.getByRole('tab', { name: /المحادثة/ }));
    await user.click(screen.getByRole('tab', { name: /العلامات الحيوية/ }));
    signal.notify('chat:message', {
      appointmentId,
      message: { id: 'c2', authorId: otherId, authorRole: 'specialist', text: 'ما ضغط المريضة؟', at: at(4) },
    });
    const chatTab = screen.getByRole('tab', { name: /المحادثة/ });
    expect(await within(chatTab).findByLabelText('١ جديد')).toBeTruthy();

    await user.click(chatTab);
    const log = await screen.findByRole('log', { name: 'رسائل المحادثة' });
    expect(within(log).getByText('Good morning').getAttribute('dir')).toBe('auto');
    expect(within(log).getByText('ما ضغط المريضة؟')).toBeTruthy();
    expect(within(chatTab).queryByLabelText('١ جديد')).toBeNull();

    signal.handlers.set('chat:send', (payload) => ({
      id: 'c3',
      authorId: selfId,
      authorRole: 'clinic_doctor',
      text: payload.text,
      at: at(5),
    }));
    await user.click(screen.getByRole('button', { name: 'إرسال' }));
    expect(await screen.findByText('اكتب رسالة أولًا.')).toBeTruthy();
    await user.type(screen.getByLabelText('رسالتك'), '١٣٠/٨٥ BP');
    await user.click(screen.getByRole('button', { name: 'إرسال' }));
    const own = await within(log).findByText('١٣٠/٨٥ BP');
    expect(own.closest('li')?.getAttribute('data-own')).toBe('true');
    expect(within(own.closest('li') as HTMLElement).getByText('أنت')).toBeTruthy();
    expect(signal.named('chat:send')).toMatchObject([{ appointmentId, text: '١٣٠/٨٥ BP' }]);

    // Our own message's notice is not news; a reply while another tab is shown is.
    signal.notify('chat:message', {
      appointmentId,
      message: { id: 'c3', authorId: selfId, authorRole: 'clinic_doctor', text: '١٣٠/٨٥ BP', at: at(5) },
    });
    await user.click(screen.getByRole('tab', { name: /العلامات الحيوية/ }));
    signal.notify('chat:message', {
      appointmentId,
      message: { id: 'c4', authorId: otherId, authorRole: 'specialist', text: 'شكرًا', at: at(6) },
    });
    expect(await within(chatTab).findByLabelText('١ جديد')).toBeTruthy();
  });

  it('in English: the specialist sees no vitals form; files are checked before upload, then stored and announced', async () => {
    const { signal, user, uploads } = await open('specialist', 'en');
    // The specialist starts on the chat; the vital signs are theirs to read, not to enter.
    expect(screen.getByRole('tab', { name: 'Chat' }).getAttribute('aria-selected')).toBe('true');
    await user.click(screen.getByRole('tab', { name: 'Vital signs' }));
    expect(await screen.findByText(/The clinic enters vital signs/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Record' })).toBeNull();

    signal.handlers.set('attachment:notice', (payload) => ({
      id: payload.attachmentId,
      fileName: 'report.pdf',
      contentType: 'application/pdf',
      size: 2048,
      uploadedBy: selfId,
      uploadedAt: at(5),
    }));
    await user.click(screen.getByRole('tab', { name: 'Files' }));
    expect(await screen.findByText('No files yet.')).toBeTruthy();
    const input = document.querySelector('input[type=file]') as HTMLInputElement;

    await user.upload(input, new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Only images (JPEG, PNG or WebP) and PDF files can be attached.',
    );
    await user.upload(
      input,
      new File([new Uint8Array(15 * 1024 * 1024 + 1)], 'scan.pdf', { type: 'application/pdf' }),
    );
    expect((await screen.findByRole('alert')).textContent).toBe('The file is larger than 15 MB.');
    expect(uploads).toEqual([]);

    await user.upload(input, new File(['%PDF-1.4 a report'], 'report.pdf', { type: 'application/pdf' }));
    expect(await screen.findByRole('button', { name: 'Open report.pdf' })).toBeTruthy();
    expect(uploads).toEqual(['%PDF-1.4 a report']);
    expect(signal.named('attachment:notice')).toEqual([{ appointmentId, attachmentId: hex(401) }]);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});
