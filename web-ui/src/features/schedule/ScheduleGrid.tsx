import { Box, Paper, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import type { Appointment } from '@telemed/shared';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { consultationPath, notePath } from '../consultation/call/consultationPath.js';
import { useFormatters } from '../formatting.js';
import { type CalendarDay, hospitalDayOf, hospitalMinutesOf } from './hospitalClock.js';

const hourHeight = 48;
/** The working day shown unless an appointment falls outside it. */
const defaultFirstHour = 8;
const defaultLastHour = 18;

/** Where a block leads: the note once the call has begun, the consultation (the call) before. */
export function appointmentTarget(a: Appointment): string {
  return a.status === 'in-progress' || a.status === 'completed' ? notePath(a.id) : consultationPath(a.id);
}

const statusColor: Record<Appointment['status'], string> = {
  scheduled: 'clinical',
  waiting: 'yellow',
  'in-progress': 'teal',
  completed: 'blue',
  cancelled: 'gray',
  'no-show': 'gray',
};

/**
 * The days side by side, hours down, each appointment a block at its hospital time, linking to its
 * consultation or note. On a phone the grid scrolls sideways inside its own box, never the page.
 */
export function ScheduleGrid({ days, appointments }: { days: CalendarDay[]; appointments: Appointment[] }) {
  const t = useT();
  const intl = useIntl();
  const format = useFormatters();
  const placed = appointments.map((a) => ({
    a,
    day: hospitalDayOf(a.start),
    from: hospitalMinutesOf(a.start),
    to: Math.max(hospitalMinutesOf(a.start) + 15, hospitalMinutesOf(a.end) || 24 * 60),
  }));
  const firstHour = Math.min(defaultFirstHour, ...placed.map((p) => Math.floor(p.from / 60)));
  const lastHour = Math.max(defaultLastHour, ...placed.map((p) => Math.ceil(p.to / 60)));
  const hours = Array.from({ length: lastHour - firstHour }, (_, i) => firstHour + i);
  const height = hours.length * hourHeight;
  const columns = `64px repeat(${days.length}, minmax(${days.length > 1 ? 92 : 240}px, 1fr))`;

  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Box
        component="section"
        aria-label={t('schedule.gridLabel')}
        style={{ display: 'grid', gridTemplateColumns: columns, minWidth: days.length > 1 ? 708 : 0 }}
      >
        <div style={{ display: 'contents' }}>
          <div />
          {days.map((day) => (
            <Text
              key={day}
              fw={600}
              ta="center"
              size="sm"
              p={4}
              style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
            >
              {format.calendarDate(day)}
            </Text>
          ))}
        </div>
        <div style={{ display: 'contents' }}>
          <Box pos="relative" h={height} aria-hidden>
            {hours.map((h, i) => (
              <Text
                key={h}
                size="xs"
                c="dimmed"
                pos="absolute"
                top={i * hourHeight}
                style={{ insetInlineEnd: 6 }}
              >
                <bdi>{`${intl.formatNumber(h, { minimumIntegerDigits: 2 })}:${intl.formatNumber(0, { minimumIntegerDigits: 2 })}`}</bdi>
              </Text>
            ))}
          </Box>
          {days.map((day) => (
            <Box
              key={day}
              aria-label={format.calendarDate(day)}
              component="section"
              pos="relative"
              h={height}
              style={{
                borderInlineStart: '1px solid var(--mantine-color-gray-3)',
                backgroundImage: `repeating-linear-gradient(to bottom, var(--mantine-color-gray-2) 0 1px, transparent 1px ${hourHeight}px)`,
              }}
            >
              {placed
                .filter((p) => p.day === day)
                .map(({ a, from, to }) => {
                  const name = format.personName(a.patient?.name);
                  return (
                    <UnstyledButton
                      key={a.id}
                      component={Link}
                      to={appointmentTarget(a)}
                      aria-label={t('schedule.open', { name, at: format.dateTime(a.start) })}
                      pos="absolute"
                      top={((from - firstHour * 60) / 60) * hourHeight}
                      h={Math.max(((to - from) / 60) * hourHeight - 2, 22)}
                      style={{ insetInline: 3, overflow: 'hidden' }}
                    >
                      <Paper
                        h="100%"
                        p={4}
                        radius="sm"
                        bg={`${statusColor[a.status]}.0`}
                        style={{
                          borderInlineStart: `4px solid var(--mantine-color-${a.priority === 'urgent' ? 'red' : statusColor[a.status]}-6)`,
                          textDecoration: a.status === 'cancelled' ? 'line-through' : undefined,
                        }}
                      >
                        <Text size="xs" fw={700} lineClamp={1}>
                          {name}
                        </Text>
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {t(`status.${a.status}`)}
                        </Text>
                      </Paper>
                    </UnstyledButton>
                  );
                })}
            </Box>
          ))}
        </div>
      </Box>
    </ScrollArea>
  );
}
