import { Stack, Text } from '@mantine/core';
import { useFormatters, useRecordsQuery } from '@telemed/web-ui';
import type { ReactNode } from 'react';

/** A page about one patient: their name above it (once records has it), so the clinic sees whom it is for. */
export function ForPatient({ id, children }: { id: string; children: ReactNode }) {
  const format = useFormatters();
  const patient = useRecordsQuery('getPatient', { params: { id } });
  return (
    <Stack gap="sm">
      {patient.data && (
        <Text fw={500} size="lg">
          {format.personName(patient.data.name)}
        </Text>
      )}
      {children}
    </Stack>
  );
}
