import { zodResolver } from '@hookform/resolvers/zod';
import { PasswordInput, Text } from '@mantine/core';
import { newPasswordSchema, type User } from '@telemed/shared';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { useFieldErrors } from '../../forms/useFieldErrors.js';
import { useT } from '../../i18n/LocaleProvider.js';
import { useRecordsMutation } from '../../records/useRecordsQuery.js';
import { useFormatters } from '../formatting.js';
import { AdminForm } from './AdminForm.js';

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
    <AdminForm
      onSubmit={submit}
      refusal={update.error}
      submitting={form.formState.isSubmitting}
      submitLabel={t('admin.user.resetPassword')}
    >
      <Text>{t('admin.user.resetExplain', { name: format.personName(user.name) })}</Text>
      <PasswordInput
        label={t('admin.user.temporaryPassword')}
        autoComplete="new-password"
        error={fieldError(form.formState.errors.password, {
          default: ['password.tooShort', { minimum: 10 }],
        })}
        {...form.register('password')}
      />
    </AdminForm>
  );
}
