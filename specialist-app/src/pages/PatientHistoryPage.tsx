import { SpecialistPatientHistory } from '@telemed/web-ui';
import { useParams } from 'react-router';

/** `/patients/:patientId`: the history records lets this specialist read. */
export function PatientHistoryPage() {
  const { patientId = '' } = useParams();
  return <SpecialistPatientHistory patientId={patientId} />;
}
