import { PatientForm, patientPaths, QueryState, useRecordsMutation, useRecordsQuery } from '@telemed/web-ui';
import { useNavigate, useParams } from 'react-router';

/** `/patients/:id/edit`: the patient's details and clinical lists, changed and saved. */
export function EditPatientPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const patient = useRecordsQuery('getPatient', { params: { id } });
  const update = useRecordsMutation('updatePatient');
  if (!patient.data) return <QueryState query={patient} />;
  return (
    <PatientForm
      initial={patient.data}
      heading="patientForm.editHeading"
      submitLabel="patientForm.save"
      onSubmit={async (body) => {
        await update.mutateAsync({ params: { id }, body });
        navigate(patientPaths.record(id));
      }}
    />
  );
}
