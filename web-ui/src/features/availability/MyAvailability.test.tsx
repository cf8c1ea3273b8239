import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../testing/fakeRecordsServer.js';
import { renderSignedIn } from '../../testing/renderSignedIn.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { MyAvailability } from './MyAvailability.js';

const app: AppIdentity = {
  role: 'specialist',
  titleKey: 'app.specialist.title',
  subtitleKey: 'app.specialist.subtitle',
};

describe('MyAvailability', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  it('shows the weekly hours as wall-clock times in Arabic digits', async () => {
    const specialist = testUser('specialist');
    records = await startFakeRecords({
      user: specialist,
      password: 'demo-password',
      routes: {
        [`GET /api/specialists/${specialist.id}/availability`]: () => ({
          specialistId: specialist.id,
          timeZone: 'Africa/Cairo',
          weekly: [{ weekday: 0, start: '09:00', end: '13:30' }],
          exceptions: [],
        }),
      },
    });
    await renderSignedIn(app, <MyAvailability />, {
      recordsUrl: records.baseUrl,
      path: '/availability',
      locale: 'ar',
      username: specialist.username,
      password: 'demo-password',
    });
    const table = await screen.findByRole('table', { name: 'الساعات الأسبوعية' });
    const hours = within(table).getAllByRole('cell')[1]?.textContent ?? '';
    expect(hours).toMatch(/٠٩:٠٠/);
    expect(hours).toMatch(/٠١:٣٠/);
    expect(hours).not.toMatch(/[0-9]/);
  });
});
