import { Text } from '@mantine/core';

/**
 * A placeholder with the integration contract's name and props, so the call screen compiles; the note branch
 * (findings, ICD-10 diagnoses, autosave, signing) replaces this file at merge.
 */
export function ConsultationNoteEditor({ consultationId }: { consultationId: string }) {
  return (
    <Text c="dimmed" size="sm" data-consultation-id={consultationId}>
      …
    </Text>
  );
}
