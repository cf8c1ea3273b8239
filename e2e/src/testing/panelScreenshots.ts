import { join } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { RoomRole, SessionResponse } from '@telemed/shared';
import type { Page } from 'playwright-core';
import { recordsClientAs, scheduledAppointments, signInDemoRole } from './demoSessions.js';
import { servePanelsPage } from './servePanelsPage.js';

/**
 * The consultation's side panels beside the clinic's video, for `npm run screenshots`: a real call on the
 * panels' test page (the call screen is another part's), with a vital sign, chat both ways and a snapshot, seen
 * by the clinic (vital signs tab) and by the specialist (chat tab and the snapshot viewer).
 */
export async function shootPanels(
  platform: RunningPlatform,
  outDir: string,
  locales: readonly ('ar' | 'en')[],
  widths: readonly number[],
): Promise<void> {
  const pageServer = await servePanelsPage(platform.urls.records);
  const browsers: LaunchedChromium[] = [await launchChromium(), await launchChromium()];
  try {
    const clinic = await signInDemoRole(platform, 'clinic_doctor');
    const specialist = await signInDemoRole(platform, 'specialist');
    // Not one whose note the note screens signed: a signed consultation refuses new vital signs.
    const records = recordsClientAs(platform, specialist);
    const appointments = [];
    for (const appointment of await scheduledAppointments(platform, clinic, specialist)) {
      const consultation = await records.call('openConsultation', {
        params: { appointmentId: appointment.id },
      });
      if (consultation.status !== 'signed') appointments.push(appointment);
    }
    for (const [index, locale] of locales.entries()) {
      const appointmentId = appointments[index]!.id;
      const open = async (session: SessionResponse, role: RoomRole, browser: LaunchedChromium) => {
        const account = platform.demoAccounts.find((a) => a.username === session.user.username)!;
        const page = await browser.context.newPage();
        await page.goto(pageServer.url);
        await page.evaluate(
          (options) => (window as unknown as { startCall(o: unknown): Promise<string> }).startCall(options),
          {
            username: account.username,
            password: account.password,
            signalingUrl: platform.urls.signaling,
            accessToken: session.accessToken,
            selfId: session.user.id,
            role,
            appointmentId,
            locale,
          },
        );
        return page;
      };
      const clinicPage = await open(clinic, 'clinic_doctor', browsers[0]!);
      const specialistPage = await open(specialist, 'specialist', browsers[1]!);
      await specialistPage.evaluate(
        (id) => (window as unknown as { admit(id: string): Promise<void> }).admit(id),
        clinic.user.id,
      );
      const { id: consultationId } = await recordsClientAs(platform, specialist).call('openConsultation', {
        params: { appointmentId },
      });
      for (const page of [clinicPage, specialistPage]) {
        await page.evaluate(
          (id) => (window as unknown as { showPanels(id: string): void }).showPanels(id),
          consultationId,
        );
        await page.getByRole('tablist').waitFor();
      }
      const ar = locale === 'ar';
      await clinicPage.getByLabel(ar ? 'الانقباضي (مم زئبق)' : 'Systolic (mmHg)').fill('130');
      await clinicPage.getByLabel(ar ? 'الانبساطي (مم زئبق)' : 'Diastolic (mmHg)').fill('85');
      await clinicPage.getByRole('button', { name: ar ? 'تسجيل' : 'Record' }).click();
      await clinicPage.getByRole('table').waitFor();
      await sendChat(
        clinicPage,
        ar ? 'المريضة تشكو من جرح في القدم منذ أسبوعين.' : 'A foot wound for two weeks.',
        ar,
      );
      await sendChat(specialistPage, ar ? 'أرسل لقطة للجرح من فضلك — please' : 'Please send a snapshot.', ar);
      await specialistPage
        .getByRole('log')
        .getByText(/أسبوعين|two weeks/)
        .waitFor();
      await shoot(clinicPage, outDir, `panels-clinic-${locale}`, widths);
      await shoot(specialistPage, outDir, `panels-specialist-${locale}`, widths);

      await specialistPage
        .getByRole('button', { name: ar ? 'لقطة عالية الدقة' : 'High-resolution snapshot' })
        .click();
      const viewer = specialistPage.getByRole('dialog');
      await viewer.waitFor({ timeout: 60_000 });
      await viewer.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      await viewer.getByRole('button', { name: ar ? 'تكبير' : 'Zoom in' }).click();
      await shoot(specialistPage, outDir, `panels-snapshot-${locale}`, widths);
      await clinicPage.close();
      await specialistPage.close();
    }
  } finally {
    for (const browser of browsers) await browser.close();
    await pageServer.close();
  }
}

async function sendChat(page: Page, text: string, ar: boolean): Promise<void> {
  await page.getByRole('tab', { name: ar ? /المحادثة/ : /Chat/ }).click();
  await page.getByLabel(ar ? 'رسالتك' : 'Your message').fill(text);
  await page.getByRole('button', { name: ar ? 'إرسال' : 'Send' }).click();
  await page.getByRole('log').getByText(text).waitFor();
}

async function shoot(page: Page, outDir: string, name: string, widths: readonly number[]): Promise<void> {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 800 });
    await page.waitForTimeout(300);
    const file = join(outDir, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`${file}\n`);
  }
}
