import { AppointmentNotePage, SignedNoteView } from '@telemed/web-ui';

/** `/consultations/:appointmentId/note`: the specialist's signed note, to read and print (or "not signed yet"). */
export function SignedNotePage() {
  return <AppointmentNotePage render={(id) => <SignedNoteView consultationId={id} />} />;
}
