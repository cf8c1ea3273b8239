import { Anchor, Badge, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { type NoteListStatus, noteListStatusSchema } from '@telemed/shared';
import { Link, useSearchParams } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { notePath } from '../consultation/call/consultationPath.js';
import { useFormatters } from '../formatting.js';
import { PageSection } from '../PageSection.js';
import { QueryState } from '../QueryState.js';

const pageSize = 20;

/**
 * `/notes?status=amended&page=2`: the specialist's own notes, drafts first to finish, signed ones and those
 * amended since; each opens the editor (where a signed note is amended). Filter and page live in the URL.
 */
export function MyNotes() {
  const t = useT();
  const format = useFormatters();
  const [params, setParams] = useSearchParams();
  const parsedStatus = noteListStatusSchema.safeParse(params.get('status'));
  const status: NoteListStatus | undefined = parsedStatus.success ? parsedStatus.data : undefined;
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const query = useRecordsQuery('listMyNotes', { query: { status, page, limit: pageSize } });
  const items = query.data?.items;
  const setFilter = (next: { status?: string; page?: number }) => {
    const s = next.status ?? status ?? 'all';
    setParams({ ...(s !== 'all' ? { status: s } : {}), page: String(next.page ?? 1) });
  };

  return (
    <PageSection
      headingId="notes-heading"
      title={t('notes.heading')}
      actions={
        <SegmentedControl
          aria-label={t('notes.filterLabel')}
          value={status ?? 'all'}
          onChange={(value) => setFilter({ status: value })}
          data={[
            { value: 'all', label: t('notes.filter.all') },
            { value: 'draft', label: t('notes.filter.draft') },
            { value: 'signed', label: t('notes.filter.signed') },
            { value: 'amended', label: t('notes.filter.amended') },
          ]}
        />
      }
    >
      <Stack gap="sm">
        <QueryState query={query} />
        {items && items.length === 0 && <Text c="dimmed">{t('notes.empty')}</Text>}
        {items && items.length > 0 && (
          <SimpleGrid
            cols={{ base: 1, sm: 2, lg: 3 }}
            spacing="sm"
            component="ul"
            style={{ listStyle: 'none', padding: 0, margin: 0 }}
          >
            {items.map((n) => {
              const name = format.personName(n.patient?.name);
              return (
                <Card component="li" key={n.id} withBorder padding="sm">
                  <Stack gap={4}>
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Text fw={700} lineClamp={2}>
                        {name}
                      </Text>
                      <Badge
                        color={n.status === 'draft' ? 'yellow' : 'teal'}
                        variant="light"
                        style={{ flexShrink: 0 }}
                      >
                        {n.status === 'draft' ? t('notes.status.draft') : t('notes.status.signed')}
                      </Badge>
                    </Group>
                    {n.patient && (
                      <Text size="sm" c="dimmed">
                        {t('patients.mrn')}: <bdi className="identifier">{n.patient.mrn}</bdi>
                      </Text>
                    )}
                    <Text size="sm" c="dimmed">
                      {n.signedAt
                        ? t('notes.signedAt', { at: format.dateTime(n.signedAt) })
                        : t('notes.updatedAt', { at: format.dateTime(n.updatedAt) })}
                    </Text>
                    {n.diagnosisCodes.length > 0 && (
                      <Group gap={4}>
                        {n.diagnosisCodes.map((code) => (
                          <Badge key={code} variant="outline" size="sm">
                            <bdi>{code}</bdi>
                          </Badge>
                        ))}
                      </Group>
                    )}
                    {n.amendmentCount > 0 && (
                      <Text size="sm">{t('note.amended', { count: n.amendmentCount })}</Text>
                    )}
                    <Group gap="sm" mt={4}>
                      <Anchor
                        component={Link}
                        to={notePath(n.appointmentId)}
                        aria-label={t('note.openFor', { name })}
                      >
                        {t('notes.open')}
                      </Anchor>
                      <Anchor
                        component={Link}
                        to={`/patients/${n.patientId}`}
                        aria-label={t('specialistHistory.openFor', { name })}
                      >
                        {t('specialistHistory.open')}
                      </Anchor>
                    </Group>
                  </Stack>
                </Card>
              );
            })}
          </SimpleGrid>
        )}
        {query.data && (page > 1 || query.data.hasMore) && (
          <Group justify="center" gap="sm">
            <Button variant="default" disabled={page <= 1} onClick={() => setFilter({ page: page - 1 })}>
              {t('notes.previousPage')}
            </Button>
            <Text size="sm">{t('notes.page', { page })}</Text>
            <Button
              variant="default"
              disabled={!query.data.hasMore}
              onClick={() => setFilter({ page: page + 1 })}
            >
              {t('notes.nextPage')}
            </Button>
          </Group>
        )}
      </Stack>
    </PageSection>
  );
}
