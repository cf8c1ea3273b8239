import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { changePasswordRequestSchema, newPasswordSchema, RecordsApiError } from '@telemed/shared';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useLocation, useNavigate } from 'react-router';
import { z } from 'zod';
import { useFieldErrors } from '../../forms/useFieldErrors.js';
import { useT } from '../../i18n/LocaleProvider.js';
import { useSession } from '../../session/SessionProvider.js';
import { returnPathOf } from './AppIdentity.js';

/** The shared request, plus the confirmation a person types so a typo does not lock them out. */
const changePasswordFormSchema = changePasswordRequestSchema
  .extend({ confirmPassword: z.string() })
  .refine((form) => form.newPassword === form.confirmPassword, { path: ['confirmPassword'] });
type ChangePasswordForm = z.infer<typeof changePasswordFormSchema>;

const passwordBounds = {
  minimum: newPasswordSchema.minLength ?? 10,
  maximum: newPasswordSchema.maxLength ?? 256,
};

/**
 * `/change-password`: where a person whose password an administrator set is sent before anything else, and
 * where anyone may change theirs.
 */
export function ChangePasswordPage() {
  const t = useT();
  const { client } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const fieldError = useFieldErrors();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<ChangePasswordForm>({
    resolver: zodResolver(changePasswordFormSchema),
    defaultValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
  });

  const submit = form.handleSubmit(async ({ currentPassword, newPassword }) => {
    setFailure(null);
    try {
      await client.changePassword({ currentPassword, newPassword });
      navigate(returnPathOf(location.state), { replace: true });
    } catch (error) {
      setFailure(error instanceof RecordsApiError ? error.message : String(error));
    }
  });

  const { errors, isSubmitting } = form.formState;
  return (
    <Paper
      component="form"
      onSubmit={submit}
      noValidate
      p="lg"
      shadow="sm"
      withBorder
      maw={460}
      mx="auto"
      w="100%"
    >
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t('password.heading')}
        </Title>
        <Text c="dimmed">{t('password.explain', passwordBounds)}</Text>
        <PasswordInput
          label={t('password.current')}
          autoComplete="current-password"
          error={fieldError(errors.currentPassword, { default: 'password.currentRequired' })}
          {...form.register('currentPassword')}
        />
        <PasswordInput
          label={t('password.new')}
          autoComplete="new-password"
          error={fieldError(errors.newPassword, {
            too_small: ['password.tooShort', passwordBounds],
            too_big: ['password.tooLong', passwordBounds],
          })}
          {...form.register('newPassword')}
        />
        <PasswordInput
          label={t('password.confirm')}
          autoComplete="new-password"
          error={fieldError(errors.confirmPassword, { default: 'password.mismatch' })}
          {...form.register('confirmPassword')}
        />
        {failure && (
          <Alert color="red" role="alert" p="xs">
            {failure}
          </Alert>
        )}
        <Button type="submit" loading={isSubmitting}>
          {t('password.submit')}
        </Button>
      </Stack>
    </Paper>
  );
}
