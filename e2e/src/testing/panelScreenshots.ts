import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { Page } from 'playwright-core';
import { recordsClientAs, scheduledAppointments, signInDemo } from './demoSessions.js';
import { admitOnPanelsPage, showPanelsOnPage, startPanelsCall } from './panelsCall.js';
import { servePanelsPage } from './servePanelsPage.js';
import { shootScreen } from './shootScreen.js';

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
    // dr.nadia with the first clinic: a pair no other screen takes appointments of. With dr.samir (the call,
    // note and specialist screens' pair) only one unsigned appointment was left, and English had none.
    const clinic = await signInDemo(platform, 'clinic.abnoub');
    const specialist = await signInDemo(platform, 'dr.nadia');
    // Not one whose note the note screens signed: a signed consultation refuses new vital signs.
    const records = recordsClientAs(platform, specialist);
    const appointments = [];
    for (const appointment of await scheduledAppointments(platform, clinic, specialist)) {
      const consultation = await records.call('openConsultation', {
        params: { appointmentId: appointment.id },
      });
      if (consultation.status !== 'signed') appointments.push(appointment);
    }
    if (appointments.length < locales.length)
      throw new Error(
        `the panel screens need ${locales.length} unsigned appointments, found ${appointments.length}`,
      );
    for (const [index, locale] of locales.entries()) {
      const appointmentId = appointments[index]!.id;
      const call = { platform, pageUrl: pageServer.url, appointmentId, locale } as const;
      const clinicPage = await startPanelsCall(browsers[0]!, {
        ...call,
        session: clinic,
        role: 'clinic_doctor',
      });
      const specialistPage = await startPanelsCall(browsers[1]!, {
        ...call,
        session: specialist,
        role: 'specialist',
      });
      await admitOnPanelsPage(specialistPage, clinic.user.id);
      const { id: consultationId } = await recordsClientAs(platform, specialist).call('openConsultation', {
        params: { appointmentId },
      });
      for (const page of [clinicPage, specialistPage]) await showPanelsOnPage(page, consultationId);
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
      await shootScreen(clinicPage, outDir, `panels-clinic-${locale}`, widths);
      await shootScreen(specialistPage, outDir, `panels-specialist-${locale}`, widths);

      await specialistPage
        .getByRole('button', { name: ar ? 'لقطة عالية الدقة' : 'High-resolution snapshot' })
        .click();
      const viewer = specialistPage.getByRole('dialog');
      await viewer.waitFor({ timeout: 60_000 });
      await viewer.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      await viewer.getByRole('button', { name: ar ? 'تكبير' : 'Zoom in' }).click();
      await shootScreen(specialistPage, outDir, `panels-snapshot-${locale}`, widths);
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
