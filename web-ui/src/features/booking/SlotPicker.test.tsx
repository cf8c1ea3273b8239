import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { AppProviders } from '../../app/AppProviders.js';
import { type BusyTime, type FreeSlot, nextDays, type SpecialistHours } from './freeSlots.js';
import { SlotPicker } from './SlotPicker.js';

const zone = 'Africa/Cairo';
const id = (n: number) => n.toString(16).padStart(24, '0');
// 2030-03-03 is a Sunday (weekday 0); Cairo is UTC+2 in March.
const sundayHours: SpecialistHours = {
  specialistId: id(1),
  timeZone: zone,
  weekly: [{ weekday: 0, start: '09:00', end: '11:00' }],
  exceptions: [],
};
/** A second specialist with Sunday hours too, but on leave that day: none of their times may be offered. */
const onLeave: SpecialistHours = {
  specialistId: id(2),
  timeZone: zone,
  weekly: [{ weekday: 0, start: '13:00', end: '14:00' }],
  exceptions: [{ from: '2030-03-03', to: '2030-03-03', reason: 'leave' }],
};
/** The first specialist is already booked 09:30–10:00 Cairo time. */
const busy: BusyTime[] = [
  { specialistId: id(1), start: '2030-03-03T07:30:00.000Z', end: '2030-03-03T08:00:00.000Z' },
];

function Picker({
  now,
  chosen,
  hours = [sundayHours, onLeave],
}: {
  now: Date;
  chosen: FreeSlot[];
  hours?: SpecialistHours[];
}) {
  const days = nextDays(now, zone, 3);
  const [day, setDay] = useState(days[0] ?? '');
  const [value, setValue] = useState<FreeSlot | null>(null);
  return (
    <SlotPicker
      days={days}
      day={day}
      onDayChange={setDay}
      hours={hours}
      busy={busy}
      now={now}
      value={value}
      onChange={(slot) => {
        chosen.push(slot);
        setValue(slot);
      }}
    />
  );
}

const renderPicker = (now: Date, locale: 'ar' | 'en', chosen: FreeSlot[] = [], hours?: SpecialistHours[]) =>
  render(
    <AppProviders initialLocale={locale}>
      <Picker now={now} chosen={chosen} hours={hours} />
    </AppProviders>,
  );

describe('SlotPicker', () => {
  it('offers only free times inside the hours: not booked, not on leave, days without any disabled', async () => {
    const chosen: FreeSlot[] = [];
    renderPicker(new Date('2030-03-02T10:00:00Z'), 'en', chosen);
    const user = userEvent.setup();
    const days = within(screen.getByRole('group', { name: 'Day' })).getAllByRole('button');
    expect(days).toHaveLength(3);
    // Saturday and Monday have no hours; Sunday has three free half-hours.
    expect(days.map((d) => (d as HTMLButtonElement).disabled)).toEqual([true, false, true]);
    expect(days[1]?.getAttribute('aria-label')).toBe('Sun 3 Mar: 3 free times');
    // The chosen day (Saturday) has nothing free, so the first day that has is shown and marked.
    expect(days[1]?.getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByText('No free times on this day; choose another day.')).toBeNull();

    await user.click(days[1] as HTMLElement);
    const slots = within(screen.getByRole('group', { name: 'Free time' })).getAllByRole('button');
    expect(slots.map((s) => s.textContent)).toEqual(['09:00', '10:00', '10:30']);
    await user.click(screen.getByRole('button', { name: '10:00 to 10:30' }));
    expect(chosen).toEqual([
      { start: '2030-03-03T08:00:00.000Z', end: '2030-03-03T08:30:00.000Z', specialistIds: [id(1)] },
    ]);
    expect(screen.getByRole('button', { name: '10:00 to 10:30' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('drops the times already begun today, in Arabic with Arabic-Indic digits', async () => {
    // Sunday 10:10 in Cairo: 09:00 and 10:00 have begun, 10:30 is the last one left.
    renderPicker(new Date('2030-03-03T08:10:00Z'), 'ar');
    const days = within(screen.getByRole('group', { name: 'اليوم' })).getAllByRole('button');
    expect((days[0] as HTMLButtonElement).disabled).toBe(false);
    expect(days[0]?.getAttribute('aria-label')).toContain('موعد واحد متاح');
    const slots = within(screen.getByRole('group', { name: 'الوقت المتاح' })).getAllByRole('button');
    expect(slots).toHaveLength(1);
    expect(slots[0]?.textContent).toContain('١٠:٣٠');
  });

  it('says when no day ahead has a free time, and what to do instead, in both languages', () => {
    const { unmount } = renderPicker(new Date('2030-03-02T10:00:00Z'), 'en', [], [onLeave]);
    expect(
      screen.getByText(
        'No free times in the next 3 days. Choose another specialist or send an urgent request.',
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Free time' })).toBeNull();
    unmount();
    renderPicker(new Date('2030-03-02T10:00:00Z'), 'ar', [], [onLeave]);
    expect(screen.getByText(/لا أوقات متاحة في الأيام الـ٣ القادمة/)).toBeTruthy();
  });
});
