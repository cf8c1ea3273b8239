import { Badge, Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { hospitalTimeZone } from '../../i18n/catalog.js';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { QueryState } from '../QueryState.js';
import { addDays, hospitalDayOf, hospitalDayStart, isCalendarDay, weekOf } from './hospitalClock.js';
import { ScheduleGrid } from './ScheduleGrid.js';

export type ScheduleView = 'day' | 'week';

/** Enough for a specialist's busiest week; the grid says so if a week ever holds more. */
const weekLimit = 100;

/**
 * `/schedule?view=week&date=2026-12-07`: the specialist's appointments of a day or of the week around it, by
 * hospital time. The view and the day live in the URL, so a week can be bookmarked and Back goes back.
 */
export function SpecialistSchedule() {
  const t = useT();
  const format = useFormatters();
  const [params, setParams] = useSearchParams();
  const view: ScheduleView = params.get('view') === 'day' ? 'day' : 'week';
  const today = hospitalDayOf(new Date());
  const rawDate = params.get('date');
  const date = isCalendarDay(rawDate) ? rawDate : today;
  const days = useMemo(() => (view === 'day' ? [date] : weekOf(date)), [view, date]);
  const first = days[0] ?? date;
  const last = days[days.length - 1] ?? date;
  const query = useRecordsQuery('listAppointments', {
    query: { from: hospitalDayStart(first), to: hospitalDayStart(addDays(last, 1)), limit: weekLimit },
  });
  const go = (next: { view?: ScheduleView; date?: string }) =>
    setParams({ view: next.view ?? view, date: next.date ?? date });
  const step = view === 'day' ? 1 : 7;
  const items = query.data?.items ?? [];

  return (
    <PageSection
      headingId="schedule-heading"
      title={t('schedule.heading')}
      actions={
        <SegmentedControl
          aria-label={t('schedule.viewLabel')}
          value={view}
          onChange={(v) => go({ view: v as ScheduleView })}
          data={[
            { value: 'day', label: t('schedule.view.day') },
            { value: 'week', label: t('schedule.view.week') },
          ]}
        />
      }
    >
      <Stack gap="sm">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap="xs">
            <Button variant="default" size="compact-md" onClick={() => go({ date: addDays(date, -step) })}>
              {view === 'day' ? t('schedule.previousDay') : t('schedule.previousWeek')}
            </Button>
            <Button variant="default" size="compact-md" onClick={() => go({ date: today })}>
              {t('schedule.today')}
            </Button>
            <Button variant="default" size="compact-md" onClick={() => go({ date: addDays(date, step) })}>
              {view === 'day' ? t('schedule.nextDay') : t('schedule.nextWeek')}
            </Button>
          </Group>
          <Text fw={600} aria-live="polite">
            {view === 'day'
              ? format.calendarDate(first)
              : t('schedule.range', { from: format.calendarDate(first), to: format.calendarDate(last) })}
          </Text>
        </Group>
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t('schedule.timeZone', { zone: hospitalTimeZone })}
          </Text>
          {query.data && (
            <Badge variant="light">
              {t('appointments.count', { count: query.data.total ?? items.length })}
            </Badge>
          )}
        </Group>
        <QueryState query={query} />
        {query.data && items.length === 0 && <Text c="dimmed">{t('schedule.empty')}</Text>}
        {query.data?.hasMore && (
          <Text c="orange" size="sm">
            {t('schedule.more', { limit: weekLimit })}
          </Text>
        )}
        {query.data && <ScheduleGrid days={days} appointments={items} />}
      </Stack>
    </PageSection>
  );
}
