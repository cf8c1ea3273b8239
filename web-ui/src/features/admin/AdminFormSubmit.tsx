import { Alert, Button, Group } from '@mantine/core';
import { errorMessageOf } from '../../records/useRecordsQuery.js';

/** The end of an admin form: why records refused the last try (if it did), then the submit button. */
export function AdminFormSubmit({
  refusal,
  submitting,
  label,
}: {
  /** The failed mutation's error; null while there is none. */
  refusal: Error | null;
  submitting: boolean;
  label: string;
}) {
  return (
    <>
      {refusal && (
        <Alert color="red" role="alert" p="xs">
          {errorMessageOf(refusal)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button type="submit" loading={submitting}>
          {label}
        </Button>
      </Group>
    </>
  );
}
