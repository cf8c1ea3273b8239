import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { Appointment, SessionResponse } from '@telemed/shared';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsClientAs, scheduledAppointments, signInDemo } from './testing/demoSessions.js';
import {
  decodesAtLeast,
  decodesVideos,
  mediaWaitMs,
  recordPeerConnections,
  untilMedia,
} from './testing/peerConnectionStats.js';
import { startPlatformOnFreePorts } from './testing/platformOnFreePorts.js';

type Locale = 'ar' | 'en';

/** What a person reads on the screens, in each language (the apps' own messages, as the tests find them). */
const words = {
  ar: {
    startFor: (patient: string) => `بدء استشارة ${patient}`,
    deviceCheck: 'تحقق من الكاميرا والميكروفون',
    preview: 'معاينة الكاميرا',
    join: 'انضمام إلى المكالمة',
    joinAndAdmit: 'انضمام وإدخال الوحدة',
    waitingRoom: 'غرفة الانتظار',
    waitingFor: (specialist: string) => `في انتظار أن يُدخلك ${specialist}`,
    waitingList: 'وحدات صحية في انتظارك',
    admitFor: /^إدخال /,
    remoteVideo: (name: string) => `فيديو ${name}`,
    selfVideo: 'الفيديو الخاص بك',
    dataTab: 'البيانات',
    noteTab: 'التقرير',
    chatTab: /المحادثة/,
    vitalsTab: /العلامات الحيوية/,
    message: 'رسالتك',
    send: 'إرسال',
    chatLog: 'رسائل المحادثة',
    fromClinic: 'السلام عليكم، المريضة تشكو من جرح في القدم',
    fromSpecialist: 'أرني الجرح من فضلك',
    measure: 'القياس',
    value: /القيمة/,
    heartRate: '٧٢',
    record: 'تسجيل',
    vitalsTable: 'العلامات الحيوية',
    pulse: 'النبض',
    snapshot: 'لقطة عالية الدقة',
    zoomIn: 'تكبير',
    findings: 'الفحص والنتائج',
    findingsText: 'قرحة سكرية سطحية في القدم اليسرى دون علامات عدوى',
    searchDiagnosis: /بحث عن تشخيص/,
    diagnosisQuery: 'السكري الثاني دون',
    primary: 'رئيسي',
    saved: 'محفوظ',
    sign: 'توقيع الملاحظة',
    confirmSign: 'نعم، وقّع',
    end: 'إنهاء الاستشارة',
    endForAll: 'إنهاء للجميع',
    ended: 'انتهت الاستشارة',
    home: 'العودة إلى الصفحة الرئيسية',
    noteFor: (patient: string) => `ملاحظة الاستشارة للمريض ${patient}`,
    signedNote: 'ملاحظة الاستشارة الموقّعة',
  },
  en: {
    startFor: (patient: string) => `Start the consultation for ${patient}`,
    deviceCheck: 'Check your camera and microphone',
    preview: 'Camera preview',
    join: 'Join the call',
    joinAndAdmit: 'Join and admit the clinic',
    waitingRoom: 'Waiting room',
    waitingFor: (specialist: string) => `Waiting for ${specialist} to admit you`,
    waitingList: 'Clinics waiting for you',
    admitFor: /^Admit /,
    remoteVideo: (name: string) => `Video of ${name}`,
    selfVideo: 'Your own video',
    dataTab: 'Data',
    noteTab: 'Note',
    chatTab: /Chat/,
    vitalsTab: /Vital signs/,
    message: 'Your message',
    send: 'Send',
    chatLog: 'Chat messages',
    fromClinic: 'Good morning, the patient has a foot wound',
    fromSpecialist: 'Please show me the wound',
    measure: 'Measurement',
    value: /Value/,
    heartRate: '72',
    record: 'Record',
    vitalsTable: 'Vital signs',
    pulse: 'Heart rate',
    snapshot: 'High-resolution snapshot',
    zoomIn: 'Zoom in',
    findings: 'Findings',
    findingsText: 'Superficial diabetic ulcer of the left foot, no sign of infection',
    searchDiagnosis: /Search diagnoses/,
    diagnosisQuery: 'E11.9',
    primary: 'Primary',
    saved: 'Saved',
    sign: 'Sign the note',
    confirmSign: 'Yes, sign',
    end: 'End consultation',
    endForAll: 'End for everyone',
    ended: 'The consultation has ended',
    home: 'Back to the home page',
    noteFor: (patient: string) => `The consultation note of ${patient}`,
    signedNote: 'Signed consultation note',
  },
} as const;

/**
 * Issue 19's whole journey through the real apps (built and served as `npm start` serves them), in two Chromium
 * browsers as two computers, each with its own fake camera and microphone, signed in with the demo accounts
 * through the apps' own forms. In Arabic: the clinic starts today's appointment, checks its devices and waits;
 * the specialist admits it from the live waiting list; both decode each other's video; chat both ways; a vital
 * sign entered at the clinic shows on the specialist's screen; the specialist takes a full-resolution snapshot;
 * picks an ICD-10 diagnosis in the note tab, signs, ends; the clinic reads the signed note. Then a shorter run
 * in English. Elements are found by role and accessible name, as a screen reader finds them.
 */
describe('the whole consultation journey in two browsers, against the whole platform', () => {
  let platform: RunningPlatform;
  let dataDir: string;
  let clinicBrowser: LaunchedChromium;
  let specialistBrowser: LaunchedChromium;
  let clinic: SessionResponse;
  let specialist: SessionResponse;
  let appointments: Appointment[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'telemed-e2e-journey-'));
    platform = await startPlatformOnFreePorts(
      dataDir,
      { LOG_LEVEL: 'warn' },
      { echo: (line) => process.stderr.write(`${line}\n`) },
    );
    clinic = await signInDemo(platform, 'clinic.abnoub');
    specialist = await signInDemo(platform, 'dr.samir');
    appointments = await scheduledAppointments(platform, clinic, specialist);
    expect(appointments.length).toBeGreaterThanOrEqual(2);
    clinicBrowser = await launchChromium();
    specialistBrowser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await clinicBrowser?.close();
    await specialistBrowser?.close();
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Opens an app in `locale` and signs `username` in through its own form. */
  async function signedIn(
    browser: LaunchedChromium,
    app: 'clinicApp' | 'specialistApp',
    username: string,
    locale: Locale,
  ): Promise<Page> {
    // Signed out from the run before: the form, not the last session.
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.addInitScript(recordPeerConnections);
    page.on('pageerror', (e) => pageErrors.push(`[${username}] ${e.message}`));
    await page.goto(platform.urls[app]);
    await page.evaluate((value) => localStorage.setItem('telemed.locale', value), locale);
    await page.reload();
    const account = platform.demoAccounts.find((a) => a.username === username)!;
    await page.getByRole('textbox', { name: locale === 'ar' ? 'اسم المستخدم' : 'Username' }).fill(username);
    await page
      .getByRole('textbox', { name: locale === 'ar' ? 'كلمة المرور' : 'Password', exact: true })
      .fill(account.password);
    await page.getByRole('button', { name: locale === 'ar' ? 'دخول' : 'Sign in' }).click();
    return page;
  }

  const visible = (locator: Locator) =>
    expect.poll(() => locator.isVisible(), { timeout: mediaWaitMs }).toBe(true);

  /** The device check: the camera's live preview plays, the fake microphone's beep moves the meter; then join. */
  async function checkDevicesAndJoin(page: Page, w: (typeof words)[Locale], button: string) {
    const check = page.getByRole('region', { name: w.deviceCheck });
    await visible(check);
    await expect
      .poll(() => check.getByLabel(w.preview).evaluate((v: HTMLVideoElement) => v.videoWidth), {
        timeout: mediaWaitMs,
      })
      .toBeGreaterThan(0);
    await expect
      .poll(async () => Number(await check.getByRole('progressbar').getAttribute('aria-valuenow')), {
        timeout: mediaWaitMs,
      })
      .toBeGreaterThan(0);
    await check.getByRole('button', { name: button }).click();
  }

  async function journey(locale: Locale, appointment: Appointment, whole: boolean) {
    const w = words[locale];
    // Names are kept in Arabic and in Latin letters; the English screens show the Latin ones.
    const script = locale === 'ar' ? 'ar' : 'latin';
    const patient = appointment.patient!.name[script];
    const specialistName = specialist.user.name[script];

    // 1. The clinic doctor starts today's appointment from the home page.
    const clinicPage = await signedIn(clinicBrowser, 'clinicApp', 'clinic.abnoub', locale);
    expect(await clinicPage.getAttribute('html', 'dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
    const start = clinicPage
      .getByRole('link', { name: w.startFor(patient) })
      .and(clinicPage.locator(`[href="/consultations/${appointment.id}"]`));
    await visible(start);
    await start.click();
    await checkDevicesAndJoin(clinicPage, w, w.join);

    // The waiting room: the patient, the specialist, a live status.
    const waitingRoom = clinicPage.getByRole('region', { name: w.waitingRoom });
    await visible(waitingRoom);
    await expect
      .poll(() => waitingRoom.getByRole('status').textContent(), { timeout: mediaWaitMs })
      .toContain(w.waitingFor(specialistName));
    expect(await waitingRoom.getByText(patient, { exact: true }).count()).toBe(1);

    // 2. The specialist sees the clinic waiting, live, and admits it.
    const specialistPage = await signedIn(specialistBrowser, 'specialistApp', 'dr.samir', locale);
    const waitingList = specialistPage.getByRole('region', { name: w.waitingList });
    const admit = waitingList
      .getByRole('link', { name: w.admitFor })
      .and(specialistPage.locator(`[href^="/consultations/${appointment.id}?admit="]`));
    await visible(admit);
    expect(await waitingList.textContent()).toContain(clinic.user.name[script]);
    await admit.click();
    await checkDevicesAndJoin(specialistPage, w, w.joinAndAdmit);

    // 3. Video decoded on both sides; the specialist sees the clinic at 640×360 or more.
    // The call names people in the screen's language (the access token carries both names).
    await visible(specialistPage.getByLabel(w.remoteVideo(clinic.user.name[script])));
    await visible(clinicPage.getByLabel(w.remoteVideo(specialist.user.name[script])));
    await decodesVideos(specialistPage, 1, 'specialist');
    await decodesVideos(clinicPage, 1, 'clinic');
    const received = await decodesAtLeast(
      specialistPage,
      640,
      360,
      'the clinic’s video on the specialist’s side',
    );
    expect(await specialistPage.getByLabel(w.selfVideo).count()).toBe(1);

    // 4. Chat both ways (the clinic's panels open on the vital signs, the specialist's on the chat).
    await clinicPage.getByRole('tab', { name: w.chatTab }).click();
    await clinicPage.getByRole('textbox', { name: w.message }).fill(w.fromClinic);
    await clinicPage.getByRole('button', { name: w.send }).click();
    await visible(specialistPage.getByRole('log', { name: w.chatLog }).getByText(w.fromClinic));
    await specialistPage.getByRole('textbox', { name: w.message }).fill(w.fromSpecialist);
    await specialistPage.getByRole('button', { name: w.send }).click();
    await visible(clinicPage.getByRole('log', { name: w.chatLog }).getByText(w.fromSpecialist));

    if (whole) {
      // A vital sign entered at the clinic appears on the specialist's screen.
      await clinicPage.getByRole('tab', { name: w.vitalsTab }).click();
      await clinicPage.getByRole('combobox', { name: w.measure }).selectOption('heart-rate');
      await clinicPage.getByRole('textbox', { name: w.value }).fill(w.heartRate);
      await clinicPage.getByRole('button', { name: w.record, exact: true }).click();
      await specialistPage.getByRole('tab', { name: w.vitalsTab }).click();
      const vitals = specialistPage.getByRole('table', { name: w.vitalsTable });
      await visible(vitals.getByText(w.heartRate));
      expect(await vitals.getByText(w.pulse).count()).toBe(1);

      // 5. The snapshot: a still at the clinic camera's full resolution, not a frame of the call's video.
      await specialistPage.getByRole('button', { name: w.snapshot }).click();
      const viewer = specialistPage.getByRole('dialog');
      await viewer.waitFor({ timeout: 60_000 });
      // The named `img` is the zoom surface; the picture's pixels are the <img> inside it.
      const image = viewer.locator('img');
      const still = await untilMedia(
        () =>
          image.evaluate((img: HTMLImageElement) => ({ width: img.naturalWidth, height: img.naturalHeight })),
        (size) => size.width > 0,
        'the snapshot decoded in the viewer',
      );
      // Chromium's fake camera goes up to 3840×2160; the call sends 1280×720 at most.
      expect(still).toEqual({ width: 3840, height: 2160 });
      const largestFrame = Math.max(...received.videos.map((v) => v.frameWidth));
      expect(still.width).toBeGreaterThan(largestFrame);
      await viewer.getByRole('button', { name: w.zoomIn }).click();
      await specialistPage.keyboard.press('Escape');
      await expect.poll(() => viewer.count()).toBe(0);
    }

    // 6. The diagnosis, in the call's note tab: findings, an ICD-10 code picked as it is typed, saved; signed.
    await specialistPage.getByRole('tab', { name: w.noteTab }).click();
    await specialistPage.getByRole('textbox', { name: w.findings }).fill(w.findingsText);
    const search = specialistPage.getByRole('textbox', { name: w.searchDiagnosis });
    await search.fill(w.diagnosisQuery);
    await specialistPage.getByRole('option', { name: /^E11\.9 / }).click({ timeout: mediaWaitMs });
    await visible(specialistPage.getByText(w.primary).first());
    // Autosaved: in the record, and the editor says so (it said so before the first edit too).
    const records = recordsClientAs(platform, specialist);
    const { id: consultationId } = await records.call('openConsultation', {
      params: { appointmentId: appointment.id },
    });
    const read = () => records.call('getConsultation', { params: { id: consultationId } });
    await untilMedia(
      read,
      (c) =>
        c.content.findings === w.findingsText && (c.content.diagnoses ?? []).some((d) => d.code === 'E11.9'),
      'the findings and the diagnosis autosaved',
    );
    await visible(specialistPage.getByRole('status').filter({ hasText: w.saved }));
    await specialistPage.getByRole('button', { name: w.sign }).click();
    await specialistPage.getByRole('dialog').getByRole('button', { name: w.confirmSign }).click();
    await expect
      .poll(() => specialistPage.getByRole('button', { name: w.sign }).count(), { timeout: mediaWaitMs })
      .toBe(0);
    const stored = await read();
    expect(stored.status).toBe('signed');
    expect(stored.content.diagnoses).toEqual([expect.objectContaining({ code: 'E11.9', kind: 'primary' })]);
    expect(stored.chat.map((m) => m.text)).toEqual([w.fromClinic, w.fromSpecialist]);

    if (whole) {
      expect(stored.vitalSigns).toMatchObject([{ kind: 'heart-rate', value: 72 }]);
      // The specialist ends the consultation; the clinic reads the signed note from its home page.
      await specialistPage.getByRole('button', { name: w.end }).click();
      await specialistPage.getByRole('button', { name: w.endForAll }).click();
      for (const page of [specialistPage, clinicPage]) {
        await visible(page.getByRole('heading', { name: w.ended }));
      }
      await clinicPage.getByRole('link', { name: w.home }).click();
      const noteLink = clinicPage
        .getByRole('link', { name: w.noteFor(patient) })
        .and(clinicPage.locator(`[href="/consultations/${appointment.id}/note"]`));
      await visible(noteLink);
      await noteLink.click();
      const note = clinicPage.getByRole('article', { name: w.signedNote });
      await visible(note);
      await expect.poll(() => note.textContent(), { timeout: mediaWaitMs }).toContain('E11.9');
      const text = (await note.textContent()) ?? '';
      expect(text).toContain(w.findingsText);
      expect(text).toContain(specialistName);
    }
    await clinicPage.close();
    await specialistPage.close();
    expect(pageErrors).toEqual([]);
  }

  it('in Arabic: start, device check, waiting room, admit, video both ways, chat, a vital sign, a snapshot, an ICD-10 diagnosis, sign; the clinic reads the signed note', async () => {
    await journey('ar', appointments[0]!, true);
  }, 300_000);

  it('in English: start, admit, video both ways, chat, sign', async () => {
    await journey('en', appointments[1]!, false);
  }, 240_000);
});
