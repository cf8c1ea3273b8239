import { launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { Page } from 'playwright-core';
import { openInLocale, type ScreenshotLocale, shootScreen, signInOnPage } from './shootScreen.js';

const labels = {
  birthDate: { ar: 'تاريخ الميلاد', en: 'Birth date' },
  from: { ar: 'من', en: 'From' },
};

/**
 * The date inputs with their calendars open, in each language at each width: the patient form's birth date
 * (the clinic) and the audit trail's period (the auditor). Arabic shows Arabic month names and digits in a
 * right-to-left calendar whose weeks start on Saturday.
 */
export async function shootDateScreens(
  platform: RunningPlatform,
  outDir: string,
  locales: readonly ScreenshotLocale[],
  widths: readonly number[],
): Promise<void> {
  const browser = await launchChromium();
  try {
    for (const locale of locales) {
      const clinic = await browser.context.newPage();
      await openInLocale(clinic, `${platform.urls.clinicApp}/patients/new`, locale);
      await signInOnPage(clinic, platform, 'clinic.abnoub');
      await clinic.waitForSelector('#patient-form-heading', { timeout: 30_000 });
      await clinic.fill('input[name="nationalId"]', '28504120100248');
      await openCalendar(clinic, labels.birthDate[locale], true);
      await shootScreen(clinic, outDir, `dates-patient-birth-date-${locale}`, widths);
      await clinic.context().clearCookies();
      await clinic.close();

      const auditor = platform.demoAccounts.find((a) => a.role === 'auditor');
      if (!auditor) throw new Error('no demo auditor');
      const audit = await browser.context.newPage();
      await openInLocale(audit, `${platform.urls.adminApp}/login`, locale);
      await signInOnPage(audit, platform, auditor.username);
      await audit.waitForSelector('#audit-heading', { timeout: 30_000 });
      await openCalendar(audit, labels.from[locale]);
      await shootScreen(audit, outDir, `dates-audit-period-${locale}`, widths);
      await audit.context().clearCookies();
      await audit.close();
    }
  } finally {
    await browser.close();
  }
}

/** `label` whole, or (a required field, whose label ends with its asterisk) at its start. */
async function openCalendar(page: Page, label: string, required = false): Promise<void> {
  await page.getByLabel(required ? new RegExp(`^${label}`) : label, { exact: true }).click();
  await page.locator('.mantine-DateInput-month').waitFor({ timeout: 30_000 });
}
