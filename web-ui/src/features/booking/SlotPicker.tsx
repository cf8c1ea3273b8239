import { Button, Group, ScrollArea, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useIntl } from 'react-intl';
import { useT } from '../../i18n/LocaleProvider.js';
import { type BusyTime, type FreeSlot, freeSlotsOn, type SpecialistHours } from './freeSlots.js';

export interface SlotPickerProps {
  /** The days offered, `YYYY-MM-DD` in the hospital's zone. */
  days: readonly string[];
  day: string;
  onDayChange(day: string): void;
  hours: readonly SpecialistHours[];
  busy: readonly BusyTime[];
  now: Date;
  value: FreeSlot | null;
  onChange(slot: FreeSlot): void;
}

/**
 * A day, then one of its free slots: only what the specialist's hours, leave and bookings leave open can be
 * chosen, so a double booking or a time out of hours is never offered. A day with nothing free is disabled, and
 * while the chosen day has nothing free the first day that has is shown.
 */
export function SlotPicker({ days, day, onDayChange, hours, busy, now, value, onChange }: SlotPickerProps) {
  const t = useT();
  const intl = useIntl();
  const slotsByDay = useMemo(
    () => new Map(days.map((d) => [d, freeSlotsOn(d, hours, busy, now)])),
    [days, hours, busy, now],
  );
  const freeOn = (d: string) => slotsByDay.get(d)?.length ?? 0;
  // Today is often full or over by the time a clinic books: a day with nothing free is never the one shown, so the
  // doctor sees the first day that has times rather than an empty day and no day marked as chosen.
  const firstFreeDay = days.find((d) => freeOn(d) > 0);
  const shownDay = freeOn(day) > 0 ? day : (firstFreeDay ?? day);
  const slots = slotsByDay.get(shownDay) ?? [];
  // A calendar day is named the same wherever the browser is: read at noon UTC, formatted in UTC.
  const dayName = (d: string) =>
    intl.formatDate(`${d}T12:00:00Z`, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  const time = (iso: string) => intl.formatTime(iso, { hour: '2-digit', minute: '2-digit' });

  return (
    <Stack gap="xs">
      <Text fw={500} id="booking-days">
        {t('booking.day')}
      </Text>
      <ScrollArea type="auto" offsetScrollbars>
        <Group gap="xs" wrap="nowrap" role="group" aria-labelledby="booking-days">
          {days.map((d) => {
            const count = freeOn(d);
            return (
              <Button
                key={d}
                variant={d === shownDay ? 'filled' : 'default'}
                aria-pressed={d === shownDay}
                disabled={count === 0}
                onClick={() => onDayChange(d)}
                aria-label={t('booking.dayFree', { day: dayName(d), count })}
                style={{ flex: '0 0 auto' }}
              >
                {dayName(d)}
              </Button>
            );
          })}
        </Group>
      </ScrollArea>
      <Text fw={500} id="booking-slots">
        {t('booking.slot')}
      </Text>
      {slots.length === 0 ? (
        <Text c="dimmed">
          {t(firstFreeDay ? 'booking.noSlots' : 'booking.noSlotsAhead', { days: days.length })}
        </Text>
      ) : (
        <SimpleGrid
          cols={{ base: 3, xs: 4, sm: 6 }}
          spacing="xs"
          role="group"
          aria-labelledby="booking-slots"
        >
          {slots.map((slot) => {
            const chosen = value?.start === slot.start;
            return (
              <Button
                key={slot.start}
                variant={chosen ? 'filled' : 'light'}
                aria-pressed={chosen}
                onClick={() => onChange(slot)}
                aria-label={t('booking.slotAt', { from: time(slot.start), to: time(slot.end) })}
                px={4}
              >
                <bdi>{time(slot.start)}</bdi>
              </Button>
            );
          })}
        </SimpleGrid>
      )}
      <Text size="xs" c="dimmed">
        {t('appointments.timeZone')}
      </Text>
    </Stack>
  );
}
