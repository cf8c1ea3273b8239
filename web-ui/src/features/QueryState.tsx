import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useT } from '../i18n/LocaleProvider.js';
import { errorMessageOf } from '../records/useRecordsQuery.js';

/** The loading and error states every list shares: a labelled spinner, or the server's message and a retry. */
export function QueryState({ query }: { query: UseQueryResult<unknown, Error> }) {
  const t = useT();
  if (query.isPending && query.fetchStatus === 'fetching') {
    return (
      <Group gap="xs">
        <Loader size="sm" aria-hidden />
        <Text c="dimmed">{t('common.loading')}</Text>
      </Group>
    );
  }
  if (query.isError) {
    return (
      <Group gap="sm" align="center">
        <Alert color="red" role="alert" p="xs" style={{ flex: 1 }}>
          {errorMessageOf(query.error)}
        </Alert>
        <Button variant="light" size="compact-sm" onClick={() => void query.refetch()}>
          {t('common.retry')}
        </Button>
      </Group>
    );
  }
  return null;
}
