import { Alert, Button, Group, Stack } from '@mantine/core';
import type { FormEventHandler, ReactNode } from 'react';
import { errorMessageOf } from '../../records/useRecordsQuery.js';

/**
 * The frame of every admin form: its fields, then why records refused the last try (if it did), then the submit
 * button. The browser's own validation is off: the form's schema gives the messages, in the reader's language.
 */
export function AdminForm({
  onSubmit,
  refusal,
  submitting,
  submitLabel,
  children,
}: {
  onSubmit: FormEventHandler<HTMLFormElement>;
  /** The failed mutation's error; null while there is none. */
  refusal: Error | null;
  submitting: boolean;
  submitLabel: string;
  children: ReactNode;
}) {
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        {children}
        {refusal && (
          <Alert color="red" role="alert" p="xs">
            {errorMessageOf(refusal)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={submitting}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
