import { Stack, Text } from '@mantine/core';
import { BookAppointment, patientPaths, useFormatters, useRecordsQuery } from '@telemed/web-ui';
import { useNavigate, useParams } from 'react-router';

/** `/patients/:id/book`: a consultation for the patient in a free slot, then back to their record. */
export function BookAppointmentPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const format = useFormatters();
  const patient = useRecordsQuery('getPatient', { params: { id } });
  return (
    <Stack gap="sm">
      {patient.data && (
        <Text fw={500} size="lg">
          {format.personName(patient.data.name)}
        </Text>
      )}
      <BookAppointment patientId={id} onBooked={() => navigate(patientPaths.record(id))} />
    </Stack>
  );
}
