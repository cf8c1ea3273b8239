import { Button, Group, Stack } from '@mantine/core';
import { AppointmentList, networkTestPath, PatientSearch, useT } from '@telemed/web-ui';
import { Link } from 'react-router';

/** `/` (and `/?q=…` with a patient search): the clinic's next appointments and its patients. */
export function HomePage() {
  const t = useT();
  return (
    <Stack gap="md">
      <Group justify="flex-end" component="nav" aria-label={t('precall.heading')}>
        <Button component={Link} to={networkTestPath} variant="light" size="sm">
          {t('precall.page.link')}
        </Button>
      </Group>
      <AppointmentList />
      <PatientSearch />
    </Stack>
  );
}
