import { generateKeyPairSync } from 'node:crypto';
import { launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import { recordsClientAs, signInDemo } from './demoSessions.js';
import { openInLocale, type ScreenshotLocale, shootScreen, signInOnPage } from './shootScreen.js';

/**
 * The administrator's FHIR screen for `npm run screenshots`, in each language at each width: with one system
 * client registered through the API (so the list has a row), then with the register form open over it.
 */
export async function shootFhirScreens(
  platform: RunningPlatform,
  outDir: string,
  locales: readonly ScreenshotLocale[],
  widths: readonly number[],
): Promise<void> {
  const admin = platform.demoAccounts.find((a) => a.role === 'administrator');
  if (!admin) throw new Error('no demo administrator');
  const session = await signInDemo(platform, admin.username);
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const { x, y } = publicKey.export({ format: 'jwk' });
  await recordsClientAs(platform, session).call('createSystemClient', {
    body: {
      name: 'Hospital EHR — السجل الطبي',
      publicKey: { keys: [{ kty: 'EC', crv: 'P-384', x, y, alg: 'ES384', kid: 'ehr-2025' }] },
      scopes: ['system/Patient.read', 'system/Encounter.read', 'system/Observation.read'],
    },
  });
  const browser = await launchChromium();
  try {
    for (const locale of locales) {
      const page = await browser.context.newPage();
      await openInLocale(page, `${platform.urls.adminApp}/login`, locale);
      await signInOnPage(page, platform, admin.username);
      await page.waitForSelector('#calendar-heading', { timeout: 30_000 });
      await page.goto(`${platform.urls.adminApp}/fhir`);
      await page.waitForSelector('#fhir-clients-heading tbody tr, #fhir-clients-heading', {
        timeout: 30_000,
      });
      await page.waitForSelector('section[aria-labelledby="fhir-clients-heading"] tbody tr', {
        timeout: 30_000,
      });
      await page.waitForSelector('section[aria-labelledby="fhir-push-heading"] .mantine-Alert-root', {
        timeout: 30_000,
      });
      await page.waitForLoadState('networkidle');
      await shootScreen(page, outDir, `admin-fhir-${locale}`, widths);
      await page
        .getByRole('button', { name: locale === 'ar' ? 'تسجيل نظام عميل' : 'Register a system client' })
        .click();
      await page.getByRole('dialog').waitFor();
      await shootScreen(page, outDir, `admin-fhir-client-form-${locale}`, widths);
      await page.keyboard.press('Escape');
      await page.context().clearCookies();
      await page.close();
    }
  } finally {
    await browser.close();
  }
}
