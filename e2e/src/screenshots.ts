/**
 * Screenshots of every screen of the apps, in Arabic and English, at 1280, 768 and 390 px wide, to look at
 * before calling a UI change done: `npm run screenshots` (after `npm run build`; it starts its own platform on
 * free ports). PNGs go to `docs/screenshots/` (or the directory given as the first argument); only the few the
 * README shows are committed, the rest are ignored (`docs/screenshots/.gitignore`).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import { shootAdminScreens } from './testing/adminScreens.js';
import { clinicScreens } from './testing/clinicScreens.js';
import { shootDateScreens } from './testing/datesScreens.js';
import { scheduledAppointments, signInDemo } from './testing/demoSessions.js';
import { shootFhirScreens } from './testing/fhirScreens.js';
import { noteScreens } from './testing/noteScreens.js';
import { shootOversightScreens } from './testing/oversightScreens.js';
import { shootPanels } from './testing/panelScreenshots.js';
import { startPlatformOnFreePorts } from './testing/platformOnFreePorts.js';
import { shootPrecallScreens } from './testing/precallScreens.js';
import {
  screenshotLocales as locales,
  openInLocale,
  type ScreenshotLocale,
  shootScreen,
  signInOnPage,
  screenshotWidths as widths,
} from './testing/shootScreen.js';
import { specialistScreens } from './testing/specialistScreens.js';

type Locale = ScreenshotLocale;
export type Page = Awaited<ReturnType<LaunchedChromium['context']['newPage']>>;

export interface Screen {
  name: string;
  app: 'clinicApp' | 'specialistApp';
  /** A demo account to sign in as; none: the sign-in screen. */
  username?: string;
  /** What shows that the screen is ready. */
  ready: string;
  /** Records data the screen shows, made once through the API; gives the path to open (default `/`). */
  prepare?: (platform: RunningPlatform) => Promise<string>;
  /** Brings the page into the state to show once it is ready (e.g. a conflict), per language. */
  arrange?: (page: Page, platform: RunningPlatform) => Promise<void>;
  /** 'print': the screen as the print stylesheet lays it out. */
  media?: 'print';
}

const screens: Screen[] = [
  { name: 'clinic-login', app: 'clinicApp', ready: 'input[name=username]' },
  { name: 'clinic-home', app: 'clinicApp', username: 'clinic.abnoub', ready: '#appointments-heading' },
  { name: 'specialist-login', app: 'specialistApp', ready: 'input[name=username]' },
  { name: 'specialist-home', app: 'specialistApp', username: 'dr.samir', ready: '#urgent-heading' },
  ...noteScreens,
  ...specialistScreens,
  ...clinicScreens,
];

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? join('docs', 'screenshots'));
  mkdirSync(outDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'telemed-screenshots-'));
  const platform = await startPlatformOnFreePorts(dataDir, { LOG_LEVEL: 'warn' });
  const browser = await launchChromium();
  try {
    for (const screen of screens) {
      const path = screen.prepare ? await screen.prepare(platform) : '';
      for (const locale of locales) {
        const page = await browser.context.newPage();
        await openInLocale(page, `${platform.urls[screen.app]}${path}`, locale);
        if (screen.username) await signInOnPage(page, platform, screen.username);
        await page.waitForSelector(screen.ready);
        await page.waitForLoadState('networkidle');
        await screen.arrange?.(page, platform);
        if (screen.media) await page.emulateMedia({ media: screen.media });
        await shootScreen(page, outDir, `${screen.name}-${locale}`);
        // Signed out again, so the next screen starts from the sign-in form.
        await page.context().clearCookies();
        await page.close();
      }
    }
    // The consultation's screens, on one scheduled appointment per language (a call changes its status).
    const clinic = await signInDemo(platform, 'clinic.abnoub');
    const specialist = await signInDemo(platform, 'dr.samir');
    const appointments = await scheduledAppointments(platform, clinic, specialist);
    for (const [index, locale] of locales.entries()) {
      const appointment = appointments[index];
      if (!appointment)
        throw new Error('not enough scheduled demo appointments for the consultation screens');
      await captureConsultation(browser, platform, locale, appointment.id, outDir);
    }
    await shootPanels(platform, outDir, locales, widths);
    await shootAdminScreens(platform, outDir, locales, widths);
    await shootOversightScreens(platform, outDir, locales, widths);
    await shootDateScreens(platform, outDir, locales, widths);
    await shootFhirScreens(platform, outDir, locales, widths);
    await shootPrecallScreens(platform, outDir, locales, widths);
  } finally {
    await browser.close();
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function signIn(page: Page, url: string, locale: Locale, platform: RunningPlatform, username: string) {
  await openInLocale(page, url, locale);
  await signInOnPage(page, platform, username);
  await page.waitForSelector('#appointments-heading');
}

/**
 * The device check and the waiting room (the clinic), the specialist's live waiting list, and the call on both
 * sides. The specialist's app is opened on 127.0.0.1 so its session cookie does not meet the clinic's.
 */
async function captureConsultation(
  browser: LaunchedChromium,
  platform: RunningPlatform,
  locale: Locale,
  appointmentId: string,
  outDir: string,
): Promise<void> {
  const clinicPage = await browser.context.newPage();
  await signIn(clinicPage, platform.urls.clinicApp, locale, platform, 'clinic.abnoub');
  await clinicPage.click(`a[href="/consultations/${appointmentId}"]`);
  await clinicPage.waitForSelector('#device-check-heading');
  await clinicPage.waitForFunction(() => (document.querySelector('video')?.videoWidth ?? 0) > 0);
  await shootScreen(clinicPage, outDir, `call-device-check-${locale}`);
  await clinicPage.click('button.call-join:not([disabled])');
  await clinicPage.waitForSelector('#waiting-room-heading');
  await shootScreen(clinicPage, outDir, `call-waiting-room-${locale}`);

  const specialistPage = await browser.context.newPage();
  const specialistUrl = platform.urls.specialistApp.replace('localhost', '127.0.0.1');
  await signIn(specialistPage, specialistUrl, locale, platform, 'dr.samir');
  const admit = `.waiting-clinic a[href^="/consultations/${appointmentId}?admit="]`;
  await specialistPage.waitForSelector(admit);
  await shootScreen(specialistPage, outDir, `specialist-waiting-list-${locale}`);
  await specialistPage.click(admit);
  await specialistPage.waitForSelector('#device-check-heading');
  await specialistPage.waitForFunction(() => (document.querySelector('video')?.videoWidth ?? 0) > 0);
  await specialistPage.click('button.call-join:not([disabled])');
  for (const page of [specialistPage, clinicPage]) {
    await page.waitForFunction(
      () => (document.querySelector<HTMLVideoElement>('.remote-video video')?.videoWidth ?? 0) > 0,
      undefined,
      { timeout: 60_000 },
    );
  }
  await fillPanels(clinicPage, specialistPage, locale);
  await shootScreen(specialistPage, outDir, `call-specialist-${locale}`);
  await shootScreen(clinicPage, outDir, `call-clinic-${locale}`);
  await specialistPage.context().clearCookies();
  await specialistPage.close();
  await clinicPage.close();
}

/** A vital sign and a message each way, so the call's side panels show what a consultation holds. */
async function fillPanels(clinicPage: Page, specialistPage: Page, locale: Locale): Promise<void> {
  const ar = locale === 'ar';
  await clinicPage.getByLabel(ar ? 'الانقباضي (مم زئبق)' : 'Systolic (mmHg)').fill('130');
  await clinicPage.getByLabel(ar ? 'الانبساطي (مم زئبق)' : 'Diastolic (mmHg)').fill('85');
  await clinicPage.getByRole('button', { name: ar ? 'تسجيل' : 'Record', exact: true }).click();
  await clinicPage.getByRole('table').waitFor();
  const say = async (page: Page, text: string) => {
    await page.getByRole('textbox', { name: ar ? 'رسالتك' : 'Your message' }).fill(text);
    await page.getByRole('button', { name: ar ? 'إرسال' : 'Send', exact: true }).click();
    await page.getByRole('log').getByText(text).waitFor();
  };
  await say(
    specialistPage,
    ar ? 'صباح الخير، أرني الجرح من فضلك.' : 'Good morning, please show me the wound.',
  );
  await say(specialistPage, ar ? 'وما قراءة السكر اليوم؟' : 'And today’s blood sugar?');
  await clinicPage.getByRole('tab', { name: ar ? /المحادثة/ : /Chat/ }).click();
  await say(clinicPage, ar ? 'السكر الصائم ١٤٠ مجم/دسل.' : 'Fasting sugar 140 mg/dL.');
  await specialistPage
    .getByRole('log')
    .getByText(ar ? '١٤٠' : '140', { exact: false })
    .waitFor();
  await clinicPage.getByRole('tab', { name: ar ? /العلامات الحيوية/ : /Vital signs/ }).click();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
