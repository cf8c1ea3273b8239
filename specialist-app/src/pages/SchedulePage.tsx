import { Grid } from '@mantine/core';
import { SpecialistSchedule, UrgentQueue } from '@telemed/web-ui';

/** `/schedule`: the calendar, with the urgent queue beside it (below it on a phone). */
export function SchedulePage() {
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <SpecialistSchedule />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <UrgentQueue narrow />
      </Grid.Col>
    </Grid>
  );
}
