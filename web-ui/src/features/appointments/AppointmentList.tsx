import { Badge, Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import type { AppointmentStatus } from '@telemed/shared';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useSignedInUser } from '../../session/SessionProvider.js';
import { consultationPath, notePath } from '../consultation/call/consultationPath.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { QueryState } from '../QueryState.js';
import { hospitalDayOf, hospitalDayStart } from '../schedule/hospitalClock.js';

/** The call can be entered (or entered again) while the appointment is open. */
const callOpen: ReadonlySet<AppointmentStatus> = new Set(['scheduled', 'waiting', 'in-progress']);
/** The note is written during or after the call, and read by the clinic once the call has taken place. */
const noteOpen: ReadonlySet<AppointmentStatus> = new Set(['in-progress', 'completed']);

const statusColors: Record<AppointmentStatus, string> = {
  scheduled: 'gray',
  waiting: 'yellow',
  'in-progress': 'teal',
  completed: 'blue',
  cancelled: 'red',
  'no-show': 'red',
};

/** The signed-in person's next appointments (the server scopes them to the clinic or the specialist). */
export function AppointmentList() {
  const t = useT();
  const format = useFormatters();
  // From the start of the hospital's day: a consultation running now, or one of this morning not yet held (a late
  // clinic still starts it), stays on the list.
  const from = useMemo(() => hospitalDayStart(hospitalDayOf(new Date())), []);
  // Read again whenever the list opens: statuses move through the call (signaling), not through this app's
  // own changes, so a cached list would still offer to "start" a consultation the clinic is already in.
  const query = useRecordsQuery(
    'listAppointments',
    { query: { from, limit: 20 } },
    { refetchOnMount: 'always' },
  );
  const { role } = useSignedInUser();
  const items = query.data?.items;
  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby="appointments-heading">
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Title order={2} size="h3" id="appointments-heading">
          {t('appointments.heading')}
        </Title>
        {items && (
          <Badge variant="light" size="lg">
            {t('appointments.count', { count: query.data?.total ?? items.length })}
          </Badge>
        )}
      </Group>
      <QueryState query={query} />
      {items && items.length === 0 && <Text c="dimmed">{t('appointments.empty')}</Text>}
      {items && items.length > 0 && (
        <>
          <DataTable
            minWidth={640}
            highlightOnHover
            headers={[
              t('appointments.time'),
              t('appointments.patient'),
              t('appointments.specialty'),
              t('appointments.reason'),
              t('appointments.status'),
              t('call.actions'),
            ]}
          >
            {items.map((a) => (
              <Table.Tr key={a.id} className={a.priority === 'urgent' ? 'urgent' : undefined}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.dateTime(a.start)}</Table.Td>
                <Table.Td>
                  {format.personName(a.patient?.name)}
                  {a.patient && (
                    <Text span c="dimmed" size="sm">
                      {' · '}
                      <bdi className="identifier">{a.patient.mrn}</bdi>
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{format.specialtyName(a.specialty)}</Table.Td>
                <Table.Td dir="auto">{a.reason}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge color={statusColors[a.status]} variant="light">
                    {t(`status.${a.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {callOpen.has(a.status) && (
                    <Button
                      component={Link}
                      to={consultationPath(a.id)}
                      size="compact-sm"
                      variant={a.status === 'scheduled' ? 'filled' : 'light'}
                      aria-label={t(
                        role === 'clinic_doctor' && a.status === 'scheduled'
                          ? 'call.startFor'
                          : 'call.openFor',
                        { name: format.personName(a.patient?.name) },
                      )}
                    >
                      {t(role === 'clinic_doctor' && a.status === 'scheduled' ? 'call.start' : 'call.open')}
                    </Button>
                  )}
                  {noteOpen.has(a.status) && (
                    <Button
                      component={Link}
                      to={notePath(a.id)}
                      size="compact-sm"
                      variant="subtle"
                      ms={callOpen.has(a.status) ? 'xs' : undefined}
                      aria-label={t('note.openFor', { name: format.personName(a.patient?.name) })}
                    >
                      {t('note.open')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
          <Text size="xs" c="dimmed" mt="xs">
            {t('appointments.timeZone')}
          </Text>
        </>
      )}
    </Paper>
  );
}
