import { Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { type Specialty, specialtySchema } from '@telemed/shared';
import { useMemo, useState } from 'react';
import { useIntl } from 'react-intl';
import { hospitalTimeZone } from '../../i18n/catalog.js';
import { useT } from '../../i18n/LocaleProvider.js';
import { recordsQueryRoot, useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useSession } from '../../session/SessionProvider.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { QueryState } from '../QueryState.js';
import { AdminPager } from './AdminPager.js';
import { addDays, type DayCell, dayInZone, weekOf, weekRange, weekRow, weekStartOf } from './weekGrid.js';

const rowsPerPage = 15;

/**
 * The week across specialists: a row each, a column per day, each cell the appointments held that day (times
 * and status only: no patient, no reason) and whether the specialist works or is on leave. Only the
 * specialists on the page shown are asked for, each with its own bounded query.
 */
export function SchedulingCalendarPage() {
  const t = useT();
  const intl = useIntl();
  const format = useFormatters();
  const { client } = useSession();
  const [weekStart, setWeekStart] = useState(() => weekStartOf(dayInZone(new Date(), hospitalTimeZone)));
  const [specialty, setSpecialty] = useState<Specialty | null>(null);
  const [page, setPage] = useState(1);
  const days = useMemo(() => weekOf(weekStart), [weekStart]);
  const range = useMemo(() => weekRange(weekStart, hospitalTimeZone), [weekStart]);
  const directory = useRecordsQuery('listSpecialists', { query: specialty ? { specialty } : {} });
  const specialists = directory.data?.items ?? [];
  const pages = Math.max(1, Math.ceil(specialists.length / rowsPerPage));
  const shown = specialists.slice((page - 1) * rowsPerPage, page * rowsPerPage);
  const weekAppointments = useQueries({
    queries: shown.map((s) => {
      const request = { query: { specialistId: s.id, ...range, limit: 100 } };
      return {
        queryKey: [recordsQueryRoot, 'listAppointments', request],
        queryFn: () => client.call('listAppointments', request),
      };
    }),
  });
  const availabilities = useQueries({
    queries: shown.map((s) => {
      const request = { params: { id: s.id } };
      return {
        queryKey: [recordsQueryRoot, 'getAvailability', request],
        queryFn: () => client.call('getAvailability', request),
      };
    }),
  });
  const dayLabel = (day: string) =>
    intl.formatDate(`${day}T12:00:00Z`, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    });
  const timeLabel = (iso: string) => intl.formatTime(iso, { hour: '2-digit', minute: '2-digit' });
  const moveWeek = (weeks: number) => setWeekStart(addDays(weekStart, 7 * weeks));

  return (
    <PageSection
      headingId="calendar-heading"
      title={t('admin.calendar.heading')}
      actions={
        <Group gap="xs" wrap="wrap">
          <Button variant="default" size="compact-sm" onClick={() => moveWeek(-1)}>
            {t('admin.calendar.previousWeek')}
          </Button>
          <Button
            variant="default"
            size="compact-sm"
            onClick={() => setWeekStart(weekStartOf(dayInZone(new Date(), hospitalTimeZone)))}
          >
            {t('admin.calendar.thisWeek')}
          </Button>
          <Button variant="default" size="compact-sm" onClick={() => moveWeek(1)}>
            {t('admin.calendar.nextWeek')}
          </Button>
        </Group>
      }
    >
      <Group mb="sm" gap="sm" align="flex-end" wrap="wrap">
        <Text fw={600} aria-live="polite">
          {t('admin.calendar.week', { from: dayLabel(days[0] as string), to: dayLabel(days[6] as string) })}
        </Text>
        <Select
          maw={260}
          label={t('admin.calendar.specialty')}
          placeholder={t('admin.calendar.allSpecialties')}
          data={specialtySchema.options.map((s) => ({ value: s, label: format.specialtyName(s) }))}
          value={specialty}
          onChange={(value) => {
            setSpecialty(value as Specialty | null);
            setPage(1);
          }}
          clearable
        />
      </Group>
      <QueryState query={directory} />
      {directory.isSuccess && specialists.length === 0 && (
        <Text c="dimmed">{t('admin.calendar.noSpecialists')}</Text>
      )}
      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table
            className="data-table"
            withColumnBorders
            verticalSpacing="xs"
            aria-labelledby="calendar-heading"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.calendar.specialist')}</Table.Th>
                {days.map((day) => (
                  <Table.Th scope="col" key={day} style={{ whiteSpace: 'nowrap' }}>
                    {dayLabel(day)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((s, index) => {
                const appointments = weekAppointments[index];
                const availability = availabilities[index];
                const failed = appointments?.error ?? availability?.error;
                const cells = weekRow(
                  days,
                  appointments?.data?.items ?? [],
                  availability?.data,
                  hospitalTimeZone,
                );
                return (
                  <Table.Tr key={s.id}>
                    <Table.Th scope="row" style={{ fontWeight: 500 }}>
                      {format.personName(s.name)}
                      <Text size="xs" c="dimmed">
                        {format.specialtyName(s.specialty)}
                      </Text>
                      {appointments?.data?.hasMore && (
                        <Text size="xs" c="orange">
                          {t('admin.calendar.more')}
                        </Text>
                      )}
                    </Table.Th>
                    {failed ? (
                      <Table.Td colSpan={7}>
                        <Text c="red" size="sm" role="alert">
                          {failed.message}
                        </Text>
                      </Table.Td>
                    ) : (
                      cells.map((cell) => (
                        <DayCellView
                          key={cell.day}
                          cell={cell}
                          loading={Boolean(appointments?.isPending || availability?.isPending)}
                          timeLabel={timeLabel}
                          clockLabel={format.clock}
                          label={`${format.personName(s.name)}، ${dayLabel(cell.day)}`}
                        />
                      ))
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AdminPager pages={pages} page={page} onChange={setPage} />
      <Text size="xs" c="dimmed" mt="xs">
        {t('appointments.timeZone')}
      </Text>
    </PageSection>
  );
}

function DayCellView({
  cell,
  loading,
  timeLabel,
  clockLabel,
  label,
}: {
  cell: DayCell;
  loading: boolean;
  timeLabel: (iso: string) => string;
  clockLabel: (clock: string) => string;
  label: string;
}) {
  const t = useT();
  const count = cell.appointments.length;
  return (
    <Table.Td
      aria-label={label}
      data-day={cell.day}
      data-leave={cell.leave !== undefined ? 'true' : undefined}
      bg={cell.leave !== undefined ? 'orange.0' : cell.hours.length === 0 ? 'gray.0' : undefined}
      style={{ verticalAlign: 'top', minWidth: 110 }}
    >
      {loading ? (
        <Text size="xs" c="dimmed">
          {t('common.loading')}
        </Text>
      ) : (
        <Stack gap={4}>
          {cell.leave !== undefined && (
            <Badge color="orange" variant="light" size="sm" style={{ whiteSpace: 'normal', height: 'auto' }}>
              {cell.leave
                ? t('admin.calendar.leaveWithReason', { reason: cell.leave })
                : t('admin.calendar.leave')}
            </Badge>
          )}
          {cell.leave === undefined && cell.hours.length === 0 && (
            <Text size="xs" c="dimmed">
              {t('admin.calendar.noHours')}
            </Text>
          )}
          {cell.leave === undefined &&
            cell.hours.map((h) => (
              <Text size="xs" c="dimmed" key={`${h.start}-${h.end}`}>
                {`${clockLabel(h.start)}–${clockLabel(h.end)}`}
              </Text>
            ))}
          {count > 0 && (
            <Text size="sm" fw={600}>
              {t('admin.calendar.count', { count })}
            </Text>
          )}
          {cell.appointments.slice(0, 4).map((a) => (
            <Badge key={a.id} variant="outline" size="sm" color={a.status === 'no-show' ? 'red' : 'clinical'}>
              {`${timeLabel(a.start)} · ${t(`status.${a.status}`)}`}
            </Badge>
          ))}
        </Stack>
      )}
    </Table.Td>
  );
}
