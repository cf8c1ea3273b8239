import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { Appointment, SessionResponse } from '@telemed/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledAppointments, signInDemo } from './testing/demoSessions.js';
import {
  decodesVideos,
  inbound,
  recordPeerConnections,
  untilMedia,
  mediaWaitMs as waitMs,
} from './testing/peerConnectionStats.js';
import { startPlatformOnFreePorts } from './testing/platformOnFreePorts.js';

/**
 * What the whole journey (`journey.browser.test.ts`) does not cover, through the real apps (built, served by
 * `vite preview` as `npm start` serves them) in Chromium with fake cameras, in Arabic, with the demo accounts:
 * the clinic and the specialist get into the call as the journey does (its checks of the device check, the
 * waiting room and the video's size are not repeated here); mute pauses the sound; leaving and opening the
 * appointment again rejoins; a second specialist is invited and joins from the invitation; each of the three
 * decodes the other two; the specialist ends the consultation for everyone.
 */
describe('the consultation in the apps, in Chromium, against the whole platform', () => {
  let platform: RunningPlatform;
  let dataDir: string;
  let browser: LaunchedChromium;
  /** A second profile: the invited specialist's own browser. */
  let secondBrowser: LaunchedChromium;
  let appointment: Appointment;
  let clinic: SessionResponse;
  let samir: SessionResponse;
  let nadia: SessionResponse;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'telemed-e2e-consultation-'));
    platform = await startPlatformOnFreePorts(
      dataDir,
      { LOG_LEVEL: 'warn' },
      { echo: (line) => process.stderr.write(`${line}\n`) },
    );
    clinic = await signInDemo(platform, 'clinic.abnoub');
    samir = await signInDemo(platform, 'dr.samir');
    nadia = await signInDemo(platform, 'dr.nadia');
    const appointments = await scheduledAppointments(platform, clinic, samir);
    expect(appointments.length).toBeGreaterThanOrEqual(1);
    appointment = appointments[0]!;
    browser = await launchChromium();
    secondBrowser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await secondBrowser?.close();
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * Signs `username` in through the app's own form, in Arabic. The clinic app and the specialist app are on
   * different host names (localhost and 127.0.0.1) so the two sessions' cookies do not meet in one profile.
   */
  async function signedIn(on: LaunchedChromium, url: string, username: string): Promise<Page> {
    const page = await on.context.newPage();
    await page.addInitScript(recordPeerConnections);
    page.on('pageerror', (e) => pageErrors.push(`[${username}] ${e.message}`));
    await page.goto(url);
    await page.evaluate(() => localStorage.setItem('telemed.locale', 'ar'));
    await page.reload();
    const account = platform.demoAccounts.find((a) => a.username === username)!;
    await page.fill('input[name=username]', account.username);
    await page.fill('input[name=password]', account.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('#appointments-heading');
    return page;
  }

  const onOtherHost = (url: string) => url.replace('localhost', '127.0.0.1');
  const heading = (page: Page, text: string) =>
    expect.poll(() => page.getByRole('heading', { name: text }).isVisible(), { timeout: waitMs }).toBe(true);

  /** Through the device check (its preview and meter are the journey's to check); join waits for the devices. */
  async function checkDevicesAndJoin(page: Page, button: string) {
    await heading(page, 'تحقق من الكاميرا والميكروفون');
    await page.getByRole('button', { name: button }).click({ timeout: waitMs });
  }

  it('mute, leave and rejoin, invite a second specialist into a three-party call, end for everyone', async () => {
    const patient = appointment.patient!.name.ar;

    // The clinic starts the consultation from its list of appointments.
    const clinicPage = await signedIn(browser, platform.urls.clinicApp, 'clinic.abnoub');
    const start = clinicPage.locator(`a[href="/consultations/${appointment.id}"]`);
    await expect.poll(() => start.getAttribute('aria-label')).toBe(`بدء استشارة ${patient}`);
    await start.click();
    await checkDevicesAndJoin(clinicPage, 'انضمام إلى المكالمة');
    await heading(clinicPage, 'غرفة الانتظار');

    // The specialist's home shows the clinic waiting (the list comes over signaling on connect, then live).
    const samirPage = await signedIn(browser, onOtherHost(platform.urls.specialistApp), 'dr.samir');
    const admit = samirPage.locator(`.waiting-clinic a[href^="/consultations/${appointment.id}?admit="]`);
    await expect.poll(() => admit.count(), { timeout: waitMs }).toBe(1);
    expect(await admit.getAttribute('aria-label')).toMatch(/^إدخال /);
    await admit.click();
    await checkDevicesAndJoin(samirPage, 'انضمام وإدخال الوحدة');

    // Both are in the call and decode each other's video (its size: the journey).
    await decodesVideos(samirPage, 1, 'specialist');
    await decodesVideos(clinicPage, 1, 'clinic');
    expect(await samirPage.getByRole('button', { name: 'إنهاء الاستشارة' }).isVisible()).toBe(true);
    expect(await clinicPage.getByRole('button', { name: 'إنهاء الاستشارة' }).count()).toBe(0);
    expect(await samirPage.locator('video[aria-label="الفيديو الخاص بك"]').count()).toBe(1);
    expect(await samirPage.locator('video[aria-label^="فيديو "]').count()).toBe(1);

    // The clinic mutes: its microphone's producer pauses, so no more sound reaches the specialist.
    await clinicPage.getByRole('button', { name: 'كتم الميكروفون' }).click();
    await expect
      .poll(() =>
        clinicPage.getByRole('button', { name: 'إلغاء كتم الميكروفون' }).getAttribute('aria-pressed'),
      )
      .toBe('true');
    await untilMedia(
      async () => {
        const a = (await inbound(samirPage)).audioPackets;
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        return (await inbound(samirPage)).audioPackets - a;
      },
      (fresh) => fresh === 0,
      'audio stops after mute',
    );
    await clinicPage.getByRole('button', { name: 'إلغاء كتم الميكروفون' }).click();
    await untilMedia(
      async () => {
        const a = (await inbound(samirPage)).audioPackets;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return (await inbound(samirPage)).audioPackets - a;
      },
      (fresh) => fresh > 10,
      'audio flows again after unmute',
    );

    // The clinic leaves by mistake and opens the appointment again: back in the same call.
    await clinicPage.getByRole('button', { name: 'مغادرة المكالمة (تبقى الاستشارة مفتوحة)' }).click();
    await heading(clinicPage, 'غادرت المكالمة');
    await clinicPage.getByRole('link', { name: 'العودة إلى الصفحة الرئيسية' }).click();
    const reopen = clinicPage.locator(`a[href="/consultations/${appointment.id}"]`);
    await expect
      .poll(() => reopen.getAttribute('aria-label'), { timeout: waitMs })
      .toBe(`فتح استشارة ${patient}`);
    await reopen.click();
    await checkDevicesAndJoin(clinicPage, 'انضمام إلى المكالمة');
    // The specialist's page lets back in at once a clinic it had admitted.
    await decodesVideos(clinicPage, 1, 'clinic after rejoining');
    await decodesVideos(samirPage, 1, 'specialist after the clinic rejoined');

    // A second specialist of the same specialty, invited, joins from the invitation on her home page.
    const nadiaPage = await signedIn(secondBrowser, platform.urls.specialistApp, 'dr.nadia');
    await samirPage.getByRole('button', { name: 'دعوة استشاري' }).click();
    await samirPage.getByRole('dialog').getByLabel('الاستشاري').click();
    await samirPage.getByRole('option', { name: nadia.user.name.ar }).click();
    await samirPage.getByRole('button', { name: 'إرسال الدعوة' }).click();
    const join = nadiaPage.getByRole('link', { name: `الانضمام إلى استشارة ${patient}` });
    await expect.poll(() => join.isVisible(), { timeout: waitMs }).toBe(true);
    await join.click();
    await checkDevicesAndJoin(nadiaPage, 'انضمام إلى المكالمة');
    // No waiting room for her, and no admit, end or invite.
    await decodesVideos(nadiaPage, 2, 'invited specialist');
    await decodesVideos(clinicPage, 2, 'clinic in a three-party call');
    await decodesVideos(samirPage, 2, 'booked specialist in a three-party call');
    expect(await nadiaPage.getByRole('button', { name: 'إنهاء الاستشارة' }).count()).toBe(0);
    expect(await nadiaPage.getByRole('button', { name: 'دعوة استشاري' }).count()).toBe(0);
    expect(await clinicPage.locator('video[aria-label^="فيديو "]').count()).toBe(2);

    // The booked specialist ends the consultation, after confirming; everyone sees it ended.
    await samirPage.getByRole('button', { name: 'إنهاء الاستشارة' }).click();
    await samirPage.getByRole('button', { name: 'إنهاء للجميع' }).click();
    for (const page of [samirPage, clinicPage, nadiaPage]) await heading(page, 'انتهت الاستشارة');
    expect(pageErrors).toEqual([]);
  });
});
