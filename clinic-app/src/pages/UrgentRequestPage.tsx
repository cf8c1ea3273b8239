import { Stack, Text } from '@mantine/core';
import { UrgentRequestPanel, useFormatters, useRecordsQuery } from '@telemed/web-ui';
import { useParams } from 'react-router';

/** `/patients/:id/urgent`: raise an urgent request for the patient and watch it until a specialist takes it. */
export function UrgentRequestPage() {
  const { id = '' } = useParams();
  const format = useFormatters();
  const patient = useRecordsQuery('getPatient', { params: { id } });
  return (
    <Stack gap="sm">
      {patient.data && (
        <Text fw={500} size="lg">
          {format.personName(patient.data.name)}
        </Text>
      )}
      <UrgentRequestPanel patientId={id} />
    </Stack>
  );
}
