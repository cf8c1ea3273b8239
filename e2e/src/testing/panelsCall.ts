import type { LaunchedChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { RoomRole, SessionResponse } from '@telemed/shared';
import type { Page } from 'playwright-core';

/** What the panels' test page (`panelsPage/page.ts`) puts on `window` for the tests to drive. */
interface PanelsPageApi {
  startCall(options: unknown): Promise<string>;
  admit(participantId: string): Promise<void>;
  showPanels(consultationId: string): void;
}

export interface PanelsCallOptions {
  platform: RunningPlatform;
  /** The served panels page (`servePanelsPage(...).url`). */
  pageUrl: string;
  session: SessionResponse;
  role: RoomRole;
  appointmentId: string;
  locale: 'ar' | 'en';
}

/**
 * Opens the panels' test page in `browser` and joins the call of `appointmentId` there as `session`'s demo
 * account (signed in on the page, so its refresh cookie is the page's own). The page's errors go to stderr.
 */
export async function startPanelsCall(
  browser: LaunchedChromium,
  { platform, pageUrl, session, role, appointmentId, locale }: PanelsCallOptions,
): Promise<Page> {
  const account = platform.demoAccounts.find((a) => a.username === session.user.username);
  if (!account) throw new Error(`no demo account ${session.user.username}`);
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[page ${role}] ${e.message}\n`));
  await page.goto(pageUrl);
  await page.evaluate((options) => (window as unknown as PanelsPageApi).startCall(options), {
    username: account.username,
    password: account.password,
    signalingUrl: platform.urls.signaling,
    accessToken: session.accessToken,
    selfId: session.user.id,
    role,
    appointmentId,
    locale,
  });
  return page;
}

/** The specialist's page lets `participantId` in from the waiting room. */
export function admitOnPanelsPage(page: Page, participantId: string): Promise<void> {
  return page.evaluate((id) => (window as unknown as PanelsPageApi).admit(id), participantId);
}

/** Shows the call's side panels of `consultationId` on the page, and waits for their tabs. */
export async function showPanelsOnPage(page: Page, consultationId: string): Promise<void> {
  await page.evaluate((id) => (window as unknown as PanelsPageApi).showPanels(id), consultationId);
  await page.getByRole('tablist').waitFor();
}
