import { Badge, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { type AuditEvent, auditActionSchema, auditOutcomeSchema } from '@telemed/shared';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CalendarDateInput } from '../../forms/CalendarDateInput.js';
import { hospitalTimeZone } from '../../i18n/catalog.js';
import { useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useSession } from '../../session/SessionProvider.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { QueryState } from '../QueryState.js';
import { AuditLookupSelect } from './AuditLookupSelect.js';
import { AuditPatientsCell, AuditPersonCell } from './AuditNameCells.js';
import { type AuditFilters, auditFiltersFrom, auditSearchParams } from './auditFilters.js';
import { resourceKindKey } from './auditLabels.js';
import { auditPeriod } from './auditPeriod.js';

const pageSize = 50;
const outcomeColors: Record<AuditEvent['outcome'], string> = {
  success: 'teal',
  denied: 'red',
  failed: 'orange',
};

/** Where one event's detail opens; the trail's filters go along so that "back" returns to the same page. */
export const auditEventPath = (id: string) => `/audit/${id}`;

/** The audit trail for auditors: filters in the URL, paged, each event's detail, CSV of the filtered trail. */
export function AuditTrailPage() {
  const t = useT();
  const format = useFormatters();
  const { client } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = auditFiltersFrom(params);
  const { page, ...query } = filters;
  const trail = useRecordsQuery('listAuditEvents', { query: { ...query, page, limit: pageSize } });
  const [exportError, setExportError] = useState<string>();
  const change = (next: Partial<AuditFilters>) =>
    setParams(auditSearchParams({ ...filters, page: 1, ...next }));

  const exportCsv = async () => {
    setExportError(undefined);
    try {
      const file = await client.call('exportAuditEvents', { query });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([file.bytes as BlobPart], { type: file.contentType }));
      link.download = file.fileName ?? 'audit-events.csv';
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      setExportError(errorMessageOf(error));
    }
  };

  const items = trail.data?.items;
  // A bookmarked filter names its person and patient from the events it finds.
  const actorName = items?.find((e) => e.actorId === filters.actorId)?.actor?.name;
  const actorLabel = actorName && format.personName(actorName);
  const patientName = items?.flatMap((e) => e.patients ?? []).find((p) => p.id === filters.patientId);
  const patientLabel = patientName && `${format.personName(patientName.name)} — ${patientName.mrn}`;
  return (
    <Stack component="section" aria-labelledby="audit-heading">
      <Title order={1} size="h2" id="audit-heading">
        {t('audit.heading')}
      </Title>
      <Paper p="md" shadow="xs" component="form" aria-label={t('audit.filters')}>
        <Group align="end" wrap="wrap">
          <AuditLookupSelect
            kind="people"
            label={t('audit.person')}
            value={filters.actorId}
            selectedLabel={actorLabel}
            onChange={(actorId) => change({ actorId })}
          />
          <AuditLookupSelect
            kind="patients"
            label={t('audit.patient')}
            value={filters.patientId}
            selectedLabel={patientLabel}
            onChange={(patientId) => change({ patientId })}
          />
          <Select
            label={t('audit.action')}
            clearable
            value={filters.action ?? null}
            data={auditActionSchema.options.map((a) => ({ value: a, label: t(`audit.action.${a}`) }))}
            onChange={(value) => change({ action: (value as AuditFilters['action']) ?? undefined })}
          />
          <Select
            label={t('audit.outcome')}
            clearable
            value={filters.outcome ?? null}
            data={auditOutcomeSchema.options.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
            onChange={(value) => change({ outcome: (value as AuditFilters['outcome']) ?? undefined })}
          />
          <CalendarDateInput
            label={t('audit.from')}
            clearable
            value={auditPeriod.dayOf(filters.from, hospitalTimeZone)}
            onChange={(day) => change({ from: day ? auditPeriod.from(day, hospitalTimeZone) : undefined })}
          />
          <CalendarDateInput
            label={t('audit.to')}
            clearable
            value={auditPeriod.dayOf(filters.to, hospitalTimeZone)}
            onChange={(day) => change({ to: day ? auditPeriod.to(day, hospitalTimeZone) : undefined })}
          />
          <Button variant="light" onClick={() => void exportCsv()}>
            {t('audit.exportCsv')}
          </Button>
        </Group>
        {exportError && (
          <Text c="red" role="alert" mt="xs">
            {exportError}
          </Text>
        )}
      </Paper>
      <QueryState query={trail} />
      {items && items.length === 0 && <Text c="dimmed">{t('audit.empty')}</Text>}
      {items && items.length > 0 && (
        <DataTable
          minWidth={900}
          label={t('audit.table')}
          headers={[
            t('audit.at'),
            t('audit.person'),
            t('audit.patient'),
            t('audit.action'),
            t('audit.resource'),
            t('audit.outcome'),
            t('audit.detail'),
          ]}
        >
          {items.map((event) => (
            <Table.Tr key={event.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.dateTime(event.at)}</Table.Td>
              <Table.Td>
                <AuditPersonCell event={event} />
              </Table.Td>
              <Table.Td>
                <AuditPatientsCell event={event} first={filters.patientId} />
              </Table.Td>
              <Table.Td>{t(`audit.action.${event.action}`)}</Table.Td>
              <Table.Td>
                <ResourceKindName resourceType={event.resourceType} />
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={outcomeColors[event.outcome]}>
                  {t(`audit.outcome.${event.outcome}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Button
                  component={Link}
                  to={auditEventPath(event.id)}
                  state={{ event, back: `?${params.toString()}` }}
                  size="compact-sm"
                  variant="subtle"
                  aria-label={t('audit.detailOf', { at: format.dateTime(event.at) })}
                >
                  {t('audit.detail')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}
      <Group justify="center">
        <Button variant="default" disabled={page <= 1} onClick={() => change({ page: page - 1 })}>
          {t('audit.previous')}
        </Button>
        <Text aria-live="polite">{t('audit.page', { page })}</Text>
        <Button
          variant="default"
          disabled={!items || items.length < pageSize}
          onClick={() => change({ page: page + 1 })}
        >
          {t('audit.next')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The kind of record in the person's words; a kind records added since, as stored. */
function ResourceKindName({ resourceType }: { resourceType: string }) {
  const t = useT();
  const key = resourceKindKey(resourceType);
  return key ? t(key) : <bdi dir="ltr">{resourceType}</bdi>;
}
