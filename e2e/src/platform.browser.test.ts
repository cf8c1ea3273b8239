import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import { healthReportSchema } from '@telemed/shared';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformOnFreePorts } from './testing/platformOnFreePorts.js';

const repoRoot = resolve(import.meta.dirname, '../..');

describe('the whole platform on embedded defaults', () => {
  let platform: RunningPlatform;
  let browser: LaunchedChromium;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'telemed-e2e-'));
    const started = Date.now();
    platform = await startPlatformOnFreePorts(
      dataDir,
      { LOG_LEVEL: 'info' },
      { echo: (line) => process.stderr.write(`${line}\n`) },
    );
    // The promise: every service healthy within 60 s of the start command.
    expect(Date.now() - started).toBeLessThan(60_000);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz on every service', async () => {
    const { urls } = platform;
    for (const base of [
      urls.records,
      urls.signaling,
      urls.sfu,
      urls.clinicApp,
      urls.specialistApp,
      urls.adminApp,
    ]) {
      const res = await fetch(`${base}/healthz`);
      expect(res.status, base).toBe(200);
      expect(healthReportSchema.parse(await res.json()).status).toBe('ok');
    }
  });

  it('has records ready against the embedded store', async () => {
    const res = await fetch(`${platform.urls.records}/readyz`);
    const body = healthReportSchema.parse(await res.json());
    expect(body.checks?.database).toEqual(expect.objectContaining({ ok: true }));
    expect(res.status).toBe(200);
  });

  it("secures the embedded store: an unauthenticated client is refused, the credentials are its owner's only", async () => {
    expect(platform.urls.mongo).not.toContain('@');
    const client = await new MongoClient(platform.urls.mongo, { serverSelectionTimeoutMS: 5000 }).connect();
    try {
      const refused = await client
        .db('telemed')
        .collection('patients')
        .findOne()
        .catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 13, codeName: 'Unauthorized' });
    } finally {
      await client.close();
    }
    const credentialsFile = join(dataDir, 'store-credentials.json');
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    // The services connect as a user of the platform's database only, never as the store's root.
    const { services } = JSON.parse(readFileSync(credentialsFile, 'utf8'));
    const url = new URL(platform.urls.mongo);
    url.username = encodeURIComponent(services.username);
    url.password = encodeURIComponent(services.password);
    url.search = 'authSource=admin';
    const asServices = await new MongoClient(url.toString(), { serverSelectionTimeoutMS: 5000 }).connect();
    try {
      expect(await asServices.db('telemed').collection('patients').countDocuments()).toBeGreaterThan(0);
      const beyond = await asServices
        .db('admin')
        .command({ usersInfo: 1 })
        .catch((error: unknown) => error);
      expect(beyond).toMatchObject({ code: 13 });
    } finally {
      await asServices.close();
    }
  });

  for (const [app, title, englishTitle] of [
    ['clinicApp', 'الوحدة الصحية', 'Health Unit'],
    ['specialistApp', 'بوابة الاستشاري', 'Specialist Portal'],
  ] as const) {
    it(`${app} opens on an Arabic right-to-left login screen and switches to English`, async () => {
      const page = await browser.context.newPage();
      await page.goto(platform.urls[app]);
      await expect.poll(() => page.locator('h1').textContent()).toBe(title);
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(await page.getAttribute('html', 'lang')).toBe('ar');
      expect(await page.locator('h2').textContent()).toBe('تسجيل الدخول');
      await page.screenshot({ path: join(dataDir, `${app}-ar.png`) });

      await page.getByRole('button', { name: 'تغيير اللغة إلى الإنجليزية' }).click();
      await expect.poll(() => page.getAttribute('html', 'dir')).toBe('ltr');
      expect(await page.locator('h1').textContent()).toBe(englishTitle);
      expect(await page.locator('h2').textContent()).toBe('Sign in');

      await page.reload();
      await expect.poll(() => page.locator('h1').textContent()).toBe(englishTitle);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await page.close();
    });
  }

  /** A page in Arabic, whatever language an earlier test left in this profile's storage. */
  async function arabicPage(url: string) {
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.evaluate(() => localStorage.setItem('telemed.locale', 'ar'));
    await page.reload();
    await page.waitForSelector('input[name=username]');
    return page;
  }

  it('seeded demo accounts cover every role', () => {
    expect(new Set(platform.demoAccounts.map((a) => a.role))).toEqual(
      new Set(['administrator', 'auditor', 'specialist', 'clinic_doctor']),
    );
  });

  it('a clinic doctor signs in, sees the upcoming appointments and finds a patient; the session survives a reload', async () => {
    const account = platform.demoAccounts.find((a) => a.username === 'clinic.abnoub')!;
    const page = await arabicPage(platform.urls.clinicApp);
    await page.fill('input[name=username]', account.username);
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await expect
      .poll(() => page.locator('[role=alert]').textContent())
      .toBe('اسم المستخدم أو كلمة المرور غير صحيحة.');
    await page.fill('input[name=password]', account.password);
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('#appointments-heading').textContent()).toBe('المواعيد القادمة');
    await expect.poll(() => page.locator('.data-table tbody tr').count()).toBeGreaterThan(0);
    await page.getByRole('searchbox').fill('فاطمه');
    await page.getByRole('button', { name: 'بحث' }).click();
    await expect
      .poll(() =>
        page.locator('section').filter({ hasText: 'بحث عن مريض' }).locator('tbody tr').first().textContent(),
      )
      .toContain('فاطمة');
    await page.screenshot({ path: join(dataDir, 'clinic-home.png'), fullPage: true });
    await page.reload();
    await expect.poll(() => page.locator('#appointments-heading').textContent()).toBe('المواعيد القادمة');
    await page.getByRole('button', { name: 'تسجيل الخروج' }).click();
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('تسجيل الدخول');
    await page.close();
  });

  it('a specialist signs in to the specialist portal, which turns a clinic doctor away', async () => {
    const specialist = platform.demoAccounts.find((a) => a.role === 'specialist')!;
    const doctor = platform.demoAccounts.find((a) => a.role === 'clinic_doctor')!;
    const page = await arabicPage(platform.urls.specialistApp);
    await page.fill('input[name=username]', doctor.username);
    await page.fill('input[name=password]', doctor.password);
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[role=alert]').textContent()).toContain('ليس لدورك');
    await page.getByRole('button', { name: 'تسجيل الخروج' }).click();
    await page.fill('input[name=username]', specialist.username);
    await page.fill('input[name=password]', specialist.password);
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('#urgent-heading').textContent()).toBe('طلبات عاجلة في تخصصك');
    await expect.poll(() => page.locator('#appointments-heading').isVisible()).toBe(true);
    await page.screenshot({ path: join(dataDir, 'specialist-home.png'), fullPage: true });
    await page.close();
  });

  it('stops start-up with a clear message on a bad configuration value', () => {
    const result = spawnSync(process.execPath, ['launcher/dist/main.js'], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir, SIGNALING_PORT: 'abc' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain(
      'SIGNALING_PORT="abc" is not valid: expected a whole number from 1 to 65535',
    );
  });
});
