import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { AppointmentStatusActions } from '../appointments/AppointmentStatusActions.js';
import { consultationPath } from '../consultation/call/consultationPath.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { PreviousNextPager } from '../PreviousNextPager.js';
import { QueryState } from '../QueryState.js';

const pageSize = 10;

/** The patient's coming appointments, a page at a time, each with its call, cancel and no-show. */
export function PatientAppointments({ patientId, who }: { patientId: string; who: string }) {
  const t = useT();
  const format = useFormatters();
  const [page, setPage] = useState(1);
  const from = useMemo(() => new Date(Date.now() - 2 * 3600_000).toISOString(), []);
  const query = useRecordsQuery('listAppointments', { query: { patientId, from, page, limit: pageSize } });
  const items = query.data?.items;
  return (
    <PageSection headingId="patient-appointments-heading" title={t('history.appointments')}>
      <QueryState query={query} />
      {items && items.length === 0 && <Text c="dimmed">{t('history.noAppointments')}</Text>}
      <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items?.map((a) => (
          <Card
            component="li"
            key={a.id}
            withBorder
            padding="sm"
            className={a.priority === 'urgent' ? 'urgent' : undefined}
          >
            <Group justify="space-between" gap="xs">
              <Text fw={500}>{format.dateTime(a.start)}</Text>
              <Badge variant="light">{t(`status.${a.status}`)}</Badge>
            </Group>
            <Text size="sm">{format.specialtyName(a.specialty)}</Text>
            <Text size="sm" c="dimmed" dir="auto">
              {a.reason}
            </Text>
            <Group gap="xs" mt={4}>
              {(a.status === 'scheduled' || a.status === 'waiting') && (
                <Button component={Link} to={consultationPath(a.id)} size="compact-sm" variant="light">
                  {t('call.start')}
                </Button>
              )}
              <AppointmentStatusActions appointment={a} who={who} />
            </Group>
          </Card>
        ))}
      </Stack>
      {query.data && <PreviousNextPager page={page} hasMore={query.data.hasMore} onChange={setPage} />}
      <Text size="xs" c="dimmed" mt="xs">
        {t('appointments.timeZone')}
      </Text>
    </PageSection>
  );
}
