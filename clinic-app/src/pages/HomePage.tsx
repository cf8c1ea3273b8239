import { Stack } from '@mantine/core';
import { AppointmentList, PatientSearch } from '@telemed/web-ui';

/** `/` (and `/?q=…` with a patient search): the clinic's next appointments and its patients. */
export function HomePage() {
  return (
    <Stack gap="md">
      <AppointmentList />
      <PatientSearch />
    </Stack>
  );
}
