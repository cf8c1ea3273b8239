import { UrgentRequestPanel } from '@telemed/web-ui';
import { useParams } from 'react-router';
import { ForPatient } from './ForPatient.js';

/** `/patients/:id/urgent`: raise an urgent request for the patient and watch it until a specialist takes it. */
export function UrgentRequestPage() {
  const { id = '' } = useParams();
  return (
    <ForPatient id={id}>
      <UrgentRequestPanel patientId={id} />
    </ForPatient>
  );
}
