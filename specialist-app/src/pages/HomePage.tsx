import { Stack } from '@mantine/core';
import { AppointmentList, CallInvitations, UrgentQueue, WaitingClinics } from '@telemed/web-ui';

/** `/`: invitations into calls and the clinics waiting now (both live), urgent requests, then appointments. */
export function HomePage() {
  return (
    <Stack gap="md">
      <CallInvitations />
      <WaitingClinics />
      <UrgentQueue />
      <AppointmentList />
    </Stack>
  );
}
