import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Box,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type LoginRequest, loginRequestSchema, RecordsApiError } from '@telemed/shared';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Navigate, useLocation } from 'react-router';
import { useFieldErrors } from '../../forms/useFieldErrors.js';
import { catalogs } from '../../i18n/catalog.js';
import { LanguageSwitch } from '../../i18n/LanguageSwitch.js';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';
import { useSession } from '../../session/SessionProvider.js';
import { type AppIdentity, returnPathOf } from './AppIdentity.js';

/** The bounds of `usernameSchema`'s pattern, for the message that explains it. */
const usernameBounds = { min: 3, max: 64 };

/** Sign-in at `/login`; once signed in, on to where the person was going (or home). */
export function LoginPage({ app }: { app: AppIdentity }) {
  const t = useT();
  const { locale } = useLocale();
  const { state, client } = useSession();
  const location = useLocation();
  const fieldError = useFieldErrors();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<LoginRequest>({
    resolver: zodResolver(loginRequestSchema),
    defaultValues: { username: '', password: '' },
  });

  if (state.status === 'signed-in') return <Navigate to={returnPathOf(location.state)} replace />;

  const submit = form.handleSubmit(async (credentials) => {
    setFailure(null);
    try {
      await client.login(credentials);
    } catch (error) {
      setFailure(error instanceof RecordsApiError ? error.message : catalogs[locale]['login.networkError']);
    }
  });

  const { errors, isSubmitting } = form.formState;
  return (
    <Center mih="100dvh" p="md">
      <Box w="100%" maw={420}>
        <Group justify="flex-end" mb="xs">
          <LanguageSwitch />
        </Group>
        <Stack gap={4} align="center" mb="lg" ta="center">
          <Text c="dimmed">{t('platform.name')}</Text>
          <Title order={1} c="clinical.7">
            {t(app.titleKey)}
          </Title>
          <Text c="dimmed">{t(app.subtitleKey)}</Text>
        </Stack>
        <Paper component="form" onSubmit={submit} noValidate p="lg" shadow="sm" withBorder>
          <Stack gap="sm">
            <Title order={2} size="h3">
              {t('login.heading')}
            </Title>
            <TextInput
              label={t('login.username')}
              autoComplete="username"
              dir="auto"
              error={fieldError(errors.username, { default: ['login.usernameInvalid', usernameBounds] })}
              {...form.register('username')}
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              error={fieldError(errors.password, { default: 'login.passwordRequired' })}
              {...form.register('password')}
            />
            {failure && (
              <Alert color="red" role="alert" p="xs">
                {failure}
              </Alert>
            )}
            <Button type="submit" loading={isSubmitting} fullWidth mt="xs">
              {t('login.submit')}
            </Button>
          </Stack>
        </Paper>
      </Box>
    </Center>
  );
}
