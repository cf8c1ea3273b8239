import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../testing/fakeRecordsServer.js';
import { renderApp } from '../testing/renderApp.js';
import { CalendarDateInput } from './CalendarDateInput.js';
import { parseTypedDate } from './calendarDate.js';

const latinDigits = /[0-9]/;

/** A form's date field as the pages use it, with the value it holds shown beside it. */
function Field({ initial }: { initial: string | null }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <CalendarDateInput label="follow-up" value={value} onChange={setValue} clearable />
      <output aria-label="value">{value ?? 'none'}</output>
    </>
  );
}

describe('CalendarDateInput', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  async function open(locale: 'ar' | 'en', initial: string | null) {
    records = await startFakeRecords({
      user: testUser('clinic_doctor'),
      password: 'demo-password',
      routes: {},
    });
    renderApp(<Field initial={initial} />, { recordsUrl: records.baseUrl, locale });
    return screen.getByLabelText('follow-up') as HTMLInputElement;
  }

  it('in Arabic: the day in Arabic words and digits, an Arabic calendar whose weeks start on Saturday, the value kept as YYYY-MM-DD', async () => {
    const input = await open('ar', '2026-12-07');
    expect(input.value).toContain('ديسمبر');
    expect(input.value).toContain('٢٠٢٦');
    expect(input.value).not.toMatch(latinDigits);

    const user = userEvent.setup();
    await user.click(input);
    // jsdom lays nothing out, so Mantine's popover stays `display: none` there: the calendar is found anyway.
    const calendar = await screen.findByRole('table', { hidden: true });
    expect(document.body.textContent).toContain('ديسمبر ٢٠٢٦');
    const weekdays = [...calendar.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(weekdays[0]).toBe('س');
    const day = within(calendar).getByRole('button', { name: /الأحد، ٢٠ ديسمبر ٢٠٢٦/, hidden: true });
    expect(day.textContent).toBe('٢٠');
    expect(screen.getByRole('button', { name: 'الشهر التالي', hidden: true })).toBeTruthy();
    await user.click(day);
    expect(screen.getByLabelText('value').textContent).toBe('2026-12-20');

    // Typed with Arabic-Indic digits, day first, as Egypt writes it.
    await user.clear(input);
    await user.type(input, '١٥/١/٢٠٢٧');
    await waitFor(() => expect(screen.getByLabelText('value').textContent).toBe('2027-01-15'));
  });

  it('in English: typed as YYYY-MM-DD, shown as a date in words, cleared to none', async () => {
    const input = await open('en', null);
    const user = userEvent.setup();
    await user.type(input, '2026-12-07');
    await waitFor(() => expect(screen.getByLabelText('value').textContent).toBe('2026-12-07'));
    await user.tab();
    expect(input.value).toBe('7 December 2026');
    await user.click(screen.getByRole('button', { name: 'Clear the date' }));
    expect(screen.getByLabelText('value').textContent).toBe('none');
  });

  it('reads the days people type, and refuses days that do not exist', () => {
    expect(parseTypedDate('2026-12-07')).toBe('2026-12-07');
    expect(parseTypedDate('٢٠٢٦-١٢-٠٧')).toBe('2026-12-07');
    expect(parseTypedDate('7/12/2026')).toBe('2026-12-07');
    expect(parseTypedDate('\u200f٧/\u200f١٢/\u200f٢٠٢٦')).toBe('2026-12-07');
    expect(parseTypedDate('2026-02-30')).toBeNull();
    expect(parseTypedDate('12/31/2026')).toBeNull();
    expect(parseTypedDate('2026-12')).toBeNull();
  });
});
