import type { SessionResponse } from '@telemed/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserForSuite } from './testing/browserForSuite.js';
import { platformForSuite } from './testing/platformForSuite.js';

/**
 * Issue 22, the pre-call network test in Chromium against the platform as `npm start` runs it: from the clinic's
 * home screen to the test page, the test reaches the SFU over UDP on loopback, sends its test video round the
 * SFU, and says "good for video" with what it measured. The SFU holds nothing of it afterwards.
 */
describe('the clinic tests its connection before a consultation', () => {
  const suite = platformForSuite('precall');
  const chromium = browserForSuite(suite);
  let clinic: SessionResponse;

  beforeAll(async () => {
    clinic = await suite.signIn('clinic_doctor');
  });

  it('runs the check from the home screen and shows "good for video" with measured numbers', async () => {
    const { platform } = suite;
    const page = await chromium.signedIn({
      app: platform.urls.clinicApp,
      path: '/',
      locale: 'en',
      username: clinic.user.username,
    });
    await page.getByRole('link', { name: 'Test my connection' }).click();
    const panel = page.getByRole('region', { name: 'Connection test' });
    await panel.waitFor({ timeout: 30_000 });
    await panel.getByRole('button', { name: 'Test my connection' }).click();
    // While it measures, a progress bar says what it is doing.
    await panel.getByRole('progressbar').first().waitFor({ timeout: 30_000 });

    const verdict = panel.getByRole('status', { name: 'Good for video' });
    await verdict.waitFor({ timeout: 60_000 });
    const text = (await verdict.textContent()) ?? '';
    const figures = /Upload (\d+) kbps, download (\d+) kbps, round trip (\d+) ms, loss ([\d.]+)%/.exec(text);
    expect(figures, text).not.toBeNull();
    const [, up, down, rtt, loss] = figures?.map(Number) ?? [];
    expect(up).toBeGreaterThanOrEqual(300);
    expect(down).toBeGreaterThanOrEqual(300);
    expect(rtt).toBeLessThan(400);
    expect(loss).toBeLessThan(5);
    // Straight over UDP on loopback: no relay note.
    expect(text).not.toContain('relay');
    expect(await panel.getByRole('button', { name: 'Test again' }).isVisible()).toBe(true);
  });
});
