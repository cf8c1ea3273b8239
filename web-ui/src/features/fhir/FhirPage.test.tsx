import type { BulkExportSummary, FhirPushItem, SystemClient } from '@telemed/shared';
import { screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { type FakeRoute, startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderApp } from '../../testing/renderApp.js';
import { signIn } from '../../testing/signIn.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { LoginPage } from '../session/LoginPage.js';
import { RequireSession } from '../session/RequireSession.js';
import { FhirPage } from './FhirPage.js';

const app: AppIdentity = {
  role: 'administrator',
  titleKey: 'admin.app.title',
  subtitleKey: 'admin.app.subtitle',
};
const adminId = 'a'.repeat(24);
const publicJwk = { kty: 'EC', crv: 'P-384', x: 'x-coordinate', y: 'y-coordinate', alg: 'ES384', kid: 'k1' };
const hospitalEhr: SystemClient = {
  id: 'b'.repeat(24),
  name: 'Hospital EHR',
  scopes: ['system/*.read'],
  keyIds: ['k1'],
  active: true,
  createdBy: adminId,
  createdAt: '2025-03-01T08:00:00.000Z',
};
const failedItem: FhirPushItem = {
  consultationId: 'c'.repeat(24),
  version: 2,
  state: 'failed',
  attempts: 3,
  queuedAt: '2025-03-01T08:00:00.000Z',
  lastError: 'HTTP 422: Encounter.period is required here',
};
const runningExport: BulkExportSummary = {
  id: 'd'.repeat(24),
  clientId: hospitalEhr.id,
  clientName: 'Hospital EHR',
  level: 'system',
  types: ['Patient', 'Observation'],
  state: 'in-progress',
  startedAt: '2025-03-01T08:00:00.000Z',
  written: 420,
  estimatedTotal: 1000,
  progressPercent: 42,
};
const page = <T,>(items: T[], extra: Record<string, unknown> = {}) => ({
  items,
  page: 1,
  limit: 20,
  hasMore: false,
  ...extra,
});

function LocationProbe() {
  return <output data-testid="location">{useLocation().search}</output>;
}

async function openFhirPage(
  routes: Record<string, FakeRoute>,
  { path = '/fhir', locale = 'ar' as 'ar' | 'en' } = {},
) {
  const records = await startFakeRecords({
    user: testUser('administrator', { username: 'admin', id: adminId }),
    password: 'demo-password',
    routes: {
      'GET /api/users': () => page([]),
      'GET /api/system-clients': () => ({ items: [] }),
      'GET /api/fhir-push': () => page([], { enabled: true }),
      'GET /api/bulk-exports': () => page([]),
      ...routes,
    },
  });
  renderApp(
    <Routes>
      <Route path="/login" element={<LoginPage app={app} />} />
      <Route element={<RequireSession app={app} />}>
        <Route
          path="*"
          element={
            <>
              <FhirPage />
              <LocationProbe />
            </>
          }
        />
      </Route>
    </Routes>,
    { recordsUrl: records.baseUrl, path, locale },
  );
  const user = await signIn('admin', { locale });
  return { records, user };
}

describe('the FHIR screen', () => {
  it('registers a system client from a pasted key, naming a bad key first, then shows its id', async () => {
    const posted: unknown[] = [];
    const clients: SystemClient[] = [];
    const { records, user } = await openFhirPage({
      'GET /api/system-clients': () => ({ items: clients }),
      'POST /api/system-clients': ({ body }) => {
        posted.push(body);
        const created = { ...hospitalEhr, name: (body as { name: string }).name };
        clients.push(created);
        return { status: 201, body: created };
      },
    });
    try {
      const section = await screen.findByRole('region', { name: 'الأنظمة العميلة (التصدير المجمّع)' });
      expect(await within(section).findByText('لا يوجد نظام عميل مسجّل بعد.')).toBeTruthy();
      await user.click(within(section).getByRole('button', { name: 'تسجيل نظام عميل' }));
      const dialog = await screen.findByRole('dialog');
      await user.type(within(dialog).getByLabelText(/الاسم/), 'Hospital EHR');
      const key = within(dialog).getByLabelText(/المفتاح العام/);

      await user.type(key, 'not json');
      await user.click(within(dialog).getByRole('button', { name: 'تسجيل' }));
      expect(await within(dialog).findByText(/هذا ليس JSON/)).toBeTruthy();

      await user.clear(key);
      await user.click(key);
      await user.paste(JSON.stringify({ ...publicJwk, d: 'the-private-part' }));
      await user.click(within(dialog).getByRole('button', { name: 'تسجيل' }));
      expect(await within(dialog).findByText(/سجّل المفتاح العام فقط/)).toBeTruthy();

      await user.clear(key);
      await user.click(key);
      await user.paste(JSON.stringify({ kty: 'EC', crv: 'P-384', x: 'only-x' }));
      await user.click(within(dialog).getByRole('button', { name: 'تسجيل' }));
      expect(await within(dialog).findByText(/هذا ليس مفتاحاً عاماً/)).toBeTruthy();
      expect(posted).toEqual([]);

      await user.clear(key);
      await user.click(key);
      await user.paste(JSON.stringify({ keys: [publicJwk] }));
      await user.click(within(dialog).getByRole('button', { name: 'تسجيل' }));
      expect(await within(dialog).findByText(hospitalEhr.id)).toBeTruthy();
      expect(posted).toEqual([
        { name: 'Hospital EHR', publicKey: { keys: [publicJwk] }, scopes: ['system/*.read'] },
      ]);
      await user.click(within(dialog).getByRole('button', { name: 'إغلاق' }));
      expect(await within(section).findByText('Hospital EHR')).toBeTruthy();
    } finally {
      await records.stop();
    }
  });

  it('deactivates a client only once the administrator confirms', async () => {
    const deactivated: string[] = [];
    let client = hospitalEhr;
    const { records, user } = await openFhirPage({
      'GET /api/system-clients': () => ({ items: [client] }),
      [`POST /api/system-clients/${hospitalEhr.id}/deactivate`]: () => {
        deactivated.push(hospitalEhr.id);
        client = { ...hospitalEhr, active: false };
        return client;
      },
    });
    try {
      await user.click(await screen.findByRole('button', { name: 'إيقاف Hospital EHR' }));
      const dialog = await screen.findByRole('dialog');
      await user.click(within(dialog).getByRole('button', { name: 'إلغاء' }));
      expect(deactivated).toEqual([]);
      await user.click(await screen.findByRole('button', { name: 'إيقاف Hospital EHR' }));
      await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'إيقاف' }));
      await waitFor(() => expect(deactivated).toEqual([hospitalEhr.id]));
      expect(await screen.findByText('موقوف')).toBeTruthy();
    } finally {
      await records.stop();
    }
  });

  it('explains that the push is off when records has no FHIR_PUSH_URL', async () => {
    const { records } = await openFhirPage(
      { 'GET /api/fhir-push': () => page([], { enabled: false }) },
      { locale: 'en' },
    );
    try {
      const section = await screen.findByRole('region', { name: "Push to the hospital's FHIR server" });
      expect(await within(section).findByText('The push is off')).toBeTruthy();
      expect(within(section).getByText(/FHIR_PUSH_URL/)).toBeTruthy();
    } finally {
      await records.stop();
    }
  });

  it('filters the push by state in the URL, and shows why records refused a retry in Arabic', async () => {
    const { records, user } = await openFhirPage({
      'GET /api/fhir-push': ({ url }) =>
        page(url.searchParams.get('state') === 'failed' ? [failedItem] : [], { enabled: true }),
      [`POST /api/fhir-push/${failedItem.consultationId}/2/retry`]: () => ({
        status: 422,
        body: {
          error: {
            code: 'UNPROCESSABLE',
            message: 'أُرسلت نسخة أحدث من هذه الاستشارة؛ إرسال هذه النسخة سيستبدلها بالأقدم.',
          },
        },
      }),
    });
    try {
      const section = await screen.findByRole('region', { name: 'الإرسال إلى خادم FHIR في المستشفى' });
      expect(
        await within(section).findByText('لم يُضف شيء إلى قائمة الإرسال إلى خادم FHIR بعد.'),
      ).toBeTruthy();
      await user.click(within(section).getByRole('combobox', { name: 'الحالة' }));
      await user.click(await screen.findByRole('option', { name: 'فشل', hidden: true }));
      expect(await within(section).findByText(failedItem.lastError as string)).toBeTruthy();
      expect(screen.getByTestId('location').textContent).toBe('?pushState=failed');
      expect(records.calls).toContain('GET /api/fhir-push?state=failed&page=1&limit=20');
      expect(within(section).getByText('٣')).toBeTruthy();

      await user.click(
        within(section).getByRole('button', {
          name: `إعادة محاولة الاستشارة ${failedItem.consultationId}، النسخة ٢`,
        }),
      );
      expect(await within(section).findByRole('alert')).toHaveProperty(
        'textContent',
        'أُرسلت نسخة أحدث من هذه الاستشارة؛ إرسال هذه النسخة سيستبدلها بالأقدم.',
      );
    } finally {
      await records.stop();
    }
  });

  it('opens on the state the URL names', async () => {
    const { records } = await openFhirPage(
      { 'GET /api/fhir-push': () => page([failedItem], { enabled: true }) },
      { path: '/fhir?pushState=failed&pushPage=2' },
    );
    try {
      await screen.findByText(failedItem.lastError as string);
      expect(records.calls).toContain('GET /api/fhir-push?state=failed&page=2&limit=20');
    } finally {
      await records.stop();
    }
  });

  it("shows a running export's progress and reads it again by itself", async () => {
    let reads = 0;
    const { records } = await openFhirPage(
      {
        'GET /api/bulk-exports': () => {
          reads += 1;
          return page([
            reads === 1
              ? runningExport
              : { ...runningExport, written: 1000, progressPercent: 100, state: 'completed' },
          ]);
        },
      },
      { locale: 'en' },
    );
    try {
      const section = await screen.findByRole('region', { name: 'Bulk Data exports' });
      const bar = await within(section).findByRole('progressbar', {
        name: 'Progress of the export by Hospital EHR',
      });
      expect(bar.getAttribute('aria-valuenow')).toBe('42');
      expect(within(section).getByText('42% · 420 of about 1,000 resources')).toBeTruthy();
      expect(within(section).getByText('Running')).toBeTruthy();
      // Refreshed while it runs (every few seconds), without anyone asking.
      expect(await within(section).findByText('Completed', {}, { timeout: 10_000 })).toBeTruthy();
    } finally {
      await records.stop();
    }
  }, 20_000);
});
