import { join } from 'node:path';
import type { RunningPlatform } from '@telemed/launcher';
import type { Page } from 'playwright-core';

/** The widths every screenshot is taken at: a desktop, a tablet and a phone. */
export const screenshotWidths = [1280, 768, 390] as const;
/** The languages every screen is shot in. */
export const screenshotLocales = ['ar', 'en'] as const;
export type ScreenshotLocale = (typeof screenshotLocales)[number];

/**
 * Shoots the page as it is, whole, at each of `widths`, to `<outDir>/<name>-<width>.png` (the name carries the
 * language), and prints each file's path. Back at the widest after, so the next steps see the desktop layout.
 */
export async function shootScreen(
  page: Page,
  outDir: string,
  name: string,
  widths: readonly number[] = screenshotWidths,
): Promise<void> {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    // Lets a layout that follows the width (Mantine's breakpoints, charts) settle before the shot.
    await page.waitForTimeout(300);
    const file = join(outDir, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`${file}\n`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Opens `url` in `locale`: the apps read the language from localStorage, so it is set and the page reloaded. */
export async function openInLocale(page: Page, url: string, locale: ScreenshotLocale): Promise<void> {
  await page.goto(url);
  await page.evaluate((value) => localStorage.setItem('telemed.locale', value), locale);
  await page.reload();
}

/** Signs in a demo account on the sign-in form the page shows, as a person would. */
export async function signInOnPage(page: Page, platform: RunningPlatform, username: string): Promise<void> {
  const account = platform.demoAccounts.find((a) => a.username === username);
  if (!account) throw new Error(`no demo account ${username}`);
  await page.fill('input[name=username]', account.username);
  await page.fill('input[name=password]', account.password);
  await page.click('button[type=submit]');
}
