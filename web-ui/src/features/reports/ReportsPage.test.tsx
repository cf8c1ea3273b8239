import { screen, waitFor } from '@testing-library/react';
import { useLocation } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderSignedIn } from '../../testing/renderSignedIn.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { ReportsPage } from './ReportsPage.js';

const app: AppIdentity = {
  role: 'administrator',
  titleKey: 'app.specialist.title',
  subtitleKey: 'app.specialist.subtitle',
};

function Where() {
  const location = useLocation();
  return <output aria-label="url">{location.search}</output>;
}

const row = {
  group: 'cardiology',
  // As records would send it to someone asking in Arabic: the English screen must name it from `labels`.
  label: 'أمراض القلب',
  labels: { ar: 'أمراض القلب', en: 'Cardiology' },
  appointments: 4,
  completed: 3,
  cancelled: 1,
  noShow: 0,
  cancellationRate: 0.25,
  noShowRate: 0,
  medianWaitMinutes: 6,
  medianDurationMinutes: 18,
};

describe('ReportsPage filters and the URL', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  it('reads its filters from a bookmarked URL, asks records with them, and writes a change back to the URL', async () => {
    records = await startFakeRecords({
      user: testUser('administrator'),
      password: 'demo-password',
      routes: {
        'GET /api/reports/consultations': ({ url }) => ({
          from: url.searchParams.get('from'),
          to: url.searchParams.get('to'),
          groupBy: url.searchParams.get('groupBy'),
          rows: [row],
        }),
      },
    });
    const user = await renderSignedIn(
      app,
      <>
        <ReportsPage />
        <Where />
      </>,
      {
        recordsUrl: records.baseUrl,
        path: '/reports?from=2026-03-01&to=2026-03-31&groupBy=specialty',
        locale: 'en',
        username: testUser('administrator').username,
      },
    );

    const table = await screen.findByRole('table', { name: 'Report table' });
    expect(table.textContent).toContain('Cardiology');
    expect(table.textContent).toContain('25%');
    expect(records.calls).toContain(
      'GET /api/reports/consultations?from=2026-03-01&to=2026-03-31&groupBy=specialty',
    );
    expect((screen.getByLabelText('From') as HTMLInputElement).value).toBe('1 March 2026');

    // A day typed into the period goes to the URL as YYYY-MM-DD.
    await user.clear(screen.getByLabelText('To'));
    await user.type(screen.getByLabelText('To'), '2026-03-15');
    await waitFor(() =>
      expect(screen.getByLabelText('url').textContent).toBe(
        '?from=2026-03-01&to=2026-03-15&groupBy=specialty',
      ),
    );
    await user.click(screen.getByRole('heading', { name: 'Consultation reports' }));
    expect((screen.getByLabelText('To') as HTMLInputElement).value).toBe('15 March 2026');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Group by' }), 'Day');
    await waitFor(() =>
      expect(screen.getByLabelText('url').textContent).toBe('?from=2026-03-01&to=2026-03-15&groupBy=day'),
    );
    await waitFor(() =>
      expect(records!.calls).toContain(
        'GET /api/reports/consultations?from=2026-03-01&to=2026-03-15&groupBy=day',
      ),
    );
  }, 30_000);

  it('shows a report by day in Arabic with its dates and figures in Arabic digits, none raw', async () => {
    const day = {
      ...row,
      group: '2026-03-07',
      label: '2026-03-07',
      labels: { ar: '2026-03-07', en: '2026-03-07' },
    };
    records = await startFakeRecords({
      user: testUser('administrator'),
      password: 'demo-password',
      routes: {
        'GET /api/reports/consultations': () => ({
          from: '2026-03-01',
          to: '2026-03-31',
          groupBy: 'day',
          rows: [day],
        }),
      },
    });
    await renderSignedIn(app, <ReportsPage />, {
      recordsUrl: records.baseUrl,
      path: '/reports?from=2026-03-01&to=2026-03-31&groupBy=day',
      locale: 'ar',
      username: testUser('administrator').username,
    });
    const table = await screen.findByRole('table', { name: 'جدول التقرير' });
    const cells = [...table.querySelectorAll('td')].map((cell) => cell.textContent ?? '');
    expect(cells[0]).toMatch(/٠٧/);
    expect(cells[0]).toMatch(/٢٠٢٦/);
    expect(cells.join(' ')).toMatch(/٢٥/);
    expect(cells.join(' ')).not.toMatch(/[0-9]/);
  }, 30_000);
});
