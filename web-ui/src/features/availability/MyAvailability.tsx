import { Alert, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useSignedInUser } from '../../session/SessionProvider.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { QueryState } from '../QueryState.js';

/**
 * `/availability`: the specialist's weekly hours and leave, read-only. Records lets only administrators set
 * them (`PUT /api/specialists/:id/availability` requires the administrator role), so this page says whom to
 * ask rather than offering a form that would be refused.
 */
export function MyAvailability() {
  const t = useT();
  const format = useFormatters();
  const user = useSignedInUser();
  const query = useRecordsQuery('getAvailability', { params: { id: user.id } });
  const a = query.data;
  const weekly = a
    ? [...a.weekly].sort((x, y) => x.weekday - y.weekday || x.start.localeCompare(y.start))
    : [];

  return (
    <Stack gap="md">
      <Paper component="section" p="md" shadow="xs" aria-labelledby="availability-heading">
        <Title order={2} size="h3" id="availability-heading" mb="sm">
          {t('availability.heading')}
        </Title>
        <Alert color="blue" variant="light" mb="sm">
          {t('availability.readOnly')}
        </Alert>
        <QueryState query={query} />
        {a && weekly.length === 0 && <Text c="dimmed">{t('availability.noHours')}</Text>}
        {weekly.length > 0 && (
          <DataTable
            minWidth={300}
            label={t('availability.weeklyLabel')}
            headers={[t('availability.day'), t('availability.hours')]}
          >
            {weekly.map((slot) => (
              <Table.Tr key={`${slot.weekday}-${slot.start}`}>
                <Table.Td>{t(`availability.weekday.${slot.weekday}` as 'availability.weekday.0')}</Table.Td>
                <Table.Td>
                  <bdi>
                    {format.clock(slot.start)}–{format.clock(slot.end)}
                  </bdi>
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )}
        {a && (
          <Text size="sm" c="dimmed" mt="xs">
            {t('schedule.timeZone', { zone: a.timeZone })}
          </Text>
        )}
      </Paper>
      <Paper component="section" p="md" shadow="xs" aria-labelledby="leave-heading">
        <Title order={2} size="h4" id="leave-heading" mb="sm">
          {t('availability.leave')}
        </Title>
        {a && a.exceptions.length === 0 && <Text c="dimmed">{t('availability.noLeave')}</Text>}
        <Stack gap={4} component="ul" style={{ paddingInlineStart: 20, margin: 0 }}>
          {a?.exceptions.map((e) => (
            <li key={`${e.from}-${e.to}`}>
              <Text>
                {t('availability.leaveRange', {
                  from: format.calendarDate(e.from),
                  to: format.calendarDate(e.to),
                })}
                {e.reason && (
                  <Text span c="dimmed" dir="auto">
                    {' · '}
                    {e.reason}
                  </Text>
                )}
              </Text>
            </li>
          ))}
        </Stack>
      </Paper>
    </Stack>
  );
}
