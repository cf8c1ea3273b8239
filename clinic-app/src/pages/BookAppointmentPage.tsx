import { BookAppointment, patientPaths } from '@telemed/web-ui';
import { useNavigate, useParams } from 'react-router';
import { ForPatient } from './ForPatient.js';

/** `/patients/:id/book`: a consultation for the patient in a free slot, then back to their record. */
export function BookAppointmentPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  return (
    <ForPatient id={id}>
      <BookAppointment patientId={id} onBooked={() => navigate(patientPaths.record(id))} />
    </ForPatient>
  );
}
