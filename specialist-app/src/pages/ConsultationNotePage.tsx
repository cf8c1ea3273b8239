import { AppointmentNotePage, ConsultationNoteEditor } from '@telemed/web-ui';

/** `/consultations/:appointmentId/note`: the specialist's note of that consultation, during or after the call. */
export function ConsultationNotePage() {
  return <AppointmentNotePage render={(id) => <ConsultationNoteEditor consultationId={id} />} />;
}
