import { Stack } from '@mantine/core';
import { AppointmentList, UrgentQueue } from '@telemed/web-ui';

/** `/`: urgent requests of the specialist's specialty first, then their own appointments. */
export function HomePage() {
  return (
    <Stack gap="md">
      <UrgentQueue />
      <AppointmentList />
    </Stack>
  );
}
