import { Badge, Group, Progress, Stack, Table, Text } from '@mantine/core';
import type { BulkExportState } from '@telemed/shared';
import { useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { PreviousNextPager } from '../PreviousNextPager.js';
import { QueryState } from '../QueryState.js';

const pageSize = 20;
/** While an export runs its progress is read every few seconds; otherwise now and then, for new ones. */
export const runningRefreshMs = 3_000;
export const idleRefreshMs = 30_000;
const stateColors: Record<BulkExportState, string> = {
  'in-progress': 'blue',
  completed: 'teal',
  failed: 'red',
  cancelled: 'gray',
};

/** Bulk Data exports, running and recent (records keeps them a day), with their progress, refreshing itself. */
export function BulkExportsSection() {
  const t = useT();
  const intl = useIntl();
  const format = useFormatters();
  const [page, setPage] = useState(1);
  // Whether the last answer had an export running: then the next one is read soon.
  const [running, setRunning] = useState(false);
  const query = useRecordsQuery(
    'listBulkExports',
    { query: { page, limit: pageSize } },
    { refetchInterval: running ? runningRefreshMs : idleRefreshMs },
  );
  const items = query.data?.items ?? [];
  const anyRunning = items.some((job) => job.state === 'in-progress');
  useEffect(() => setRunning(anyRunning), [anyRunning]);
  return (
    <PageSection headingId="fhir-bulk-heading" title={t('fhir.bulk.heading')} actions={null}>
      <Text size="sm" c="dimmed" mb="sm">
        {t('fhir.bulk.intro')}
      </Text>
      <QueryState query={query} />
      {query.isSuccess && items.length === 0 && <Text c="dimmed">{t('fhir.bulk.empty')}</Text>}
      {items.length > 0 && (
        <DataTable
          minWidth={760}
          headers={[
            t('fhir.bulk.client'),
            t('fhir.bulk.types'),
            t('fhir.bulk.started'),
            t('fhir.bulk.progress'),
            t('fhir.bulk.stateLabel'),
          ]}
        >
          {items.map((job) => {
            const clientName = job.clientName ?? job.clientId;
            const percent = intl.formatNumber(job.progressPercent / 100, { style: 'percent' });
            return (
              <Table.Tr key={job.id}>
                <Table.Td>{clientName}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {job.types.map((type) => (
                      <Badge key={type} variant="outline" color="gray" tt="none">
                        <bdi>{type}</bdi>
                      </Badge>
                    ))}
                  </Group>
                  {job.level === 'patient' && (
                    <Text size="xs" c="dimmed">
                      {t('fhir.bulk.patientLevel')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{format.dateTime(job.startedAt)}</Table.Td>
                <Table.Td miw={160}>
                  <Stack gap={2}>
                    <Progress
                      value={job.progressPercent}
                      color={stateColors[job.state]}
                      animated={job.state === 'in-progress'}
                      aria-label={t('fhir.bulk.progressOf', { name: clientName })}
                    />
                    <Text size="xs">
                      {t('fhir.bulk.progressText', {
                        percent,
                        written: intl.formatNumber(job.written),
                        total: intl.formatNumber(job.estimatedTotal),
                      })}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Badge color={stateColors[job.state]} variant="light">
                    {t(`fhir.bulk.state.${job.state}`)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </DataTable>
      )}
      <PreviousNextPager page={page} hasMore={query.data?.hasMore ?? false} onChange={setPage} />
    </PageSection>
  );
}
