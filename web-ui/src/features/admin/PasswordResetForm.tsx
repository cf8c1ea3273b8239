import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { newPasswordSchema, type User } from '@telemed/shared';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { useFieldErrors } from '../../forms/useFieldErrors.js';
import { useT } from '../../i18n/LocaleProvider.js';
import { errorMessageOf, useRecordsMutation } from '../../records/useRecordsQuery.js';
import { useFormatters } from '../formatting.js';

const resetSchema = z.object({ password: newPasswordSchema });

/** Sets a temporary password for `user`; records makes them choose their own at next sign-in. */
export function PasswordResetForm({ user, onDone }: { user: User; onDone: () => void }) {
  const t = useT();
  const format = useFormatters();
  const fieldError = useFieldErrors();
  const update = useRecordsMutation('updateUser');
  const form = useForm<z.infer<typeof resetSchema>>({
    resolver: zodResolver(resetSchema),
    defaultValues: { password: '' },
  });
  const submit = form.handleSubmit(async ({ password }) => {
    await update.mutateAsync({ params: { id: user.id }, body: { password } });
    onDone();
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text>{t('admin.user.resetExplain', { name: format.personName(user.name) })}</Text>
        <PasswordInput
          label={t('admin.user.temporaryPassword')}
          autoComplete="new-password"
          error={fieldError(form.formState.errors.password, {
            default: ['password.tooShort', { minimum: 10 }],
          })}
          {...form.register('password')}
        />
        {update.isError && (
          <Alert color="red" role="alert" p="xs">
            {errorMessageOf(update.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={form.formState.isSubmitting}>
            {t('admin.user.resetPassword')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
