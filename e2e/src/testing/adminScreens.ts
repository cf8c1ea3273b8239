import { join } from 'node:path';
import { launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { Page } from 'playwright-core';

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
  locales: readonly ('ar' | 'en')[],
  widths: readonly number[],
): Promise<void> {
  const admin = platform.demoAccounts.find((a) => a.role === 'administrator');
  if (!admin) throw new Error('no demo administrator');
  const browser = await launchChromium();
  try {
    for (const locale of locales) {
      const page = await browser.context.newPage();
      await page.goto(platform.urls.adminApp);
      await page.evaluate((value) => localStorage.setItem('telemed.locale', value), locale);
      await page.goto(`${platform.urls.adminApp}/login`);
      await shoot(page, outDir, 'admin-login', locale, widths);
      await page.fill('input[name=username]', admin.username);
      await page.fill('input[name=password]', admin.password);
      await page.click('button[type=submit]');
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
        await shoot(page, outDir, screen.name, locale, widths);
        if (screen.name === 'admin-users') {
          await page
            .getByRole('button', { name: locale === 'ar' ? 'إنشاء حساب' : 'Create an account' })
            .click();
          await page.getByRole('dialog').waitFor();
          await shoot(page, outDir, 'admin-user-form', locale, widths);
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

async function shoot(page: Page, outDir: string, name: string, locale: string, widths: readonly number[]) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(300);
    const file = join(outDir, `${name}-${locale}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`${file}\n`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
