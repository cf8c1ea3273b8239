import { PatientForm, patientPaths, useRecordsMutation } from '@telemed/web-ui';
import { useNavigate } from 'react-router';

/** `/patients/new`: a new patient of the clinic, then their record. */
export function RegisterPatientPage() {
  const navigate = useNavigate();
  const register = useRecordsMutation('registerPatient');
  return (
    <PatientForm
      heading="patientForm.registerHeading"
      submitLabel="patientForm.register"
      onSubmit={async (body) => {
        const patient = await register.mutateAsync({ body });
        navigate(patientPaths.record(patient.id), { replace: true });
      }}
    />
  );
}
