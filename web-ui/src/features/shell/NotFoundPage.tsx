import { Anchor, Stack, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useT } from '../../i18n/LocaleProvider.js';

/** Any URL the app does not know. */
export function NotFoundPage() {
  const t = useT();
  return (
    <Stack align="center" py="xl">
      <Title order={2}>{t('notFound.heading')}</Title>
      <Anchor component={Link} to="/">
        {t('notFound.home')}
      </Anchor>
    </Stack>
  );
}
