import { launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import { openInLocale, type ScreenshotLocale, shootScreen, signInOnPage } from './shootScreen.js';

/** The admin app's screens and what shows each is ready (after its data has loaded). */
const adminScreens = [
  {
    name: 'admin-calendar',
    path: '/calendar',
    ready: '#calendar-heading',
    settled: 'td[data-day] .mantine-Stack-root',
  },
  { name: 'admin-users', path: '/users', ready: '#users-heading', settled: 'tbody tr' },
  {
    name: 'admin-organizations',
    path: '/organizations',
    ready: '#organizations-heading',
    settled: 'tbody tr',
  },
  { name: 'admin-availability', path: '/availability', ready: '#availability-heading', settled: 'input' },
] as const;

/**
 * The administrator's screens for `npm run screenshots`, signed in as the demo administrator in each language
 * at each width; the availability screen with a specialist chosen, and the account form open over the list.
 */
export async function shootAdminScreens(
  platform: RunningPlatform,
  outDir: string,
  locales: readonly ScreenshotLocale[],
  widths: readonly number[],
): Promise<void> {
  const admin = platform.demoAccounts.find((a) => a.role === 'administrator');
  if (!admin) throw new Error('no demo administrator');
  const browser = await launchChromium();
  try {
    for (const locale of locales) {
      const page = await browser.context.newPage();
      await openInLocale(page, `${platform.urls.adminApp}/login`, locale);
      await shootScreen(page, outDir, `admin-login-${locale}`, widths);
      await signInOnPage(page, platform, admin.username);
      // Signed in: the administrator's first section opens by itself.
      await page.waitForSelector('#calendar-heading', { timeout: 30_000 });
      for (const screen of adminScreens) {
        await page.goto(`${platform.urls.adminApp}${screen.path}`);
        await page.waitForSelector(screen.ready, { timeout: 30_000 });
        await page.waitForSelector(screen.settled, { timeout: 30_000 });
        await page.waitForLoadState('networkidle');
        if (screen.name === 'admin-availability') {
          await page.getByRole('combobox').first().click();
          await page.getByRole('option').first().click();
          await page.waitForSelector('#weekly-heading', { timeout: 30_000 });
        }
        await shootScreen(page, outDir, `${screen.name}-${locale}`, widths);
        if (screen.name === 'admin-users') {
          await page
            .getByRole('button', { name: locale === 'ar' ? 'إنشاء حساب' : 'Create an account' })
            .click();
          await page.getByRole('dialog').waitFor();
          await shootScreen(page, outDir, `admin-user-form-${locale}`, widths);
          // The organization picker searching records by a word of a clinic's name.
          const picker = page
            .getByRole('dialog')
            .getByRole('combobox', { name: locale === 'ar' ? 'الجهة' : 'Organization' });
          await picker.click();
          await picker.fill(locale === 'ar' ? 'أسرة' : 'family');
          await page.getByRole('option').first().waitFor({ timeout: 30_000 });
          await shootScreen(page, outDir, `admin-user-form-organization-${locale}`, widths);
          await page.keyboard.press('Escape');
          await page.keyboard.press('Escape');
        }
      }
      await page.context().clearCookies();
      await page.close();
    }
  } finally {
    await browser.close();
  }
}
