import { AppShell, Box, Button, Group, Text, Title } from '@mantine/core';
import { roleLabels } from '@telemed/shared';
import type { ReactNode } from 'react';
import { LanguageSwitch } from '../../i18n/LanguageSwitch.js';
import { useLocale, useT } from '../../i18n/LocaleProvider.js';
import { useSession, useSignedInUser } from '../../session/SessionProvider.js';
import type { AppIdentity } from '../session/AppIdentity.js';

/** The frame of every signed-in screen: product and app name, who is signed in, language, sign-out; the page beneath. */
export function AppLayout({ app, children }: { app: AppIdentity; children: ReactNode }) {
  const t = useT();
  const { locale } = useLocale();
  const { client } = useSession();
  const user = useSignedInUser();
  const who = t('session.signedInAs', {
    name: locale === 'ar' ? user.name.ar : user.name.latin,
    role: roleLabels[user.role][locale],
  });

  return (
    <AppShell header={{ height: 64 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap" gap="sm">
          {/* The app's name wraps rather than being cut short: Arabic is never truncated. */}
          <Box miw={0} style={{ flex: 1 }}>
            <Title order={1} size="h4" c="clinical.7" lh={1.2}>
              {t(app.titleKey)}
            </Title>
            <Text size="xs" c="dimmed" visibleFrom="sm" truncate>
              {t('platform.name')}
            </Text>
          </Box>
          <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
            {/* Room for the whole line on a laptop (it was cut at 320 px: "…، طبيب الوحدة…"); cut only if narrower. */}
            <Text size="sm" visibleFrom="md" truncate maw={{ base: 320, lg: 560 }}>
              {who}
            </Text>
            <LanguageSwitch />
            <Button variant="subtle" size="compact-sm" px={6} onClick={() => void client.logout()}>
              {t('session.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Box maw={1152} mx="auto">
          <Text size="sm" c="dimmed" hiddenFrom="md" mb="sm">
            {who}
          </Text>
          {children}
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
