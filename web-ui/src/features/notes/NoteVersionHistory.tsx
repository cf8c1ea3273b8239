import { Badge, Card, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsQuery } from '../../records/useRecordsQuery.js';
import { noteFieldLabels } from '../consultation/note/noteFields.js';
import { useFormatters } from '../formatting.js';
import { QueryState } from '../QueryState.js';
import { noteValueText, noteVersionSteps } from './noteVersions.js';

/**
 * The amendments of a signed note, newest first: when, why, and each changed field as it read before and
 * after. The earlier text stays on screen, as records keeps it.
 */
export function NoteVersionHistory({ consultationId }: { consultationId: string }) {
  const t = useT();
  const format = useFormatters();
  const query = useRecordsQuery('getConsultation', { params: { id: consultationId } });
  const record = query.data;
  if (!record) return <QueryState query={query} />;
  if (record.status !== 'signed') return null;
  const steps = noteVersionSteps(record);

  return (
    <Paper component="section" p="md" shadow="xs" aria-labelledby="versions-heading">
      <Title order={2} size="h4" id="versions-heading" mb="sm">
        {t('notes.versions.heading')}
      </Title>
      {steps.length === 0 && <Text c="dimmed">{t('notes.versions.none')}</Text>}
      <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {steps.map((step) => (
          <Card
            component="li"
            withBorder
            padding="sm"
            key={step.version}
            aria-label={t('notes.versions.item', { version: step.version })}
          >
            <Group gap="xs" mb={4} wrap="wrap">
              <Badge variant="light">{t('notes.versions.version', { version: step.version })}</Badge>
              <Text size="sm" c="dimmed">
                {t('notes.versions.amendedAt', { at: format.dateTime(step.at) })}
              </Text>
            </Group>
            <Text fw={600} dir="auto" mb="xs">
              {t('notes.versions.reason', { reason: step.reason })}
            </Text>
            {step.changes.map((change) => (
              <SimpleGrid key={change.field} cols={{ base: 1, sm: 2 }} spacing="xs" mb="xs">
                <div>
                  <Text size="xs" c="dimmed">
                    {t('notes.versions.before', { field: t(noteFieldLabels[change.field]) })}
                  </Text>
                  <Text
                    className="note-before"
                    dir="auto"
                    td="line-through"
                    c="red.8"
                    style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
                  >
                    {noteValueText(change.before) || t('note.conflict.empty')}
                  </Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">
                    {t('notes.versions.after', { field: t(noteFieldLabels[change.field]) })}
                  </Text>
                  <Text dir="auto" c="teal.9" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {noteValueText(change.after) || t('note.conflict.empty')}
                  </Text>
                </div>
              </SimpleGrid>
            ))}
          </Card>
        ))}
      </Stack>
    </Paper>
  );
}
