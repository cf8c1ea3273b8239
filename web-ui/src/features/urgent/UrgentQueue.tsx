import { Alert, Badge, Button, Card, SimpleGrid, Stack, Text } from '@mantine/core';
import { useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsMutation, useRecordsQuery } from '../../records/useRecordsQuery.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { QueryState } from '../QueryState.js';

/**
 * How often the queue is asked again while it is on screen: signaling has no event for urgent requests yet,
 * so the queue polls (and refetches when the window regains focus, TanStack Query's default).
 */
const refreshEveryMs = 15_000;

/**
 * Urgent on-demand requests of the specialist's specialty; the first to take one gets it. `narrow`: one card
 * a row, for the queue beside the calendar.
 */
export function UrgentQueue({ narrow = false }: { narrow?: boolean }) {
  const t = useT();
  const format = useFormatters();
  const query = useRecordsQuery('listUrgentRequests', {}, { refetchInterval: refreshEveryMs });
  const take = useRecordsMutation('pickUrgentRequest');
  const items = query.data?.items;
  const now = query.dataUpdatedAt || Date.now();

  return (
    <PageSection
      headingId="urgent-heading"
      title={t('urgent.heading')}
      actions={
        items &&
        items.length > 0 && (
          <Badge color="red" variant="light" size="lg">
            {t('urgent.count', { count: items.length })}
          </Badge>
        )
      }
    >
      <QueryState query={query} />
      {take.isError && (
        <Alert color="red" role="alert" mb="sm">
          {errorMessageOf(take.error)}
        </Alert>
      )}
      {items && items.length === 0 && <Text c="dimmed">{t('urgent.empty')}</Text>}
      {items && items.length > 0 && (
        <SimpleGrid
          cols={narrow ? 1 : { base: 1, sm: 2 }}
          spacing="sm"
          component="ul"
          style={{ listStyle: 'none', padding: 0 }}
        >
          {items.map((a) => {
            const name = format.personName(a.patient?.name);
            const since = a.waitingSince ?? a.start;
            const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
            return (
              <Card component="li" key={a.id} withBorder className="urgent" padding="sm">
                <Stack gap={4}>
                  <Text fw={700}>{name}</Text>
                  <Text size="sm" c="dimmed">
                    {format.dateTime(a.start)} · {t('urgent.waiting', { minutes })}
                  </Text>
                  <Text dir="auto">{a.reason}</Text>
                  <Button
                    mt="xs"
                    color="red"
                    aria-label={t('urgent.takeFor', { name })}
                    loading={take.isPending && take.variables?.params.id === a.id}
                    onClick={() => take.mutate({ params: { id: a.id } })}
                  >
                    {t('urgent.take')}
                  </Button>
                </Stack>
              </Card>
            );
          })}
        </SimpleGrid>
      )}
    </PageSection>
  );
}
