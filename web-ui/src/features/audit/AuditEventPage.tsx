import { Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { AuditEvent } from '@telemed/shared';
import type { ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useFormatters } from '../formatting.js';
import { QueryState } from '../QueryState.js';
import { resourceKindKey, viaKeys } from './auditLabels.js';

/**
 * One audit event in full. From the trail, the event comes along as it was listed (reading it again would write
 * a second audit event for the same look); opened by its URL (a bookmark, a link sent on), it is read by id.
 */
export function AuditEventPage() {
  const t = useT();
  const format = useFormatters();
  const { state } = useLocation() as { state: { event?: AuditEvent; back?: string } | null };
  const { id = '' } = useParams();
  const handedOver = state?.event?.id === id ? state.event : undefined;
  const read = useRecordsQuery('getAuditEvent', { params: { id } }, { enabled: !handedOver });
  const event = handedOver ?? read.data;
  const back = `/audit${state?.back ?? ''}`;
  return (
    <Stack component="section" aria-labelledby="audit-event-heading">
      <Title order={1} size="h2" id="audit-event-heading">
        {t('audit.eventHeading')}
      </Title>
      {!handedOver && <QueryState query={read} />}
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
                    [
                      'audit.action',
                      <Stored key="a" words={t(`audit.action.${event.action}`)} raw={event.action} />,
                    ],
                    ['audit.resource', <ResourceKind key="r" resourceType={event.resourceType} />],
                    ['audit.resourceIds', <IdList key="i" ids={event.resourceIds} />],
                    ['audit.patient', <IdList key="p" ids={event.patientIds} />],
                    [
                      'audit.outcome',
                      <Stored key="o" words={t(`audit.outcome.${event.outcome}`)} raw={event.outcome} />,
                    ],
                    ['audit.reason', event.reason ?? '—'],
                    ['audit.ip', event.ip ?? '—'],
                    [
                      'audit.via',
                      event.via ? <Stored key="v" words={t(viaKeys[event.via])} raw={event.via} /> : '—',
                    ],
                  ] as const
                ).map(([label, value]) => (
                  <Table.Tr key={label}>
                    <Table.Th scope="row">{t(label)}</Table.Th>
                    <Table.Td>
                      {typeof value === 'string' ? (
                        <bdi style={{ wordBreak: 'break-all' }}>{value}</bdi>
                      ) : (
                        value
                      )}
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

/**
 * A value the trail stores as a code (`read`, `denied`, `signaling`): in words of the person's language, with
 * the code as stored on a second line, for an auditor who matches it against an export or a query.
 */
function Stored({ words, raw }: { words: string; raw: string }): ReactNode {
  const t = useT();
  return (
    <Stack gap={0}>
      <Text size="sm">{words}</Text>
      <Text size="xs" c="dimmed">
        {/* The code isolated left to right (LRI … PDI), so that Arabic around it does not reorder it. */}
        {t('auditDetail.stored', { value: `\u2066${raw}\u2069` })}
      </Text>
    </Stack>
  );
}

function ResourceKind({ resourceType }: { resourceType: string }) {
  const t = useT();
  const key = resourceKindKey(resourceType);
  return key ? <Stored words={t(key)} raw={resourceType} /> : <bdi dir="ltr">{resourceType}</bdi>;
}

/** Record ids one a line, whole: a list of twenty ids run together breaks them mid-id and cannot be read. */
function IdList({ ids }: { ids: readonly string[] }) {
  if (ids.length === 0) return '—';
  return (
    <Stack gap={2}>
      {ids.map((id) => (
        <bdi key={id} className="identifier" style={{ wordBreak: 'break-all' }}>
          {id}
        </bdi>
      ))}
    </Stack>
  );
}
