import { Stack } from '@mantine/core';
import { AppointmentNotePage, ConsultationNoteEditor, NoteVersionHistory } from '@telemed/web-ui';

/**
 * `/consultations/:appointmentId/note`: the specialist's note of that consultation, during or after the call,
 * and once signed its amendments with their reasons and the text each replaced.
 */
export function ConsultationNotePage() {
  return (
    <AppointmentNotePage
      render={(id) => (
        <Stack gap="md">
          <ConsultationNoteEditor consultationId={id} />
          <NoteVersionHistory consultationId={id} />
        </Stack>
      )}
    />
  );
}
