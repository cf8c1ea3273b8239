import { PatientHistory } from '@telemed/web-ui';
import { useParams } from 'react-router';

/** `/patients/:id`: the patient's record and history. */
export function PatientPage() {
  const { id = '' } = useParams();
  return <PatientHistory patientId={id} />;
}
