import { Alert, Button, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useT } from '../../../i18n/LocaleProvider.js';
import { type NoteField, type NoteForm, noteFieldLabels } from './noteFields.js';
import type { NoteConflict } from './useNoteAutosave.js';

/** A field's value as a line of text, to set mine and theirs side by side. */
export function describeNoteValue(field: NoteField, value: NoteForm[NoteField], empty: string): string {
  if (value === null || value === undefined || value === '') return empty;
  if (field === 'diagnoses') {
    const list = value as NoteForm['diagnoses'];
    return list.length === 0 ? empty : list.map((d) => `${d.code} ${d.text}`).join('\n');
  }
  if (field === 'referral') {
    const r = value as NonNullable<NoteForm['referral']>;
    return [r.specialty, r.facility, r.reason, r.urgency].filter(Boolean).join(' · ');
  }
  return String(value);
}

/**
 * Someone else changed the same fields meanwhile: each contested field side by side, and the person chooses
 * per field to keep their own text or take the other one. Nothing is saved until they have chosen.
 */
export function NoteConflictResolver({
  conflict,
  mine,
  onResolve,
}: {
  conflict: NoteConflict;
  mine: NoteForm;
  onResolve(choices: Partial<Record<NoteField, 'mine' | 'theirs'>>): void;
}) {
  const t = useT();
  const [choices, setChoices] = useState<Partial<Record<NoteField, 'mine' | 'theirs'>>>({});
  const undecided = conflict.fields.filter((f) => !choices[f]);
  return (
    <Paper
      component="section"
      withBorder
      p="md"
      role="region"
      aria-labelledby="note-conflict-heading"
      style={{ borderColor: 'var(--mantine-color-orange-6)' }}
    >
      <Stack gap="sm">
        <Title order={3} size="h4" id="note-conflict-heading">
          {t('note.conflict.heading')}
        </Title>
        <Alert color="orange" p="xs">
          {t('note.conflict.explain', { count: conflict.fields.length })}
        </Alert>
        {conflict.fields.map((field) => (
          <Stack key={field} gap={6} role="group" aria-label={t(noteFieldLabels[field])}>
            <Text fw={600}>{t(noteFieldLabels[field])}</Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              <Paper withBorder p="xs" bg="blue.0">
                <Text size="xs" c="dimmed">
                  {t('note.conflict.mine')}
                </Text>
                <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {describeNoteValue(field, mine[field], t('note.conflict.empty'))}
                </Text>
              </Paper>
              <Paper withBorder p="xs" bg="orange.0">
                <Text size="xs" c="dimmed">
                  {t('note.conflict.theirs')}
                </Text>
                <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {describeNoteValue(field, conflict.theirs[field], t('note.conflict.empty'))}
                </Text>
              </Paper>
            </SimpleGrid>
            <SegmentedControl
              fullWidth
              aria-label={t('note.conflict.choose', { field: t(noteFieldLabels[field]) })}
              value={choices[field] ?? ''}
              onChange={(choice) => setChoices((c) => ({ ...c, [field]: choice as 'mine' | 'theirs' }))}
              data={[
                { value: 'mine', label: t('note.conflict.keepMine') },
                { value: 'theirs', label: t('note.conflict.takeTheirs') },
              ]}
            />
          </Stack>
        ))}
        <Button disabled={undecided.length > 0} onClick={() => onResolve(choices)}>
          {t('note.conflict.apply')}
        </Button>
      </Stack>
    </Paper>
  );
}
