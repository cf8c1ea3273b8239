import type { SessionResponse } from '@telemed/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserForSuite } from './testing/browserForSuite.js';
import { platformForSuite } from './testing/platformForSuite.js';

/**
 * Issue 20, the specialist's main job, in Chromium (English) against the platform as `npm start` runs it: a
 * note signed through the records API shows in "My notes"; the specialist opens it, amends it through the UI,
 * is asked for a reason first, gives one; the note's versions then show the reason and the earlier text,
 * which records kept.
 */
describe('the specialist amends a signed note in the browser', () => {
  const suite = platformForSuite('amend');
  const chromium = browserForSuite(suite);
  let specialist: SessionResponse;
  let clinic: SessionResponse;

  beforeAll(async () => {
    specialist = await suite.signIn('specialist');
    clinic = await suite.signIn('clinic_doctor');
  });

  it('amends with a reason; the earlier version stays visible', async () => {
    // Setup through the API: a signed note of a seeded appointment between the demo clinic and specialist.
    const [appointment] = await suite.scheduledAppointments(clinic, specialist, 1);
    if (!appointment) throw new Error('no seeded appointment between the demo clinic and specialist');
    const api = suite.recordsAs(specialist);
    const opened = await api.call('openConsultation', { params: { appointmentId: appointment.id } });
    const written = await api.call('editConsultation', {
      params: { id: opened.id },
      body: {
        version: opened.version,
        changes: { findings: 'Mild systolic murmur', plan: 'Echo in a month' },
      },
    });
    await api.call('signConsultation', { params: { id: opened.id }, body: { version: written.version } });

    // Sign in through the form, in English, and go to "My notes".
    const page = await chromium.signedIn({
      app: suite.platform.urls.specialistApp,
      path: '/notes?status=signed',
      locale: 'en',
      username: specialist.user.username,
    });
    await page.getByRole('heading', { name: 'My notes' }).waitFor({ timeout: 30_000 });
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');

    // The signed note is listed; open it.
    const patientName = appointment.patient?.name.latin ?? '';
    await page
      .getByRole('link', { name: `The consultation note of ${patientName}` })
      .first()
      .click();
    await page.locator('#note-heading').waitFor({ timeout: 30_000 });
    const versions = page.getByRole('region', { name: 'Versions and amendments' });
    await versions.waitFor({ timeout: 30_000 });
    expect(await versions.textContent()).toContain('the signed text is the only version');

    // Amend: change the findings; saving without a reason is refused in the form.
    await page.getByRole('button', { name: 'Amend the signed note' }).click();
    const findings = page.getByRole('textbox', { name: 'Findings' });
    await expect.poll(() => findings.getAttribute('readonly'), { timeout: 30_000 }).toBeNull();
    await findings.fill('Mild systolic murmur at the aortic area');
    await page.getByRole('button', { name: 'Save the amendment' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Write the reason for the amendment' })
      .waitFor({ timeout: 30_000 });
    expect((await api.call('getConsultation', { params: { id: opened.id } })).amendments).toHaveLength(0);

    await page
      .getByRole('textbox', { name: 'Reason for the amendment' })
      .fill('Location of the murmur added');
    await page.getByRole('button', { name: 'Save the amendment' }).click();

    // The version history: the reason, the earlier text (struck through) and the new one.
    await expect
      .poll(() => versions.textContent(), { timeout: 30_000 })
      .toContain('Reason: Location of the murmur added');
    const history = (await versions.textContent()) ?? '';
    expect(history).toContain('Findings, before');
    expect(history).toContain('Mild systolic murmur');
    expect(await versions.locator('.note-before').first().textContent()).toBe('Mild systolic murmur');
    expect(history).toContain('Mild systolic murmur at the aortic area');

    // Records kept the earlier version, and a reload shows it still.
    const stored = await api.call('getConsultation', { params: { id: opened.id } });
    expect(stored.content.findings).toBe('Mild systolic murmur at the aortic area');
    expect(stored.amendments).toEqual([
      expect.objectContaining({
        reason: 'Location of the murmur added',
        previous: expect.objectContaining({ findings: 'Mild systolic murmur' }),
      }),
    ]);
    await page.reload();
    await expect
      .poll(() => page.getByRole('region', { name: 'Versions and amendments' }).textContent(), {
        timeout: 30_000,
      })
      .toContain('Location of the murmur added');

    // "My notes", amended: the note is there, counted once.
    await page.goto(`${suite.platform.urls.specialistApp}/notes?status=amended`);
    await expect
      .poll(() => page.getByText('Amended once after signing').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
  }, 240_000);
});
