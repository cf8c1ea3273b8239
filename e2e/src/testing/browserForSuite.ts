import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import { afterAll, beforeAll, expect } from 'vitest';
import type { SuitePlatform } from './platformForSuite.js';

export type Page = Awaited<ReturnType<LaunchedChromium['context']['newPage']>>;

export interface SignInThroughForm {
  /** The web app's base URL, e.g. `platform.urls.adminApp`. */
  app: string;
  /** The page asked for, under the app's base URL ('/users', '/notes?status=signed'). */
  path: string;
  locale: 'ar' | 'en';
  /** A demo account's username: its password is the one the platform seeded. */
  username: string;
  /** A selector the page shows once it is there; not waited for when absent (the test waits its own way). */
  ready?: string;
  /**
   * Open `path` again once signed in: for apps that may land elsewhere when they no longer know the page asked
   * for (after a sign-out at a shared desk).
   */
  reopen?: boolean;
}

/** The suite's Chromium, and pages in it signed in through an app's sign-in form, as a person does. */
export interface SuiteBrowser {
  readonly browser: LaunchedChromium;
  signedIn(options: SignInThroughForm): Promise<Page>;
}

/**
 * Chromium for the suite this is called in, after `suite`'s platform (so it is closed before the platform
 * stops): launched before the tests, closed after them.
 */
export function browserForSuite(suite: SuitePlatform): SuiteBrowser {
  let browser: LaunchedChromium | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const started = (): LaunchedChromium => {
    if (!browser) throw new Error("the suite's Chromium has not started");
    return browser;
  };

  return {
    get browser() {
      return started();
    },
    async signedIn({ app, path, locale, username, ready, reopen = false }) {
      const account = suite.platform.demoAccounts.find((a) => a.username === username);
      if (!account) throw new Error(`no demo account ${username}`);
      const page = await started().context.newPage();
      await page.goto(app);
      await page.evaluate((value) => localStorage.setItem('telemed.locale', value), locale);
      await page.goto(`${app}${path}`);
      // The browser keeps the last person's session (its refresh cookie): they sign out first, as at a shared desk.
      const login = page.locator('input[name=username]');
      const signOut = page.getByRole('button', { name: locale === 'ar' ? 'تسجيل الخروج' : 'Sign out' });
      await expect
        .poll(async () => (await login.isVisible()) || (await signOut.isVisible()), { timeout: 30_000 })
        .toBe(true);
      if (await signOut.isVisible()) await signOut.click();
      await login.fill(account.username);
      await page.fill('input[name=password]', account.password);
      await page.click('button[type=submit]');
      if (reopen) {
        await signOut.waitFor({ timeout: 30_000 });
        await page.goto(`${app}${path}`);
      }
      if (ready) await page.locator(ready).first().waitFor({ timeout: 30_000 });
      return page;
    },
  };
}
