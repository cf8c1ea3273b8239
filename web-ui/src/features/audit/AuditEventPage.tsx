import { Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { AuditEvent } from '@telemed/shared';
import { Link, useLocation } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { useFormatters } from '../formatting.js';

/**
 * One audit event in full. The trail hands the event over as it listed it (records has no single-event route,
 * and reading it again would write a second audit event for the same look).
 */
export function AuditEventPage() {
  const t = useT();
  const format = useFormatters();
  const { state } = useLocation() as { state: { event?: AuditEvent; back?: string } | null };
  const event = state?.event;
  const back = `/audit${state?.back ?? ''}`;
  return (
    <Stack component="section" aria-labelledby="audit-event-heading">
      <Title order={1} size="h2" id="audit-event-heading">
        {t('audit.eventHeading')}
      </Title>
      {!event && <Text c="dimmed">{t('audit.eventMissing')}</Text>}
      {event && (
        <Paper p="md" shadow="xs">
          <Table.ScrollContainer minWidth={320}>
            <Table>
              <Table.Tbody>
                {(
                  [
                    ['audit.at', format.dateTime(event.at)],
                    ['audit.person', event.actorId ?? '—'],
                    ['audit.roleLabel', event.actorRole ? t(`audit.role.${event.actorRole}`) : '—'],
                    ['audit.action', t(`audit.action.${event.action}`)],
                    ['audit.resource', event.resourceType],
                    ['audit.resourceIds', event.resourceIds.join(' ') || '—'],
                    ['audit.patient', event.patientIds.join(' ') || '—'],
                    ['audit.outcome', t(`audit.outcome.${event.outcome}`)],
                    ['audit.reason', event.reason ?? '—'],
                    ['audit.ip', event.ip ?? '—'],
                    ['audit.via', event.via ?? '—'],
                  ] as const
                ).map(([label, value]) => (
                  <Table.Tr key={label}>
                    <Table.Th scope="row">{t(label)}</Table.Th>
                    <Table.Td>
                      <bdi style={{ wordBreak: 'break-all' }}>{value}</bdi>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <Button component={Link} to={back} variant="default" w="fit-content">
        {t('audit.backToTrail')}
      </Button>
    </Stack>
  );
}
