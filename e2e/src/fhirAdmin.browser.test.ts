import { generateKeyPairSync } from 'node:crypto';
import type { SessionResponse } from '@telemed/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserForSuite } from './testing/browserForSuite.js';
import { recordsClientAs } from './testing/demoSessions.js';
import { platformForSuite } from './testing/platformForSuite.js';

/**
 * Issue 21, the administrator's FHIR screen in Chromium against the platform as `npm start` runs it, in
 * Arabic: register a system client with a freshly generated public key, see it listed (records has it), and
 * see that the push to a FHIR server is off (the platform runs without FHIR_PUSH_URL).
 */
describe("the administrator's FHIR screen in the admin app", () => {
  const suite = platformForSuite('fhir-admin');
  const chromium = browserForSuite(suite);
  let admin: SessionResponse;

  beforeAll(async () => {
    admin = await suite.signIn('administrator');
  });

  it('registers a system client with a generated public JWK, lists it, and tells that the push is off', async () => {
    const page = await chromium.signedIn({
      app: suite.platform.urls.adminApp,
      path: '/fhir',
      locale: 'ar',
      username: admin.user.username,
      ready: '#fhir-clients-heading',
    });
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page
      .getByRole('navigation', { name: 'أقسام الإدارة' })
      .getByRole('link', { name: 'تبادل البيانات (FHIR)' })
      .waitFor();

    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const jwk = { ...publicKey.export({ format: 'jwk' }), alg: 'ES384', kid: 'ehr-2025' };

    const clients = page.getByRole('region', { name: 'الأنظمة العميلة (التصدير المجمّع)' });
    await clients.getByRole('button', { name: 'تسجيل نظام عميل' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('الاسم').fill('السجل الطبي للمستشفى');
    await dialog.getByLabel('المفتاح العام (JWK أو JWKS)').fill(JSON.stringify(jwk));
    await dialog.getByRole('button', { name: 'تسجيل', exact: true }).click();
    await dialog.getByText('تم تسجيل السجل الطبي للمستشفى.').waitFor({ timeout: 30_000 });
    const clientId = (await dialog.getByLabel('معرّف العميل').textContent())?.trim() ?? '';
    expect(clientId).toMatch(/^[0-9a-f]{24}$/);

    const registered = await recordsClientAs(suite.platform, admin).call('listSystemClients', {});
    expect(registered.items.find((client) => client.id === clientId)).toMatchObject({
      name: 'السجل الطبي للمستشفى',
      scopes: ['system/*.read'],
      keyIds: ['ehr-2025'],
      active: true,
    });

    await dialog.getByRole('button', { name: 'إغلاق' }).click();
    await dialog.waitFor({ state: 'detached' });
    await clients.getByRole('cell', { name: 'السجل الطبي للمستشفى', exact: true }).waitFor();
    await clients.getByRole('button', { name: 'إيقاف السجل الطبي للمستشفى' }).waitFor();

    const push = page.getByRole('region', { name: 'الإرسال إلى خادم FHIR في المستشفى' });
    await push.getByText('الإرسال متوقف').waitFor();
    expect(await push.textContent()).toContain('FHIR_PUSH_URL');

    const exports = page.getByRole('region', { name: 'عمليات التصدير المجمّع' });
    await exports.getByText('لم تُجرَ أي عملية تصدير خلال اليوم الأخير.').waitFor();
  }, 120_000);
});
