import { Alert, Badge, Button, Select, Table, Text } from '@mantine/core';
import { type FhirPushItem, type FhirPushState, fhirPushStateSchema } from '@telemed/shared';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsMutation, useRecordsQuery } from '../../records/useRecordsQuery.js';
import { DataTable } from '../DataTable.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { PreviousNextPager } from '../PreviousNextPager.js';
import { QueryState } from '../QueryState.js';

const pageSize = 20;
const stateColors: Record<FhirPushState, string> = { pending: 'yellow', sent: 'teal', failed: 'red' };
export const pushStateParam = 'pushState';
export const pushPageParam = 'pushPage';

/**
 * The push of signed consultations to the hospital's FHIR server, item by item: its state, attempts, next try
 * and the server's last error; a failed item can be sent again. The filter and page live in the URL.
 */
export function FhirPushSection() {
  const t = useT();
  const intl = useIntl();
  const format = useFormatters();
  const [params, setParams] = useSearchParams();
  const parsedState = fhirPushStateSchema.safeParse(params.get(pushStateParam));
  const state = parsedState.success ? parsedState.data : undefined;
  const page = Math.max(1, Number.parseInt(params.get(pushPageParam) ?? '1', 10) || 1);
  const query = useRecordsQuery('listFhirPushItems', {
    query: { ...(state ? { state } : {}), page, limit: pageSize },
  });
  const retry = useRecordsMutation('retryFhirPushItem');
  const items = query.data?.items ?? [];
  const enabled = query.data?.enabled ?? true;

  const setFilter = (next: { state?: FhirPushState | undefined; page?: number }) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if ('state' in next) {
          if (next.state) updated.set(pushStateParam, next.state);
          else updated.delete(pushStateParam);
          updated.delete(pushPageParam);
        }
        if (next.page !== undefined) {
          if (next.page > 1) updated.set(pushPageParam, String(next.page));
          else updated.delete(pushPageParam);
        }
        return updated;
      },
      { replace: true },
    );
  const retrying = (item: FhirPushItem) =>
    retry.isPending &&
    retry.variables?.params.consultationId === item.consultationId &&
    retry.variables.params.version === item.version;

  return (
    <PageSection headingId="fhir-push-heading" title={t('fhir.push.heading')} actions={null}>
      <Select
        mb="sm"
        maw={280}
        label={t('fhir.push.filter')}
        placeholder={t('fhir.push.allStates')}
        data={fhirPushStateSchema.options.map((s) => ({ value: s, label: t(`fhir.push.state.${s}`) }))}
        value={state ?? null}
        onChange={(value) => setFilter({ state: (value as FhirPushState | null) ?? undefined })}
        clearable
      />
      <QueryState query={query} />
      {retry.isError && (
        <Alert color="red" role="alert" p="xs" mb="sm">
          {errorMessageOf(retry.error)}
        </Alert>
      )}
      {query.isSuccess && items.length === 0 && !enabled && (
        <Alert color="gray" title={t('fhir.push.offTitle')}>
          {t('fhir.push.off')}
        </Alert>
      )}
      {query.isSuccess && items.length === 0 && enabled && (
        <Text c="dimmed">{t(state ? 'fhir.push.emptyState' : 'fhir.push.empty')}</Text>
      )}
      {query.isSuccess && items.length > 0 && !enabled && (
        <Text size="sm" c="dimmed" mb="xs">
          {t('fhir.push.offWithItems')}
        </Text>
      )}
      {items.length > 0 && (
        <DataTable
          minWidth={900}
          headers={[
            t('fhir.push.consultation'),
            t('fhir.push.stateLabel'),
            t('fhir.push.attempts'),
            t('fhir.push.nextAttempt'),
            t('fhir.push.lastError'),
            t('fhir.push.sentAt'),
            t('fhir.actions'),
          ]}
        >
          {items.map((item) => (
            <Table.Tr key={`${item.consultationId}/${item.version}`}>
              <Table.Td>
                <bdi className="identifier">{item.consultationId}</bdi>
                <Text size="sm" c="dimmed">
                  {t('fhir.push.version', { version: item.version })}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={stateColors[item.state]} variant="light">
                  {t(`fhir.push.state.${item.state}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{intl.formatNumber(item.attempts)}</Table.Td>
              <Table.Td>{item.nextAttemptAt ? format.dateTime(item.nextAttemptAt) : '—'}</Table.Td>
              <Table.Td style={{ maxWidth: 320 }}>
                {item.lastError ? (
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }} dir="auto">
                    {item.lastError}
                  </Text>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>{item.sentAt ? format.dateTime(item.sentAt) : '—'}</Table.Td>
              <Table.Td>
                {item.state === 'failed' && (
                  <Button
                    size="compact-sm"
                    variant="light"
                    loading={retrying(item)}
                    onClick={() =>
                      retry.mutate({ params: { consultationId: item.consultationId, version: item.version } })
                    }
                    aria-label={t('fhir.push.retryNamed', {
                      id: item.consultationId,
                      version: item.version,
                    })}
                  >
                    {t('fhir.push.retry')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}
      <PreviousNextPager
        page={page}
        hasMore={query.data?.hasMore ?? false}
        onChange={(next) => setFilter({ page: next })}
      />
    </PageSection>
  );
}
