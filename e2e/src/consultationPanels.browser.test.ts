import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { Appointment, RoomRole, SessionResponse } from '@telemed/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsClientAs, scheduledAppointments, signInDemoRole } from './testing/demoSessions.js';
import { admitOnPanelsPage, showPanelsOnPage, startPanelsCall } from './testing/panelsCall.js';
import { startPlatformOnFreePorts } from './testing/platformOnFreePorts.js';
import { type PanelsPage, servePanelsPage } from './testing/servePanelsPage.js';
import { until } from './testing/until.js';

const waitMs = 30_000;

interface ReceivedVideo {
  participantId: string;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
}

/** The width and height in a JPEG's start-of-frame header (baseline or progressive). */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`not a JPEG marker at ${at}`);
    const marker = bytes[at + 1]!;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      return {
        height: (bytes[at + 5]! << 8) | bytes[at + 6]!,
        width: (bytes[at + 7]! << 8) | bytes[at + 8]!,
      };
    }
    at += 2 + length;
  }
  throw new Error('no JPEG frame header');
}

/**
 * The consultation's side panels and the high-resolution snapshot for real: two Chromium pages (fake camera) run
 * web-ui's panels, CallClient and SignalClient against the platform as `npm start` starts it, in Arabic.
 */
describe('the consultation panels and the snapshot in Chromium, against the whole platform', () => {
  let platform: RunningPlatform;
  let dataDir: string;
  /**
   * Two browsers, as two computers: each keeps its own session cookie (the page's origin is the same), and the
   * clinic's camera is its own (a fake camera open in another page keeps the format that page opened it at).
   */
  let browser: LaunchedChromium;
  let specialistBrowser: LaunchedChromium;
  let pageServer: PanelsPage;
  let clinic: SessionResponse;
  let specialist: SessionResponse;
  let appointments: Appointment[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'telemed-e2e-panels-'));
    platform = await startPlatformOnFreePorts(
      dataDir,
      { LOG_LEVEL: 'warn' },
      { echo: (line) => process.stderr.write(`${line}\n`) },
    );
    clinic = await signInDemoRole(platform, 'clinic_doctor');
    specialist = await signInDemoRole(platform, 'specialist');
    appointments = await scheduledAppointments(platform, clinic, specialist);
    expect(appointments.length).toBeGreaterThanOrEqual(1);
    pageServer = await servePanelsPage(platform.urls.records);
    browser = await launchChromium();
    specialistBrowser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await specialistBrowser?.close();
    await pageServer?.close();
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function openCall(session: SessionResponse, role: RoomRole, appointmentId: string): Promise<Page> {
    return startPanelsCall(role === 'specialist' ? specialistBrowser : browser, {
      platform,
      pageUrl: pageServer.url,
      session,
      role,
      appointmentId,
      locale: 'ar',
    });
  }

  it('chat, a vital sign and a file cross between the two sides at once; the snapshot arrives at the camera’s full resolution', async () => {
    const appointmentId = appointments[0]!.id;
    const clinicPage = await openCall(clinic, 'clinic_doctor', appointmentId);
    const specialistPage = await openCall(specialist, 'specialist', appointmentId);
    await admitOnPanelsPage(specialistPage, clinic.user.id);
    const received = await until(
      () => specialistPage.evaluate('window.receivedVideo()') as Promise<ReceivedVideo[]>,
      (videos) => videos.some((v) => v.participantId === clinic.user.id && v.framesDecoded > 10),
      'the clinic’s video decoded by the specialist',
    );
    const layer = received.find((v) => v.participantId === clinic.user.id)!;

    const consultation = await recordsClientAs(platform, specialist).call('openConsultation', {
      params: { appointmentId },
    });
    for (const page of [clinicPage, specialistPage]) await showPanelsOnPage(page, consultation.id);

    // Chat both ways; the clinic opens on the vital signs, so the reply shows as unread first.
    await clinicPage.getByRole('tab', { name: /المحادثة/ }).click();
    await clinicPage.getByLabel('رسالتك').fill('السلام عليكم، الضغط 130/85');
    await clinicPage.getByRole('button', { name: 'إرسال' }).click();
    await specialistPage
      .getByRole('log')
      .getByText('السلام عليكم، الضغط 130/85')
      .waitFor({ timeout: waitMs });
    await clinicPage.getByRole('tab', { name: /العلامات الحيوية/ }).click();
    await specialistPage.getByLabel('رسالتك').fill('Please show me the wound');
    await specialistPage.getByRole('button', { name: 'إرسال' }).click();
    await clinicPage
      .getByRole('tab', { name: /المحادثة/ })
      .getByLabel('١ جديد')
      .waitFor({ timeout: waitMs });
    await clinicPage.getByRole('tab', { name: /المحادثة/ }).click();
    await clinicPage.getByRole('log').getByText('Please show me the wound').waitFor();

    // A vital sign entered at the clinic appears on the specialist's screen.
    await clinicPage.getByRole('tab', { name: /العلامات الحيوية/ }).click();
    await clinicPage.getByLabel('القياس').selectOption('heart-rate');
    await clinicPage.getByLabel(/القيمة/).fill('٧٢');
    await clinicPage.getByRole('button', { name: 'تسجيل' }).click();
    await specialistPage
      .getByRole('tab', { name: /العلامات الحيوية/ })
      .getByLabel('١ جديد')
      .waitFor({ timeout: waitMs });
    await specialistPage.getByRole('tab', { name: /العلامات الحيوية/ }).click();
    const vitals = specialistPage.getByRole('table', { name: 'العلامات الحيوية' });
    await vitals.getByText('٧٢').waitFor();
    expect(await vitals.getByText('النبض').count()).toBe(1);

    // A file attached at the clinic is listed on the specialist's side.
    await clinicPage.getByRole('tab', { name: /الملفات/ }).click();
    await clinicPage.locator('input[type=file]').setInputFiles({
      name: 'تقرير-المعمل.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
    });
    await specialistPage.getByRole('tab', { name: /الملفات/ }).click();
    await specialistPage.getByRole('button', { name: 'فتح تقرير-المعمل.pdf' }).waitFor({ timeout: waitMs });

    // The snapshot: pressed by the specialist, taken and stored by the clinic's browser, shown to zoom and pan.
    await specialistPage.getByRole('button', { name: 'لقطة عالية الدقة' }).click();
    const viewer = specialistPage.getByRole('dialog');
    await viewer.waitFor({ timeout: 60_000 });
    const image = viewer.locator('img');
    await until(
      () => image.evaluate((img: HTMLImageElement) => img.naturalWidth),
      (width) => width > 0,
      'the snapshot decoded in the viewer',
    );
    const shown = await image.evaluate((img: HTMLImageElement) => ({
      width: img.naturalWidth,
      height: img.naturalHeight,
    }));
    await viewer.getByRole('button', { name: 'تكبير' }).click();
    expect(Number(await image.getAttribute('data-scale'))).toBeGreaterThan(1);
    await viewer.getByRole('img', { name: /الصورة مكبرة/ }).press('0');
    expect(Number(await image.getAttribute('data-scale'))).toBe(1);

    const records = recordsClientAs(platform, specialist);
    const stored = await records.call('getConsultation', { params: { id: consultation.id } });
    const snapshot = stored.attachments.find((a) => a.fileName.startsWith('snapshot-'));
    expect(snapshot?.contentType).toBe('image/jpeg');
    const download = await records.call('downloadAttachment', {
      params: { id: consultation.id, attachmentId: snapshot!.id },
    });
    const size = jpegSize(download.bytes);
    // Chromium's fake camera goes up to 3840×2160; the call sends 1280×720 at most.
    expect(size).toEqual({ width: 3840, height: 2160 });
    expect(shown).toEqual(size);
    expect(size.width).toBeGreaterThan(layer.frameWidth);
    expect(layer.frameWidth).toBeLessThanOrEqual(1280);
    // The clinic's camera is back at the call's size.
    expect(await clinicPage.evaluate('window.sentVideoSize()')).toMatchObject({ width: 1280, height: 720 });
    expect(stored.chat.map((m) => m.text)).toEqual([
      'السلام عليكم، الضغط 130/85',
      'Please show me the wound',
    ]);
    expect(stored.vitalSigns).toMatchObject([{ kind: 'heart-rate', value: 72, unit: '/min' }]);

    await clinicPage.close();
    await specialistPage.close();
  });

  it('captureStill: a still at the camera’s maximum, larger than the sent video, stored in records and fetched back', async () => {
    const appointmentId = appointments[1]?.id ?? appointments[0]!.id;
    const clinicPage = await openCall(clinic, 'clinic_doctor', appointmentId);
    const consultation = await recordsClientAs(platform, clinic).call('openConsultation', {
      params: { appointmentId },
    });
    const result = (await clinicPage.evaluate(
      (id) => (window as unknown as { captureAndStore(id: string): Promise<unknown> }).captureAndStore(id),
      consultation.id,
    )) as {
      method: string;
      captured: { width: number; height: number };
      largest: { width: number; height: number };
      sentBefore: { width: number; height: number };
      sentAfter: { width: number; height: number };
      fetchedBack: { width: number; height: number };
    };
    process.stderr.write(`captureStill in Chromium: ${JSON.stringify(result)}\n`);
    expect(result.captured).toEqual(result.largest);
    expect(result.fetchedBack).toMatchObject(result.captured);
    expect(result.captured.width * result.captured.height).toBeGreaterThan(
      result.sentBefore.width * result.sentBefore.height,
    );
    expect(result.sentAfter).toEqual(result.sentBefore);
    await clinicPage.close();
  });
});
