import { launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import { openInLocale, type ScreenshotLocale, shootScreen, signInOnPage } from './shootScreen.js';

const clinicUser = 'clinic.tahta';

/**
 * The pre-call network test's page (issue 22) before, during and after a check, in each language and width.
 * "During" is shot at each width on a check of its own, since a check lasts only seconds.
 */
export async function shootPrecallScreens(
  platform: RunningPlatform,
  outDir: string,
  locales: readonly ScreenshotLocale[],
  widths: readonly number[],
): Promise<void> {
  const browser = await launchChromium();
  try {
    for (const locale of locales) {
      const page = await browser.context.newPage();
      await openInLocale(page, `${platform.urls.clinicApp}/network-test`, locale);
      await signInOnPage(page, platform, clinicUser);
      const panel = page.locator('.network-test');
      await panel.waitFor({ timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      await shootScreen(page, outDir, `precall-before-${locale}`, widths);
      const start = panel.locator('button.network-test-start');
      for (const width of widths) {
        await start.click();
        await panel.getByRole('progressbar').waitFor({ timeout: 30_000 });
        await shootScreen(page, outDir, `precall-during-${locale}`, [width]);
        await panel.getByRole('status').waitFor({ timeout: 60_000 });
      }
      await shootScreen(page, outDir, `precall-after-${locale}`, widths);
      await page.context().clearCookies();
      await page.close();
    }
  } finally {
    await browser.close();
  }
}
