import { join } from 'node:path';
import { launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { Page } from 'playwright-core';
import { recordsClientAs, scheduledAppointments, signInDemoRole } from './demoSessions.js';
import { type ClientSocket, connectSignaling, request } from './signalingClient.js';

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * The oversight screens for `npm run screenshots`, in each language at each width: the administrator's report
 * (a range with the demo's appointments in it) and the governance dashboard with a clinic waiting in its room;
 * the auditor's trail filtered to one patient, and one event of it.
 */
export async function shootOversightScreens(
  platform: RunningPlatform,
  outDir: string,
  locales: readonly ('ar' | 'en')[],
  widths: readonly number[],
): Promise<void> {
  const clinic = await signInDemoRole(platform, 'clinic_doctor');
  const specialist = await signInDemoRole(platform, 'specialist');
  const [patient] = (await recordsClientAs(platform, clinic).call('searchPatients', { query: { limit: 1 } }))
    .items;
  if (!patient) throw new Error('the demo clinic has no patients');
  // Something in the trail about this patient, and a clinic waiting for the dashboard to show.
  await recordsClientAs(platform, clinic).call('getPatient', { params: { id: patient.id } });
  const [appointment] = await scheduledAppointments(platform, clinic, specialist);
  let clinicSocket: ClientSocket | undefined;
  if (appointment) {
    clinicSocket = await connectSignaling(platform.urls.signaling, clinic.accessToken);
    await request(clinicSocket).emitWithAck('room:join', { appointmentId: appointment.id });
  }
  const browser = await launchChromium();
  try {
    for (const locale of locales) {
      const page = await browser.context.newPage();
      await signIn(page, platform, locale, 'administrator', '#calendar-heading');
      await page.goto(`${platform.urls.adminApp}/reports?from=${day(-30)}&to=${day(30)}&groupBy=specialty`);
      await page.waitForSelector('.recharts-bar', { state: 'attached', timeout: 30_000 });
      await shoot(page, outDir, 'admin-reports', locale, widths);
      await page.goto(`${platform.urls.adminApp}/governance`);
      await page.waitForSelector('#governance-heading', { timeout: 30_000 });
      await page.waitForSelector('table', { timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      await shoot(page, outDir, 'admin-governance', locale, widths);
      await page.context().clearCookies();
      await page.close();

      const audit = await browser.context.newPage();
      await signIn(audit, platform, locale, 'auditor', '#audit-heading');
      await audit.goto(`${platform.urls.adminApp}/audit?patientId=${patient.id}`);
      await audit.waitForSelector('tbody tr', { timeout: 30_000 });
      await shoot(audit, outDir, 'audit-trail', locale, widths);
      await audit.locator('tbody tr').first().getByRole('link').click();
      await audit.waitForSelector('#audit-event-heading', { timeout: 30_000 });
      await audit.waitForSelector('table', { timeout: 30_000 });
      await shoot(audit, outDir, 'audit-event', locale, widths);
      await audit.context().clearCookies();
      await audit.close();
    }
  } finally {
    clinicSocket?.close();
    await browser.close();
  }
}

async function signIn(
  page: Page,
  platform: RunningPlatform,
  locale: string,
  role: 'administrator' | 'auditor',
  landing: string,
): Promise<void> {
  const account = platform.demoAccounts.find((a) => a.role === role);
  if (!account) throw new Error(`no demo ${role}`);
  await page.goto(platform.urls.adminApp);
  await page.evaluate((value) => localStorage.setItem('telemed.locale', value), locale);
  await page.goto(`${platform.urls.adminApp}/login`);
  await page.fill('input[name=username]', account.username);
  await page.fill('input[name=password]', account.password);
  await page.click('button[type=submit]');
  // Signed in: the role's first section opens by itself.
  await page.waitForSelector(landing, { timeout: 30_000 });
}

async function shoot(page: Page, outDir: string, name: string, locale: string, widths: readonly number[]) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(400);
    const file = join(outDir, `${name}-${locale}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`${file}\n`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
